package cli

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/mcptether/mcptether/internal/fakereg"
)

// serverJSON is a server.json document in the current schema.
func serverJSON(name, version, repo string, packages, remotes []any) map[string]any {
	doc := map[string]any{"$schema": "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json",
		"name": name, "description": "test server", "version": version}
	if repo != "" {
		doc["repository"] = map[string]any{"url": repo, "source": "github"}
	}
	if packages != nil {
		doc["packages"] = packages
	}
	if remotes != nil {
		doc["remotes"] = remotes
	}
	return doc
}

func npmPackage(id, version string) []any {
	return []any{map[string]any{"registryType": "npm", "identifier": id, "version": version, "transport": map[string]any{"type": "stdio"}}}
}

// registryEntries is a registry whose servers each raise one known set of
// findings in the fake world, plus a deleted entry and an older version.
func registryEntries() []map[string]any {
	e := fakereg.RegistryEntry
	return []map[string]any{
		e(serverJSON("io.github.acme/server", "1.2.0", "https://github.com/acme/server", npmPackage("@acme/server", "1.2.0"), nil), "active", true),
		e(serverJSON("io.github.acme/server", "1.1.0", "https://github.com/acme/server", npmPackage("@acme/server", "1.1.0"), nil), "active", false),
		e(serverJSON("io.github.deleted-user/orphan", "1.0.0", "", npmPackage("orphan-mcp", "1.0.0"), nil), "active", true),
		e(serverJSON("io.github.old-name/moved", "1.0.0", "", npmPackage("moved-mcp", "1.0.0"), nil), "active", true),
		e(serverJSON("io.github.acme/lost", "1.0.0", "", npmPackage("lost-mcp", "1.0.0"), nil), "active", true),
		e(serverJSON("io.github.evil/evil", "1.0.0", "", npmPackage("evil-mcp", "1.0.0"), nil), "active", true),
		e(serverJSON("io.github.acme/vuln", "1.0.0", "", npmPackage("vuln-mcp", "1.0.0"), nil), "active", true),
		e(serverJSON("io.github.reborn-owner/reborn", "1.0.0", "", npmPackage("reborn-mcp", "1.0.0"), nil), "deprecated", true),
		e(serverJSON("io.github.acme/unclaimed", "1.0.0", "", npmPackage("acme-mcp-never-published", "1.0.0"), nil), "active", true),
		e(serverJSON("io.github.acme/fetch-image", "1.0", "", []any{map[string]any{"registryType": "oci", "identifier": "docker.io/mcp/fetch:1.0", "transport": map[string]any{"type": "stdio"}}}, nil), "active", true),
		e(serverJSON("com.example/plain-http", "1.0.0", "", nil, []any{map[string]any{"type": "streamable-http", "url": "http://mcp.example.com/mcp"}}), "active", true),
		e(serverJSON("io.github.acme/gone", "1.0.0", "", npmPackage("orphan-mcp", "1.0.0"), nil), "deleted", true),
	}
}

// wantByRule is what registryEntries must give: servers per rule.
var wantByRule = map[string]int{
	"repo-owner-claimable": 2, // orphan, moved (the renamed owner's old login is free)
	"repo-redirected":      1,
	"repo-missing":         1,
	"malicious-package":    1,
	"known-vulnerability":  1,
	"repo-resurrected":     1,
	"unclaimed-package":    1,
	"mutable-image":        1,
	"insecure-transport":   1,
}

type auditReport struct {
	Version int
	Results []struct {
		Name, Version, Repository string
		Findings                  []struct{ Rule, Severity, Message string }
	}
	Summary struct {
		Servers, Skipped, OlderVersions, Unverifiable int
		ByRule                                        map[string]int
	}
}

func runAudit(t *testing.T, env map[string]string, args ...string) auditReport {
	t.Helper()
	stdout, stderr, code := runIn(t, env, append([]string{"audit", "--format", "json"}, args...)...)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep auditReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("%v:\n%s", err, stdout)
	}
	return rep
}

func checkCounts(t *testing.T, what string, rep auditReport, servers int) {
	t.Helper()
	if rep.Summary.Servers != servers || len(rep.Results) != servers {
		t.Errorf("%s: %d servers audited, %d results, want %d", what, rep.Summary.Servers, len(rep.Results), servers)
	}
	if fmt.Sprint(rep.Summary.ByRule) != fmt.Sprint(wantByRule) {
		t.Errorf("%s: by rule %v,\nwant %v", what, rep.Summary.ByRule, wantByRule)
	}
}

