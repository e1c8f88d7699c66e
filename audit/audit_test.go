package audit

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mcptether/mcptether/internal/fakereg"
	"github.com/mcptether/mcptether/resolve"
)

// loopingRegistry serves GET /mcp-registry/v0/servers from pages: the
// cursor is the page's number, and a page past the list gives the server
// names next(n) with a fresh cursor, forever. Past 1000 requests it
// fails, so a regression ends the test instead of hanging it.
func loopingRegistry(t *testing.T, pages [][]string, next func(n int) []string) (*fakereg.World, *resolve.Resolver) {
	w := fakereg.New(t)
	w.On("GET /mcp-registry/v0/servers", func(rw http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("cursor"))
		if w.Count("GET /mcp-registry/v0/servers") > 1000 {
			fakereg.JSON(500, map[string]any{"detail": "the audit did not stop"})(rw, r)
			return
		}
		var names []string
		meta := map[string]any{}
		if n < len(pages) {
			names = pages[n]
		} else if next != nil {
			names = next(n)
		}
		if n+1 < len(pages) || next != nil {
			meta["nextCursor"] = strconv.Itoa(n + 1)
		}
		servers := []any{}
		for _, name := range names {
			servers = append(servers, fakereg.RegistryEntry(map[string]any{"$schema": "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json",
				"name": name, "description": "test server", "version": "1.0.0",
				"remotes": []any{map[string]any{"type": "streamable-http", "url": "https://mcp.example.com/mcp"}}}, "active", true))
		}
		fakereg.JSON(200, map[string]any{"servers": servers, "metadata": meta})(rw, r)
	})
	u := w.URLs()
	r := resolve.New(resolve.Options{Version: "test", MCPRegistry: u["MCPTETHER_REGISTRY_URL"], OSVURL: u["MCPTETHER_OSV_URL"],
		NPMRegistry: u["MCPTETHER_NPM_REGISTRY"], GitHubAPI: u["GITHUB_API_URL"], CacheDir: t.TempDir()})
	return w, r
}

func runWithin(t *testing.T, o Options) (Summary, []string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var names []string
	sum, err := Run(ctx, o, func(r Result) error { names = append(names, r.Name); return nil })
	if err != nil {
		t.Fatal(err)
	}
	return sum, names
}

// A registry whose cursor never ends is read up to --max-pages, its
// servers audited, and the summary says the audit stopped there.
func TestRegistryThatNeverEnds(t *testing.T) {
	w, r := loopingRegistry(t, nil, func(n int) []string { return []string{fmt.Sprintf("io.github.loop/s%d", n)} })
	sum, names := runWithin(t, Options{Resolver: r, MaxPages: 50})
	if pages := w.Count("GET /mcp-registry/v0/servers"); pages != 50 || sum.Servers != 50 || len(names) != 50 {
		t.Errorf("%d pages, %d servers", pages, sum.Servers)
	}
	if sum.Stopped != "pagination stopped after 50 pages (--max-pages): the registry has more" {
		t.Errorf("stopped %q", sum.Stopped)
	}
}

// A registry that serves the same server with a fresh cursor forever is
// stopped at the first page that adds nothing; the server counts once.
func TestRegistryThatRepeatsForever(t *testing.T) {
	w, r := loopingRegistry(t, nil, func(int) []string { return []string{"io.github.loop/same"} })
	sum, names := runWithin(t, Options{Resolver: r})
	if pages := w.Count("GET /mcp-registry/v0/servers"); pages != 2 || sum.Servers != 1 || len(names) != 1 || sum.Repeated != 1 {
		t.Errorf("%d pages, %d servers, %d repeated", pages, sum.Servers, sum.Repeated)
	}
	if !strings.Contains(sum.Stopped, "page 2: it added no new server") {
		t.Errorf("stopped %q", sum.Stopped)
	}
}

// Servers repeated across the pages of a registry that ends are audited
// and counted once, and the audit is complete.
func TestRegistryRepeatsAcrossPages(t *testing.T) {
	a, b, c, d := "io.github.x/a", "io.github.x/b", "io.github.x/c", "io.github.x/d"
	w, r := loopingRegistry(t, [][]string{{a, b}, {b, c}, {c, a, d}, {a}, {}}, nil)
	sum, names := runWithin(t, Options{Resolver: r})
	if strings.Join(names, ",") != strings.Join([]string{a, b, c, d}, ",") || sum.Servers != 4 || sum.Repeated != 4 || len(sum.ByRule) != 0 {
		t.Errorf("audited %v, %+v", names, sum)
	}
	// The fourth page adds nothing, so the walk stops there, short of the
	// empty last page, and says so.
	if pages := w.Count("GET /mcp-registry/v0/servers"); pages != 4 || !strings.Contains(sum.Stopped, "page 4: it added no new server") {
		t.Errorf("%d pages, stopped %q", pages, sum.Stopped)
	}
	w, r = loopingRegistry(t, [][]string{{a, b}, {b, c}, {c, a, d}}, nil)
	if sum, names = runWithin(t, Options{Resolver: r}); len(names) != 4 || sum.Repeated != 3 || sum.Stopped != "" || w.Count("GET /mcp-registry/v0/servers") != 3 {
		t.Errorf("a registry that ends: audited %v, %+v", names, sum)
	}
}
