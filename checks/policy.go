package checks

import (
	"time"

	"github.com/mcptether/mcptether/config"
	"github.com/mcptether/mcptether/policy"
)

// Suppression says why a finding is not reported, in SARIF's terms.
type Suppression struct {
	Kind          string // "inSource" (a comment in the config) or "external" (the policy file)
	Justification string
	// File and Line locate the ignore: the comment, or the policy entry.
	File string
	Line int
}

// Configure returns the rules the policy leaves enabled, with its severity
// overrides, as copies: the registry itself never changes.
func Configure(rules []*Rule, p *policy.Policy) []*Rule {
	if p == nil {
		return rules
	}
	var out []*Rule
	for _, r := range rules {
		rc := p.Rules[r.ID]
		if rc.Disabled {
			continue
		}
		c := *r
		if sev, err := ParseSeverity(rc.Severity); rc.Severity != "" && err == nil {
			c.Severity = sev
		}
		out = append(out, &c)
	}
	return out
}

// ApplyPolicy sets overridden severities and marks the findings that an
// inline comment or a policy ignore covers. Suppressed findings stay in
// the list: SARIF keeps them, other reports leave them out.
func ApplyPolicy(findings []Finding, files []*config.File, p *policy.Policy, cwd string, now time.Time) {
	byPath := map[string]*config.File{}
	for _, f := range files {
		byPath[f.Path] = f
	}
	for i := range findings {
		f := &findings[i]
		if p != nil {
			if name := p.Rules[f.RuleID].Severity; name != "" {
				if sev, err := ParseSeverity(name); err == nil {
					f.Severity = sev
				}
			}
		}
		if file := byPath[f.File]; file != nil {
			if ig, ok := file.IgnoreAt(f.RuleID, f.Pos.Line); ok {
				reason := ig.Reason
				if reason == "" {
					reason = "no reason given"
				}
				f.Suppression = &Suppression{Kind: "inSource", Justification: reason, File: f.File, Line: ig.Line}
				continue
			}
		}
		if ig := p.Match(f.RuleID, f.File, f.Server, f.Package, cwd, now); ig != nil {
			f.Suppression = &Suppression{Kind: "external", Justification: ig.Reason, File: p.Path, Line: ig.Line}
		}
	}
}
