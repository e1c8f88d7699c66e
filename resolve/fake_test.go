package resolve

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// world is a set of fake registries answering as the real ones do. GitHub
// runs on its own server so tests can check where the token goes.
type world struct {
	reg, gh *httptest.Server
	latency time.Duration

	mu       sync.Mutex
	hits     map[string]int
	authSeen map[string]string // path → Authorization received by reg
	handlers map[string]http.HandlerFunc
}

func newWorld(t testing.TB) *world {
	w := &world{hits: map[string]int{}, authSeen: map[string]string{}, handlers: map[string]http.HandlerFunc{}}
	w.reg = httptest.NewServer(http.HandlerFunc(w.serveRegistry))
	w.gh = httptest.NewServer(http.HandlerFunc(w.serveGitHub))
	t.Cleanup(func() { w.reg.Close(); w.gh.Close() })
	w.defaults()
	return w
}

func (w *world) options() Options {
	return Options{
		Version:      "test",
		NPMRegistry:  w.reg.URL + "/npm",
		PyPIURL:      w.reg.URL + "/pypi-root",
		GitHubAPI:    w.gh.URL,
		GitHubToken:  "gh-secret-token",
		OSVURL:       w.reg.URL + "/osv",
		GoProxy:      w.reg.URL + "/goproxy,direct",
		NuGetURL:     w.reg.URL + "/nuget",
		Mirrors:      map[string]string{"docker.io": w.reg.URL + "/dockerhub", "ghcr.io": w.reg.URL + "/ghcr"},
		Concurrency:  16,
		MaxWait:      2 * time.Second,
		Timeout:      2 * time.Second,
		Retries:      2,
		RetryWaitMin: 10 * time.Millisecond,
		RetryWaitMax: 50 * time.Millisecond,
	}
}

// on installs a handler for an exact method+path ("GET /npm/x").
func (w *world) on(route string, h http.HandlerFunc) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.handlers[route] = h
}

func (w *world) count(route string) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.hits[route]
}

func (w *world) dispatch(rw http.ResponseWriter, r *http.Request, defaultHost string) {
	if w.latency > 0 {
		time.Sleep(w.latency)
	}
	route := r.Method + " " + r.URL.EscapedPath()
	w.mu.Lock()
	w.hits[route]++
	if defaultHost == "reg" {
		w.authSeen[r.URL.Path] = r.Header.Get("Authorization")
	}
	h := w.handlers[route]
	w.mu.Unlock()
	if h == nil {
		rw.Header().Set("Content-Type", "application/json")
		rw.WriteHeader(http.StatusNotFound)
		io.WriteString(rw, `{"error":"Not found"}`)
		return
	}
	h(rw, r)
}

func (w *world) serveRegistry(rw http.ResponseWriter, r *http.Request) { w.dispatch(rw, r, "reg") }
func (w *world) serveGitHub(rw http.ResponseWriter, r *http.Request)   { w.dispatch(rw, r, "gh") }

func jsonBody(status int, v any) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Content-Type", "application/json")
		rw.WriteHeader(status)
		json.NewEncoder(rw).Encode(v)
	}
}

func rawBody(status int, body string, headers ...string) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(headers); i += 2 {
			rw.Header().Set(headers[i], headers[i+1])
		}
		rw.WriteHeader(status)
		io.WriteString(rw, body)
	}
}

// npmPackument builds a full packument as registry.npmjs.org serves it.
func npmPackument(name string, repo any, versions map[string]map[string]any, times map[string]string, latest string) map[string]any {
	vs := map[string]any{}
	for v, extra := range versions {
		doc := map[string]any{
			"name": name, "version": v,
			"_npmUser":    map[string]any{"name": "alice", "email": "alice@example.com"},
			"maintainers": []any{map[string]any{"name": "alice", "email": "alice@example.com"}},
			"dist": map[string]any{
				"integrity": "sha512-AAAA", "shasum": "abc",
				"tarball": fmt.Sprintf("https://registry.npmjs.org/%s/-/x-%s.tgz", name, v),
			},
		}
		for k, val := range extra {
			doc[k] = val
		}
		vs[v] = doc
	}
	doc := map[string]any{
		"_id": name, "name": name, "dist-tags": map[string]any{"latest": latest},
		"versions": vs, "time": times, "maintainers": []any{map[string]any{"name": "alice"}},
	}
	if repo != nil {
		doc["repository"] = repo
	}
	return doc
}

// defaults installs a small healthy world.
func (w *world) defaults() {
	// npm: a scoped package with provenance on its latest version.
	w.on("GET /npm/@acme%2fserver", jsonBody(200, npmPackument("@acme/server",
		map[string]any{"type": "git", "url": "git+https://github.com/acme/server.git"},
		map[string]map[string]any{
			"1.0.0": {}, "1.1.0": {}, "2.0.0-beta.1": {},
			"1.2.0": {"dist": map[string]any{"integrity": "sha512-B", "attestations": map[string]any{
				"url": "https://registry.npmjs.org/-/npm/v1/attestations/@acme%2fserver@1.2.0", "provenance": map[string]any{"predicateType": "https://slsa.dev/provenance/v1"}}},
				"mcpName": "io.github.acme/server"},
		},
		map[string]string{"created": "2025-01-01T00:00:00.000Z", "1.0.0": "2025-01-01T00:00:00.000Z", "1.1.0": "2025-03-01T00:00:00.000Z",
			"1.2.0": "2025-06-01T00:00:00.000Z", "2.0.0-beta.1": "2025-07-01T00:00:00.000Z"},
		"1.2.0")))
	// GitHub: the repository and its owner.
	w.on("GET /repos/acme/server", jsonBody(200, map[string]any{
		"id": 1, "name": "server", "full_name": "acme/server", "archived": false, "fork": false,
		"created_at": "2024-01-01T00:00:00Z", "pushed_at": "2025-06-01T00:00:00Z",
		"owner": map[string]any{"login": "acme", "type": "Organization"},
	}))
	w.on("GET /users/acme", jsonBody(200, map[string]any{"login": "acme", "type": "Organization"}))
	// OSV: nothing known.
	w.on("POST /osv/v1/querybatch", func(rw http.ResponseWriter, r *http.Request) {
		var q struct{ Queries []any }
		json.NewDecoder(r.Body).Decode(&q)
		res := make([]any, len(q.Queries))
		for i := range res {
			res[i] = map[string]any{}
		}
		jsonBody(200, map[string]any{"results": res})(rw, r)
	})
}

// respondAfter fails n times with status, then serves h.
func respondAfter(n int, status int, headers []string, h http.HandlerFunc) http.HandlerFunc {
	var mu sync.Mutex
	calls := 0
	return func(rw http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls++
		c := calls
		mu.Unlock()
		if c <= n {
			rawBody(status, `{"message":"try again"}`, headers...)(rw, r)
			return
		}
		h(rw, r)
	}
}

func contains(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
