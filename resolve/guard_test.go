package resolve

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mcptether/mcptether/facts"
)

// recorder is a server that no configuration names: it counts what reaches
// it and which Authorization came along.
type recorder struct {
	*httptest.Server
	hits atomic.Int64
	auth atomic.Value
}

func newRecorder(t *testing.T, tls bool) *recorder {
	rec := &recorder{}
	h := http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		rec.hits.Add(1)
		rec.auth.Store(r.Header.Get("Authorization"))
		rw.Header().Set("Content-Type", "application/json")
		fmt.Fprint(rw, `{"full_name":"evil/r","token":"stolen","owner":{"login":"evil"}}`)
	})
	if tls {
		rec.Server = httptest.NewTLSServer(h)
	} else {
		rec.Server = httptest.NewServer(h)
	}
	t.Cleanup(rec.Close)
	return rec
}

func (r *recorder) port() string { _, p, _ := net.SplitHostPort(r.Listener.Addr().String()); return p }

// GitHub (or whoever answers as it) redirects to the same host on another
// port: the token must not follow, and the answer there is not GitHub's.
func TestRedirectToAnotherPortLosesNothing(t *testing.T) {
	w := newWorld(t)
	other := newRecorder(t, false)
	for _, code := range []int{301, 302, 307} {
		path := fmt.Sprintf("/repos/o/r%d", code)
		w.On("GET "+path, func(rw http.ResponseWriter, r *http.Request) {
			http.Redirect(rw, r, "http://127.0.0.1:"+other.port()+"/repositories/1", code)
		})
	}
	fs := New(restOptions(w)).Resolve(context.Background(), servers(t, "npx github:o/r301", "npx github:o/r302", "npx github:o/r307"))
	if n := other.hits.Load(); n != 0 {
		t.Errorf("the other port got %d requests (Authorization %q)", n, other.auth.Load())
	}
	for _, name := range []string{"github.com/o/r301", "github.com/o/r302", "github.com/o/r307"} {
		if repo := fs.Repos[name]; repo == nil || repo.Status != facts.RepoUnknown {
			t.Errorf("%s: %+v, want unknown", name, repo)
		}
	}
}

// The GraphQL endpoint redirects elsewhere: GitHub's answers are never
// followed, so the query and its token stay on the API origin.
func TestGraphQLRedirectIsNotFollowed(t *testing.T) {
	for _, code := range []int{301, 302, 307, 308} {
		w := newWorld(t)
		other := newRecorder(t, false)
		w.On("POST /graphql", func(rw http.ResponseWriter, r *http.Request) {
			http.Redirect(rw, r, "http://127.0.0.1:"+other.port()+"/graphql", code)
		})
		fs := New(options(w)).Resolve(context.Background(), servers(t, "npx github:o/r"))
		if n := other.hits.Load(); n != 0 {
			t.Errorf("%d: the other port got %d requests (Authorization %q)", code, n, other.auth.Load())
		}
		if repo := fs.Repos["github.com/o/r"]; repo == nil || repo.Status != facts.RepoUnknown || !strings.Contains(repo.Reason, fmt.Sprint(code)) {
			t.Errorf("%d: %+v, want unknown naming the status", code, repo)
		}
	}
}

// A registry's own bearer token is stripped on a redirect that changes
// origin (Go keeps it for the same host on another port).
func TestRegistryCredentialStaysOnItsOrigin(t *testing.T) {
	other := newRecorder(t, false)
	reg := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		http.Redirect(rw, r, "http://127.0.0.1:"+other.port()+"/blob", http.StatusTemporaryRedirect)
	}))
	defer reg.Close()
	o := Options{NPMRegistry: reg.URL, GoProxy: "http://127.0.0.1:" + other.port()}
	o.defaults()
	f := newFetcher(&o)
	if _, err := f.do(context.Background(), request{url: reg.URL + "/v2/x/blobs/y", header: http.Header{"Authorization": {"Bearer reg-token"}}}); err != nil {
		t.Fatal(err)
	}
	if other.hits.Load() != 1 || other.auth.Load() != "" {
		t.Errorf("hits %d, Authorization %q at the other origin", other.hits.Load(), other.auth.Load())
	}
}

