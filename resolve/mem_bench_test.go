package resolve

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mcptether/mcptether/facts"
	"github.com/mcptether/mcptether/internal/heappeak"
)

// bigPackument is a packument of about size bytes: many versions, each
// with the readme and dependencies real packuments repeat per version.
func bigPackument(name string, size int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `{"_id":%q,"name":%q,"dist-tags":{"latest":"1.0.999"},"readme":%q,"versions":{`, name, name, strings.Repeat("r", 1<<20))
	times := []string{}
	for i := 0; b.Len() < size-200_000; i++ {
		v := fmt.Sprintf("1.0.%d", i)
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `%q:{"name":%q,"version":%q,"description":%q,"readme":%q,"dependencies":{`, v, name, v, strings.Repeat("d", 200), strings.Repeat("x", 8000))
		for j := 0; j < 40; j++ {
			if j > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `"dep-%d":"^%d.0.0"`, j, j)
		}
		fmt.Fprintf(&b, `},"_npmUser":{"name":"alice","email":"a@example.com"},"maintainers":[{"name":"alice","email":"a@example.com"}],"dist":{"integrity":"sha512-AAAA","shasum":"abc","tarball":"https://registry.npmjs.org/%s/-/x-%s.tgz"}}`, name, v)
		times = append(times, fmt.Sprintf(`%q:"2025-01-01T00:00:00.000Z"`, v))
	}
	b.WriteString(`},"time":{"created":"2024-01-01T00:00:00.000Z",` + strings.Join(times, ",") + `},"repository":{"type":"git","url":"git+https://github.com/acme/server.git"}}`)
	return []byte(b.String())
}

// BenchmarkLargePackuments resolves eight packages whose packuments are
// 30 MB each, concurrently: peak-MiB is the live heap at its highest.
func BenchmarkLargePackuments(b *testing.B) {
	w := newWorld(b)
	var lines []string
	for i := range 8 {
		name := fmt.Sprintf("big-%d", i)
		body := bigPackument(name, 30<<20)
		w.On("GET /npm/"+name, func(rw http.ResponseWriter, r *http.Request) {
			rw.Header().Set("Content-Type", "application/json")
			rw.Write(body)
		})
		lines = append(lines, "npx -y "+name)
	}
	ss := servers(b, lines...)
	o := options(w)
	o.Timeout = time.Minute
	var peak uint64
	for b.Loop() {
		peak = max(peak, heappeak.Of(func() {
			fs := New(o).Resolve(context.Background(), ss)
			for _, s := range ss {
				if p := fs.Packages[facts.Key(s.Refs[0])]; p == nil || p.Version == "" {
					b.Fatalf("not resolved: %+v", p)
				}
			}
		}))
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-MiB")
}
