package triage

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/mcptether/mcptether/checks"
	"github.com/mcptether/mcptether/config"
	"github.com/mcptether/mcptether/launch"
	"github.com/mcptether/mcptether/policy"
)

// judge runs the configured rules and triages their findings, as a scan
// does.
func judge(t *testing.T, files []*config.File, p *policy.Policy, cwd string, now time.Time) []checks.Finding {
	t.Helper()
	in := &checks.Input{Files: files, Servers: launch.DecodeAll(files), Policy: p, Now: now}
	fs := checks.Run(Rules(checks.All, p, false), in)
	Apply(fs, Input{Files: files, Policy: p, Cwd: cwd, Now: now})
	return fs
}

func ids(fs []checks.Finding, rule string) []checks.Finding {
	var out []checks.Finding
	for _, f := range fs {
		if f.RuleID == rule {
			out = append(out, f)
		}
	}
	return out
}

func parsed(t *testing.T, path, src string) []*config.File {
	t.Helper()
	f := config.Parse(path, []byte(src))
	if f == nil || f.Err != nil {
		t.Fatalf("%s: %+v", path, f)
	}
	return []*config.File{f}
}

func TestInlineIgnores(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name, path, src string
		suppressed      bool
		reason          string
	}{
		{"jsonc line above", ".cursor/mcp.json", "{\"mcpServers\": {\n  // mcptether:ignore unpinned-package vendor ships nightlies only\n  \"a\": {\"command\": \"npx\", \"args\": [\"pkg\"]}\n}}", true, "vendor ships nightlies only"},
		{"jsonc same line", ".cursor/mcp.json", "{\"mcpServers\": {\n  \"a\": {\"command\": \"npx\", \"args\": [\"pkg\"]} // mcptether:ignore unpinned-package pinned upstream\n}}", true, "pinned upstream"},
		{"jsonc block comment", ".vscode/mcp.json", "{\"servers\": {\n  /* mcptether:ignore unpinned-package demo only */\n  \"a\": {\"command\": \"npx\", \"args\": [\"pkg\"]}\n}}", true, "demo only"},
		{"yaml", ".continue/mcpServers/a.yaml", "mcpServers:\n  - name: a\n    command: npx\n    # mcptether:ignore unpinned-package internal mirror pins it\n    args: [pkg]\n", true, "internal mirror pins it"},
		{"toml", ".codex/config.toml", "[mcp_servers.a]\ncommand = \"npx\"\nargs = [\"pkg\"] # mcptether:ignore unpinned-package reviewed weekly\n", true, "reviewed weekly"},
		{"no reason", ".cursor/mcp.json", "{\"mcpServers\": {\n  // mcptether:ignore unpinned-package\n  \"a\": {\"command\": \"npx\", \"args\": [\"pkg\"]}\n}}", true, "no reason given"},
		{"other rule", ".cursor/mcp.json", "{\"mcpServers\": {\n  // mcptether:ignore mutable-image not this one\n  \"a\": {\"command\": \"npx\", \"args\": [\"pkg\"]}\n}}", false, ""},
		{"two lines above", ".cursor/mcp.json", "{\"mcpServers\": {\n  // mcptether:ignore unpinned-package too far\n\n  \"a\": {\"command\": \"npx\", \"args\": [\"pkg\"]}\n}}", false, ""},
	}
	for _, c := range cases {
		fs := ids(judge(t, parsed(t, c.path, c.src), nil, "", now), checks.UnpinnedPackage.ID)
		if len(fs) != 1 {
			t.Fatalf("%s: %d findings", c.name, len(fs))
		}
		s := fs[0].Suppression
		switch {
		case c.suppressed && (s == nil || s.Kind != "inSource" || s.Justification != c.reason):
			t.Errorf("%s: suppression %+v, want inSource %q", c.name, s, c.reason)
		case !c.suppressed && s != nil:
			t.Errorf("%s: suppressed by %+v", c.name, s)
		}
	}
}

