package resolve

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mcptether/mcptether/facts"
)

func okPackument(name string) http.HandlerFunc {
	return jsonBody(200, npmPackument(name, "github:acme/server", map[string]map[string]any{"1.0.0": {}}, map[string]string{"1.0.0": "2025-01-01T00:00:00.000Z"}, "1.0.0"))
}

// Each fault ends in a correct fact or an unknown with a reason: never a
// crash, never a false "exists" or "missing".
func TestFaults(t *testing.T) {
	cases := []struct {
		name    string
		handler http.HandlerFunc
		exists  facts.Tri
		reason  string
	}{
		{"500 then success", respondAfter(1, 500, nil, okPackument("p")), facts.Yes, ""},
		{"503 then success", respondAfter(2, 503, nil, okPackument("p")), facts.Yes, ""},
		{"429 with Retry-After", respondAfter(1, 429, []string{"Retry-After", "1"}, okPackument("p")), facts.Yes, ""},
		{"500 forever", rawBody(500, "boom"), facts.Unknown, "giving up after 3 attempt"},
		{"timeout", func(rw http.ResponseWriter, r *http.Request) {
			select {
			case <-time.After(5 * time.Second):
			case <-r.Context().Done():
			}
		}, facts.Unknown, "Client.Timeout exceeded"},
		{"truncated JSON", rawBody(200, `{"name":"p","dist-tags":{"latest":"1.0.0"},"versions":{"1.0`), facts.Unknown, "unreadable answer"},
		{"50 MB body", func(rw http.ResponseWriter, r *http.Request) {
			rw.WriteHeader(200)
			chunk := []byte(strings.Repeat("x", 1<<20))
			for i := 0; i < 50; i++ {
				if _, err := rw.Write(chunk); err != nil {
					return
				}
			}
		}, facts.Unknown, "larger than"},
		{"redirect loop", func(rw http.ResponseWriter, r *http.Request) {
			http.Redirect(rw, r, r.URL.Path, http.StatusFound)
		}, facts.Unknown, "stopped after 10 redirects"},
		{"403 without rate limit", rawBody(403, `{"error":"forbidden"}`), facts.Unknown, "unexpected HTTP 403"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t)
			w.On("GET /npm/p", c.handler)
			o := options(w)
			o.Timeout = 300 * time.Millisecond
			o.MaxBody = 8 << 20
			ss := servers(t, "npx p")
			start := time.Now()
			fs := New(o).Resolve(context.Background(), ss)
			p := pkg(t, fs, ss[0])
			if p.Exists != c.exists || (c.reason == "" && len(p.Unknowns) > 0) || (c.reason != "" && !contains(p.Unknowns, c.reason)) {
				t.Errorf("got exists=%s unknowns=%q, want %s with %q", p.Exists, p.Unknowns, c.exists, c.reason)
			}
			if time.Since(start) > 10*time.Second {
				t.Errorf("took %v", time.Since(start))
			}
		})
	}
}

func TestGitHubRateLimit(t *testing.T) {
	w := newWorld(t)
	reset := strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10)
	limited := func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("X-RateLimit-Limit", "60")
		rw.Header().Set("X-RateLimit-Remaining", "0")
		rw.Header().Set("X-RateLimit-Reset", reset)
		rw.Header().Set("X-RateLimit-Resource", "core")
		jsonBody(403, map[string]any{"message": "API rate limit exceeded for 203.0.113.1.", "documentation_url": "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting"})(rw, r)
	}
	for _, n := range []string{"a", "b", "c"} {
		w.On("GET /repos/o/"+n, limited)
	}
	ss := servers(t, "npx github:o/a", "npx github:o/b", "npx github:o/c")
	start := time.Now()
	fs := New(options(w)).Resolve(context.Background(), ss)
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("waited %v for a reset an hour away (max-wait is 2s)", d)
	}
	for _, n := range []string{"a", "b", "c"} {
		repo := fs.Repos["github.com/o/"+n]
		if repo.Status != facts.RepoUnknown || !strings.Contains(repo.Reason, "rate limited by") {
			t.Errorf("%s: %+v", n, repo)
		}
	}
	total := w.Count("GET /repos/o/a") + w.Count("GET /repos/o/b") + w.Count("GET /repos/o/c")
	if total > 3 {
		t.Errorf("%d requests after the host said wait an hour; later lookups should fail fast", total)
	}

	// A short secondary limit (Retry-After within --max-wait) is waited out.
	w2 := newWorld(t)
	w2.On("GET /repos/o/r", respondAfter(1, 403, []string{"Retry-After", "1"}, jsonBody(200, map[string]any{"full_name": "o/r", "owner": map[string]any{"login": "o", "type": "User"}})))
	fs = New(options(w2)).Resolve(context.Background(), servers(t, "npx github:o/r"))
	if repo := fs.Repos["github.com/o/r"]; repo.Status != facts.RepoOK {
		t.Errorf("after a secondary limit: %+v", repo)
	}
}

