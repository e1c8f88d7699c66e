package audit

import (
	"container/heap"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/mcptether/mcptether/checks"
	"github.com/mcptether/mcptether/internal/safetext"
)

// FormatVersion is the version of the JSON report, which audit merge reads
// back.
const FormatVersion = 1

// Writer renders results as they complete, then the summary.
type Writer interface {
	Result(Result) error
	Close(Summary) error
}

// NewWriter returns the writer for format: text, json or csv. top is how
// many of the most severe servers text lists per rule.
func NewWriter(w io.Writer, format string, top int) (Writer, error) {
	switch format {
	case "text", "":
		return &textWriter{w: w, top: top, best: map[string]*topK{}}, nil
	case "json":
		return &jsonWriter{w: w}, nil
	case "csv":
		cw := csv.NewWriter(w)
		return &csvWriter{w: cw}, cw.Write([]string{"name", "version", "repository", "rule", "severity", "message"})
	}
	return nil, fmt.Errorf("unknown format %q: use text, json or csv", format)
}

// jsonWriter streams {"version":1,"results":[…],"summary":{…}}.
type jsonWriter struct {
	w     io.Writer
	count int
}

func (j *jsonWriter) Result(r Result) error {
	prefix := ",\n  "
	if j.count == 0 {
		prefix = fmt.Sprintf("{\"version\": %d,\n\"results\": [\n  ", FormatVersion)
	}
	j.count++
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	_, err = io.WriteString(j.w, prefix+string(safetext.Rendered(b)))
	return err
}

func (j *jsonWriter) Close(s Summary) error {
	if j.count == 0 {
		if _, err := fmt.Fprintf(j.w, "{\"version\": %d,\n\"results\": [", FormatVersion); err != nil {
			return err
		}
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(j.w, "\n],\n\"summary\": %s\n}\n", safetext.Rendered(b))
	return err
}

type csvWriter struct{ w *csv.Writer }

// Result writes a row per finding. Every cell is a registry's or a
// shard file's text, and a row may start a line of a CI log.
func (c *csvWriter) Result(r Result) error {
	row := func(cells ...string) error {
		for i := range cells {
			cells[i] = safetext.Line(cells[i])
		}
		return c.w.Write(cells)
	}
	if len(r.Findings) == 0 {
		return row(r.Name, r.Version, r.Repository, "", "", "")
	}
	for _, f := range r.Findings {
		if err := row(r.Name, r.Version, r.Repository, f.Rule, f.Severity, f.Message); err != nil {
			return err
		}
	}
	return nil
}

func (c *csvWriter) Close(Summary) error {
	c.w.Flush()
	return c.w.Error()
}

// textWriter prints the paper-style table at the end, keeping only the K
// most severe servers per rule on the way.
type textWriter struct {
	w    io.Writer
	top  int
	best map[string]*topK
	seq  int
}

func (t *textWriter) Result(r Result) error {
	if t.top <= 0 {
		return nil
	}
	t.seq++
	worst := map[string]int{}
	for _, f := range r.Findings {
		if w, ok := worst[f.Rule]; !ok || severityRank(f.Severity) > w {
			worst[f.Rule] = severityRank(f.Severity)
		}
	}
	for rule, rank := range worst {
		k := t.best[rule]
		if k == nil {
			k = &topK{}
			t.best[rule] = k
		}
		heap.Push(k, ranked{name: r.Name, rank: rank, seq: t.seq})
		if k.Len() > t.top {
			heap.Pop(k)
		}
	}
	return nil
}

func (t *textWriter) Close(s Summary) error {
	var b strings.Builder
	if s.Stopped != "" {
		fmt.Fprintf(&b, "incomplete audit: %s\n\n", safetext.Line(s.Stopped))
	}
	fmt.Fprintf(&b, "%-28s %10s %8s\n", "rule", "servers", "share")
	for _, rule := range rulesIn(s.ByRule) {
		fmt.Fprintf(&b, "%-28s %10d %7.1f%%\n", safetext.Line(rule), s.ByRule[rule], share(s.ByRule[rule], s.Servers))
	}
	fmt.Fprintf(&b, "\n%d servers audited, %d skipped (deleted), %d older versions not audited, %d could not be fully checked (%.1f%%)\n",
		s.Servers, s.Skipped, s.OlderVersions, s.Unverifiable, share(s.Unverifiable, s.Servers))
	if s.Blank+s.Unreadable+s.Repeated > 0 {
		fmt.Fprintf(&b, "%d blank entries skipped, %d unreadable entries skipped, %d repeated entries counted once\n", s.Blank, s.Unreadable, s.Repeated)
	}
	for _, p := range s.Problems {
		fmt.Fprintf(&b, "  skipped %s\n", safetext.Line(p))
	}
	if more := s.Unreadable - len(s.Problems); more > 0 && len(s.Problems) > 0 {
		fmt.Fprintf(&b, "  and %d more\n", more)
	}
	fmt.Fprintf(&b, "%.1f s, %d requests\n", s.Seconds, s.Requests)
	if t.top > 0 {
		for _, rule := range rulesIn(s.ByRule) {
			k := t.best[rule]
			if k == nil {
				continue
			}
			list := append(topK(nil), *k...)
			sort.Slice(list, func(i, j int) bool { return list[j].less(list[i]) })
			fmt.Fprintf(&b, "\n%s, most severe first:\n", safetext.Line(rule))
			for _, e := range list {
				fmt.Fprintf(&b, "  %s (%s)\n", safetext.Line(e.name), checks.Severity(e.rank))
			}
		}
	}
	_, err := io.WriteString(t.w, b.String())
	return err
}

// rulesIn lists the rules with findings in checks.All's order (the risk
// rules first, as `mcptether rules` lists them).
func rulesIn(by map[string]int) []string {
	var out []string
	for _, r := range checks.All {
		if by[r.ID] > 0 {
			out = append(out, r.ID)
		}
	}
	for id := range by {
		if by[id] > 0 && !known(id) {
			out = append(out, id)
		}
	}
	return out
}

func known(id string) bool {
	for _, r := range checks.All {
		if r.ID == id {
			return true
		}
	}
	return false
}

func share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return 100 * float64(n) / float64(of)
}

