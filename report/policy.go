package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/mcptether/mcptether/checks"
	"github.com/mcptether/mcptether/policy"
)

// Policy is what the policy file and inline ignores changed. Both can sit
// in the scanned tree, which a pull request may have written, so every
// output says it: a verdict never changes silently.
type Policy struct {
	// Files are the policies applied, in order: org policies first, then
	// the repository's, each with the revision it was read at.
	Files   []string        `json:"files"`
	Sources []policy.Source `json:"sources"`
	Refused int             `json:"refused"` // settings the org policy's locks refused

	Disabled   []string          `json:"disabledRules"`
	Severities map[string]string `json:"severities"`
	// Suppressed counts findings the policy's ignores suppressed;
	// InlineSuppressed those that mcptether:ignore comments did.
	Suppressed       int `json:"suppressed"`
	InlineSuppressed int `json:"inlineSuppressed"`
}

// PolicyEffect works out what p and the inline ignores did to findings.
func PolicyEffect(p *policy.Policy, findings []checks.Finding) *Policy {
	e := &Policy{Files: []string{}, Sources: []policy.Source{}, Disabled: []string{}, Severities: map[string]string{}}
	if p != nil {
		for _, src := range p.Sources {
			e.Files = append(e.Files, src.String())
		}
		e.Sources = p.Sources
		e.Refused = len(p.Refused)
		for _, r := range checks.All {
			rc := p.Rules[r.ID]
			switch {
			case rc.Disabled:
				e.Disabled = append(e.Disabled, r.ID)
			case rc.Severity != "":
				e.Severities[r.ID] = rc.Severity
			}
		}
	}
	for _, f := range findings {
		switch {
		case f.Suppression == nil:
		case f.Suppression.Kind == "inSource":
			e.InlineSuppressed++
		default:
			e.Suppressed++
		}
	}
	return e
}

// Changed reports whether anything was applied.
func (e *Policy) Changed() bool {
	return e != nil && (len(e.Files) > 0 || e.InlineSuppressed > 0)
}

// String says what was applied, for the summaries.
func (e *Policy) String() string {
	if !e.Changed() {
		return ""
	}
	var parts []string
	if len(e.Disabled) > 0 {
		parts = append(parts, fmt.Sprintf("%d %s disabled (%s)", len(e.Disabled), plural(len(e.Disabled), "rule"), strings.Join(e.Disabled, ", ")))
	}
	if len(e.Severities) > 0 {
		var sev []string
		for id, s := range e.Severities {
			sev = append(sev, id+" → "+s)
		}
		slices.Sort(sev)
		parts = append(parts, fmt.Sprintf("%d %s changed (%s)", len(sev), plural(len(sev), "severity", "severities"), strings.Join(sev, ", ")))
	}
	parts = append(parts, fmt.Sprintf("%d %s suppressed by its ignores", e.Suppressed, plural(e.Suppressed, "finding")))
	s := "no policy file"
	if len(e.Files) > 0 {
		s = "policy " + strings.Join(e.Files, ", ") + ": " + strings.Join(parts, ", ")
	}
	if e.InlineSuppressed > 0 {
		s += fmt.Sprintf("; %d %s suppressed by mcptether:ignore comments", e.InlineSuppressed, plural(e.InlineSuppressed, "finding"))
	}
	return s
}
