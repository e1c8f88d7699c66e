package resolve

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mcptether/mcptether/config"
	"github.com/mcptether/mcptether/facts"
	"github.com/mcptether/mcptether/launch"
)

// servers decodes command lines ("npx -y pkg") as configured servers.
func servers(t testing.TB, lines ...string) []*launch.Server {
	t.Helper()
	var entries []string
	for i, l := range lines {
		entries = append(entries, fmt.Sprintf(`"s%d": {"command": %q}`, i, l))
	}
	f := config.Parse(".mcp.json", []byte(`{"mcpServers": {`+strings.Join(entries, ",")+`}}`))
	if f == nil || f.Err != nil {
		t.Fatalf("bad test config: %+v", f)
	}
	return launch.DecodeAll([]*config.File{f})
}

func pkg(t *testing.T, fs *facts.Facts, s *launch.Server) *facts.Package {
	t.Helper()
	p := fs.Packages[facts.Key(s.Refs[0])]
	if p == nil {
		t.Fatalf("no facts for %+v", s.Refs[0])
	}
	return p
}

func TestNPM(t *testing.T) {
	w := newWorld(t)
	w.On("GET /npm/plain-repo", jsonBody(200, npmPackument("plain-repo", "github:o/plain", map[string]map[string]any{"0.1.0": {
		"scripts":    map[string]any{"postinstall": "node install.js", "test": "jest"},
		"deprecated": "moved to @o/plain",
	}}, map[string]string{"0.1.0": "2025-02-02T00:00:00.000Z"}, "0.1.0")))
	w.On("GET /npm/short-repo", jsonBody(200, npmPackument("short-repo", "o/short", map[string]map[string]any{"1.0.0": {}}, map[string]string{"1.0.0": "2025-02-02T00:00:00.000Z"}, "1.0.0")))
	w.On("GET /npm/url-repo", jsonBody(200, npmPackument("url-repo", "https://github.com/o/url-repo", map[string]map[string]any{"1.0.0": {}}, map[string]string{"1.0.0": "2025-02-02T00:00:00.000Z"}, "1.0.0")))
	w.On("GET /npm/no-repo", jsonBody(200, npmPackument("no-repo", nil, map[string]map[string]any{"1.0.0": {}}, map[string]string{"1.0.0": "2025-02-02T00:00:00.000Z"}, "1.0.0")))
	// A mirror that strips _npmUser and maintainers.
	stripped := npmPackument("stripped", nil, map[string]map[string]any{"1.0.0": {}}, map[string]string{"1.0.0": "2025-02-02T00:00:00.000Z"}, "1.0.0")
	for _, v := range stripped["versions"].(map[string]any) {
		delete(v.(map[string]any), "_npmUser")
		delete(v.(map[string]any), "maintainers")
	}
	w.On("GET /npm/stripped", jsonBody(200, stripped))

	ss := servers(t, "npx -y @acme/server", "npx @acme/server@^1.0.0", "npx @acme/server@1.1.0", "npx -y plain-repo",
		"npx short-repo", "npx url-repo", "npx no-repo", "npx never-published", "npx stripped", "npx @acme/server@^9")
	r := New(options(w))
	fs := r.Resolve(context.Background(), ss)

	p := pkg(t, fs, ss[0])
	if p.Exists != facts.Yes || p.Version != "1.2.0" || p.Publisher != "alice" || p.Provenance != facts.Yes ||
		p.Repository != "github.com/acme/server" || p.RepositoryFrom != "npm repository field" || p.MCPName != "io.github.acme/server" ||
		p.Published.Format(time.DateOnly) != "2025-06-01" || len(p.Unknowns) != 0 {
		t.Errorf("latest: %+v", p)
	}
	if p.Integrity != "sha512-B" || len(p.Maintainers) != 1 || p.Maintainers[0] != "alice" {
		t.Errorf("integrity and maintainers: %+v", p)
	}
	if len(p.History) != 2 || p.History[0].Version != "1.1.0" || p.History[0].Provenance != facts.No {
		t.Errorf("history: %+v", p.History)
	}
	if p := pkg(t, fs, ss[1]); p.Version != "1.2.0" {
		t.Errorf("range ^1.0.0 resolved to %s, want 1.2.0 (not the beta)", p.Version)
	}
	if p := pkg(t, fs, ss[2]); p.Version != "1.1.0" || p.Provenance != facts.No {
		t.Errorf("exact: %+v", p)
	}
	if p := pkg(t, fs, ss[3]); p.Repository != "github.com/o/plain" || p.Deprecated != "moved to @o/plain" || strings.Join(p.Scripts, ",") != "postinstall" {
		t.Errorf("github: form, deprecated, scripts: %+v", p)
	}
	if p := pkg(t, fs, ss[4]); p.Repository != "github.com/o/short" {
		t.Errorf("o/r form: %+v", p)
	}
	if p := pkg(t, fs, ss[5]); p.Repository != "github.com/o/url-repo" {
		t.Errorf("URL string form: %+v", p)
	}
	if p := pkg(t, fs, ss[6]); p.Repository != "" || p.Exists != facts.Yes {
		t.Errorf("no repository: %+v", p)
	}
	if p := pkg(t, fs, ss[7]); p.Exists != facts.No || len(p.Unknowns) != 0 {
		t.Errorf("404: %+v", p)
	}
	if p := pkg(t, fs, ss[8]); p.Publisher != "" || p.Provenance != facts.Unknown {
		t.Errorf("a stripped field is unknown, not false: %+v", p)
	}
	if p := pkg(t, fs, ss[9]); !contains(p.Unknowns, `no published version matches "^9"`) {
		t.Errorf("unmatched range: %+v", p)
	}
	if w.Count("GET /npm/@acme%2fserver") != 1 {
		t.Errorf("scoped packument fetched %d times, want 1 for three references", w.Count("GET /npm/@acme%2fserver"))
	}
	if repo := fs.Repos["github.com/acme/server"]; repo == nil || repo.Status != facts.RepoOK || repo.OwnerType != "Organization" {
		t.Errorf("repo: %+v", repo)
	}
	for path, auth := range w.AuthSeen() {
		if auth != "" {
			t.Errorf("the registry at %s received credentials %q", path, auth)
		}
	}
}

