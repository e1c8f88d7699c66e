package policy

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var known = []string{"unpinned-package", "mutable-image", "hardcoded-secret"}

const full = `# team policy
rules:
  mutable-image:
    severity: high
  hardcoded-secret:
    disabled: true
ignore:
  - rule: unpinned-package
    path: examples/**
    reason: examples are never run
  - rule: unpinned-package
    package: "@acme/*"
    reason: our own packages are released in lockstep
    expires: 2026-12-31
  - rule: mutable-image
    server: dev-*
    reason: local development only
trusted:
  publishers: [acme-bot]
  scopes: ["@acme"]
  owners: [acme-corp]
min-release-age: 10d
`

func TestParseFull(t *testing.T) {
	p, err := Parse("p.yml", []byte(full), known)
	if err != nil {
		t.Fatal(err)
	}
	if p.Rules["mutable-image"].Severity != "high" || !p.Rules["hardcoded-secret"].Disabled {
		t.Errorf("rules = %+v", p.Rules)
	}
	if len(p.Ignores) != 3 || p.Ignores[1].Expires.Format(time.DateOnly) != "2026-12-31" || p.Ignores[0].Line != 8 {
		t.Errorf("ignores = %+v", p.Ignores)
	}
	if p.Trusted.Scopes[0] != "@acme" || p.Trusted.Owners[0] != "acme-corp" || p.Trusted.Publishers[0] != "acme-bot" {
		t.Errorf("trusted = %+v", p.Trusted)
	}
	if p.MinReleaseAge != 10*24*time.Hour {
		t.Errorf("min-release-age = %v", p.MinReleaseAge)
	}
}

func TestMalformed(t *testing.T) {
	cases := []struct {
		src  string
		line int
		msg  string
	}{
		{"rules:\n  no-such-rule:\n    disabled: true\n", 2, `unknown rule "no-such-rule"`},
		{"ignore:\n  - rule: nope\n    reason: x\n", 2, `unknown rule "nope"`},
		{"ignore:\n  - rule: mutable-image\n    path: x\n", 2, "needs a reason"},
		{"ignore:\n  - path: x\n    reason: y\n", 2, "needs a rule"},
		{"ignore:\n  - rule: mutable-image\n    reason: x\n    expires: next week\n", 4, "is not a date"},
		{"ignore:\n  - rule: mutable-image\n    reason: x\n    until: 2026-01-01\n", 4, `unknown key "until"`},
		{"ignore:\n  - rule: mutable-image\n    reason: x\n    path: \"[\"\n", 4, "bad path pattern"},
		{"rules:\n  mutable-image:\n    severity: urgent\n", 3, `unknown severity "urgent"`},
		{"rules:\n  mutable-image:\n    disabled: maybe\n", 3, "true or false"},
		{"min-release-age: soon\n", 1, "not a duration"},
		{"trusted:\n  friends: [a]\n", 2, `unknown key "friends"`},
		{"ignores: []\n", 1, `unknown key "ignores"`},
		{"rules: [a]\n", 1, "must be a mapping"},
		// yaml.v3 reports where the enclosing block starts.
		{"ignore:\n  - rule: mutable-image\n  reason: x\n bad", 1, "did not find expected"},
		{"rules:\n  mutable-image: {}\n  mutable-image: {}\n", 3, "set twice"},
	}
	for _, c := range cases {
		_, err := Parse(".mcptether.yml", []byte(c.src), known)
		var pe *Error
		if !errors.As(err, &pe) {
			t.Errorf("%q: err = %v, want a policy error", c.src, err)
			continue
		}
		if pe.Line != c.line || !strings.Contains(pe.Msg, c.msg) || !strings.HasPrefix(pe.Error(), ".mcptether.yml:") {
			t.Errorf("%q: %v, want line %d with %q", c.src, err, c.line, c.msg)
		}
	}
	if p, err := Parse("p.yml", []byte("# nothing yet\n"), known); err != nil || len(p.Ignores) != 0 {
		t.Errorf("empty policy: %v %+v", err, p)
	}
}

func TestMatch(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, ".mcptether.yml")
	if err := os.WriteFile(path, []byte(full), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := Load(path, known)
	if err != nil {
		t.Fatal(err)
	}
	before := time.Date(2026, 12, 31, 23, 0, 0, 0, time.UTC)
	after := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name                    string
		rule, file, server, pkg string
		cwd                     string
		now                     time.Time
		want                    int // index of the ignore, -1 for none
	}{
		{"path glob", "unpinned-package", "examples/a/.mcp.json", "s", "x", dir, before, 0},
		{"path glob from a sub-directory cwd", "unpinned-package", "a/.mcp.json", "s", "x", filepath.Join(dir, "examples"), before, 0},
		{"path outside", "unpinned-package", "src/.mcp.json", "s", "x", dir, before, -1},
		// A tree outside the working directory is reported with absolute
		// paths; the glob is still relative to the policy's folder.
		{"absolute path, cwd elsewhere", "unpinned-package", filepath.ToSlash(filepath.Join(dir, "examples", "a", ".mcp.json")), "s", "x", t.TempDir(), before, 0},
		{"absolute path outside the glob", "unpinned-package", filepath.ToSlash(filepath.Join(dir, "src", ".mcp.json")), "s", "x", t.TempDir(), before, -1},
		{"package glob", "unpinned-package", "src/.mcp.json", "s", "@acme/tool", dir, before, 1},
		{"package glob, last day", "unpinned-package", "src/.mcp.json", "s", "@acme/tool", dir, before, 1},
		{"package glob, expired", "unpinned-package", "src/.mcp.json", "s", "@acme/tool", dir, after, -1},
		{"package needed", "unpinned-package", "src/.mcp.json", "s", "", dir, before, -1},
		{"server glob", "mutable-image", "x/.mcp.json", "dev-db", "img", dir, before, 2},
		{"server other", "mutable-image", "x/.mcp.json", "prod-db", "img", dir, before, -1},
		{"other rule", "hardcoded-secret", "examples/.mcp.json", "s", "", dir, before, -1},
	}
	for _, c := range cases {
		got := p.Match(c.rule, c.file, c.server, c.pkg, c.cwd, c.now)
		switch {
		case c.want < 0 && got != nil:
			t.Errorf("%s: matched %+v", c.name, got)
		case c.want >= 0 && got != &p.Ignores[c.want]:
			t.Errorf("%s: got %+v, want ignore %d", c.name, got, c.want)
		}
	}
	var none *Policy
	if none.Match("x", "y", "", "", dir, before) != nil {
		t.Error("nil policy matched")
	}
}

func TestParseAge(t *testing.T) {
	for in, want := range map[string]time.Duration{"7d": 7 * 24 * time.Hour, "2w": 14 * 24 * time.Hour, "48h": 48 * time.Hour, "36h30m": 36*time.Hour + 30*time.Minute} {
		if got, err := ParseAge(in); err != nil || got != want {
			t.Errorf("ParseAge(%q) = %v, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "7", "a week", "-1h"} {
		if _, err := ParseAge(bad); err == nil {
			t.Errorf("ParseAge(%q) accepted", bad)
		}
	}
}
