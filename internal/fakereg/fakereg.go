// Package fakereg serves fake npm, PyPI, OCI, Go proxy, NuGet, OSV and
// GitHub APIs on loopback, answering with the real APIs' shapes, status
// codes and headers. Tests only: nothing here reaches the internet.
package fakereg

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// World is a set of fake registries. GitHub runs on its own server so
// tests can check where the token goes.
type World struct {
	Reg, GH *httptest.Server
	// Latency is added to every answer.
	Latency time.Duration

	mu       sync.Mutex
	hits     map[string]int
	authSeen map[string]string // path → Authorization received by reg
	handlers map[string]http.HandlerFunc
}

// New starts a world with a small healthy catalog: the npm package
// @acme/server (1.0.0 to 1.2.0, provenance on 1.2.0) from
// github.com/acme/server, and an OSV that knows no advisory.
func New(t testing.TB) *World {
	w := &World{hits: map[string]int{}, authSeen: map[string]string{}, handlers: map[string]http.HandlerFunc{}}
	w.Reg = httptest.NewServer(http.HandlerFunc(w.serveRegistry))
	w.GH = httptest.NewServer(http.HandlerFunc(w.serveGitHub))
	t.Cleanup(func() { w.Reg.Close(); w.GH.Close() })
	w.defaults()
	return w
}

// On installs a handler for an exact method and escaped path ("GET /npm/x").
func (w *World) On(route string, h http.HandlerFunc) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.handlers[route] = h
}

// Count is how many requests a route received.
func (w *World) Count(route string) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.hits[route]
}

func (w *World) dispatch(rw http.ResponseWriter, r *http.Request, server string) {
	if w.Latency > 0 {
		time.Sleep(w.Latency)
	}
	route := r.Method + " " + r.URL.EscapedPath()
	w.mu.Lock()
	w.hits[route]++
	if server == "reg" {
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

func (w *World) serveRegistry(rw http.ResponseWriter, r *http.Request) { w.dispatch(rw, r, "reg") }
func (w *World) serveGitHub(rw http.ResponseWriter, r *http.Request)   { w.dispatch(rw, r, "gh") }

// JSON answers status with v as JSON.
func JSON(status int, v any) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Content-Type", "application/json")
		rw.WriteHeader(status)
		json.NewEncoder(rw).Encode(v)
	}
}

// Raw answers status with body and header pairs.
func Raw(status int, body string, headers ...string) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(headers); i += 2 {
			rw.Header().Set(headers[i], headers[i+1])
		}
		rw.WriteHeader(status)
		io.WriteString(rw, body)
	}
}

// NPMPackument builds a full packument as registry.npmjs.org serves it.
func NPMPackument(name string, repo any, versions map[string]map[string]any, times map[string]string, latest string) map[string]any {
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
func (w *World) defaults() {
	// npm: a scoped package with provenance on its latest version.
	w.On("GET /npm/@acme%2fserver", JSON(200, NPMPackument("@acme/server",
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
	w.On("GET /repos/acme/server", JSON(200, map[string]any{
		"id": 1, "name": "server", "full_name": "acme/server", "archived": false, "fork": false,
		"created_at": "2024-01-01T00:00:00Z", "pushed_at": "2025-06-01T00:00:00Z",
		"owner": map[string]any{"login": "acme", "type": "Organization"},
	}))
	w.On("GET /users/acme", JSON(200, map[string]any{"login": "acme", "type": "Organization"}))
	// OSV: nothing known.
	w.On("POST /osv/v1/querybatch", func(rw http.ResponseWriter, r *http.Request) {
		var q struct{ Queries []any }
		json.NewDecoder(r.Body).Decode(&q)
		res := make([]any, len(q.Queries))
		for i := range res {
			res[i] = map[string]any{}
		}
		JSON(200, map[string]any{"results": res})(rw, r)
	})
}

// FailFirst fails n times with status and headers, then serves h.
func FailFirst(n int, status int, headers []string, h http.HandlerFunc) http.HandlerFunc {
	var mu sync.Mutex
	calls := 0
	return func(rw http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls++
		c := calls
		mu.Unlock()
		if c <= n {
			Raw(status, `{"message":"try again"}`, headers...)(rw, r)
			return
		}
		h(rw, r)
	}
}

// AuthSeen is the Authorization header the registry server received on
// path ("" when none).
func (w *World) AuthSeen() map[string]string {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := map[string]string{}
	for k, v := range w.authSeen {
		out[k] = v
	}
	return out
}

// URLs are the endpoints to give mcptether, keyed by the environment
// variable that sets each.
func (w *World) URLs() map[string]string {
	return map[string]string{
		"MCPTETHER_NPM_REGISTRY":     w.Reg.URL + "/npm",
		"MCPTETHER_PYPI_URL":         w.Reg.URL + "/pypi-root",
		"GITHUB_API_URL":             w.GH.URL,
		"MCPTETHER_OSV_URL":          w.Reg.URL + "/osv",
		"GOPROXY":                    w.Reg.URL + "/goproxy,direct",
		"MCPTETHER_NUGET_URL":        w.Reg.URL + "/nuget",
		"MCPTETHER_REGISTRY_MIRRORS": "docker.io=" + w.Reg.URL + "/dockerhub,ghcr.io=" + w.Reg.URL + "/ghcr",
	}
}