func TestGitHubRenamesAndFreeOwners(t *testing.T) {
	githubModes(t, testGitHubRenamesAndFreeOwners)
}

func testGitHubRenamesAndFreeOwners(t *testing.T, opts func(*world) Options, graphQL bool) {
	w := newWorld(t)
	var gotAuth string
	w.On("GET /repos/old-owner/tool", func(rw http.ResponseWriter, r *http.Request) {
		gotAuth = r.Header.Get("Authorization")
		loc := w.GH.URL + "/repositories/4242"
		rw.Header().Set("Location", loc)
		jsonBody(301, map[string]any{"message": "Moved Permanently", "url": loc, "documentation_url": "https://docs.github.com/rest/guides/best-practices-for-using-the-rest-api#follow-redirects"})(rw, r)
	})
	w.On("GET /repositories/4242", jsonBody(200, map[string]any{"id": 4242, "full_name": "new-owner/tool", "owner": map[string]any{"login": "new-owner", "type": "User"}}))
	w.On("GET /users/old-owner", jsonBody(404, map[string]any{"message": "Not Found", "documentation_url": "https://docs.github.com/rest/users/users#get-a-user", "status": "404"}))
	w.On("GET /repos/gone-owner/tool", jsonBody(404, map[string]any{"message": "Not Found", "status": "404"}))
	w.On("GET /users/gone-owner", jsonBody(404, map[string]any{"message": "Not Found", "status": "404"}))
	w.On("GET /repos/acme/deleted", jsonBody(404, map[string]any{"message": "Not Found", "status": "404"}))
	w.On("GET /repos/acme/old", jsonBody(200, map[string]any{"full_name": "acme/old", "archived": true, "owner": map[string]any{"login": "acme", "type": "Organization"}}))

	ss := servers(t, "npx github:old-owner/tool", "npx github:gone-owner/tool#main", "npx github:acme/deleted", "npx github:acme/old", "npx gitlab:g/p")
	fs := New(opts(w)).Resolve(context.Background(), ss)
	if !graphQL && gotAuth != "Bearer gh-secret-token" {
		t.Errorf("GitHub got Authorization %q", gotAuth)
	}
	if graphQL && (w.GraphQLCalls() != 1 || gotAuth != "") {
		t.Errorf("%d GraphQL requests, REST saw Authorization %q; want one GraphQL request", w.GraphQLCalls(), gotAuth)
	}
	cases := map[string]facts.RepoStatus{
		"github.com/old-owner/tool": facts.RepoRedirected, "github.com/gone-owner/tool": facts.RepoMissing,
		"github.com/acme/deleted": facts.RepoMissing, "github.com/acme/old": facts.RepoArchived, "gitlab.com/g/p": facts.RepoUnknown,
	}
	for name, want := range cases {
		if repo := fs.Repos[name]; repo == nil || repo.Status != want {
			t.Errorf("%s: %+v, want %s", name, repo, want)
		}
	}
	if to := fs.Repos["github.com/old-owner/tool"].RedirectedTo; to != "github.com/new-owner/tool" {
		t.Errorf("redirected to %q", to)
	}
	owners := map[string]facts.OwnerStatus{"github.com/old-owner": facts.OwnerFree, "github.com/gone-owner": facts.OwnerFree, "github.com/acme": facts.OwnerExists}
	for login, want := range owners {
		if o := fs.Owners[login]; o == nil || o.Status != want {
			t.Errorf("%s: %+v, want %s", login, o, want)
		}
	}
	if !strings.Contains(fs.Repos["gitlab.com/g/p"].Reason, "only GitHub") {
		t.Errorf("gitlab reason: %+v", fs.Repos["gitlab.com/g/p"])
	}
}

