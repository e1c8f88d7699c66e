package audit

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mcptether/mcptether/internal/fakereg"
	"github.com/mcptether/mcptether/internal/heappeak"
	"github.com/mcptether/mcptether/resolve"
)

// BenchmarkAudit audits a generated registry of n servers, one npm package
// each with its own GitHub repository, through the registry API (100 a
// page), npm, GitHub GraphQL and OSV fakes with 2 ms of latency on every
// request. It reports servers per second, requests per server and the
// audit's peak heap (above the fakes' own), which must not grow with the
// registry.
func BenchmarkAudit(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("servers=%d", n), func(b *testing.B) { benchAudit(b, n) })
	}
}

func benchAudit(b *testing.B, n int) {
	w := fakereg.New(b)
	w.Latency = 2 * time.Millisecond
	entries := make([]map[string]any, n)
	for i := range n {
		name, owner := fmt.Sprintf("gen-%05d", i), fmt.Sprintf("gen-owner-%05d", i)
		w.On("GET /npm/"+name, fakereg.JSON(200, fakereg.NPMPackument(name, "github:"+owner+"/"+name,
			map[string]map[string]any{"1.0.0": {}}, map[string]string{"1.0.0": "2025-01-01T00:00:00.000Z"}, "1.0.0")))
		w.On("GET /repos/"+owner+"/"+name, fakereg.JSON(200, map[string]any{"id": i + 1, "full_name": owner + "/" + name,
			"created_at": "2024-01-01T00:00:00Z", "owner": map[string]any{"login": owner, "type": "User"}}))
		entries[i] = fakereg.RegistryEntry(map[string]any{"name": "io.github." + owner + "/" + name, "version": "1.0.0",
			"packages": []any{map[string]any{"registryType": "npm", "identifier": name, "version": "1.0.0", "transport": map[string]any{"type": "stdio"}}}}, "active", true)
	}
	w.ServeRegistry("/mcp-registry", entries, 0)
	u := w.URLs()
	var servers int
	var requests int64
	var wall time.Duration
	var peak atomic.Uint64
	var grown uint64
	for b.Loop() {
		r := resolve.New(resolve.Options{Version: "bench", NPMRegistry: u["MCPTETHER_NPM_REGISTRY"], GitHubAPI: u["GITHUB_API_URL"], GitHubToken: "t",
			OSVURL: u["MCPTETHER_OSV_URL"], MCPRegistry: u["MCPTETHER_REGISTRY_URL"], CacheDir: b.TempDir()})
		// The fakes' catalog lives in this process too: the audit's own
		// memory is the peak above the heap before it starts.
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		base := before.HeapAlloc
		peak.Store(base)
		start := time.Now()
		// The live heap after each chunk: what the audit holds between
		// chunks, which is what must not grow with the registry.
		var paused time.Duration
		progress := func(Progress) {
			t := time.Now()
			var ms runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > peak.Load() {
				peak.Store(ms.HeapAlloc)
			}
			paused += time.Since(t)
		}
		sum, err := Run(context.Background(), Options{Resolver: r, Progress: progress}, func(Result) error { return nil })
		wall += time.Since(start) - paused
		if err != nil {
			b.Fatal(err)
		}
		servers, requests = sum.Servers, sum.Requests
		// The fakes' request logs grow on the first run: later runs
		// measure the audit alone.
		grown = peak.Load() - base
	}
	if servers != n {
		b.Fatalf("audited %d of %d", servers, n)
	}
	perRun := wall / time.Duration(b.N)
	b.ReportMetric(float64(servers)/perRun.Seconds(), "servers/s")
	b.ReportMetric(float64(requests)/float64(servers), "requests/server")
	b.ReportMetric(float64(grown)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(w.GraphQLCalls())/float64(b.N)/float64(servers)*100, "github-requests/100-servers")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkOversizedEntry audits, offline, an array dump whose middle
// entry is size MiB, and reports the peak of the heap above where it
// started: over the bound, it stays near the bound however large the
// entry; under it, the entry is audited like any other.
func BenchmarkOversizedEntry(b *testing.B) {
	for _, size := range []int{300, 80, 60, 16} {
		b.Run(fmt.Sprintf("MiB=%d", size), func(b *testing.B) {
			path := oversized(b, "array.json", size<<20)
			var peak uint64
			for b.Loop() {
				peak = max(peak, heappeak.Of(func() {
					sum, err := Run(context.Background(), Options{From: path}, func(Result) error { return nil })
					if err != nil || sum.Servers+sum.Unreadable != 3 {
						b.Fatalf("%v: %+v", err, sum)
					}
				}))
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
			b.ReportMetric(0, "ns/op")
		})
	}
}
