package report

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/mcptether/mcptether/checks"
	"github.com/mcptether/mcptether/internal/safetext"
)

// Redact masks every secret the scan found wherever it appears in a
// rendered report, in each form the formats write it (as is, escaped in
// JSON, in a Markdown table cell, in a workflow command). Rules never
// quote a secret; this is the net under every other field (a note, a
// command, a message), for every format and the Actions outputs alike.
func (r *Result) Redact(data []byte) []byte {
	if len(r.Secrets) == 0 {
		return data
	}
	var pairs []string
	for _, s := range r.Secrets {
		mask := checks.Mask(s)
		quoted, _ := json.Marshal(s)
		forms := []string{s, string(quoted[1 : len(quoted)-1]), safetext.MarkdownCell(s), safetext.Line(s),
			strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)}
		for _, f := range forms {
			if f != "" {
				pairs = append(pairs, f, mask)
			}
		}
	}
	// Longest first, so a secret that contains another is masked whole.
	return []byte(newLongestFirstReplacer(pairs).Replace(string(data)))
}

// RedactString is Redact for text.
func (r *Result) RedactString(s string) string { return string(r.Redact([]byte(s))) }

func newLongestFirstReplacer(pairs []string) *strings.Replacer {
	type pair struct{ old, new string }
	ps := make([]pair, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		ps = append(ps, pair{pairs[i], pairs[i+1]})
	}
	slices.SortStableFunc(ps, func(a, b pair) int { return len(b.old) - len(a.old) })
	flat := make([]string, 0, len(pairs))
	for _, p := range ps {
		flat = append(flat, p.old, p.new)
	}
	return strings.NewReplacer(flat...)
}
