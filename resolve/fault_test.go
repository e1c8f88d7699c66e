package resolve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/mcptether/mcptether/facts"
	"github.com/mcptether/mcptether/internal/fakereg"
	"github.com/mcptether/mcptether/launch"
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
		}, facts.Unknown, "could not be reached (timed out)"},
		{"truncated JSON", rawBody(200, `{"name":"p","dist-tags":{"latest":"1.0.0"},"versions":{"1.0`), facts.Unknown, "unreadable answer"},
		{"50 MB body", func(rw http.ResponseWriter, r *http.Request) {
			rw.WriteHeader(200)
			io.WriteString(rw, `{"name":"p","readme":"`)
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
	githubModes(t, testGitHubRateLimit)
}

func testGitHubRateLimit(t *testing.T, opts func(*world) Options, graphQL bool) {
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
	fs := New(opts(w)).Resolve(context.Background(), ss)
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("waited %v for a reset an hour away (max-wait is 2s)", d)
	}
	for _, n := range []string{"a", "b", "c"} {
		repo := fs.Repos["github.com/o/"+n]
		if repo.Status != facts.RepoUnknown || !strings.Contains(repo.Reason, "rate limited by") {
			t.Errorf("%s: %+v", n, repo)
		}
	}
	total := w.Count("GET /repos/o/a") + w.Count("GET /repos/o/b") + w.Count("GET /repos/o/c") + w.GraphQLCalls()
	if total > 3 {
		t.Errorf("%d requests after the host said wait an hour; later lookups should fail fast", total)
	}

	// A short secondary limit (Retry-After within --max-wait) is waited out.
	w2 := newWorld(t)
	w2.On("GET /repos/o/r", respondAfter(1, 403, []string{"Retry-After", "1"}, jsonBody(200, map[string]any{"full_name": "o/r", "owner": map[string]any{"login": "o", "type": "User"}})))
	fs = New(opts(w2)).Resolve(context.Background(), servers(t, "npx github:o/r"))
	if repo := fs.Repos["github.com/o/r"]; repo.Status != facts.RepoOK {
		t.Errorf("after a secondary limit: %+v", repo)
	}
}

func TestEachKeyFetchedOnce(t *testing.T) {
	githubModes(t, testEachKeyFetchedOnce)
}

