package report

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/mcptether/mcptether/checks"
	"github.com/sethvargo/go-githubactions"
)

// maxAnnotations is how many annotations of each level (error, warning,
// notice) GitHub shows for a step; the rest are dropped silently.
const maxAnnotations = 10

// GitHub writes workflow commands (::error file=…::) that GitHub shows as
// annotations: the most severe first, at most ten of each level, and when
// more were found one notice that says how many and where they are.
func GitHub(w io.Writer, r *Result) error {
	a := githubactions.New(githubactions.WithWriter(w), githubactions.WithGetenv(func(string) string { return "" }))
	findings := slices.Clone(r.Reported())
	slices.SortStableFunc(findings, func(x, y checks.Finding) int { return int(y.Severity) - int(x.Severity) })
	limit := map[string]int{"error": maxAnnotations, "warning": maxAnnotations, "note": maxAnnotations}
	total := map[string]int{}
	for _, f := range findings {
		total[Level(f.Severity)]++
	}
	if total["error"] > maxAnnotations || total["warning"] > maxAnnotations || total["note"] > maxAnnotations {
		limit["note"]-- // room for the notice that says what was left out
	}
	shown := map[string]int{}
	left := map[string]int{}
	for _, f := range findings {
		level := Level(f.Severity)
		if shown[level] == limit[level] {
			left[level]++
			continue
		}
		shown[level]++
		fields := map[string]string{
			"file":  f.File,
			"line":  strconv.Itoa(f.Pos.Line),
			"col":   strconv.Itoa(f.Pos.Col),
			"title": f.RuleID + " (" + f.Severity.String() + ")",
		}
		if f.Pos.EndLine == f.Pos.Line && f.Pos.EndCol > f.Pos.Col {
			fields["endColumn"] = strconv.Itoa(f.Pos.EndCol)
		}
		act := a.WithFieldsMap(fields)
		switch level {
		case "error":
			act.Errorf("%s", f.Message)
		case "warning":
			act.Warningf("%s", f.Message)
		default:
			act.Noticef("%s", f.Message)
		}
	}
	if n := left["error"] + left["warning"] + left["note"]; n > 0 {
		var parts []string
		for _, l := range []struct{ level, word string }{{"error", "error"}, {"warning", "warning"}, {"note", "notice"}} {
			if left[l.level] > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", left[l.level], plural(left[l.level], l.word)))
			}
		}
		a.WithFieldsMap(map[string]string{"title": "mcptether"}).Noticef(
			"%d more %s not annotated (%s): GitHub shows %d annotations of each kind per step; every finding is in the step summary and the SARIF file",
			n, plural(n, "finding is", "findings are"), strings.Join(parts, ", "), maxAnnotations)
	}
	_, err := io.WriteString(w, Summary(r)+"\n")
	return err
}
