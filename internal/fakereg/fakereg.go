// Package fakereg serves fake npm, PyPI, OCI, Go proxy, NuGet, OSV and
// GitHub APIs on loopback, answering with the real APIs' shapes, status
// codes and headers. Tests only: nothing here reaches the internet.
package fakereg

import (
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
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
	// GraphQLRemaining is the rateLimit.remaining GraphQL reports.
	GraphQLRemaining int
	// UpdatedSince is the updated_since the registry API last received.
	UpdatedSince string

	mu       sync.Mutex
	hits     map[string]int
	authSeen map[string]string // path → Authorization received by reg
	handlers map[string]http.HandlerFunc

	graphQLCalls int
	ghCalls      int // every request GitHub received
}

// New starts a world with a small healthy catalog: the npm package
// @acme/server (1.0.0 to 1.2.0, provenance on 1.2.0) from
// github.com/acme/server, and an OSV that knows no advisory.
func New(t testing.TB) *World {
	w := &World{hits: map[string]int{}, authSeen: map[string]string{}, handlers: map[string]http.HandlerFunc{}, GraphQLRemaining: 4999}
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

// Handler is the handler installed for a route, to wrap it.
func (w *World) Handler(route string) http.HandlerFunc {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.handlers[route]
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
	if server == "gh" {
		w.ghCalls++
	}
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

// GitHubCalls is how many requests GitHub received, REST and GraphQL.
func (w *World) GitHubCalls() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.ghCalls
}

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

// defaults installs the catalog every test can rely on.
func (w *World) defaults() {
	now := time.Now().UTC()
	day := func(d int) string { return now.AddDate(0, 0, d).Format("2006-01-02T15:04:05.000Z") }
	attestURL := "https://registry.npmjs.org/-/npm/v1/attestations/"
	withAttestation := func(name, version string) map[string]any {
		return map[string]any{"integrity": "sha512-B", "attestations": map[string]any{
			"url": attestURL + npmEscape(name) + "@" + version, "provenance": map[string]any{"predicateType": "https://slsa.dev/provenance/v1"}}}
	}
	w.On("POST /graphql", w.GraphQL(""))
	w.On("POST /api/graphql", w.GraphQL("/api/v3")) // GitHub Enterprise Server's layout
	// @acme/server: healthy, official-looking, provenance on 1.2.0.
	w.On("GET /npm/@acme%2fserver", JSON(200, NPMPackument("@acme/server",
		map[string]any{"type": "git", "url": "git+https://github.com/acme/server.git"},
		map[string]map[string]any{
			"1.0.0": {}, "1.1.0": {}, "2.0.0-beta.1": {},
			"1.2.0": {"dist": withAttestation("@acme/server", "1.2.0"), "mcpName": "io.github.acme/server"},
		},
		map[string]string{"created": "2025-01-01T00:00:00.000Z", "1.0.0": "2025-01-01T00:00:00.000Z", "1.1.0": "2025-03-01T00:00:00.000Z",
			"1.2.0": "2025-06-01T00:00:00.000Z", "2.0.0-beta.1": "2025-07-01T00:00:00.000Z"},
		"1.2.0")))
	w.On("GET /npm/-/npm/v1/attestations/@acme%2fserver@1.2.0", JSON(200, Attestations("https://github.com/acme/server")))
	w.On("GET /repos/acme/server", JSON(200, map[string]any{
		"id": 1, "name": "server", "full_name": "acme/server", "archived": false, "fork": false,
		"created_at": "2024-01-01T00:00:00Z", "pushed_at": "2025-06-01T00:00:00Z",
		"owner": map[string]any{"login": "acme", "type": "Organization"},
	}))
	w.On("GET /users/acme", JSON(200, map[string]any{"login": "acme", "type": "Organization"}))

	simple := func(name string, repo any, extra map[string]any) {
		w.On("GET /npm/"+npmEscape(name), JSON(200, NPMPackument(name, repo, map[string]map[string]any{"1.0.0": extra},
			map[string]string{"1.0.0": "2025-01-01T00:00:00.000Z"}, "1.0.0")))
	}
	// orphan-mcp: its repository's owner account was deleted.
	simple("orphan-mcp", "github:deleted-user/orphan-mcp", nil)
	w.On("GET /repos/deleted-user/orphan-mcp", JSON(404, notFound))
	w.On("GET /users/deleted-user", JSON(404, notFound))
	// moved-mcp: its owner renamed the account; the old login is free.
	simple("moved-mcp", "github:old-name/moved-mcp", nil)
	w.On("GET /repos/old-name/moved-mcp", func(rw http.ResponseWriter, r *http.Request) {
		loc := w.GH.URL + "/repositories/77"
		rw.Header().Set("Location", loc)
		JSON(301, map[string]any{"message": "Moved Permanently", "url": loc, "documentation_url": "https://docs.github.com/rest/guides/best-practices-for-using-the-rest-api#follow-redirects"})(rw, r)
	})
	w.On("GET /repositories/77", JSON(200, map[string]any{"id": 77, "full_name": "new-name/moved-mcp", "owner": map[string]any{"login": "new-name", "type": "User"}}))
	w.On("GET /users/old-name", JSON(404, notFound))
	// reborn-mcp: first published in January 2025; the repository at the
	// path it names was created in May 2026 (re-created after a deletion).
	simple("reborn-mcp", "github:reborn-owner/reborn-mcp", nil)
	w.On("GET /repos/reborn-owner/reborn-mcp", JSON(200, map[string]any{"id": 4040, "full_name": "reborn-owner/reborn-mcp",
		"created_at": "2026-05-01T00:00:00Z", "pushed_at": "2026-05-02T00:00:00Z", "owner": map[string]any{"login": "reborn-owner", "type": "User"}}))
	// lost-mcp: the repository is gone, its owner is not.
	simple("lost-mcp", "github:acme/lost-mcp", nil)
	w.On("GET /repos/acme/lost-mcp", JSON(404, notFound))
	// old-mcp: deprecated.
	simple("old-mcp", "github:acme/server", map[string]any{"deprecated": "moved to @acme/server"})
	// scripty-mcp: runs a postinstall script.
	simple("scripty-mcp", "github:acme/server", map[string]any{"scripts": map[string]any{"postinstall": "node ./setup.js"}})
	// fresh-mcp: published yesterday.
	w.On("GET /npm/fresh-mcp", JSON(200, NPMPackument("fresh-mcp", "github:acme/server", map[string]map[string]any{"1.0.0": {}, "1.1.0": {}},
		map[string]string{"1.0.0": "2025-01-01T00:00:00.000Z", "1.1.0": day(-1)}, "1.1.0")))
	// evil-mcp: OSV knows it as malware.
	simple("evil-mcp", nil, nil)
	// handover-mcp: five releases by alice with provenance, then one by
	// mallory without.
	versions := map[string]map[string]any{}
	times := map[string]string{}
	for i := 0; i <= 5; i++ {
		v := fmt.Sprintf("1.%d.0", i)
		versions[v] = map[string]any{"dist": withAttestation("handover-mcp", v)}
		times[v] = fmt.Sprintf("2025-0%d-01T00:00:00.000Z", i+1)
	}
	versions["1.6.0"] = map[string]any{"_npmUser": map[string]any{"name": "mallory", "email": "m@example.com"}}
	times["1.6.0"] = "2025-08-01T00:00:00.000Z"
	w.On("GET /npm/handover-mcp", JSON(200, NPMPackument("handover-mcp", "github:acme/server", versions, times, "1.6.0")))
	for i := 0; i <= 5; i++ {
		w.On(fmt.Sprintf("GET /npm/-/npm/v1/attestations/handover-mcp@1.%d.0", i), JSON(200, Attestations("https://github.com/acme/server")))
	}
	// attested-elsewhere: declares acme/server, was built from evil/fork.
	simple("attested-elsewhere", "github:acme/server", map[string]any{"dist": withAttestation("attested-elsewhere", "1.0.0")})
	w.On("GET /npm/-/npm/v1/attestations/attested-elsewhere@1.0.0", JSON(200, Attestations("https://github.com/evil/fork")))
	// A lookalike of the official GitHub server, from someone else.
	w.On("GET /npm/@modelcontext-protocol%2fserver-github", JSON(200, NPMPackument("@modelcontext-protocol/server-github", "github:mallory/server-github",
		map[string]map[string]any{"2025.4.8": {"_npmUser": map[string]any{"name": "mallory"}}}, map[string]string{"2025.4.8": "2025-04-08T00:00:00.000Z"}, "2025.4.8")))
	w.On("GET /repos/mallory/server-github", JSON(200, map[string]any{"full_name": "mallory/server-github", "owner": map[string]any{"login": "mallory", "type": "User"}}))
	// The official filesystem server.
	w.On("GET /npm/@modelcontextprotocol%2fserver-filesystem", JSON(200, NPMPackument("@modelcontextprotocol/server-filesystem",
		map[string]any{"type": "git", "url": "git+https://github.com/modelcontextprotocol/servers.git"},
		map[string]map[string]any{"2025.8.21": {}}, map[string]string{"2025.8.21": "2025-08-21T00:00:00.000Z"}, "2025.8.21")))
	w.On("GET /repos/modelcontextprotocol/servers", JSON(200, map[string]any{"full_name": "modelcontextprotocol/servers", "owner": map[string]any{"login": "modelcontextprotocol", "type": "Organization"}}))
	// PyPI: the official fetch server.
	w.On("GET /pypi-root/pypi/mcp-server-fetch/json", JSON(200, map[string]any{
		"info":     map[string]any{"name": "mcp-server-fetch", "version": "2025.4.7", "project_urls": map[string]any{"Source": "https://github.com/modelcontextprotocol/servers"}},
		"releases": map[string]any{"2025.4.7": []any{map[string]any{"upload_time_iso_8601": "2025-04-07T00:00:00.000000Z", "yanked": false}}},
	}))
	w.On("GET /pypi-root/pypi/mcp-server-fetch/2025.4.7/json", JSON(200, map[string]any{
		"info": map[string]any{"name": "mcp-server-fetch", "version": "2025.4.7", "description": "mcp-name: io.github.modelcontextprotocol/fetch",
			"project_urls": map[string]any{"Source": "https://github.com/modelcontextprotocol/servers"}},
		"urls": []any{map[string]any{"upload_time_iso_8601": "2025-04-07T00:00:00.000000Z", "yanked": false}},
	}))
	// Docker Hub (through the mirror URL): the official mcp/fetch image,
	// after the anonymous token dance.
	fetchManifest := func(rw http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer anon-pull" {
			rw.Header().Set("Www-Authenticate", `Bearer realm="`+w.Reg.URL+`/token",service="registry.docker.io",scope="repository:mcp/fetch:pull"`)
			JSON(401, map[string]any{"errors": []any{map[string]any{"code": "UNAUTHORIZED"}}})(rw, r)
			return
		}
		rw.Header().Set("Docker-Content-Digest", "sha256:"+strings.Repeat("f", 64))
		JSON(200, map[string]any{"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json", "config": map[string]any{"digest": "sha256:fetchcfg"}})(rw, r)
	}
	w.On("GET /dockerhub/v2/mcp/fetch/manifests/1.0", fetchManifest)
	w.On("GET /dockerhub/v2/mcp/fetch/manifests/sha256:"+strings.Repeat("f", 64), fetchManifest)
	w.On("GET /dockerhub/v2/mcp/fetch/blobs/sha256:fetchcfg", JSON(200, map[string]any{"config": map[string]any{"Labels": map[string]any{
		"org.opencontainers.image.source": "https://github.com/modelcontextprotocol/servers"}}}))
	w.On("GET /token", JSON(200, map[string]any{"token": "anon-pull"}))
	// For pinning: commits, a deprecated latest, a malicious latest, a Go
	// module and a NuGet package.
	for ref, sha := range map[string]string{"main": SHA("main"), "HEAD": SHA("HEAD"), "v1.0.0": SHA("v1.0.0")} {
		w.On("GET /repos/acme/server/commits/"+ref, Raw(200, sha))
	}
	twoVersions := func(name string, latest map[string]any) {
		w.On("GET /npm/"+name, JSON(200, NPMPackument(name, "github:acme/server",
			map[string]map[string]any{"1.0.0": {}, "1.1.0": latest},
			map[string]string{"1.0.0": "2025-01-01T00:00:00.000Z", "1.1.0": "2025-02-01T00:00:00.000Z"}, "1.1.0")))
	}
	twoVersions("deplatest-mcp", map[string]any{"deprecated": "broken build, use 1.0.0"})
	twoVersions("mal-latest-mcp", nil)
	w.On("GET /goproxy/github.com/acme/tool/@latest", JSON(200, map[string]any{"Version": "v1.4.0", "Time": "2025-05-05T00:00:00Z"}))
	w.On("GET /goproxy/github.com/acme/tool/@v/list", Raw(200, "v1.3.0\nv1.4.0\nv1.5.0-rc.1\n"))
	w.On("GET /goproxy/github.com/acme/tool/@v/v1.4.0.info", JSON(200, map[string]any{"Version": "v1.4.0", "Time": "2025-05-05T00:00:00Z"}))
	w.On("GET /goproxy/github.com/acme/tool/@v/v1.3.0.info", JSON(200, map[string]any{"Version": "v1.3.0", "Time": "2025-03-03T00:00:00Z"}))
	w.On("GET /nuget/acme.mcp/index.json", JSON(200, map[string]any{"versions": []any{"1.0.0", "1.1.0", "2.0.0-preview.1"}}))
	// vuln-mcp: 1.0.0 has a critical advisory fixed in 1.0.1.
	twoVersions("vuln-mcp", nil)
	// OSV: evil-mcp is malware; vuln-mcp 1.0.0 is vulnerable; nothing else
	// is known.
	w.On("POST /osv/v1/querybatch", func(rw http.ResponseWriter, r *http.Request) {
		var q struct {
			Queries []struct {
				Package struct{ Name string } `json:"package"`
				Version string                `json:"version"`
			} `json:"queries"`
		}
		json.NewDecoder(r.Body).Decode(&q)
		res := make([]any, len(q.Queries))
		for i, qq := range q.Queries {
			res[i] = map[string]any{}
			switch {
			case qq.Package.Name == "evil-mcp":
				res[i] = map[string]any{"vulns": []any{map[string]any{"id": "MAL-2026-0001", "modified": "2026-01-01T00:00:00Z"}}}
			case qq.Package.Name == "vuln-mcp" && qq.Version == "1.0.0":
				res[i] = map[string]any{"vulns": []any{map[string]any{"id": "GHSA-vu1n-mcp0-0001", "modified": "2026-01-01T00:00:00Z"}}}
			case qq.Package.Name == "mal-latest-mcp" && qq.Version == "1.1.0":
				res[i] = map[string]any{"vulns": []any{map[string]any{"id": "MAL-2026-0002", "modified": "2026-01-01T00:00:00Z"}}}
			}
		}
		JSON(200, map[string]any{"results": res})(rw, r)
	})
	w.On("GET /osv/v1/vulns/GHSA-vu1n-mcp0-0001", JSON(200, map[string]any{"id": "GHSA-vu1n-mcp0-0001", "modified": "2026-01-01T00:00:00Z",
		"summary": "Command injection in vuln-mcp's shell tool", "aliases": []any{"CVE-2026-11111"},
		"severity": []any{map[string]any{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}},
		"affected": []any{map[string]any{"package": map[string]any{"ecosystem": "npm", "name": "vuln-mcp"},
			"ranges": []any{map[string]any{"type": "SEMVER", "events": []any{map[string]any{"introduced": "0"}, map[string]any{"fixed": "1.0.1"}}}}}}}))
	w.On("GET /osv/v1/vulns/MAL-2026-0001", JSON(200, map[string]any{"id": "MAL-2026-0001", "summary": "Malicious code in evil-mcp (npm)", "modified": "2026-01-01T00:00:00Z"}))
}

