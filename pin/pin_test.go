package pin

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/mcptether/mcptether/config"
	"github.com/mcptether/mcptether/facts"
	"github.com/mcptether/mcptether/launch"
)

// source is a Source from fixtures: no network.
type source struct {
	cands   []facts.Release
	advErr  error
	advised map[string][]facts.Advisory
}

func (s source) Candidates(context.Context, launch.Ref) ([]facts.Release, error) { return s.cands, nil }
func (s source) AdvisoriesFor(_ context.Context, _ launch.Ecosystem, _ string, vs []string) (map[string][]facts.Advisory, error) {
	return s.advised, s.advErr
}
func (s source) Lookup(context.Context, launch.Ref) *facts.Package { return &facts.Package{} }
func (s source) CommitSHA(context.Context, string, string) (string, error) {
	return "", errors.New("no GitHub here")
}

var now = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

func servers(t *testing.T, src string) []*launch.Server {
	f := config.Parse(".mcp.json", []byte(src))
	if f == nil || f.Err != nil {
		t.Fatalf("%+v", f)
	}
	return launch.DecodeAll([]*config.File{f})
}

func TestChoose(t *testing.T) {
	ss := servers(t, `{"mcpServers":{"a":{"command":"npx","args":["x"]}}}`)
	old := now.AddDate(0, -1, 0)
	cases := []struct {
		name   string
		src    source
		want   string
		reason string
	}{
		{"newest passes", source{cands: []facts.Release{{Version: "2.0.0", Published: old}, {Version: "1.0.0", Published: old}}}, "x@2.0.0", ""},
		{"all too fresh", source{cands: []facts.Release{{Version: "2.0.0", Published: now.Add(-time.Hour)}}}, "", "no version passes: 2.0.0: published 1 hours ago"},
		{"advisories unknown", source{cands: []facts.Release{{Version: "2.0.0", Published: old}}, advErr: errors.New("OSV: timeout")}, "", "could not check advisories"},
		{"all advised", source{cands: []facts.Release{{Version: "2.0.0", Published: old}}, advised: map[string][]facts.Advisory{"2.0.0": {{ID: "GHSA-1"}}}}, "", "2.0.0: advisories GHSA-1"},
		{"yanked skipped", source{cands: []facts.Release{{Version: "2.0.0", Yanked: true}, {Version: "1.0.0", Published: old}}}, "x@1.0.0", ""},
	}
	for _, c := range cases {
		changes, skips := Plan(context.Background(), c.src, ss, Options{MinAge: 7 * 24 * time.Hour, Now: now})
		switch {
		case c.want != "" && (len(changes) != 1 || changes[0].New != c.want):
			t.Errorf("%s: changes %+v skips %+v", c.name, changes, skips)
		case c.want == "" && (len(skips) != 1 || !strings.Contains(skips[0].Reason, c.reason)):
			t.Errorf("%s: skips %+v, want %q", c.name, skips, c.reason)
		}
	}
	// A git source whose commit cannot be learnt is left alone, with why.
	_, skips := Plan(context.Background(), source{}, servers(t, `{"mcpServers":{"a":{"command":"npx","args":["github:o/r"]}}}`), Options{Now: now})
	if len(skips) != 1 || !strings.Contains(skips[0].Reason, "no GitHub here") {
		t.Errorf("git skip: %+v", skips)
	}
}

func TestApplyRefusesStaleOffsets(t *testing.T) {
	read := func(string) ([]byte, error) { return []byte(`{"a": "x"}`), nil }
	if _, err := Apply([]Change{{File: "f", Start: 7, End: 8, Old: "y", New: "z"}}, read); err == nil || !strings.Contains(err.Error(), "changed while pinning") {
		t.Errorf("err = %v", err)
	}
	res, err := Apply([]Change{{File: "f", Start: 7, End: 8, Old: "x", New: "x@1", Comment: " // was x"}}, read)
	if err != nil || string(res[0].New) != `{"a": "x@1"} // was x` {
		t.Errorf("apply: %v %q", err, res)
	}
	if !strings.Contains(string(res[0].Diff()), "+{\"a\": \"x@1\"} // was x") {
		t.Errorf("diff: %s", res[0].Diff())
	}
}