func TestRedirectToAnotherHostKeepsTheToken(t *testing.T) {
	w := newWorld(t)
	evil := newWorld(t)
	w.On("GET /repos/o/r", func(rw http.ResponseWriter, r *http.Request) {
		jsonBody(301, map[string]any{"message": "Moved Permanently", "url": evil.Reg.URL + "/repositories/1"})(rw, r)
	})
	fs := New(restOptions(w)).Resolve(context.Background(), servers(t, "npx github:o/r"))
	if repo := fs.Repos["github.com/o/r"]; repo.Status != facts.RepoUnknown || !strings.Contains(repo.Reason, "unexpected place") {
		t.Errorf("repo: %+v", repo)
	}
	if evil.Count("GET /repositories/1") != 0 {
		t.Error("followed a redirect off the GitHub API host")
	}
}

func TestPyPI(t *testing.T) {
	w := newWorld(t)
	project := map[string]any{
		"info": map[string]any{"name": "mcp-server-fetch", "version": "2025.4.7",
			"project_urls": map[string]any{"Homepage": "https://example.com", "Source": "https://github.com/modelcontextprotocol/servers"}},
		"releases": map[string]any{
			"2024.1.0":   []any{map[string]any{"upload_time_iso_8601": "2024-01-01T00:00:00.000000Z", "yanked": false}},
			"2025.1.0":   []any{map[string]any{"upload_time_iso_8601": "2025-01-01T00:00:00.000000Z", "yanked": true}},
			"2025.4.7":   []any{map[string]any{"upload_time_iso_8601": "2025-04-07T00:00:00.000000Z", "yanked": false}},
			"2026.1.0a1": []any{map[string]any{"upload_time_iso_8601": "2026-01-01T00:00:00.000000Z", "yanked": false}},
		},
	}
	w.On("GET /pypi-root/pypi/mcp-server-fetch/json", jsonBody(200, project))
	release := func(v string, yanked bool) map[string]any {
		return map[string]any{
			"info": map[string]any{"name": "mcp-server-fetch", "version": v, "yanked": yanked,
				"description":  "A fetch server.\n\nmcp-name: io.github.modelcontextprotocol/fetch\n",
				"project_urls": map[string]any{"Source Code": "https://github.com/modelcontextprotocol/servers/tree/main/src/fetch"}},
			"urls": []any{map[string]any{"upload_time_iso_8601": "2025-04-07T10:00:00.000000Z", "yanked": yanked}},
		}
	}
	w.On("GET /pypi-root/pypi/mcp-server-fetch/2025.4.7/json", jsonBody(200, release("2025.4.7", false)))
	w.On("GET /pypi-root/pypi/mcp-server-fetch/2025.1.0/json", jsonBody(200, release("2025.1.0", true)))
	ss := servers(t, "uvx mcp-server-fetch", "uvx mcp-server-fetch==2025.1.0", "uvx 'mcp-server-fetch>=2024'", "uvx 'mcp-server-fetch<2025'", "uvx no-such-project")
	fs := New(options(w)).Resolve(context.Background(), ss)
	p := pkg(t, fs, ss[0])
	if p.Exists != facts.Yes || p.Version != "2025.4.7" || p.Repository != "github.com/modelcontextprotocol/servers" ||
		p.RepositoryFrom != "project_urls.Source Code" || p.MCPName != "io.github.modelcontextprotocol/fetch" || p.Published.Hour() != 10 || p.Yanked {
		t.Errorf("latest: %+v", p)
	}
	if p := pkg(t, fs, ss[1]); !p.Yanked {
		t.Errorf("yanked: %+v", p)
	}
	if p := pkg(t, fs, ss[2]); p.Version != "2025.4.7" {
		t.Errorf(">=2024 resolved to %s (skipping the yanked and the pre-release)", p.Version)
	}
	if p := pkg(t, fs, ss[3]); p.Version != "2024.1.0" {
		t.Errorf("<2025 resolved to %s", p.Version)
	}
	if p := pkg(t, fs, ss[4]); p.Exists != facts.No {
		t.Errorf("404: %+v", p)
	}
}