// The token goes to the API's exact origin: not over plain http to the
// same host and port when the base is https.
func TestTokenNeverOverPlainHTTP(t *testing.T) {
	plain := newRecorder(t, false)
	o := Options{GitHubAPI: "https://" + plain.Listener.Addr().String(), GitHubToken: "gh-secret-token"}
	o.defaults()
	f := newFetcher(&o)
	if _, err := f.do(context.Background(), request{url: plain.URL + "/users/x", github: true}); err != nil {
		t.Fatal(err)
	}
	if plain.hits.Load() != 1 || plain.auth.Load() != "" {
		t.Errorf("hits %d, Authorization %q over http", plain.hits.Load(), plain.auth.Load())
	}
}

// The registry names the token realm. On the GitHub API it is not asked
// (the token would go along, and its answer be relayed as a pull token);
// on an address nobody configured (loopback, link-local metadata) the
// connection is never made; over plain http to another origin it is
// refused. In every case the image is "could not check" and nothing that
// came from elsewhere reaches the registry.
func TestHostileTokenRealms(t *testing.T) {
	loop := newRecorder(t, true)
	loopHTTP := newRecorder(t, false)
	for _, c := range []struct{ name, realm, want string }{
		{"GitHub API", "", "is the GitHub API"},
		{"unconfigured loopback over https", loop.URL + "/token", "not a public address"},
		{"link-local metadata", "https://169.254.169.254/latest/meta-data/iam", "not a public address"},
		{"plain http elsewhere", loopHTTP.URL + "/token", "not https"},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t)
			realm := c.realm
			if realm == "" {
				realm = w.GH.URL + "/token"
			}
			var relayed atomic.Value
			relayed.Store("")
			w.On("GET /dockerhub/v2/o/img/manifests/latest", func(rw http.ResponseWriter, r *http.Request) {
				if a := r.Header.Get("Authorization"); a != "" {
					relayed.Store(a)
				}
				rw.Header().Set("Www-Authenticate", `Bearer realm="`+realm+`",service="x",scope="repository:o/img:pull"`)
				rawBody(401, `{"errors":[{"code":"UNAUTHORIZED"}]}`)(rw, r)
			})
			ss := servers(t, "docker run o/img")
			fs := New(options(w)).Resolve(context.Background(), ss)
			p := pkg(t, fs, ss[0])
			if p.Exists != facts.Unknown || !contains(p.Unknowns, c.want) {
				t.Errorf("image: %+v, want unknown with %q", p, c.want)
			}
			if a := relayed.Load(); a != "" {
				t.Errorf("relayed %q to the registry", a)
			}
			if n := w.Count("GET /token"); n != 0 {
				t.Errorf("the GitHub API was asked for a token %d times", n)
			}
			if loop.hits.Load()+loopHTTP.hits.Load() != 0 {
				t.Errorf("an unconfigured loopback server was contacted")
			}
		})
	}
}

// Images on private or local registries are reported, never contacted.
func TestLocalImagesAreNotContacted(t *testing.T) {
	w := newWorld(t)
	ss := servers(t, "docker run 127.0.0.1:22/x", "docker run 10.0.0.5:5000/x:1", "docker run localhost:5000/tool", "docker run registry:5000/x", "docker run [::1]:5000/x")
	r := New(options(w))
	fs := r.Resolve(context.Background(), ss)
	for _, s := range ss {
		if p := pkg(t, fs, s); p.Exists != facts.Unknown || !contains(p.Unknowns, "local image, not checked") {
			t.Errorf("%s: %+v", s.Refs[0].Name, p)
		}
	}
	if n := r.Requests(); n != 0 {
		t.Errorf("%d requests", n)
	}
}