func testEachKeyFetchedOnce(t *testing.T, opts func(*world) Options, graphQL bool) {
	w := newWorld(t)
	var lines []string
	for i := 0; i < 20; i++ {
		lines = append(lines, "npx -y @acme/server", "npx github:acme/server")
	}
	r := New(opts(w))
	r.Resolve(context.Background(), servers(t, lines...))
	if got := r.MaxRequestsPerKey(); got != 1 {
		t.Errorf("a key was fetched %d times", got)
	}
	github := w.Count("GET /repos/acme/server") + w.GraphQLCalls()
	if github != 1 || w.Count("GET /npm/@acme%2fserver") != 1 {
		t.Errorf("GitHub %d, packument %d requests", github, w.Count("GET /npm/@acme%2fserver"))
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

// A host that refuses connections is down after its first failure: the
// other lookups on it fail at once, and the summary counts them.
func TestHostDown(t *testing.T) {
	w := newWorld(t)
	o := options(w)
	base := "http://" + fakereg.ClosedAddr(t)
	o.NPMRegistry, o.PyPIURL, o.OSVURL, o.GitHubAPI = base+"/npm", base+"/pypi", base+"/osv", base
	o.Concurrency = 1 // one request at a time: only the first reaches the network
	o.Retries = 3
	ss := npmServers(t, 30)
	r := New(o)
	fs := r.Resolve(context.Background(), ss)
	for _, s := range ss {
		p := pkg(t, fs, s)
		if p.Exists != facts.Unknown || len(p.Unknowns) != 1 || !strings.HasSuffix(p.Unknowns[0], "could not be reached (connection refused)") {
			t.Fatalf("%s: exists=%s unknowns=%q", s.Name.Text, p.Exists, p.Unknowns)
		}
		if strings.Contains(p.Unknowns[0], "http://") || strings.Contains(p.Unknowns[0], "giving up") {
			t.Errorf("the per-server reason repeats the URL chain: %q", p.Unknowns[0])
		}
	}
	if n := r.Requests(); n != 1 {
		t.Errorf("sent %d requests to a host that refused the first, want 1", n)
	}
	down := r.Down()
	want := strings.TrimPrefix(base, "http://") + " could not be reached (connection refused): 30 lookups could not be checked"
	if len(down) != 1 || down[0] != want {
		t.Errorf("Down() = %q, want [%q]", down, want)
	}
}

// A certificate the machine does not trust does not heal on retry.
func TestHostDownTLS(t *testing.T) {
	srv := httptest.NewTLSServer(okPackument("p"))
	t.Cleanup(srv.Close)
	w := newWorld(t)
	o := options(w)
	o.NPMRegistry = srv.URL + "/npm"
	o.Retries = 3
	ss := servers(t, "npx p", "npx q")
	r := New(o)
	fs := r.Resolve(context.Background(), ss)
	for _, s := range ss {
		if p := pkg(t, fs, s); !contains(p.Unknowns, "could not be reached (TLS handshake failed)") {
			t.Errorf("%s: unknowns=%q", s.Name.Text, p.Unknowns)
		}
	}
	if d := r.Down(); len(d) != 1 || !strings.Contains(d[0], "2 lookups") {
		t.Errorf("Down() = %q", d)
	}
}

// 5xx is not "down": it is retried, and a later success is used.
func TestServerErrorIsNotDown(t *testing.T) {
	w := newWorld(t)
	w.On("GET /npm/p", respondAfter(1, 500, nil, okPackument("p")))
	w.On("GET /npm/q", okPackument("q"))
	ss := servers(t, "npx p", "npx q")
	r := New(options(w))
	fs := r.Resolve(context.Background(), ss)
	for _, s := range ss {
		if p := pkg(t, fs, s); p.Exists != facts.Yes {
			t.Errorf("%s: exists=%s unknowns=%q", s.Name.Text, p.Exists, p.Unknowns)
		}
	}
	if d := r.Down(); len(d) != 0 {
		t.Errorf("Down() = %q after a 500", d)
	}
}

// A redirect to a host that refuses connections marks that host down,
// not the registry that redirected: the registry's other lookups go on.
func TestRedirectTargetDown(t *testing.T) {
	w := newWorld(t)
	closed := fakereg.ClosedAddr(t)
	w.On("GET /npm/p", func(rw http.ResponseWriter, r *http.Request) {
		http.Redirect(rw, r, "http://"+closed+"/p", http.StatusFound)
	})
	w.On("GET /npm/q", okPackument("q"))
	o := options(w)
	o.PyPIURL = "http://" + closed + "/pypi" // configured, so the redirect may go there
	o.Concurrency = 1
	ss := servers(t, "npx p", "npx q")
	r := New(o)
	fs := r.Resolve(context.Background(), ss)
	if p := pkg(t, fs, ss[0]); !contains(p.Unknowns, closed+" could not be reached (connection refused)") {
		t.Errorf("p: unknowns=%q", p.Unknowns)
	}
	if q := pkg(t, fs, ss[1]); q.Exists != facts.Yes {
		t.Errorf("q: exists=%s unknowns=%q: the registry was marked down for its redirect target", q.Exists, q.Unknowns)
	}
	if d := r.Down(); len(d) != 1 || !strings.HasPrefix(d[0], closed+" ") {
		t.Errorf("Down() = %q", d)
	}
}

// TestWarmRunRepeatedly: over every kind of lookup (npm, PyPI, an image
// behind a token, git, a Go module, redirects and 404s), a second run
// from the disk cache makes no request, every time.
func TestWarmRunRepeatedly(t *testing.T) {
	w := newWorld(t)
	ss := servers(t, "npx -y @acme/server", "npx orphan-mcp", "npx moved-mcp", "npx lost-mcp", "npx fresh-mcp", "npx evil-mcp",
		"npx handover-mcp", "npx attested-elsewhere", "npx @modelcontext-protocol/server-github", "npx missing-pkg",
		"uvx mcp-server-fetch", "docker run -i mcp/fetch:1.0", "npx vuln-mcp@1.0.0", "npx github:acme/server",
		"go run github.com/acme/tool@latest")
	for i := range 20 {
		o := options(w)
		o.CacheDir = t.TempDir()
		New(o).Resolve(context.Background(), ss)
		warm := New(o)
		warm.Resolve(context.Background(), ss)
		if warm.Requests() != 0 {
			warm.f.perKey.Range(func(k, _ any) bool { t.Errorf("run %d: warm run asked %s", i, k); return true })
		}
	}
}

// A host that accepts connections and never answers: one timed-out
// attempt is retried, the second marks the host down, and the lookups
// queued behind it fail at once instead of each waiting out its retries.
func TestSlowHostIsDown(t *testing.T) {
	stall := make(chan struct{})
	var attempts atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		attempts.Add(1)
		select {
		case <-stall:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(stall); srv.Close() })
	w := newWorld(t)
	o := options(w)
	o.NPMRegistry = srv.URL + "/npm"
	o.Timeout = 100 * time.Millisecond
	o.Retries = 3
	o.Concurrency = 1
	ss := npmServers(t, 30)
	r := New(o)
	fs := r.Resolve(context.Background(), ss)
	for _, s := range ss {
		if p := pkg(t, fs, s); p.Exists != facts.Unknown || !contains(p.Unknowns, "could not be reached (timed out)") {
			t.Fatalf("%s: exists=%s unknowns=%q", s.Name.Text, p.Exists, p.Unknowns)
		}
	}
	// One attempt and its one retry, then nothing: with 3 retries per
	// lookup, the first alone would be 4 attempts.
	if n := attempts.Load(); n != 2 || r.Requests() != 1 {
		t.Errorf("%d attempts in %d lookups, want 2 in 1", n, r.Requests())
	}
	if d := r.Down(); len(d) != 1 || !strings.Contains(d[0], "(timed out): 30 lookups") {
		t.Errorf("Down() = %q", d)
	}
}

func TestUnreachableClasses(t *testing.T) {
	timeout := &net.OpError{Op: "dial", Net: "tcp", Err: os.ErrDeadlineExceeded}
	read := &net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded}
	for _, c := range []struct {
		err  error
		want string
	}{
		{&url.Error{Op: "Get", URL: "http://h/x", Err: timeout}, "connection timed out"},
		{&url.Error{Op: "Get", URL: "http://h/x", Err: read}, classTimeout},
		{&url.Error{Op: "Get", URL: "http://h/x", Err: &net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}}, "connection refused"},
		{&url.Error{Op: "Get", URL: "http://h/x", Err: &net.DNSError{Err: "no such host", Name: "h", IsNotFound: true}}, "DNS lookup failed"},
		{errors.New("unexpected EOF"), ""},
	} {
		if got, _ := unreachable(c.err); got != c.want {
			t.Errorf("%v: %q, want %q", c.err, got, c.want)
		}
	}
}