func TestOCITokenFlow(t *testing.T) {
	w := newWorld(t)
	base := w.Reg.URL
	challenge := func(repo string) string {
		return fmt.Sprintf(`Bearer realm="%s/token",service="registry.docker.io",scope="repository:%s:pull"`, base, repo)
	}
	w.On("GET /token", func(rw http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("service") != "registry.docker.io" || !strings.HasPrefix(r.URL.Query().Get("scope"), "repository:") {
			rawBody(400, `{"details":"bad request"}`)(rw, r)
			return
		}
		jsonBody(200, map[string]any{"token": "anon-" + r.URL.Query().Get("scope"), "expires_in": 300, "issued_at": "2026-01-01T00:00:00Z"})(rw, r)
	})
	authed := func(repo string, h http.HandlerFunc) http.HandlerFunc {
		return func(rw http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Authorization") != "Bearer anon-repository:"+repo+":pull" {
				rw.Header().Set("Www-Authenticate", challenge(repo))
				jsonBody(401, map[string]any{"errors": []any{map[string]any{"code": "UNAUTHORIZED", "message": "authentication required"}}})(rw, r)
				return
			}
			h(rw, r)
		}
	}
	index := map[string]any{"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": []any{
		map[string]any{"digest": "sha256:arm", "platform": map[string]any{"os": "linux", "architecture": "arm64"}},
		map[string]any{"digest": "sha256:amd", "platform": map[string]any{"os": "linux", "architecture": "amd64"}},
	}}
	w.On("GET /dockerhub/v2/mcp/git/manifests/1.0", authed("mcp/git", func(rw http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept"), "application/vnd.oci.image.index.v1+json") {
			rawBody(406, "no acceptable media type")(rw, r)
			return
		}
		rw.Header().Set("Docker-Content-Digest", "sha256:index111")
		jsonBody(200, index)(rw, r)
	}))
	w.On("GET /dockerhub/v2/mcp/git/manifests/sha256:amd", authed("mcp/git", jsonBody(200, map[string]any{
		"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json", "config": map[string]any{"digest": "sha256:cfg"}})))
	w.On("GET /dockerhub/v2/mcp/git/blobs/sha256:cfg", authed("mcp/git", jsonBody(200, map[string]any{
		"architecture": "amd64", "config": map[string]any{"Labels": map[string]any{
			"org.opencontainers.image.source": "https://github.com/docker/mcp-servers", "io.modelcontextprotocol.server.name": "io.github.docker/git"}}})))
	w.On("GET /dockerhub/v2/acme/nope/manifests/latest", authed("acme/nope", jsonBody(404, map[string]any{"errors": []any{map[string]any{"code": "NAME_UNKNOWN"}}})))
	gone := "sha256:" + strings.Repeat("d", 64)
	w.On("GET /dockerhub/v2/acme/tool/manifests/"+gone, authed("acme/tool", jsonBody(404, map[string]any{"errors": []any{map[string]any{"code": "MANIFEST_UNKNOWN", "message": "manifest unknown"}}})))
	w.On("GET /ghcr/v2/o/private/manifests/latest", func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Www-Authenticate", fmt.Sprintf(`Bearer realm="%s/ghcr-token",service="ghcr.io",scope="repository:o/private:pull"`, base))
		rawBody(401, `{"errors":[{"code":"UNAUTHORIZED"}]}`)(rw, r)
	})
	w.On("GET /ghcr-token", jsonBody(403, map[string]any{"errors": []any{map[string]any{"code": "DENIED"}}}))

	ss := servers(t, "docker run -i --rm mcp/git:1.0", "docker run acme/nope", "docker run ghcr.io/o/private", "docker run myapp-web", "docker run acme/tool@"+gone)
	fs := New(options(w)).Resolve(context.Background(), ss)
	p := pkg(t, fs, ss[0])
	if p.Exists != facts.Yes || p.Digest != "sha256:index111" || p.Repository != "github.com/docker/mcp-servers" || p.MCPName != "io.github.docker/git" {
		t.Errorf("image: %+v", p)
	}
	if p := pkg(t, fs, ss[1]); p.Exists != facts.No {
		t.Errorf("missing image: %+v", p)
	}
	if p := pkg(t, fs, ss[2]); p.Exists != facts.Unknown || !contains(p.Unknowns, "refused access") {
		t.Errorf("private image: %+v", p)
	}
	// A compose-built image under library/: not looked up, nothing unknown.
	if p := pkg(t, fs, ss[3]); p.Exists != facts.Unknown || len(p.Unknowns) != 0 || w.Count("GET /dockerhub/v2/library/myapp-web/manifests/latest") != 0 {
		t.Errorf("local build: %+v", p)
	}
	// A digest the registry no longer has: could not check, not free to claim.
	if p := pkg(t, fs, ss[4]); p.Exists != facts.Unknown || !contains(p.Unknowns, "is gone from the registry") {
		t.Errorf("gone digest: %+v", p)
	}
	if w.AuthSeen()["/dockerhub/v2/mcp/git/blobs/sha256:cfg"] == "" {
		t.Error("blob fetched without the pull token")
	}
}

