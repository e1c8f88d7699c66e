package checks

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mcptether/mcptether/config"
	"github.com/mcptether/mcptether/internal/heappeak"
	"github.com/mcptether/mcptether/launch"
)

// hostileSize is the 4 MiB the scale benchmarks have always measured.
const hostileSize = 4<<20 - 1024

// manyServers is a .mcp.json of servers up to size bytes, on one line or
// pretty-printed.
func manyServers(size int, pretty bool) []byte {
	var b strings.Builder
	nl, ind := "", ""
	if pretty {
		nl, ind = "\n", "    "
	}
	b.WriteString(`{"mcpServers":{` + nl)
	for i := 0; b.Len() < size-200; i++ {
		if i > 0 {
			b.WriteString("," + nl)
		}
		fmt.Fprintf(&b, `%s"s%d":{"command":"npx","args":["-y","@acme/srv-%d"],"env":{"K":"ü%d"}}`, ind, i, i, i)
	}
	b.WriteString(nl + "}}")
	return []byte(b.String())
}

// longCommand is one server whose command string is n bytes of flags.
func longCommand(n int) []byte {
	return []byte(`{"mcpServers":{"s":{"command":"npx` + strings.Repeat(" -y", n/3) + ` pkg"}}}`)
}

// scanBytes runs discovery's parser, the decoder and every offline rule.
func scanBytes(src []byte) int {
	f := config.Parse(".mcp.json", src)
	files := []*config.File{f}
	return len(Run(All, &Input{Files: files, Servers: launch.DecodeAll(files), Now: time.Now()}))
}

func benchScan(b *testing.B, src []byte) {
	b.ReportAllocs()
	b.SetBytes(int64(len(src)))
	var peak uint64
	for b.Loop() {
		peak = max(peak, heappeak.Of(func() { scanBytes(src) }))
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(src)), "ns/byte")
	b.ReportMetric(float64(peak)/(1<<20), "peak-MiB")
}

// BenchmarkScanOneLine4MiB is a hostile config: 4 MiB of servers on one
// line, where per-value column counting from the line start is quadratic.
func BenchmarkScanOneLine4MiB(b *testing.B) { benchScan(b, manyServers(hostileSize, false)) }

// BenchmarkScanPretty4MiB is the same servers pretty-printed.
func BenchmarkScanPretty4MiB(b *testing.B) { benchScan(b, manyServers(hostileSize, true)) }

// BenchmarkScanCommand1MB is one command string of a million bytes.
func BenchmarkScanCommand1MB(b *testing.B) { benchScan(b, longCommand(1_000_000)) }

// BenchmarkScanAtValueBound is the densest config a scan still reads: one
// line of servers just under the parser's bound on values (each server
// here is five). Its peak-MiB is the most memory one config can cost.
func BenchmarkScanAtValueBound(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"mcpServers":{`)
	for i := 0; i < 99_000; i++ {
		if i > 0 {
			sb.WriteString(",")
		}
		fmt.Fprintf(&sb, `"s%d":{"command":"npx","args":["-y","p%d"]}`, i, i)
	}
	sb.WriteString("}}")
	src := []byte(sb.String())
	if f := config.Parse(".mcp.json", src); f.Err != nil || len(f.Servers) != 99_000 {
		b.Fatalf("not read: %+v", f.Err)
	}
	benchScan(b, src)
}