func TestPolicyApplied(t *testing.T) {
	dir := t.TempDir()
	pol := `rules:
  mutable-image:
    severity: low
  auto-approved-tools:
    disabled: true
ignore:
  - rule: unpinned-package
    package: "@acme/*"
    reason: released in lockstep
  - rule: hardcoded-secret
    path: "*.json"
    reason: test fixture
    expires: 2026-05-31
`
	path := filepath.Join(dir, ".mcptether.yml")
	if err := os.WriteFile(path, []byte(pol), 0o644); err != nil {
		t.Fatal(err)
	}
	var known []string
	for _, r := range checks.All {
		known = append(known, r.ID)
	}
	p, err := policy.Load(path, known)
	if err != nil {
		t.Fatal(err)
	}
	src := `{"mcpServers":{
	  "a":{"command":"npx","args":["@acme/tool"]},
	  "b":{"command":"npx","args":["other"]},
	  "c":{"command":"docker","args":["run","img:1"],"autoApprove":["x"]},
	  "d":{"command":"npx","args":["p@1.0.0"],"env":{"K":"ghp_Tw4Qe8Rn2Mb6Vc1Xz9Lk3Jh7Gf5Ds0Ap4Ou8"}}}}`
	files := parsed(t, "cline_mcp_settings.json", src)
	files[0].Path = "cline_mcp_settings.json"

	for _, tc := range []struct {
		now            time.Time
		secretHidden   bool
		expiredNotices int
	}{
		{time.Date(2026, 5, 31, 23, 0, 0, 0, time.UTC), true, 0},
		{time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), false, 1},
	} {
		fs := judge(t, files, p, dir, tc.now)
		up := ids(fs, checks.UnpinnedPackage.ID)
		if len(up) != 2 || up[0].Suppression == nil || up[0].Suppression.Kind != "external" || up[0].Suppression.Justification != "released in lockstep" || up[1].Suppression != nil {
			t.Errorf("unpinned-package: %+v", up)
		}
		if mi := ids(fs, checks.MutableImage.ID); len(mi) != 1 || mi[0].Severity != checks.Low {
			t.Errorf("mutable-image severity override: %+v", mi)
		}
		if aa := ids(fs, checks.AutoApprovedTools.ID); len(aa) != 0 {
			t.Errorf("disabled rule ran: %+v", aa)
		}
		hs := ids(fs, checks.HardcodedSecret.ID)
		if len(hs) != 1 || (hs[0].Suppression != nil) != tc.secretHidden {
			t.Errorf("%s: hardcoded-secret %+v", tc.now, hs)
		}
		ex := ids(fs, checks.ExpiredIgnore.ID)
		if len(ex) != tc.expiredNotices {
			t.Errorf("%s: %d expired-ignore findings, want %d", tc.now, len(ex), tc.expiredNotices)
		}
		for _, e := range ex {
			if e.File != path || e.Pos.Line != 10 || e.Severity != checks.Note {
				t.Errorf("expired-ignore finding %+v", e)
			}
		}
	}
	for _, r := range Rules(checks.All, p, false) {
		if r.ID == checks.AutoApprovedTools.ID {
			t.Error("Rules kept a disabled rule")
		}
	}
	if checks.MutableImage.Severity != checks.Medium {
		t.Error("Rules changed the registry's rule")
	}
}

// The documented order: rule default, the rule's own per-finding
// severity, the policy, --strict.
func TestSeverityOrder(t *testing.T) {
	dir := t.TempDir()
	pp := filepath.Join(dir, ".mcptether.yml")
	os.WriteFile(pp, []byte("rules:\n  lookalike-package:\n    severity: low\n  unverifiable:\n    severity: note\n"), 0o644)
	p, err := policy.Load(pp, ruleIDs())
	if err != nil {
		t.Fatal(err)
	}
	mk := func() []checks.Finding {
		return []checks.Finding{
			{RuleID: checks.LookalikePackage.ID, Severity: checks.High}, // the rule raised it itself
			{RuleID: checks.Unverifiable.ID, Severity: checks.Note},
			{RuleID: checks.MutableImage.ID, Severity: checks.High}, // the rule's own, no policy
		}
	}
	fs := mk()
	Apply(fs, Input{Policy: p})
	if fs[0].Severity != checks.Low || fs[1].Severity != checks.Note || fs[2].Severity != checks.High {
		t.Errorf("policy: %s %s %s, want low note high", fs[0].Severity, fs[1].Severity, fs[2].Severity)
	}
	fs = mk()
	Apply(fs, Input{Policy: p, Strict: true})
	if fs[1].Severity != checks.High {
		t.Errorf("--strict after the policy: unverifiable is %s, want high", fs[1].Severity)
	}
	for _, r := range Rules(checks.All, p, true) {
		if r.ID == checks.Unverifiable.ID && r.Severity != checks.High {
			t.Errorf("strict rule default %s", r.Severity)
		}
	}
}

func TestBaselineStates(t *testing.T) {
	fs := []checks.Finding{{Fingerprint: "aa"}, {Fingerprint: "cc"}}
	Apply(fs, Input{Baseline: map[string]bool{"aa": true}})
	if fs[0].Baseline != checks.BaselineUnchanged || fs[1].Baseline != checks.BaselineNew {
		t.Errorf("marked %+v", fs)
	}
	Apply(fs[:1:1], Input{})
	if fs[0].Baseline != checks.BaselineUnchanged {
		t.Error("no baseline given, yet the state was cleared")
	}
}

func ruleIDs() []string {
	var ids []string
	for _, r := range checks.All {
		ids = append(ids, r.ID)
	}
	return ids
}
