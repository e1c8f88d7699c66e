package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mcptether/mcptether/internal/fakereg"
)

func TestOnlineScan(t *testing.T) {
	w := fakereg.New(t)
	reset := strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10)
	// GitHub's limit covers the whole API, as the real one does.
	limited := func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("X-RateLimit-Remaining", "0")
		rw.Header().Set("X-RateLimit-Reset", reset)
		fakereg.JSON(403, map[string]any{"message": "API rate limit exceeded"})(rw, r)
	}
	for _, route := range []string{"GET /repos/busy/tool", "GET /repos/acme/server", "GET /users/acme", "GET /users/busy"} {
		w.On(route, limited)
	}
	// A package that declares no repository needs no GitHub lookup.
	w.On("GET /npm/standalone", fakereg.JSON(200, fakereg.NPMPackument("standalone", nil,
		map[string]map[string]any{"1.0.0": {}}, map[string]string{"1.0.0": "2025-01-01T00:00:00.000Z"}, "1.0.0")))
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, ".mcp.json"), []byte(`{"mcpServers":{
		"good": {"command": "npx", "args": ["-y", "standalone@1.0.0"]},
		"std": {"command": "deno", "args": ["run", "jsr:@std/http@1.0.0"]},
		"busy": {"command": "npx", "args": ["github:busy/tool#`+strings.Repeat("b", 40)+`"]}}}`), 0o644)
	summary := filepath.Join(t.TempDir(), "summary.md")
	env := w.URLs()
	env["GITHUB_TOKEN"] = "test-token"
	env["MCPTETHER_CACHE_DIR"] = t.TempDir()
	env["GITHUB_STEP_SUMMARY"] = summary
	scan := func(args ...string) (string, string, int) {
		var out, errb bytes.Buffer
		code := Run(append(append([]string{"scan"}, args...), dir), Env{Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }})
		return out.String(), errb.String(), code
	}
	stdout, stderr, code := scan("--max-wait", "1s", "--format", "github")
	if code != ExitOK || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	for _, want := range []string{
		`::notice col=3,endColumn=8,file=` + filepath.ToSlash(dir) + `/.mcp.json,line=3,title=unverifiable (note)::server "std" could not be fully checked: the jsr ecosystem is not supported`,
		`server "busy" could not be fully checked: repository github.com/busy/tool: rate limited by`,
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, `server \"good\"`) || strings.Contains(stdout, "offline") {
		t.Errorf("unexpected output:\n%s", stdout)
	}
	sum, _ := os.ReadFile(summary)
	if !bytes.Contains(sum, []byte("2 servers could not be fully checked: a registry or GitHub rate-limited the scan")) {
		t.Errorf("summary:\n%s", sum)
	}
	for path, auth := range w.AuthSeen() {
		if auth != "" {
			t.Errorf("registry path %s received %q", path, auth)
		}
	}
	// --strict makes an incomplete scan fail at the default --fail-on.
	if _, _, code := scan("--strict", "--max-wait", "1s"); code != ExitFindings {
		t.Errorf("--strict exit %d", code)
	}
	// The second and third runs came from the cache: the packument was
	// fetched once in all.
	if n := w.Count("GET /npm/standalone"); n != 1 {
		t.Errorf("packument fetched %d times across runs", n)
	}
	if _, _, code := scan("--offline"); code != ExitOK || w.Count("GET /npm/standalone") != 1 {
		t.Error("--offline made requests")
	}
	if _, stderr, code := scan("--concurrency", "0"); code != ExitError || !strings.Contains(stderr, "--concurrency") {
		t.Errorf("bad concurrency: %d %q", code, stderr)
	}
}

func TestNumericVersion(t *testing.T) {
	for in, want := range map[string]string{
		"": "0.0.0-dev", "v1.2.3": "1.2.3", "v1": "1", "1.4.0": "1.4.0", "main": "0.0.0-main",
		"v0.0.0-20261202041815-7ad11f8a9b0c":       "0.0.0-20261202041815-7ad11f8a9b0c",
		"7ad11f8a9b0c1d2e3f405162738495a6b7c8d9e0": "0.0.0-7ad11f8a9b0c1d2e3f405162738495a6b7c8d9e0",
	} {
		if got := numericVersion(in); got != want {
			t.Errorf("numericVersion(%q) = %q, want %q", in, got, want)
		}
	}
}