// The dialer judges the resolved address, so a name that resolves to
// loopback (DNS rebinding) is refused too; a configured endpoint is not.
func TestDialerChecksResolvedAddress(t *testing.T) {
	rec := newRecorder(t, false)
	g := newDialGuard(nil, time.Second)
	_, err := g.DialContext(context.Background(), "tcp", "localhost:"+rec.port())
	var blocked *BlockedError
	if !errors.As(err, &blocked) {
		t.Fatalf("err = %v, want BlockedError", err)
	}
	g = newDialGuard([]string{"http://localhost:" + rec.port()}, time.Second)
	c, err := g.DialContext(context.Background(), "tcp", "localhost:"+rec.port())
	if err != nil {
		t.Fatalf("configured endpoint refused: %v", err)
	}
	c.Close()
}

func TestPublicIP(t *testing.T) {
	for addr, want := range map[string]bool{
		"8.8.8.8": true, "140.82.112.6": true, "2606:4700::1111": true,
		"127.0.0.1": false, "10.0.0.5": false, "172.16.3.4": false, "192.168.1.1": false, "169.254.169.254": false,
		"100.100.100.200": false, "0.0.0.0": false, "::1": false, "fe80::1": false, "fd00::1": false, "::ffff:127.0.0.1": false,
		"::ffff:10.0.0.1": false, "224.0.0.1": false, "64:ff9b::a00:1": false, "198.18.0.1": false,
	} {
		if got := publicIP(netip.MustParseAddr(addr)); got != want {
			t.Errorf("publicIP(%s) = %v", addr, got)
		}
	}
	for host, want := range map[string]bool{
		"registry-1.docker.io": true, "ghcr.io": true, "localhost": false, "registry:5000": false, "a.localhost": false,
		"10.0.0.5:5000": false, "[::1]:5000": false, "nas.local": false, "metadata.google.internal": false,
	} {
		if got := publicHost(host); got != want {
			t.Errorf("publicHost(%s) = %v", host, got)
		}
	}
}

// Stray requests: a config names a URL on loopback (a remote server entry
// is never fetched; this is the fetcher's own refusal for any URL).
func TestUnconfiguredLoopbackURLIsRefused(t *testing.T) {
	rec := newRecorder(t, false)
	o := Options{}
	o.defaults()
	f := newFetcher(&o)
	_, err := f.do(context.Background(), request{url: rec.URL + "/x"})
	if err == nil || !strings.Contains(err.Error(), "not a public address") || rec.hits.Load() != 0 {
		t.Errorf("err %v, hits %d", err, rec.hits.Load())
	}
}

func TestConfigTextNeverBecomesAnotherAPIPath(t *testing.T) {
	for path, want := range map[string]bool{
		"o/r": true, "modelcontextprotocol/servers": true, "a-b/c.d_e": true,
		"../user": false, "o/..": false, "o/r?x=1": false, "o/r#x": false, "o/r/../../user": false, "-o/r": false, "o": false,
	} {
		if got := validGitHubPath(path); got != want {
			t.Errorf("validGitHubPath(%q) = %v", path, got)
		}
	}
}

func TestErrorsCarryNoEndpointCredentials(t *testing.T) {
	for in, want := range map[string]string{
		"https://user:s3cr3t@mirror.example/npm/x?token=abc": "https://…@mirror.example/npm/x?…",
		"https://registry.npmjs.org/x?token=abc":             "https://registry.npmjs.org/x?…",
		"https://registry.npmjs.org/x":                       "https://registry.npmjs.org/x",
	} {
		if got := redactURL(in); got != want || strings.Contains(got, "s3cr3t") || strings.Contains(got, "abc") {
			t.Errorf("redactURL(%q) = %q, want %q", in, got, want)
		}
	}
}