// The registry API over several pages, then the same servers from dumps.
func TestAuditRegistry(t *testing.T) {
	w := fakereg.New(t)
	entries := registryEntries()
	w.ServeRegistry("/mcp-registry", entries, 5)
	env := w.URLs()
	env["MCPTETHER_CACHE_DIR"] = t.TempDir()
	env["GITHUB_TOKEN"] = "test-token"
	rep := runAudit(t, env, "--updated-since", "2025-01-01T00:00:00Z")
	checkCounts(t, "API", rep, 10)
	if rep.Version != 1 || rep.Summary.Skipped != 1 || rep.Summary.OlderVersions != 1 || w.UpdatedSince != "2025-01-01T00:00:00Z" {
		t.Errorf("version %d, skipped %d, older %d, updated_since %q", rep.Version, rep.Summary.Skipped, rep.Summary.OlderVersions, w.UpdatedSince)
	}
	if n := w.Count("GET /mcp-registry/v0/servers"); n != 3 {
		t.Errorf("%d pages fetched, want 3 (12 entries, 5 a page)", n)
	}
	for _, r := range rep.Results {
		if r.Name == "io.github.acme/server" && (r.Version != "1.2.0" || len(r.Findings) != 0) {
			t.Errorf("the healthy latest version: %+v", r)
		}
	}

	// A warm second run, as after an interruption, asks no package
	// registry and no GitHub.
	before := map[string]int{}
	for _, route := range []string{"GET /npm/orphan-mcp", "GET /npm/@acme%2fserver", "GET /npm/reborn-mcp"} {
		before[route] = w.Count(route)
	}
	gh := w.GitHubCalls()
	checkCounts(t, "warm", runAudit(t, env), 10)
	for route, n := range before {
		if w.Count(route) != n {
			t.Errorf("warm run asked %s again", route)
		}
	}
	if w.GitHubCalls() != gh {
		t.Errorf("warm run made %d GitHub requests", w.GitHubCalls()-gh)
	}

	// Dumps: saved API pages as JSON lines, and a plain array of the
	// server.json documents (which cannot say deleted or older: those two
	// are left out of it).
	dir := t.TempDir()
	var lines []string
	for i := 0; i < len(entries); i += 4 {
		page, _ := json.Marshal(map[string]any{"servers": entries[i:min(i+4, len(entries))], "metadata": map[string]any{}})
		lines = append(lines, string(page))
	}
	pages := filepath.Join(dir, "pages.jsonl")
	os.WriteFile(pages, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
	checkCounts(t, "pages dump", runAudit(t, env, "--from", pages), 10)
	var docs []any
	for _, e := range entries {
		meta := e["_meta"].(map[string]any)["io.modelcontextprotocol.registry/official"].(map[string]any)
		if meta["status"] != "deleted" && meta["isLatest"] == true {
			docs = append(docs, e["server"])
		}
	}
	array := filepath.Join(dir, "servers.json")
	data, _ := json.MarshalIndent(docs, "", " ")
	os.WriteFile(array, data, 0o644)
	checkCounts(t, "array dump", runAudit(t, env, "--from", array), 10)
}

// Shards 1/3, 2/3 and 3/3 cover every server once, and merging their
// reports gives the unsharded summary.
func TestAuditShardsAndMerge(t *testing.T) {
	w := fakereg.New(t)
	w.ServeRegistry("/mcp-registry", registryEntries(), 0)
	env := w.URLs()
	env["MCPTETHER_CACHE_DIR"] = t.TempDir()
	dir := t.TempDir()
	whole := runAudit(t, env)
	seen := map[string]int{}
	var files []string
	for i := 1; i <= 3; i++ {
		stdout, stderr, code := runIn(t, env, "audit", "--format", "json", "--shard", fmt.Sprintf("%d/3", i))
		if code != ExitOK {
			t.Fatalf("shard %d: exit %d: %s", i, code, stderr)
		}
		var rep auditReport
		json.Unmarshal([]byte(stdout), &rep)
		for _, r := range rep.Results {
			seen[r.Name]++
		}
		f := filepath.Join(dir, fmt.Sprintf("shard-%d.json", i))
		os.WriteFile(f, []byte(stdout), 0o644)
		files = append(files, f)
	}
	if len(seen) != 10 {
		t.Errorf("shards covered %d servers, want 10", len(seen))
	}
	for name, n := range seen {
		if n != 1 {
			t.Errorf("%s audited by %d shards", name, n)
		}
	}
	stdout, stderr, code := runIn(t, nil, append([]string{"audit", "merge"}, files...)...)
	if code != ExitOK {
		t.Fatalf("merge: exit %d: %s", code, stderr)
	}
	var merged auditReport
	if err := json.Unmarshal([]byte(stdout), &merged); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(merged.Summary) != fmt.Sprint(whole.Summary) || len(merged.Results) != len(whole.Results) {
		t.Errorf("merged summary %+v,\nunsharded %+v", merged.Summary, whole.Summary)
	}
	// Text and CSV render the same reports.
	text, _, _ := runIn(t, nil, append([]string{"audit", "merge", "--format", "text", "--top", "2"}, files...)...)
	for _, want := range []string{"repo-owner-claimable                  2    20.0%", "10 servers audited, 1 skipped (deleted), 1 older versions not audited",
		"repo-owner-claimable, most severe first:\n  io.github."} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	csv, _, _ := runIn(t, nil, append([]string{"audit", "merge", "--format", "csv"}, files...)...)
	if !strings.HasPrefix(csv, "name,version,repository,rule,severity,message\n") || !strings.Contains(csv, "io.github.evil/evil,1.0.0,,malicious-package,critical,") {
		t.Errorf("csv:\n%s", csv)
	}
}

// auditSummary is the summary with what audit says it left out.
type auditSummary struct {
	Servers, Blank, Unreadable, Repeated int
	Problems                             []string
	Stopped                              string
}

func auditJSON(t *testing.T, env map[string]string, args ...string) (auditSummary, string) {
	t.Helper()
	stdout, stderr, code := runIn(t, env, append([]string{"audit", "--format", "json"}, args...)...)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep struct{ Summary auditSummary }
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("%v:\n%s", err, stdout)
	}
	return rep.Summary, stderr
}

