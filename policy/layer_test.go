package policy

import (
	"strings"
	"testing"
)

var layerRules = []string{"repo-owner-claimable", "server-not-allowed", "mutable-image", "lookalike-package", "fresh-release", "unpinned-package"}

func parsed(t *testing.T, path, src string) *Policy {
	t.Helper()
	p, err := Parse(path, []byte(src), layerRules)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func layer(orgs []*Policy, repo *Policy) *Policy {
	def := map[string]string{"repo-owner-claimable": "critical", "server-not-allowed": "high", "mutable-image": "medium", "unpinned-package": "medium"}
	rank := map[string]int{"note": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
	return Layer(orgs, repo, func(id string) string { return def[id] }, func(s string) int { return rank[s] })
}

func TestLayer(t *testing.T) {
	org := parsed(t, "org.yml", `
lock: [repo-owner-claimable, server-not-allowed, lookalike-package, fresh-release]
min-release-age: 7d
allow:
  - package: "pkg:npm/@acme/*"
deny:
  - package: pkg:npm/mcp-remote
ignore:
  - rule: unpinned-package
    path: examples/**
    reason: documentation
`)
	org.Dir = "/org"
	repo := parsed(t, ".mcptether.yml", `
rules:
  repo-owner-claimable:
    disabled: true
  server-not-allowed:
    severity: low
  mutable-image:
    disabled: true
ignore:
  - rule: server-not-allowed
    reason: we know better
  - rule: mutable-image
    reason: dev images
trusted:
  publishers: [mallory]
min-release-age: 1d
allow:
  - package: "pkg:npm/@acme/server"
  - package: "pkg:npm/anything"
deny:
  - package: pkg:npm/@acme/legacy
`)
	repo.Dir = "/repo"
	p := layer([]*Policy{org}, repo)
	var refused []string
	for _, r := range p.Refused {
		refused = append(refused, r.What)
	}
	want := []string{
		"disabling repo-owner-claimable",
		"lowering server-not-allowed from high to low",
		"ignoring findings of server-not-allowed",
		"trusting more publishers, scopes or owners for lookalike-package",
		"lowering min-release-age from 168h0m0s to 24h0m0s",
	}
	if strings.Join(refused, "\n") != strings.Join(want, "\n") {
		t.Errorf("refused:\n%s\nwant:\n%s", strings.Join(refused, "\n"), strings.Join(want, "\n"))
	}
	for _, r := range p.Refused {
		if r.File != ".mcptether.yml" || r.Line == 0 {
			t.Errorf("refusal %q not placed in the repository policy: %+v", r.What, r)
		}
	}
	if p.Rules["repo-owner-claimable"].Disabled || p.Rules["server-not-allowed"].Severity != "" || !p.Rules["mutable-image"].Disabled {
		t.Errorf("rules: %+v", p.Rules)
	}
	if len(p.Ignores) != 2 || p.Ignores[0].Dir != "/org" || p.Ignores[1].Rule != "mutable-image" {
		t.Errorf("ignores: %+v", p.Ignores)
	}
	if len(p.Trusted.Publishers) != 0 || p.MinReleaseAge.Hours() != 168 {
		t.Errorf("trusted %v, min age %v", p.Trusted, p.MinReleaseAge)
	}
	// The repository narrows: a server must match both lists, so
	// pkg:npm/anything (not in the org's) stays out.
	if len(p.Allows) != 2 || len(p.Deny) != 2 {
		t.Errorf("allows %d, deny %d", len(p.Allows), len(p.Deny))
	}
	anything := Target{PURLType: "npm", PURLName: "anything"}
	if matchesAll(p.Allows, anything) {
		t.Error("the repository widened the org's allow list")
	}
	if !matchesAll(p.Allows, Target{PURLType: "npm", PURLName: "@acme/server"}) {
		t.Error("an allowed package is out")
	}
	if len(p.Sources) != 2 || !p.Sources[0].Org || p.Sources[1].Org || p.Sources[0].String() != "org.yml (org)" {
		t.Errorf("sources: %+v", p.Sources)
	}

	// Raising a locked rule is strengthening; an unlocked rule is the
	// repository's to change.
	p = layer([]*Policy{org}, parsed(t, ".mcptether.yml", "rules:\n  server-not-allowed:\n    severity: critical\n  unpinned-package:\n    severity: low\n"))
	if len(p.Refused) != 0 || p.Rules["server-not-allowed"].Severity != "critical" || p.Rules["unpinned-package"].Severity != "low" {
		t.Errorf("raise: %+v %+v", p.Refused, p.Rules)
	}
	// lock: all
	all := parsed(t, "org.yml", "lock: all\n")
	p = layer([]*Policy{all}, parsed(t, ".mcptether.yml", "rules:\n  unpinned-package:\n    disabled: true\n"))
	if len(p.Refused) != 1 || !p.Locked("mutable-image") {
		t.Errorf("lock all: %+v", p.Refused)
	}
	// No org policy: the repository's, unchanged.
	if p := layer(nil, repo); p != repo {
		t.Error("without an org policy the repository's applies as it is")
	}
}

func matchesAll(lists [][]Entry, t Target) bool {
	for _, l := range lists {
		ok := false
		for _, e := range l {
			ok = ok || e.Match(t)
		}
		if !ok {
			return false
		}
	}
	return true
}