// A slow host holds at most its own share of the pool: while npm requests
// are stuck, a PyPI request still gets a slot. (Without the per-host
// bound, four stuck npm requests hold all four slots until they time out.)
func TestSlowHostLeavesRoom(t *testing.T) {
	w := newWorld(t)
	release := make(chan struct{})
	var inFlight atomic.Int64
	slow := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		inFlight.Add(1)
		select {
		case <-release:
		case <-r.Context().Done():
		}
		rw.WriteHeader(http.StatusNotFound)
	}))
	t.Cleanup(func() { slow.Close() })
	o := options(w)
	o.NPMRegistry = slow.URL + "/npm"
	o.Concurrency = 4 // three per host
	r := New(o)
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := range 5 {
		wg.Go(func() { r.f.do(ctx, request{url: fmt.Sprintf("%s/npm/slow-%d", slow.URL, i)}) })
	}
	for deadline := time.Now().Add(5 * time.Second); inFlight.Load() < 3; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d npm requests reached the slow host", inFlight.Load())
		}
	}
	time.Sleep(50 * time.Millisecond) // room for a fourth to take a slot, if it could
	got := make(chan error, 1)
	go func() {
		_, err := r.f.do(ctx, request{url: o.PyPIURL + "/pypi/mcp-server-fetch/json"})
		got <- err
	}()
	select {
	case err := <-got:
		if err != nil {
			t.Error(err)
		}
	case <-time.After(2 * time.Second):
		t.Error("the PyPI request waited for the stuck npm requests: one host held the whole pool")
	}
	if n := inFlight.Load(); n != 3 {
		t.Errorf("%d npm requests in flight at once, want 3 (the per-host bound)", n)
	}
	close(release)
	wg.Wait()
}