// endlessRegistry answers every page with a fresh cursor and the server
// name(n), and fails past 1000 pages so a regression cannot hang.
func endlessRegistry(t *testing.T, name func(n int) string) (*fakereg.World, map[string]string) {
	w := fakereg.New(t)
	w.On("GET /mcp-registry/v0/servers", func(rw http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("cursor"))
		if n > 1000 {
			fakereg.JSON(500, map[string]any{"detail": "the audit did not stop"})(rw, r)
			return
		}
		entry := fakereg.RegistryEntry(serverJSON(name(n), "1.0.0", "", nil, []any{map[string]any{"type": "streamable-http", "url": "https://mcp.example.com/mcp"}}), "active", true)
		fakereg.JSON(200, map[string]any{"servers": []any{entry}, "metadata": map[string]any{"nextCursor": strconv.Itoa(n + 1)}})(rw, r)
	})
	env := w.URLs()
	env["MCPTETHER_CACHE_DIR"] = t.TempDir()
	return w, env
}

// A registry whose cursor never ends is read up to --max-pages, and every
// output says the audit is incomplete; one that repeats its server stops
// at the second page.
func TestAuditEndlessRegistry(t *testing.T) {
	w, env := endlessRegistry(t, func(n int) string { return fmt.Sprintf("io.github.loop/s%d", n) })
	sum, stderr := auditJSON(t, env, "--max-pages", "30")
	if pages := w.Count("GET /mcp-registry/v0/servers"); pages != 30 || sum.Servers != 30 || !strings.Contains(sum.Stopped, "after 30 pages (--max-pages)") {
		t.Errorf("%d pages: %+v", pages, sum)
	}
	if !strings.Contains(stderr, "warning: the audit is incomplete: pagination stopped after 30 pages") {
		t.Errorf("stderr: %s", stderr)
	}
	text, _, code := runIn(t, env, "audit", "--max-pages", "30")
	if code != ExitOK || !strings.HasPrefix(text, "incomplete audit: pagination stopped after 30 pages") {
		t.Errorf("exit %d, text:\n%s", code, text)
	}
	for _, bad := range []string{"0", "-1"} {
		if _, stderr, code := runIn(t, env, "audit", "--max-pages", bad); code != ExitError || !strings.Contains(stderr, "--max-pages") {
			t.Errorf("--max-pages %s: exit %d: %s", bad, code, stderr)
		}
	}

	w, env = endlessRegistry(t, func(int) string { return "io.github.loop/same" })
	sum, stderr = auditJSON(t, env)
	if pages := w.Count("GET /mcp-registry/v0/servers"); pages != 2 || sum.Servers != 1 || sum.Repeated != 1 || !strings.Contains(stderr, "page 2: it added no new server") {
		t.Errorf("%d pages: %+v\n%s", pages, sum, stderr)
	}
}

const bigHead = `{"name": "io.github.big/big", "description": "`

