package cli

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/mcptether/mcptether/internal/fakereg"
)

// --submit-dependencies posts one manifest per config file to GitHub's
// dependency submission API, as the API documents the body, with the
// token on the API origin only.
func TestSubmitDependencies(t *testing.T) {
	w := fakereg.New(t)
	var mu sync.Mutex
	var body []byte
	var auth string
	w.On("POST /repos/acme/app/dependency-graph/snapshots", func(rw http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		body, _ = io.ReadAll(r.Body)
		auth = r.Header.Get("Authorization")
		fakereg.JSON(201, map[string]any{"id": 21, "created_at": "2026-12-02T10:00:00Z", "result": "SUCCESS",
			"message": "Dependency results for the repo have been successfully updated."})(rw, r)
	})
	work := t.TempDir()
	writeFiles(t, work, map[string]string{
		".mcp.json": `{"mcpServers": {
  "acme": {"command": "npx", "args": ["-y", "@acme/server"]},
  "vuln": {"command": "npx", "args": ["-y", "vuln-mcp@1.0.0"]},
  "image": {"command": "docker", "args": ["run", "-i", "mcp/fetch:1.0"]},
  "remote": {"type": "http", "url": "https://mcp.example.com/mcp"}
}}`,
		".cursor/mcp.json": `{"mcpServers": {"fetch": {"command": "uvx", "args": ["mcp-server-fetch==2025.4.7"]}}}`,
	})
	t.Chdir(work)
	sha := strings.Repeat("a", 40)
	env := w.URLs()
	for k, v := range map[string]string{
		"MCPTETHER_CACHE_DIR": t.TempDir(), "GITHUB_TOKEN": "test-token", "GITHUB_REPOSITORY": "acme/app", "GITHUB_SHA": sha,
		"GITHUB_REF": "refs/heads/main", "GITHUB_RUN_ID": "4242", "GITHUB_WORKFLOW": "mcp", "GITHUB_JOB": "scan",
		"GITHUB_SERVER_URL": "https://github.com", "GITHUB_WORKSPACE": work,
	} {
		env[k] = v
	}
	_, stderr, code := runIn(t, env, "scan", "--submit-dependencies", "--fail-on", "never", ".")
	if code != ExitOK || !strings.Contains(stderr, "dependency snapshot submitted: SUCCESS") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if auth != "Bearer test-token" {
		t.Errorf("Authorization %q", auth)
	}
	var snap struct {
		Version int
		Job     struct {
			Correlator, ID string
			HTMLURL        string `json:"html_url"`
		}
		SHA       string
		Ref       string
		Detector  struct{ Name, Version, URL string }
		Scanned   string
		Manifests map[string]struct {
			Name string
			File struct {
				SourceLocation string `json:"source_location"`
			}
			Resolved map[string]struct {
				PackageURL   string `json:"package_url"`
				Relationship string
				Scope        string
			}
		}
	}
	if err := json.Unmarshal(body, &snap); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	if snap.Job.Correlator != "mcptether mcp scan" || snap.Job.ID != "4242" || snap.Job.HTMLURL != "https://github.com/acme/app/actions/runs/4242" ||
		snap.SHA != sha || snap.Ref != "refs/heads/main" || snap.Detector.Name != "mcptether" || snap.Detector.URL != "https://github.com/mcptether/mcptether" ||
		!strings.HasPrefix(snap.Scanned, "20") || !strings.HasSuffix(snap.Scanned, "Z") {
		t.Errorf("snapshot header: %s", body)
	}
	got := map[string]string{}
	for path, m := range snap.Manifests {
		if m.Name != path || m.File.SourceLocation != path {
			t.Errorf("manifest %s: %+v", path, m)
		}
		for key, r := range m.Resolved {
			if r.Relationship != "direct" || r.Scope != "runtime" {
				t.Errorf("%s: %+v", key, r)
			}
			got[path+" "+key] = r.PackageURL
		}
	}
	want := map[string]string{
		".mcp.json pkg:npm/%40acme/server":                                       "pkg:npm/%40acme/server@1.2.0", // unpinned: as resolved today
		".mcp.json pkg:npm/vuln-mcp":                                             "pkg:npm/vuln-mcp@1.0.0",
		".mcp.json pkg:oci/fetch?repository_url=docker.io%2Fmcp%2Ffetch&tag=1.0": "pkg:oci/fetch@sha256%3A" + strings.Repeat("f", 64) + "?repository_url=docker.io%2Fmcp%2Ffetch&tag=1.0", // the digest the tag points at today
		".cursor/mcp.json pkg:pypi/mcp-server-fetch":                             "pkg:pypi/mcp-server-fetch@2025.4.7",
	}
	if len(got) != len(want) {
		t.Errorf("resolved: %v", got)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q", k, got[k], v)
		}
	}

	// GitHub refuses (a token without contents: write): exit 2, and why.
	w.On("POST /repos/acme/app/dependency-graph/snapshots", fakereg.JSON(403, map[string]any{"message": "Resource not accessible by integration",
		"documentation_url": "https://docs.github.com/rest/dependency-graph/dependency-submission#create-a-snapshot-of-dependencies-for-a-repository", "status": "403"}))
	env["MCPTETHER_CACHE_DIR"] = t.TempDir()
	if _, stderr, code := runIn(t, env, "scan", "--submit-dependencies", "--fail-on", "never", "."); code != ExitError || !strings.Contains(stderr, "403 Forbidden: Resource not accessible by integration") {
		t.Errorf("refused: exit %d: %s", code, stderr)
	}
	// Offline: refused before anything is sent.
	if _, stderr, code := runIn(t, env, "scan", "--offline", "--submit-dependencies", "."); code != ExitError || !strings.Contains(stderr, "needs the network") {
		t.Errorf("offline: exit %d: %s", code, stderr)
	}
}