// ranked is a server in a rule's top K: most severe, then first seen.
type ranked struct {
	name string
	rank int
	seq  int
}

// less: a is less severe than b (ties: the later one is less).
func (a ranked) less(b ranked) bool {
	if a.rank != b.rank {
		return a.rank < b.rank
	}
	return a.seq > b.seq
}

// topK is a min-heap: the least severe of the kept K is popped first.
type topK []ranked

func (h topK) Len() int           { return len(h) }
func (h topK) Less(i, j int) bool { return h[i].less(h[j]) }
func (h topK) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *topK) Push(x any)        { *h = append(*h, x.(ranked)) }
func (h *topK) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// Read streams a JSON report (audit's own, or a merge's): each result to
// each, and returns its summary.
func Read(r io.Reader, each func(Result) error) (Summary, error) {
	dec := json.NewDecoder(r)
	var sum Summary
	var version int
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return sum, errors.New("not an audit report: want a JSON object")
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return sum, err
		}
		switch tok {
		case "version":
			if err := dec.Decode(&version); err != nil {
				return sum, err
			}
			if version != FormatVersion {
				return sum, errors.New("audit report version " + strconv.Itoa(version) + ": this mcptether reads version " + strconv.Itoa(FormatVersion))
			}
		case "summary":
			if err := dec.Decode(&sum); err != nil {
				return sum, err
			}
		case "results":
			if t, err := dec.Token(); err != nil || t != json.Delim('[') {
				return sum, errors.New("results must be a list")
			}
			for dec.More() {
				var res Result
				if err := dec.Decode(&res); err != nil {
					return sum, err
				}
				if err := each(res); err != nil {
					return sum, err
				}
			}
			if _, err := dec.Token(); err != nil {
				return sum, err
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return sum, err
			}
		}
	}
	if version == 0 {
		return sum, errors.New("not an audit report: no version")
	}
	return sum, nil
}

// Counts a shard report may hold: a larger one is not a count.
const (
	maxCount   = 1 << 40
	maxSeconds = 366 * 24 * 3600
)