// A dump's blank, malformed and oversized entries are skipped, counted
// and named on stderr with their place; the rest is audited.
func TestAuditSkipsBadEntries(t *testing.T) {
	good, _ := json.Marshal(serverJSON("io.github.acme/ok", "1.0.0", "", npmPackage("ok-mcp", "1.0.0"), nil))
	path := filepath.Join(t.TempDir(), "dump.json")
	f, _ := os.Create(path)
	f.WriteString("[\n" + string(good) + ",\n" + `{"id": "", "name": "", "version_detail": {"version": "", "is_latest": false}}` + ",\n" +
		`{"version": "1.0.0", "packages": []}` + ",\n" + bigHead)
	pad := strings.Repeat("x", 1<<20)
	for range 65 {
		f.WriteString(pad)
	}
	f.WriteString(`"}` + "\n]\n")
	f.Close()
	size := len(bigHead) + 65<<20 + 2
	sum, stderr := auditJSON(t, map[string]string{}, "--offline", "--from", path)
	if sum.Servers != 1 || sum.Blank != 1 || sum.Unreadable != 2 || len(sum.Problems) != 2 {
		t.Fatalf("%+v", sum)
	}
	for _, want := range []string{path + ":4: entry 3: an entry without a name", fmt.Sprintf("%s:5: entry 4: %d bytes, over the bound of 67108864 for one entry", path, size)} {
		if !strings.Contains(stderr, want) || !strings.Contains(strings.Join(sum.Problems, "\n"), want) {
			t.Errorf("neither stderr nor the summary says %q:\n%s", want, stderr)
		}
	}
	if !strings.Contains(stderr, "blank placeholder entries skipped: 1") {
		t.Errorf("stderr: %s", stderr)
	}
}

// audit merge refuses a forged shard: exit 2 naming the file and what is
// wrong, and nothing on stdout.
func TestAuditMergeRefusesForgedShards(t *testing.T) {
	dir := t.TempDir()
	honest := `{"version": 1, "results": [
  {"name": "io.github.evil/evil", "version": "1.0.0", "findings": [{"rule": "malicious-package", "severity": "critical", "message": "m"}]},
  {"name": "io.github.acme/ok", "version": "1.0.0", "findings": []}],
"summary": {"servers": 2, "skipped": 1, "olderVersions": 0, "unverifiable": 0, "byRule": {"malicious-package": 1}, "seconds": 1.5, "requests": 10}}`
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(content), 0o644)
		return p
	}
	ok := write("ok.json", honest)
	for name, c := range map[string]struct{ old, new, want string }{
		"negative.json":    {`"skipped": 1`, `"skipped": -40`, `"skipped" is -40`},
		"seconds.json":     {`"seconds": 1.5`, `"seconds": 1e308`, `"seconds" is 1e+308`},
		"hidden-rule.json": {`{"malicious-package": 1}`, `{"malicious-package": -5}`, `rule "malicious-package" has -5 servers, its results give 1`},
		"servers.json":     {`"servers": 2`, `"servers": 7`, `"servers" is 7, its results give 2`},
	} {
		forged := write(name, strings.Replace(honest, c.old, c.new, 1))
		stdout, stderr, code := runIn(t, nil, "audit", "merge", "--format", "text", "--top", "5", ok, forged)
		if code != ExitError || !strings.Contains(stderr, forged+": refused: ") || !strings.Contains(stderr, c.want) || stdout != "" {
			t.Errorf("%s: exit %d, stderr %q, stdout %q", name, code, stderr, stdout)
		}
	}
	// The same shard twice: its servers are counted once.
	stdout, stderr, code := runIn(t, nil, "audit", "merge", "--format", "text", "--top", "5", ok, ok)
	if code != ExitOK || !strings.Contains(stdout, "2 servers audited, 2 skipped (deleted)") || !strings.Contains(stdout, "2 repeated entries counted once") ||
		!strings.Contains(stdout, "malicious-package, most severe first:\n  io.github.evil/evil (critical)\n") {
		t.Errorf("exit %d: %s\n%s", code, stderr, stdout)
	}
}

// Every flag of audit is in the README: in the audit section's table, or
// for the lookup flags every command shares, in Online mode.
func TestAuditFlagsDocumented(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	section := func(title string) string {
		_, rest, _ := strings.Cut(string(readme), "\n## "+title+"\n")
		body, _, _ := strings.Cut(rest, "\n## ")
		return body
	}
	audit, online := section("Auditing a registry: `mcptether audit`"), section("Online mode")
	if !strings.Contains(audit, "| flag | meaning |") {
		t.Fatal("the README's audit section has no flag table")
	}
	_, help, _ := runIn(t, nil, "audit", "--help")
	flags := 0
	for _, line := range strings.Split(help, "\n") {
		name, ok := strings.CutPrefix(strings.TrimSpace(line), "-")
		if !ok || !strings.HasPrefix(line, "  -") {
			continue
		}
		name, _, _ = strings.Cut(name, " ")
		flags++
		if !strings.Contains(audit, "| `--"+name) && !strings.Contains(online, "`--"+name) {
			t.Errorf("--%s is in neither the audit flag table nor Online mode", name)
		}
	}
	if flags < 20 {
		t.Errorf("audit --help lists %d flags:\n%s", flags, help)
	}
	if !strings.Contains(help, "-max-pages N") || !strings.Contains(audit, "| `--max-pages N` | read at most N pages of the registry API (default 10000") {
		t.Errorf("--max-pages is not documented with its default:\n%s", help)
	}
}