// npmServers are n servers, each running its own npm package pkg-N.
func npmServers(t *testing.T, n int) []*launch.Server {
	var lines []string
	for i := range n {
		lines = append(lines, fmt.Sprintf("npx -y pkg-%d", i))
	}
	return servers(t, lines...)
}

// A shared runner's cache: one repository's token (and its view of
// private repositories) must not decide another's verdict, nor one
// GitHub's answers another's.
func TestCacheIsScopedToOriginAndToken(t *testing.T) {
	githubModes(t, func(t *testing.T, opts func(*world) Options, graphQL bool) {
		x, y := newWorld(t), newWorld(t)
		// In Y the repository is gone (and the owner too).
		y.On("GET /repos/acme/server", jsonBody(404, map[string]any{"message": "Not Found"}))
		y.On("GET /users/acme", jsonBody(404, map[string]any{"message": "Not Found"}))
		dir := t.TempDir()
		ss := servers(t, "npx -y @acme/server")
		run := func(w *world, api *world, token string) (*facts.Repo, int64) {
			o := opts(w)
			o.GitHubAPI, o.CacheDir = api.GH.URL, dir
			if graphQL || token != "" {
				o.GitHubToken = token
			}
			r := New(o)
			fs := r.Resolve(context.Background(), ss)
			return fs.Repo("github.com/acme/server"), int64(api.GitHubCalls())
		}
		first, _ := run(x, x, "token-a")
		if first == nil || first.Status != facts.RepoOK {
			t.Fatalf("X: %+v", first)
		}
		// The same cache, another GitHub: asked again, and its answer.
		second, calls := run(x, y, "token-b")
		if calls == 0 || second == nil || second.Status == facts.RepoOK {
			t.Errorf("another API: %d GitHub calls, repo %+v", calls, second)
		}
		// The same API with another token: asked again too.
		before := x.GitHubCalls()
		run(x, x, "token-c")
		if graphQL && x.GitHubCalls() == before {
			t.Error("another token was answered from the first token's cache")
		}
		// Control: the first token again is answered from the cache.
		before = x.GitHubCalls()
		if again, _ := run(x, x, "token-a"); again.Status != facts.RepoOK || x.GitHubCalls() != before {
			t.Errorf("warm run with the same token: %d GitHub calls", x.GitHubCalls()-before)
		}
	})
}