// Merge reads shard reports and writes each server once (by name and
// version) to w; the summary it returns is recomputed from the results
// written. A shard whose summary disagrees with its own results, or
// holds a count that cannot be one, is refused: shards in regular files
// are all checked before anything is written (a pipe can be read once,
// and is checked as it is written).
func Merge(paths []string, w Writer) (Summary, error) {
	for _, p := range paths {
		if fi, err := os.Stat(p); err != nil || !fi.Mode().IsRegular() {
			continue
		}
		if _, err := readShard(p, func(Result) error { return nil }); err != nil {
			return Summary{}, err
		}
	}
	total := Summary{ByRule: map[string]int{}}
	seen := newSeenSet()
	for _, p := range paths {
		s, err := readShard(p, func(r Result) error {
			if !seen.add(serverKey(r.Name, r.Version)) {
				total.Repeated++ // in an earlier shard too
				return nil
			}
			total.Count(r)
			return w.Result(r)
		})
		if err != nil {
			return total, err
		}
		total.Skipped += s.Skipped
		total.OlderVersions += s.OlderVersions
		total.Blank += s.Blank
		total.Unreadable += s.Unreadable
		total.Repeated += s.Repeated
		total.Requests += s.Requests
		total.Seconds = max(total.Seconds, s.Seconds) // shards run side by side
		for _, pr := range s.Problems {
			total.problem(pr)
		}
		if s.Stopped != "" {
			total.Stopped = strings.TrimPrefix(total.Stopped+"; "+p+": "+s.Stopped, "; ")
		}
	}
	return total, nil
}

// readShard reads one shard report, passes each of its servers to each
// once, and returns its summary when it agrees with its results.
func readShard(path string, each func(Result) error) (Summary, error) {
	f, err := os.Open(path)
	if err != nil {
		return Summary{}, err
	}
	defer f.Close()
	own := Summary{ByRule: map[string]int{}}
	seen := newSeenSet()
	sum, err := Read(f, func(r Result) error {
		if !seen.add(serverKey(r.Name, r.Version)) {
			return fmt.Errorf("the server %q version %q is listed twice", r.Name, r.Version)
		}
		own.Count(r)
		return each(r)
	})
	if err != nil {
		return sum, fmt.Errorf("%s: %w", path, err)
	}
	if err := agrees(sum, own); err != nil {
		return sum, fmt.Errorf("%s: refused: %w", path, err)
	}
	return sum, nil
}

// agrees checks a shard's summary against what its results give, and
// the counts that results cannot give for sanity.
func agrees(sum, own Summary) error {
	for _, c := range []struct {
		field     string
		says, has int
	}{{"servers", sum.Servers, own.Servers}, {"unverifiable", sum.Unverifiable, own.Unverifiable}} {
		if c.says != c.has {
			return fmt.Errorf("the summary says %q is %d, its results give %d", c.field, c.says, c.has)
		}
	}
	rules := map[string]bool{}
	for r := range sum.ByRule {
		rules[r] = true
	}
	for r := range own.ByRule {
		rules[r] = true
	}
	for _, r := range sortedKeys(rules) {
		if sum.ByRule[r] != own.ByRule[r] {
			return fmt.Errorf("the summary says rule %q has %d servers, its results give %d", r, sum.ByRule[r], own.ByRule[r])
		}
	}
	for _, c := range []struct {
		field string
		n     int64
	}{{"skipped", int64(sum.Skipped)}, {"olderVersions", int64(sum.OlderVersions)}, {"blank", int64(sum.Blank)},
		{"unreadable", int64(sum.Unreadable)}, {"repeated", int64(sum.Repeated)}, {"requests", sum.Requests}} {
		if c.n < 0 || c.n > maxCount {
			return fmt.Errorf("%q is %d: want a count from 0 to %d", c.field, c.n, int64(maxCount))
		}
	}
	if math.IsNaN(sum.Seconds) || sum.Seconds < 0 || sum.Seconds > maxSeconds {
		return fmt.Errorf("%q is %v: want a time from 0 to %d seconds", "seconds", sum.Seconds, maxSeconds)
	}
	if len(sum.Problems) > sum.Unreadable {
		return fmt.Errorf("%d problems listed for %d unreadable entries", len(sum.Problems), sum.Unreadable)
	}
	if len(sum.Problems) > maxProblems {
		return fmt.Errorf("%d problems listed: a report lists at most %d", len(sum.Problems), maxProblems)
	}
	return nil
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
