// Package triage decides, after the rules ran, how each finding is
// reported: its severity, once and in one order, then whether an inline
// comment or a policy ignore suppresses it, then its baseline state.
package triage

import (
	"time"

	"github.com/mcptether/mcptether/checks"
	"github.com/mcptether/mcptether/config"
	"github.com/mcptether/mcptether/policy"
)

// Input is what findings are judged by.
type Input struct {
	Files  []*config.File
	Policy *policy.Policy
	// Strict raises unverifiable to high, so an incomplete scan fails.
	Strict bool
	// Baseline holds the fingerprints of a baseline file; nil for none.
	Baseline map[string]bool
	// Cwd is the directory reported paths are relative to.
	Cwd string
	Now time.Time
}

// Rules returns the rules that run, as copies (the registry never
// changes): those the policy leaves enabled, with the default severity
// reports show for each, the policy's, then --strict's.
func Rules(all []*checks.Rule, p *policy.Policy, strict bool) []*checks.Rule {
	var out []*checks.Rule
	for _, r := range all {
		c := *r
		if p != nil {
			rc := p.Rules[r.ID]
			if rc.Disabled {
				continue
			}
			if sev, err := checks.ParseSeverity(rc.Severity); rc.Severity != "" && err == nil {
				c.Severity = sev
			}
		}
		if strict && r.ID == checks.Unverifiable.ID {
			c.Severity = checks.High
		}
		out = append(out, &c)
	}
	return out
}

// Apply decides each finding's severity in this order: the rule's
// default, the rule's own per-finding severity (as checks.Run gives them),
// the policy's override, --strict. Then it marks the findings an inline
// comment or a policy ignore covers, and each one's baseline state.
// Suppressed findings stay in the list: SARIF keeps them.
func Apply(findings []checks.Finding, in Input) {
	byPath := map[string]*config.File{}
	for _, f := range in.Files {
		byPath[f.Path] = f
	}
	for i := range findings {
		f := &findings[i]
		if in.Policy != nil {
			if sev, err := checks.ParseSeverity(in.Policy.Rules[f.RuleID].Severity); err == nil {
				f.Severity = sev
			}
		}
		if in.Strict && f.RuleID == checks.Unverifiable.ID {
			f.Severity = checks.High
		}
		f.Suppression = suppression(f, byPath[f.File], in)
		if in.Baseline != nil {
			f.Baseline = checks.BaselineNew
			if in.Baseline[f.Fingerprint] {
				f.Baseline = checks.BaselineUnchanged
			}
		}
	}
}

func suppression(f *checks.Finding, file *config.File, in Input) *checks.Suppression {
	if file != nil && !in.Policy.Locked(f.RuleID) { // a locked rule's findings cannot be ignored in place
		if ig, ok := file.IgnoreAt(f.RuleID, f.Pos.Line); ok {
			reason := ig.Reason
			if reason == "" {
				reason = "no reason given"
			}
			return &checks.Suppression{Kind: "inSource", Justification: reason, File: f.File, Line: ig.Line}
		}
	}
	if ig := in.Policy.Match(f.RuleID, f.File, f.Server, f.Package, in.Cwd, in.Now); ig != nil {
		return &checks.Suppression{Kind: "external", Justification: ig.Reason, File: in.Policy.Path, Line: ig.Line}
	}
	return nil
}
