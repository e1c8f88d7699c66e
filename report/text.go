package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/mcptether/mcptether/checks"
	"github.com/mcptether/mcptether/internal/safetext"
)

var colors = map[checks.Severity]string{
	checks.Critical: "\x1b[1;31m", checks.High: "\x1b[31m", checks.Medium: "\x1b[33m",
	checks.Low: "\x1b[36m", checks.Note: "\x1b[2m",
}

// Text writes one line per finding, "path:line:col: severity [rule]
// message", then a summary line.
func Text(w io.Writer, r *Result, color bool) error {
	for _, f := range r.Findings {
		reported := f.Suppression == nil && f.Baseline != checks.BaselineUnchanged
		if !reported && !(r.ShowSuppressed && f.Suppression != nil) {
			continue
		}
		sev := f.Severity.String()
		if color {
			sev = colors[f.Severity] + sev + "\x1b[0m"
		}
		msg := f.Message
		if f.Suppression != nil {
			msg += " [suppressed: " + f.Suppression.Justification + "]"
		}
		if _, err := fmt.Fprintf(w, "%s:%d:%d: %s [%s] %s\n", safetext.Line(f.File), f.Pos.Line, f.Pos.Col, sev, f.RuleID, safetext.Line(msg)); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintln(w, Summary(r))
	return err
}

// Summary is the one-line tally.
func Summary(r *Result) string {
	counts := r.Counts()
	var parts []string
	for s := checks.Critical; s >= checks.Note; s-- {
		if counts[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
		}
	}
	tally := ""
	if len(parts) > 0 {
		tally = " (" + strings.Join(parts, ", ") + ")"
	}
	n := len(r.Reported())
	s := fmt.Sprintf("%d %s%s in %d %s; %d %s checked",
		n, plural(n, "finding"), tally,
		len(r.Files), plural(len(r.Files), "config file"), len(r.Servers), plural(len(r.Servers), "server"))
	if sup, unch := r.hidden(); sup > 0 || unch > 0 {
		var hid []string
		if sup > 0 {
			hid = append(hid, fmt.Sprintf("%d suppressed", sup))
		}
		if unch > 0 {
			hid = append(hid, fmt.Sprintf("%d in the baseline", unch))
		}
		s += "; not shown: " + strings.Join(hid, ", ")
	}
	if r.Offline {
		s += "; offline: registry, repository and owner lookups were not made"
	}
	if p := r.Policy.String(); p != "" {
		s += "\n" + safetext.Line(p)
	}
	for _, n := range r.Notices {
		s += "\n" + safetext.Line(n)
	}
	return s
}

func plural(n int, word string, many ...string) string {
	if n == 1 {
		return word
	}
	if len(many) > 0 {
		return many[0]
	}
	return word + "s"
}