// With every endpoint refusing connections, each server is "could not be
// checked" with a short reason, and the host is named once in the notices.
func TestUnreachableEndpoints(t *testing.T) {
	base := "http://" + fakereg.ClosedAddr(t)
	env := map[string]string{
		"MCPTETHER_NPM_REGISTRY": base + "/npm", "MCPTETHER_PYPI_URL": base + "/pypi", "GITHUB_API_URL": base,
		"MCPTETHER_OSV_URL": base + "/osv", "GOPROXY": base + "/goproxy", "MCPTETHER_NUGET_URL": base + "/nuget",
		"MCPTETHER_REGISTRY_MIRRORS": "docker.io=" + base + "/dockerhub", "MCPTETHER_CACHE_DIR": t.TempDir(),
	}
	work := t.TempDir()
	writeFiles(t, work, map[string]string{".mcp.json": `{"mcpServers": {
  "a": {"command": "npx", "args": ["-y", "pkg-a@1.0.0"]},
  "b": {"command": "npx", "args": ["-y", "pkg-b@1.0.0"]},
  "c": {"command": "uvx", "args": ["tool-c==1.0.0"]}
}}`})
	t.Chdir(work)
	stdout, stderr, code := runIn(t, env, "scan", "--format", "json", ".")
	if code == ExitError {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep struct {
		Notices  []string
		Findings []struct{ Rule, Message string }
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range rep.Findings {
		if f.Rule != "unverifiable" {
			continue
		}
		n++
		if !strings.Contains(f.Message, "could not be reached (connection refused)") || strings.Contains(f.Message, "giving up") {
			t.Errorf("message: %q", f.Message)
		}
	}
	if n != 3 {
		t.Errorf("%d unverifiable findings, want 3: %+v", n, rep.Findings)
	}
	host := strings.TrimPrefix(base, "http://")
	if len(rep.Notices) != 1 || !strings.HasPrefix(rep.Notices[0], host+" could not be reached (connection refused): ") {
		t.Errorf("notices = %q", rep.Notices)
	}
}

// The same 30 servers scanned with a token (GraphQL) and without (REST)
// give the same findings; with the token, GitHub gets at most 2 requests.
func TestTokenAndNoTokenAgree(t *testing.T) {
	servers := map[string]string{}
	for i, pkg := range []string{"@acme/server", "orphan-mcp", "moved-mcp", "lost-mcp", "old-mcp", "scripty-mcp", "fresh-mcp",
		"evil-mcp", "handover-mcp", "attested-elsewhere", "@modelcontext-protocol/server-github",
		"@modelcontextprotocol/server-filesystem", "vuln-mcp@1.0.0", "github:acme/server", "github:deleted-user/orphan-mcp#main"} {
		servers[fmt.Sprintf("s%02d", i)] = `{"command": "npx", "args": ["-y", "` + pkg + `"]}`
	}
	servers["fetch"] = `{"command": "uvx", "args": ["mcp-server-fetch"]}`
	servers["image"] = `{"command": "docker", "args": ["run", "-i", "mcp/fetch:1.0"]}`
	extra := func(w *fakereg.World) {
		for i := range 13 {
			name, owner := fmt.Sprintf("gen-%02d", i), fmt.Sprintf("gen-owner-%02d", i)
			w.On("GET /npm/"+name, fakereg.JSON(200, fakereg.NPMPackument(name, "github:"+owner+"/"+name,
				map[string]map[string]any{"1.0.0": {}}, map[string]string{"1.0.0": "2025-01-01T00:00:00.000Z"}, "1.0.0")))
			switch i % 3 {
			case 0: // fine
				w.On("GET /repos/"+owner+"/"+name, fakereg.JSON(200, map[string]any{"id": 500 + i, "full_name": owner + "/" + name, "archived": i == 3,
					"created_at": "2024-01-01T00:00:00Z", "owner": map[string]any{"login": owner, "type": "User"}}))
			case 1: // the owner is gone
			case 2: // the repository is gone, the owner is not
				w.On("GET /users/"+owner, fakereg.JSON(200, map[string]any{"login": owner, "type": "User"}))
			}
		}
	}
	for i := range 13 {
		servers[fmt.Sprintf("gen%02d", i)] = fmt.Sprintf(`{"command": "npx", "args": ["-y", "gen-%02d"]}`, i)
	}
	var parts []string
	for name, s := range servers {
		parts = append(parts, fmt.Sprintf("%q: %s", name, s))
	}
	sort.Strings(parts)
	work := t.TempDir()
	writeFiles(t, work, map[string]string{".mcp.json": `{"mcpServers": {` + strings.Join(parts, ",\n") + `}}`})
	t.Chdir(work)

	run := func(token string) ([]any, *fakereg.World) {
		w := fakereg.New(t)
		extra(w)
		env := w.URLs()
		env["MCPTETHER_CACHE_DIR"] = t.TempDir()
		env["GITHUB_TOKEN"] = token
		stdout, stderr, code := runIn(t, env, "scan", "--format", "json", ".")
		if code == ExitError {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		var rep struct{ Findings []any }
		if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
			t.Fatal(err)
		}
		return rep.Findings, w
	}
	withToken, w := run("test-token")
	without, _ := run("")
	if len(servers) != 30 {
		t.Fatalf("%d servers", len(servers))
	}
	t.Logf("with a token: %d GitHub requests, %d findings", w.GitHubCalls(), len(withToken))
	if n := w.GitHubCalls(); n > 2 {
		t.Errorf("with a token, GitHub got %d requests; want at most 2", n)
	}
	a, _ := json.MarshalIndent(withToken, "", " ")
	b, _ := json.MarshalIndent(without, "", " ")
	if string(a) != string(b) {
		t.Errorf("findings differ:\nwith a token:\n%s\nwithout:\n%s", a, b)
	}
	for _, rule := range []string{"repo-owner-claimable", "repo-redirected", "repo-missing", "known-vulnerability", "malicious-package"} {
		if !strings.Contains(string(a), `"`+rule+`"`) {
			t.Errorf("no %s finding: the scenario should exercise it", rule)
		}
	}
}