func TestGoProxyAndNuGet(t *testing.T) {
	w := newWorld(t)
	w.On("GET /goproxy/github.com/acme/tool/cmd/tool/@latest", rawBody(404, "not found: module github.com/acme/tool/cmd/tool: no matching versions"))
	w.On("GET /goproxy/github.com/acme/tool/cmd/@latest", rawBody(404, "not found"))
	w.On("GET /goproxy/github.com/acme/tool/@latest", jsonBody(200, map[string]any{"Version": "v1.4.0", "Time": "2025-05-05T00:00:00Z"}))
	w.On("GET /goproxy/github.com/!big!co/tool/@v/v0.2.0.info", jsonBody(200, map[string]any{"Version": "v0.2.0", "Time": "2025-01-01T00:00:00Z"}))
	w.On("GET /goproxy/example.com/gone/@latest", rawBody(410, "gone"))
	w.On("GET /nuget/some.mcp/index.json", jsonBody(200, map[string]any{"versions": []any{"0.9.0", "1.0.0", "1.1.0-preview.1"}}))
	w.On("GET /nuget/some.mcp/1.0.0/some.mcp.nuspec", rawBody(200, `<?xml version="1.0"?><package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd"><metadata><id>Some.Mcp</id><version>1.0.0</version><repository type="git" url="https://github.com/some/mcp.git" commit="abc"/></metadata></package>`))
	ss := servers(t, "go run github.com/acme/tool/cmd/tool@latest", "go run github.com/BigCo/tool@v0.2.0", "go run example.com/gone@latest", "dnx Some.Mcp", "dnx Missing.Mcp@1.0.0")
	fs := New(options(w)).Resolve(context.Background(), ss)
	if p := pkg(t, fs, ss[0]); p.Exists != facts.Yes || p.Version != "v1.4.0" || p.Repository != "github.com/acme/tool" {
		t.Errorf("go module by prefix: %+v", p)
	}
	if p := pkg(t, fs, ss[1]); p.Version != "v0.2.0" {
		t.Errorf("case-escaped module: %+v", p)
	}
	if p := pkg(t, fs, ss[2]); p.Exists != facts.No {
		t.Errorf("410: %+v", p)
	}
	if p := pkg(t, fs, ss[3]); p.Version != "1.0.0" || p.Repository != "github.com/some/mcp" {
		t.Errorf("nuget: %+v", p)
	}
	if p := pkg(t, fs, ss[4]); p.Exists != facts.No {
		t.Errorf("nuget 404: %+v", p)
	}
}

