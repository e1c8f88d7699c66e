package report

import (
	"io"
	"slices"
	"strconv"

	"github.com/mcptether/mcptether/checks"
	"github.com/sethvargo/go-githubactions"
)

// GitHub writes workflow commands (::error file=…::) that GitHub shows as
// annotations. GitHub shows ten of each kind per step, so the most severe
// come first.
func GitHub(w io.Writer, r *Result) error {
	a := githubactions.New(githubactions.WithWriter(w), githubactions.WithGetenv(func(string) string { return "" }))
	findings := slices.Clone(r.Reported())
	slices.SortStableFunc(findings, func(x, y checks.Finding) int { return int(y.Severity) - int(x.Severity) })
	for _, f := range findings {
		fields := map[string]string{
			"file":  f.File,
			"line":  strconv.Itoa(max(f.Pos.Line, 1)),
			"col":   strconv.Itoa(max(f.Pos.Col, 1)),
			"title": f.RuleID + " (" + f.Severity.String() + ")",
		}
		if f.Pos.EndLine == f.Pos.Line && f.Pos.EndCol > f.Pos.Col {
			fields["endColumn"] = strconv.Itoa(f.Pos.EndCol)
		}
		act := a.WithFieldsMap(fields)
		switch f.Severity.Level() {
		case "error":
			act.Errorf("%s", f.Message)
		case "warning":
			act.Warningf("%s", f.Message)
		default:
			act.Noticef("%s", f.Message)
		}
	}
	_, err := io.WriteString(w, Summary(r)+"\n")
	return err
}
