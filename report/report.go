// Package report renders a scan's results as text, JSON or GitHub
// workflow annotations. SARIF lives in package sarif.
package report

import (
	"time"

	"github.com/mcptether/mcptether/checks"
	"github.com/mcptether/mcptether/config"
	"github.com/mcptether/mcptether/facts"
	"github.com/mcptether/mcptether/launch"
)

// Result is everything a scan produced; every reporter renders this one
// model.
type Result struct {
	Version  string
	Offline  bool
	Files    []*config.File
	Servers  []*launch.Server
	Findings []checks.Finding
	Warnings []string
	// Errors are paths given by name that could not be scanned: the
	// verdict is incomplete.
	Errors []string
	Listed int // files seen while walking
	// ShowSuppressed lists suppressed findings in text output too.
	ShowSuppressed bool
	// Rules are the rules that ran, as configured.
	Rules []*checks.Rule
	// Policy is what the policy file and inline ignores changed.
	Policy *Policy
	// Notices are facts about the scan itself every output states, such
	// as a registry the scanned tree chose for lookups.
	Notices []string
	// Secrets are the literal credentials found: Redact masks them in
	// every rendered output.
	Secrets []string
	// Facts are what the registries said (nil offline), for inventories.
	Facts *facts.Facts
	// Generated is when the scan ran.
	Generated time.Time
	// Base is the absolute directory reported paths are relative to (the
	// working directory); Root is the repository's root, which SARIF URIs
	// are relative to.
	Base, Root string
}

// Level is the SARIF level, which GitHub's annotations share: critical and
// high are errors, medium warnings, the rest notes.
func Level(s checks.Severity) string {
	switch {
	case s >= checks.High:
		return "error"
	case s == checks.Medium:
		return "warning"
	}
	return "note"
}

// Score is the SARIF security-severity GitHub code scanning ranks by.
func Score(s checks.Severity) string {
	return [...]string{"1.0", "3.0", "5.5", "8.0", "9.5"}[min(max(int(s), 0), 4)]
}

// Reported returns the findings that count: not suppressed by an ignore
// and not already in the baseline.
func (r *Result) Reported() []checks.Finding {
	var out []checks.Finding
	for _, f := range r.Findings {
		if f.Suppression == nil && f.Baseline != checks.BaselineUnchanged {
			out = append(out, f)
		}
	}
	return out
}

// Counts returns the number of reported findings per severity.
func (r *Result) Counts() map[checks.Severity]int {
	c := map[checks.Severity]int{}
	for _, f := range r.Reported() {
		c[f.Severity]++
	}
	return c
}

// Highest is the severity of the most severe reported finding.
func (r *Result) Highest() (checks.Severity, bool) {
	best, any := checks.Note, false
	for _, f := range r.Reported() {
		if !any || f.Severity > best {
			best, any = f.Severity, true
		}
	}
	return best, any
}

// hidden counts suppressed findings and baseline ones.
func (r *Result) hidden() (suppressed, unchanged int) {
	for _, f := range r.Findings {
		switch {
		case f.Suppression != nil:
			suppressed++
		case f.Baseline == checks.BaselineUnchanged:
			unchanged++
		}
	}
	return suppressed, unchanged
}
