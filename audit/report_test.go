package audit

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// shard writes a report as audit does: results, then the summary.
func shard(t *testing.T, name string, results []Result, sum Summary) string {
	t.Helper()
	var b bytes.Buffer
	w, _ := NewWriter(&b, "json", 0)
	for _, r := range results {
		w.Result(r)
	}
	w.Close(sum)
	path := filepath.Join(t.TempDir(), name)
	os.WriteFile(path, b.Bytes(), 0o644)
	return path
}

func summarize(results []Result, s Summary) Summary {
	s.ByRule = map[string]int{}
	for _, r := range results {
		s.Count(r)
	}
	return s
}

var (
	evil  = Result{Name: "io.github.evil/evil", Version: "1.0.0", Findings: []Finding{{Rule: "malicious-package", Severity: "critical", Message: "m"}}}
	clean = Result{Name: "io.github.acme/clean", Version: "1.0.0", Findings: []Finding{}}
	lost  = Result{Name: "io.github.acme/lost", Version: "2.0.0", Findings: []Finding{{Rule: "unverifiable", Severity: "medium", Message: "m"}}}
)

// Merged shards are summed from their results, each server once, and
// the counts results cannot give are summed as written.
func TestMergeRecomputes(t *testing.T) {
	one := shard(t, "one.json", []Result{evil, clean}, summarize([]Result{evil, clean}, Summary{Skipped: 1, Seconds: 2, Requests: 10}))
	two := shard(t, "two.json", []Result{clean, lost}, summarize([]Result{clean, lost}, Summary{OlderVersions: 3, Blank: 7, Seconds: 5, Requests: 1,
		Unreadable: 1, Problems: []string{"dump.json:3: entry 2: too big"}, Stopped: "pagination stopped at page 9: it added no new server"}))
	var out bytes.Buffer
	w, _ := NewWriter(&out, "json", 0)
	sum, err := Merge([]string{one, two}, w)
	if err != nil {
		t.Fatal(err)
	}
	w.Close(sum)
	var rep struct {
		Results []Result
		Summary Summary
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("%v:\n%s", err, out.String())
	}
	want := Summary{Servers: 3, Skipped: 1, OlderVersions: 3, Blank: 7, Unreadable: 1, Repeated: 1, Unverifiable: 1,
		ByRule: map[string]int{"malicious-package": 1, "unverifiable": 1}, Seconds: 5, Requests: 11}
	got := rep.Summary
	if len(rep.Results) != 3 || got.Servers != want.Servers || got.Repeated != want.Repeated || got.Skipped != want.Skipped || got.Blank != want.Blank ||
		got.Unverifiable != want.Unverifiable || got.Seconds != want.Seconds || got.Requests != want.Requests || len(got.ByRule) != 2 || got.ByRule["malicious-package"] != 1 {
		t.Errorf("merged %+v,\nwant %+v", got, want)
	}
	if got.Stopped != two+": pagination stopped at page 9: it added no new server" || len(got.Problems) != 1 {
		t.Errorf("stopped %q, problems %q", got.Stopped, got.Problems)
	}
}

// A shard whose summary disagrees with its results, or holds a count that
// is not one, is refused before anything is written.
func TestMergeRefusesForgedShards(t *testing.T) {
	results := []Result{evil, lost}
	honest := summarize(results, Summary{Skipped: 1, Seconds: 3, Requests: 2})
	for _, c := range []struct {
		name    string
		results []Result
		forge   func(*Summary)
		want    string
	}{
		{"negative.json", results, func(s *Summary) { s.Skipped = -5 }, `"skipped" is -5`},
		{"requests.json", results, func(s *Summary) { s.Requests = -1 }, `"requests" is -1`},
		{"huge-count.json", results, func(s *Summary) { s.OlderVersions = 1 << 62 }, `"olderVersions" is 4611686018427387904`},
		{"seconds.json", results, func(s *Summary) { s.Seconds = 1e308 }, `"seconds" is 1e+308`},
		{"hidden-rule.json", results, func(s *Summary) { s.ByRule["malicious-package"] = -5 }, `rule "malicious-package" has -5 servers, its results give 1`},
		{"missing-rule.json", results, func(s *Summary) { delete(s.ByRule, "malicious-package") }, `rule "malicious-package" has 0 servers, its results give 1`},
		{"invented-rule.json", results, func(s *Summary) { s.ByRule["repo-missing"] = 40 }, `rule "repo-missing" has 40 servers, its results give 0`},
		{"servers.json", results, func(s *Summary) { s.Servers = 900 }, `"servers" is 900, its results give 2`},
		{"unverifiable.json", results, func(s *Summary) { s.Unverifiable = 0 }, `"unverifiable" is 0, its results give 1`},
		{"twice.json", []Result{evil, evil}, func(s *Summary) { s.Servers = 2 }, `"io.github.evil/evil" version "1.0.0" is listed twice`},
		{"problems.json", results, func(s *Summary) { s.Problems = []string{"x"} }, "1 problems listed for 0 unreadable entries"},
	} {
		sum := honest
		sum.ByRule = map[string]int{"malicious-package": 1, "unverifiable": 1}
		c.forge(&sum)
		ok := shard(t, "ok.json", []Result{clean}, summarize([]Result{clean}, Summary{}))
		bad := shard(t, c.name, c.results, sum)
		var out bytes.Buffer
		w, _ := NewWriter(&out, "json", 0)
		_, err := Merge([]string{ok, bad}, w)
		if err == nil || !strings.Contains(err.Error(), bad+": ") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
		if out.Len() != 0 {
			t.Errorf("%s: wrote %q before refusing", c.name, out.String())
		}
	}
}