func TestEachKeyFetchedOnce(t *testing.T) {
	w := newWorld(t)
	var lines []string
	for i := 0; i < 20; i++ {
		lines = append(lines, "npx -y @acme/server", "npx github:acme/server")
	}
	r := New(options(w))
	r.Resolve(context.Background(), servers(t, lines...))
	if got := r.MaxRequestsPerKey(); got != 1 {
		t.Errorf("a key was fetched %d times", got)
	}
	if w.Count("GET /repos/acme/server") != 1 || w.Count("GET /npm/@acme%2fserver") != 1 {
		t.Errorf("repo %d, packument %d requests", w.Count("GET /repos/acme/server"), w.Count("GET /npm/@acme%2fserver"))
	}
}

func TestDiskCache(t *testing.T) {
	w := newWorld(t)
	etagHits := 0
	w.On("GET /npm/tagged", func(rw http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` {
			etagHits++
			rw.WriteHeader(http.StatusNotModified)
			return
		}
		rw.Header().Set("ETag", `"v1"`)
		okPackument("tagged")(rw, r)
	})
	dir := t.TempDir()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	o := options(w)
	o.CacheDir = dir
	o.Now = func() time.Time { return now }
	ss := servers(t, "npx -y @acme/server", "npx tagged", "npx missing-pkg")

	cold := New(o)
	first := cold.Resolve(context.Background(), ss)
	if cold.Requests() == 0 {
		t.Fatal("cold run made no requests")
	}
	warm := New(o)
	second := warm.Resolve(context.Background(), ss)
	if warm.Requests() != 0 {
		t.Errorf("warm run made %d requests", warm.Requests())
	}
	if pkg(t, second, ss[0]).Version != pkg(t, first, ss[0]).Version || pkg(t, second, ss[2]).Exists != facts.No {
		t.Error("cached facts differ")
	}

	// Two hours on, the 404 (1 h) is refetched; the packuments (24 h) are
	// not; a day on, the ETag one is revalidated with a 304.
	now = now.Add(2 * time.Hour)
	later := New(o)
	later.Resolve(context.Background(), ss)
	if got := w.Count("GET /npm/missing-pkg"); got != 2 {
		t.Errorf("404 fetched %d times, want 2 (1 h TTL)", got)
	}
	now = now.Add(24 * time.Hour)
	New(o).Resolve(context.Background(), ss)
	if etagHits != 1 {
		t.Errorf("%d revalidations, want 1", etagHits)
	}

	// A corrupt entry is ignored and refetched.
	files, _ := filepath.Glob(filepath.Join(dir, "v1", "*", "*.json"))
	if len(files) == 0 {
		t.Fatal("no cache files")
	}
	for _, f := range files {
		os.WriteFile(f, []byte("{not json"), 0o644)
	}
	again := New(o)
	fs := again.Resolve(context.Background(), ss)
	if again.Requests() == 0 || pkg(t, fs, ss[0]).Exists != facts.Yes {
		t.Errorf("corrupt cache: %d requests, %+v", again.Requests(), pkg(t, fs, ss[0]))
	}
	// No entry holds the token.
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			data, _ := os.ReadFile(p)
			if strings.Contains(string(data), "gh-secret-token") {
				t.Errorf("%s holds the token", p)
			}
		}
		return nil
	})
}

func TestUserAgent(t *testing.T) {
	w := newWorld(t)
	var ua string
	w.On("GET /npm/p", func(rw http.ResponseWriter, r *http.Request) {
		ua = r.Header.Get("User-Agent")
		io.WriteString(rw, "{}")
	})
	New(options(w)).Resolve(context.Background(), servers(t, "npx p"))
	if ua != "mcptether/test" {
		t.Errorf("User-Agent %q", ua)
	}
}