// A registry answers every request with 429: the first answer pauses the
// host for every lookup, each lookup waits at most once, and a host that
// still refuses after the pause is rate limited for the rest of the run.
func TestRateLimitPausesTheHost(t *testing.T) {
	for _, c := range []struct {
		name       string
		retryAfter string
		max        time.Duration // the run, loosely: each lookup once paying the wait would be 48×
	}{
		{"within --max-wait", "1", 4 * time.Second},
		{"beyond --max-wait", "59", 2 * time.Second},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t)
			var lines []string
			for i := range 48 {
				name := fmt.Sprintf("busy-%d", i)
				w.On("GET /npm/"+name, rawBody(429, `{"error":"Too Many Requests"}`, "Retry-After", c.retryAfter))
				lines = append(lines, "npx "+name)
			}
			ss := servers(t, lines...)
			start := time.Now()
			fs := New(options(w)).Resolve(context.Background(), ss)
			took := time.Since(start)
			requests := 0
			for i, s := range ss {
				p := pkg(t, fs, s)
				if p.Exists != facts.Unknown || !contains(p.Unknowns, "rate limited by") {
					t.Errorf("busy-%d: %s %q", i, p.Exists, p.Unknowns)
				}
				requests += w.Count(fmt.Sprintf("GET /npm/busy-%d", i))
			}
			if took > c.max {
				t.Errorf("48 rate-limited lookups took %v, want under %v", took, c.max)
			}
			// At most the first wave (the host's slots) meets each wait.
			if requests > 2*24 {
				t.Errorf("%d requests to a host that asked to wait", requests)
			}
			t.Logf("%v, %d requests", took.Round(time.Millisecond), requests)
		})
	}
}

// GitHub's secondary limit may name no time at all (no Retry-After, no
// X-RateLimit-Reset): a short backoff, then the host is limited; not a
// minute per attempt per lookup.
func TestSecondaryLimitWithoutHints(t *testing.T) {
	w := newWorld(t)
	secondary := jsonBody(403, map[string]any{"message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 8F2E:1B2C:3D4E5F:6A7B8C:6789ABCD.",
		"documentation_url": "https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"})
	// The headers GitHub sent with it in the dumps quoted in
	// octokit/plugin-throttling.js#566 and KnpLabs/php-github-api#1072:
	// the search quota's reset, a non-zero remaining, no Retry-After.
	searchQuota := func(h http.HandlerFunc) http.HandlerFunc {
		return func(rw http.ResponseWriter, r *http.Request) {
			rw.Header().Set("X-RateLimit-Limit", "30")
			rw.Header().Set("X-RateLimit-Remaining", "14")
			rw.Header().Set("X-RateLimit-Reset", strconv.FormatInt(time.Now().Add(40*time.Second).Unix(), 10))
			rw.Header().Set("X-RateLimit-Resource", "search")
			h(rw, r)
		}
	}
	// The wording before 2021.
	abuse := jsonBody(403, map[string]any{"message": "You have triggered an abuse detection mechanism. Please wait a few minutes before you try again.",
		"documentation_url": "https://developer.github.com/v3/#abuse-rate-limits"})
	var lines []string
	for i := range 8 {
		h := secondary
		switch i % 3 {
		case 1:
			h = searchQuota(secondary)
		case 2:
			h = abuse
		}
		w.On(fmt.Sprintf("GET /repos/o/r%d", i), h)
		lines = append(lines, fmt.Sprintf("npx github:o/r%d", i))
	}
	o := restOptions(w)
	o.MaxWait = time.Minute // the default: the old code waited a minute three times
	start := time.Now()
	fs := New(o).Resolve(context.Background(), servers(t, lines...))
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("took %v", took)
	}
	for i := range 8 {
		if repo := fs.Repos[fmt.Sprintf("github.com/o/r%d", i)]; repo.Status != facts.RepoUnknown || !strings.Contains(repo.Reason, "rate limited by") {
			t.Errorf("r%d: %+v", i, repo)
		}
	}
	// Control: a 403 that is no rate limit is not retried as one.
	w.On("GET /repos/o/private", jsonBody(403, map[string]any{"message": "Resource protected by organization SAML enforcement."}))
	fs = New(o).Resolve(context.Background(), servers(t, "npx github:o/private"))
	if repo := fs.Repos["github.com/o/private"]; repo.Status != facts.RepoUnknown || strings.Contains(repo.Reason, "rate limited") || w.Count("GET /repos/o/private") != 1 {
		t.Errorf("SAML 403: %+v after %d requests", repo, w.Count("GET /repos/o/private"))
	}
}