func TestOSV(t *testing.T) {
	w := newWorld(t)
	w.On("GET /npm/evil-pkg", jsonBody(200, npmPackument("evil-pkg", nil, map[string]map[string]any{"1.0.0": {}}, map[string]string{"1.0.0": "2025-01-01T00:00:00.000Z"}, "1.0.0")))
	var queries []map[string]any
	w.On("POST /osv/v1/querybatch", func(rw http.ResponseWriter, r *http.Request) {
		var q struct{ Queries []map[string]any }
		if err := jsonDecode(r, &q); err != nil {
			rawBody(400, "bad")(rw, r)
			return
		}
		queries = q.Queries
		res := []any{}
		for _, qq := range q.Queries {
			name := qq["package"].(map[string]any)["name"]
			if name == "evil-pkg" {
				res = append(res, map[string]any{"vulns": []any{map[string]any{"id": "MAL-2025-1234", "modified": "2025-01-02T00:00:00Z"}, map[string]any{"id": "GHSA-xxxx-yyyy-zzzz", "modified": "2025-01-02T00:00:00Z"}}})
			} else {
				res = append(res, map[string]any{})
			}
		}
		jsonBody(200, map[string]any{"results": res})(rw, r)
	})
	w.On("GET /osv/v1/vulns/MAL-2025-1234", jsonBody(200, map[string]any{"id": "MAL-2025-1234", "summary": "Malicious code in evil-pkg (npm)", "modified": "2025-01-02T00:00:00Z"}))
	w.On("GET /osv/v1/vulns/GHSA-xxxx-yyyy-zzzz", jsonBody(200, map[string]any{"id": "GHSA-xxxx-yyyy-zzzz", "summary": "Prototype pollution", "aliases": []any{"CVE-2025-0001"}, "modified": "2025-01-02T00:00:00Z",
		"severity":          []any{map[string]any{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N"}},
		"database_specific": map[string]any{"severity": "HIGH", "cwe_ids": []any{"CWE-1321"}},
		"affected": []any{map[string]any{"package": map[string]any{"ecosystem": "npm", "name": "evil-pkg"},
			"ranges": []any{map[string]any{"type": "SEMVER", "events": []any{map[string]any{"introduced": "0"}, map[string]any{"fixed": "0.9.1"}, map[string]any{"introduced": "1.0.0"}, map[string]any{"fixed": "1.0.3"}}}}}}}))
	ss := servers(t, "npx evil-pkg", "npx @acme/server")
	fs := New(options(w)).Resolve(context.Background(), ss)
	p := pkg(t, fs, ss[0])
	if len(p.Advisories) != 2 || !p.Advisories[0].Malicious || p.Advisories[0].Summary != "Malicious code in evil-pkg (npm)" || p.Advisories[1].Aliases[0] != "CVE-2025-0001" {
		t.Errorf("advisories: %+v", p.Advisories)
	} else if a := p.Advisories[1]; a.Severity != "HIGH" || len(a.CVSS) != 1 || !strings.HasPrefix(a.CVSS[0], "CVSS:3.1/") || a.Fixed != "1.0.3" {
		t.Errorf("GHSA: severity %q, CVSS %q, first fixed %q, want HIGH, one v3.1 vector, 1.0.3", a.Severity, a.CVSS, a.Fixed)
	}
	if len(queries) != 2 || queries[0]["version"] == nil {
		t.Errorf("querybatch got %+v", queries)
	}
	if w.Count("POST /osv/v1/querybatch") != 1 {
		t.Errorf("%d querybatch calls, want one for all packages", w.Count("POST /osv/v1/querybatch"))
	}
	if a := pkg(t, fs, ss[1]).Advisories; len(a) != 0 {
		t.Errorf("clean package has advisories %+v", a)
	}
}

func TestOSVOfflineDatabase(t *testing.T) {
	w := newWorld(t)
	w.On("GET /npm/evil-pkg", jsonBody(200, npmPackument("evil-pkg", nil, map[string]map[string]any{"1.0.0": {}}, map[string]string{"1.0.0": "2025-01-01T00:00:00.000Z"}, "1.0.0")))
	dir := t.TempDir()
	writeZip(t, filepath.Join(dir, "osv-scalibr", "npm", "all.zip"), map[string]string{
		"MAL-2025-9.json": `{"id":"MAL-2025-9","summary":"Malicious code in evil-pkg","affected":[{"package":{"ecosystem":"npm","name":"evil-pkg"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"}]}]}]}`,
		"GHSA-1.json":     `{"id":"GHSA-1","affected":[{"package":{"ecosystem":"npm","name":"@acme/server"},"ranges":[{"type":"SEMVER","events":[{"introduced":"1.0.0"},{"fixed":"1.2.0"}]}]}]}`,
	})
	o := options(w)
	o.OSVDB = dir
	ss := servers(t, "npx evil-pkg", "npx @acme/server", "npx @acme/server@1.1.0")
	fs := New(o).Resolve(context.Background(), ss)
	if a := pkg(t, fs, ss[0]).Advisories; len(a) != 1 || !a[0].Malicious {
		t.Errorf("evil-pkg: %+v", a)
	}
	if a := pkg(t, fs, ss[1]).Advisories; len(a) != 0 {
		t.Errorf("1.2.0 is fixed: %+v", a)
	}
	if a := pkg(t, fs, ss[2]).Advisories; len(a) != 1 || a[0].ID != "GHSA-1" || a[0].Fixed != "1.2.0" {
		t.Errorf("1.1.0 is affected: %+v", a)
	}
	if w.Count("POST /osv/v1/querybatch") != 0 {
		t.Error("asked the OSV API despite --osv-db")
	}
	o.OSVDB = t.TempDir() // empty
	fs = New(o).Resolve(context.Background(), ss[:1])
	if p := pkg(t, fs, ss[0]); !contains(p.Unknowns, "no offline OSV database for npm") {
		t.Errorf("missing database: %+v", p.Unknowns)
	}
}

func TestUnsupportedAndTemplated(t *testing.T) {
	w := newWorld(t)
	ss := servers(t, "deno run jsr:@std/x", "npx -y mcp-remote@1.0.0 https://x")
	fs := New(options(w)).Resolve(context.Background(), ss)
	if p := pkg(t, fs, ss[0]); !contains(p.Unknowns, "jsr ecosystem is not supported") || p.Exists != facts.Unknown {
		t.Errorf("jsr: %+v", p)
	}
}

func jsonDecode(r *http.Request, v any) error {
	return jsonNewDecoder(r).Decode(v)
}

func TestCommitSHA(t *testing.T) {
	w := newWorld(t)
	sha := strings.Repeat("c0ffee12", 5)
	w.On("GET /repos/acme/server/commits/v1.2.0", func(rw http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Accept") != "application/vnd.github.sha" {
			rawBody(415, "want the sha media type")(rw, r)
			return
		}
		rawBody(200, sha)(rw, r)
	})
	w.On("GET /repos/acme/server/commits/nope", jsonBody(422, map[string]any{"message": "No commit found for SHA: nope"}))
	r := New(options(w))
	got, err := r.CommitSHA(context.Background(), "github.com/acme/server", "v1.2.0")
	if err != nil || got != sha {
		t.Errorf("CommitSHA = %q, %v", got, err)
	}
	if _, err := r.CommitSHA(context.Background(), "github.com/acme/server", "nope"); err == nil || !strings.Contains(err.Error(), "422") {
		t.Errorf("unknown ref: %v", err)
	}
	if _, err := r.CommitSHA(context.Background(), "gitlab.com/g/p", "main"); err == nil {
		t.Error("non-GitHub repository accepted")
	}
	// pin's "github:../../user#main": no request leaves with the token.
	before := w.GitHubCalls()
	for _, repo := range []string{"github.com/../../user", "github.com/acme/server/../../x", "github.com/acme"} {
		if _, err := r.CommitSHA(context.Background(), repo, "main"); err == nil || !strings.Contains(err.Error(), "not a valid GitHub owner/repository name") {
			t.Errorf("%s: %v", repo, err)
		}
	}
	if n := w.GitHubCalls() - before; n != 0 {
		t.Errorf("%d requests sent for invalid paths", n)
	}
}

// An unpublished @scope/name is claimable only when its scope is: the
// search API says whether anything is published under the scope.
func TestNPMScopeOwner(t *testing.T) {
	w := newWorld(t)
	// The shape of GET /-/v1/search (npm's REGISTRY-API.md): objects of
	// {package, score, searchScore}, total and time.
	search := func(names ...string) http.HandlerFunc {
		objs := []any{}
		for _, n := range names {
			scope, _, _ := strings.Cut(strings.TrimPrefix(n, "@"), "/")
			objs = append(objs, map[string]any{"package": map[string]any{"name": n, "scope": scope, "version": "1.0.0", "date": "2025-01-01T00:00:00.000Z",
				"links": map[string]any{"npm": "https://www.npmjs.com/package/" + n}, "publisher": map[string]any{"username": scope}},
				"score": map[string]any{"final": 0.5, "detail": map[string]any{"quality": 0.5, "popularity": 0.1, "maintenance": 1}}, "searchScore": 1.2})
		}
		return jsonBody(200, map[string]any{"objects": objs, "total": len(objs), "time": "Tue Dec 01 2026 10:00:00 GMT+0000"})
	}
	w.On("GET /npm/-/v1/search", func(rw http.ResponseWriter, r *http.Request) {
		switch r.URL.Query().Get("text") {
		case "scope:acme":
			search("@acme/server", "@acme/other")(rw, r)
		case "scope:nobody":
			search("@nobodyelse/x")(rw, r) // a fuzzy hit under another scope
		default:
			rawBody(500, "boom")(rw, r)
		}
	})
	ss := servers(t, "npx -y @acme/serverr", "npx -y @nobody/tool", "npx -y @broken/tool")
	fs := New(options(w)).Resolve(context.Background(), ss)
	for i, want := range []facts.Tri{facts.Yes, facts.No, facts.Unknown} {
		p := pkg(t, fs, ss[i])
		if p.Exists != facts.No || p.ScopeOwned != want {
			t.Errorf("%s: exists %s, scope owned %s, want %s", ss[i].Refs[0].Name, p.Exists, p.ScopeOwned, want)
		}
	}
	if p := pkg(t, fs, ss[2]); !contains(p.Unknowns, "whether anyone but the scope's owner can publish @broken/tool is unknown") {
		t.Errorf("search down: %q", p.Unknowns)
	}
}
