package resolve

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/mcptether/mcptether/internal/fakereg"
)

// benchWorld serves n distinct npm packages, each naming its own GitHub
// repository, with latency on every request. One package in ten has an
// advisory (so OSV's answer leads to a detail fetch) and one repository in
// ten is gone (so REST asks for its owner): every chain is at full depth.
func benchWorld(b *testing.B, n int, latency time.Duration) (*world, []string) {
	w := newWorld(b)
	w.Latency = latency
	var lines []string
	for i := range n {
		name := fmt.Sprintf("pkg-%03d", i)
		owner := fmt.Sprintf("org%03d", i)
		w.On("GET /npm/"+name, jsonBody(200, npmPackument(name, "github:"+owner+"/"+name,
			map[string]map[string]any{"1.0.0": {}}, map[string]string{"1.0.0": "2025-01-01T00:00:00.000Z"}, "1.0.0")))
		if i%10 == 5 {
			w.On("GET /users/"+owner, jsonBody(404, map[string]any{"message": "Not Found"}))
		} else {
			w.On(fmt.Sprintf("GET /repos/%s/%s", owner, name), jsonBody(200, map[string]any{"id": i + 1, "full_name": owner + "/" + name, "owner": map[string]any{"login": owner, "type": "User"}}))
		}
		if i%10 == 0 {
			w.On("GET /osv/v1/vulns/GHSA-"+name, jsonBody(200, map[string]any{"id": "GHSA-" + name, "modified": "2026-01-01T00:00:00Z", "summary": "a flaw"}))
		}
		lines = append(lines, "npx -y "+name)
	}
	w.On("POST /osv/v1/querybatch", func(rw http.ResponseWriter, r *http.Request) {
		var q struct {
			Queries []struct {
				Package struct{ Name string } `json:"package"`
			} `json:"queries"`
		}
		json.NewDecoder(r.Body).Decode(&q)
		res := make([]any, len(q.Queries))
		for i, qq := range q.Queries {
			res[i] = map[string]any{}
			var k int
			if fmt.Sscanf(qq.Package.Name, "pkg-%d", &k); k%10 == 0 {
				res[i] = map[string]any{"vulns": []any{map[string]any{"id": "GHSA-" + qq.Package.Name, "modified": "2026-01-01T00:00:00Z"}}}
			}
		}
		jsonBody(200, map[string]any{"results": res})(rw, r)
	})
	return w, lines
}

// chainDepth is the chain: packument → repository → owner → OSV
// batch → advisory.
const chainDepth = 5

// BenchmarkResolve: a cold run over 30 and 300 servers with 50 ms of
// latency on every request, at the default concurrency, through GitHub's
// GraphQL API (a token) and REST (none); then a warm run from the disk
// cache, which must make no request. ratio is the cold wall time over
// chainDepth × latency; floor-ratio is it over the least the pool allows.
func BenchmarkResolve(b *testing.B) {
	for _, n := range []int{30, 300} {
		for _, mode := range []string{"graphql", "rest"} {
			b.Run(fmt.Sprintf("servers=%d/github=%s", n, mode), func(b *testing.B) { benchResolve(b, n, mode == "rest") })
		}
	}
}

func benchResolve(b *testing.B, n int, rest bool) {
	const latency = 50 * time.Millisecond
	w, lines := benchWorld(b, n, latency)
	ss := servers(b, lines...)
	var requests, perKey, github int64
	var wall time.Duration
	for b.Loop() {
		o := options(w)
		o.GitHubREST = rest
		o.CacheDir = b.TempDir()
		before := w.GitHubCalls()
		r := New(o)
		start := time.Now()
		r.Resolve(context.Background(), ss)
		wall += time.Since(start)
		requests, perKey = r.Requests(), r.MaxRequestsPerKey()
		github = int64(w.GitHubCalls() - before)

		b.StopTimer()
		warm := New(o)
		warm.Resolve(context.Background(), ss)
		if warm.Requests() != 0 {
			b.Fatalf("warm run made %d requests", warm.Requests())
		}
		b.StartTimer()
	}
	perRun := wall / time.Duration(b.N)
	b.ReportMetric(float64(perRun.Milliseconds()), "wall-ms")
	b.ReportMetric(float64(requests), "requests")
	b.ReportMetric(float64(github), "github-requests")
	b.ReportMetric(float64(perRun)/float64(chainDepth*latency), "ratio")
	// What the pool allows: the packuments take n/HostConcurrency round
	// trips, then the last one's OSV batch and advisory follow; and all
	// requests take requests/Concurrency.
	o := options(w)
	o.defaults()
	rounds := max((n+o.HostConcurrency-1)/o.HostConcurrency+2, int(requests+int64(o.Concurrency)-1)/o.Concurrency)
	floor := time.Duration(rounds) * latency
	b.ReportMetric(float64(perRun)/float64(floor), "floor-ratio")
	b.ReportMetric(0, "warm-requests")
	b.ReportMetric(0, "ns/op")
	if perKey != 1 {
		b.Fatalf("a key was fetched %d times", perKey)
	}
}

// BenchmarkUnreachable: 30 servers across npm, PyPI and OCI with every
// endpoint refusing connections (at the default retry settings), and with
// every endpoint accepting connections but never answering (with a 500 ms
// request timeout: the run costs about two timeouts, whatever the number
// of lookups).
func BenchmarkUnreachable(b *testing.B) {
	var lines []string
	for i := range 10 {
		lines = append(lines, fmt.Sprintf("npx -y pkg-%d", i), fmt.Sprintf("uvx tool-%d", i), fmt.Sprintf("docker run -i ghcr.io/o/img-%d", i))
	}
	ss := servers(b, lines...)
	stall := make(chan struct{})
	stalled := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		select {
		case <-stall:
		case <-r.Context().Done():
		}
	}))
	b.Cleanup(func() { close(stall); stalled.Close() })
	for _, c := range []struct {
		name    string
		base    string
		timeout time.Duration
	}{
		{"refused", "http://" + fakereg.ClosedAddr(b), 0},
		{"stalled", stalled.URL, 500 * time.Millisecond},
	} {
		b.Run(c.name, func(b *testing.B) {
			base := c.base
			var requests int64
			var wall time.Duration
			for b.Loop() {
				r := New(Options{
					Version: "bench", NPMRegistry: base + "/npm", PyPIURL: base + "/pypi", GitHubAPI: base,
					OSVURL: base + "/osv", NuGetURL: base + "/nuget", GoProxy: base + "/goproxy", Timeout: c.timeout,
					Mirrors: map[string]string{"docker.io": base + "/dockerhub", "ghcr.io": base + "/ghcr"},
				})
				start := time.Now()
				r.Resolve(context.Background(), ss)
				wall += time.Since(start)
				requests = r.Requests()
			}
			b.ReportMetric(float64(wall.Milliseconds())/float64(b.N), "ms/run")
			b.ReportMetric(float64(requests), "requests")
			b.ReportMetric(0, "ns/op")
		})
	}
}
