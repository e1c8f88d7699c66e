package resolve

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/mcptether/mcptether/internal/fakereg"
)

// benchWorld serves 200 distinct npm packages, each naming its own GitHub
// repository, with 20 ms of latency on every request.
func benchWorld(b *testing.B) (*world, []string) {
	w := newWorld(b)
	w.Latency = 20 * time.Millisecond
	var lines []string
	for i := 0; i < 200; i++ {
		name := fmt.Sprintf("pkg-%03d", i)
		w.On("GET /npm/"+name, jsonBody(200, npmPackument(name, fmt.Sprintf("github:org%03d/%s", i, name),
			map[string]map[string]any{"1.0.0": {}}, map[string]string{"1.0.0": "2025-01-01T00:00:00.000Z"}, "1.0.0")))
		w.On(fmt.Sprintf("GET /repos/org%03d/%s", i, name), jsonBody(200, map[string]any{"full_name": fmt.Sprintf("org%03d/%s", i, name), "owner": map[string]any{"login": "x", "type": "User"}}))
		lines = append(lines, "npx -y "+name)
	}
	return w, lines
}

// BenchmarkResolve: a cold run over 200 servers (200 packuments, 200
// repositories, one OSV batch), then a warm run from the disk cache.
func BenchmarkResolve(b *testing.B) {
	for _, c := range []int{16, 64} {
		b.Run(fmt.Sprintf("concurrency=%d", c), func(b *testing.B) { benchResolve(b, c) })
	}
}

func benchResolve(b *testing.B, concurrency int) {
	w, lines := benchWorld(b)
	ss := servers(b, lines...)
	var requests, perKey int64
	var wall time.Duration
	for b.Loop() {
		o := options(w)
		o.Concurrency = concurrency
		o.CacheDir = b.TempDir()
		r := New(o)
		start := time.Now()
		r.Resolve(context.Background(), ss)
		wall += time.Since(start)
		requests, perKey = r.Requests(), r.MaxRequestsPerKey()

		b.StopTimer()
		warm := New(o)
		warm.Resolve(context.Background(), ss)
		if warm.Requests() != 0 {
			b.Fatalf("warm run made %d requests", warm.Requests())
		}
		b.ReportMetric(float64(warm.Requests()), "warm-requests")
		b.StartTimer()
	}
	b.ReportMetric(float64(wall.Milliseconds())/float64(b.N), "ms/run")
	b.ReportMetric(float64(requests), "requests")
	b.ReportMetric(float64(perKey), "max-requests/key")
	if perKey != 1 {
		b.Fatalf("a key was fetched %d times", perKey)
	}
}

// BenchmarkUnreachable: 30 servers across npm, PyPI, OCI and git with
// every endpoint refusing connections, at the default retry settings.
func BenchmarkUnreachable(b *testing.B) {
	base := "http://" + fakereg.ClosedAddr(b)
	var lines []string
	for i := range 10 {
		lines = append(lines, fmt.Sprintf("npx -y pkg-%d", i), fmt.Sprintf("uvx tool-%d", i), fmt.Sprintf("docker run -i ghcr.io/o/img-%d", i))
	}
	ss := servers(b, lines...)
	var requests int64
	var wall time.Duration
	for b.Loop() {
		r := New(Options{
			Version: "bench", NPMRegistry: base + "/npm", PyPIURL: base + "/pypi", GitHubAPI: base,
			OSVURL: base + "/osv", NuGetURL: base + "/nuget", GoProxy: base + "/goproxy",
			Mirrors: map[string]string{"docker.io": base + "/dockerhub", "ghcr.io": base + "/ghcr"},
		})
		start := time.Now()
		r.Resolve(context.Background(), ss)
		wall += time.Since(start)
		requests = r.Requests()
	}
	b.ReportMetric(float64(wall.Milliseconds())/float64(b.N), "ms/run")
	b.ReportMetric(float64(requests), "requests")
}