// SHA is the commit the fake GitHub gives for a ref.
func SHA(ref string) string {
	sum := sha1.Sum([]byte(ref))
	return hex.EncodeToString(sum[:])
}

var notFound = map[string]any{"message": "Not Found", "documentation_url": "https://docs.github.com/rest", "status": "404"}

// npmEscape writes "@scope/name" as npm does in URLs: "@scope%2fname".
func npmEscape(name string) string { return strings.Replace(name, "/", "%2f", 1) }

// Attestations is npm's attestations document for a version built from
// repo: a SLSA provenance statement in a DSSE envelope.
func Attestations(repo string) map[string]any {
	stmt, _ := json.Marshal(map[string]any{
		"_type": "https://in-toto.io/Statement/v1", "predicateType": "https://slsa.dev/provenance/v1",
		"predicate": map[string]any{"buildDefinition": map[string]any{
			"buildType":          "https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1",
			"externalParameters": map[string]any{"workflow": map[string]any{"ref": "refs/heads/main", "repository": repo, "path": ".github/workflows/publish.yml"}},
		}},
	})
	return map[string]any{"attestations": []any{
		map[string]any{"predicateType": "https://github.com/npm/attestation/tree/main/specs/publish/v0.1", "bundle": map[string]any{}},
		map[string]any{"predicateType": "https://slsa.dev/provenance/v1", "bundle": map[string]any{
			"mediaType":    "application/vnd.dev.sigstore.bundle+json;version=0.2",
			"dsseEnvelope": map[string]any{"payload": base64.StdEncoding.EncodeToString(stmt), "payloadType": "application/vnd.in-toto+json"},
		}},
	}}
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
		"MCPTETHER_REGISTRY_URL":     w.Reg.URL + "/mcp-registry",
	}
}

// ClosedAddr is a 127.0.0.1 address nothing listens on: connections to it
// are refused.
func ClosedAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}
