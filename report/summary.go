package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/mcptether/mcptether/checks"
	"github.com/mcptether/mcptether/internal/safetext"
)

// maxSummaryRows keeps the step summary well under GitHub's 1 MiB limit.
const maxSummaryRows = 300

// StepSummary renders the Markdown for $GITHUB_STEP_SUMMARY: counts by
// severity and rule, then every finding (annotations show only ten of each
// kind per step). link returns the URL of a file line, or "".
func StepSummary(r *Result, link func(file string, line int) string) string {
	var b strings.Builder
	reported := r.Reported()
	b.WriteString("## mcptether\n\n")
	tally, _, _ := strings.Cut(Summary(r), "\n") // notices follow as quotes
	b.WriteString(cell(tally) + ".\n\n")
	if r.Offline {
		b.WriteString("> [!NOTE]\n> Offline: registry, repository and owner lookups were not made, so hijack checks could not run.\n\n")
	}
	if p := r.Policy.String(); p != "" {
		b.WriteString("> [!IMPORTANT]\n> " + cell(p) + "\n\n")
	}
	for _, n := range r.Notices {
		b.WriteString("> [!IMPORTANT]\n> " + cell(n) + "\n\n")
	}
	if n, limited := incomplete(r); n > 0 {
		why := "some lookups failed"
		if limited {
			why = "a registry or GitHub rate-limited the scan"
		}
		fmt.Fprintf(&b, "> [!WARNING]\n> %d %s could not be fully checked: %s. See the unverifiable findings; a token (`github-token`) and a persisted cache help.\n\n",
			n, plural(n, "server"), why)
	}
	if len(reported) == 0 {
		b.WriteString("No findings.\n")
		return b.String()
	}
	counts := r.Counts()
	b.WriteString("| severity | findings |\n| --- | ---: |\n")
	for s := checks.Critical; s >= checks.Note; s-- {
		if counts[s] > 0 {
			fmt.Fprintf(&b, "| %s | %d |\n", s, counts[s])
		}
	}
	byRule := map[string]int{}
	for _, f := range reported {
		byRule[f.RuleID]++
	}
	rules := make([]string, 0, len(byRule))
	for id := range byRule {
		rules = append(rules, id)
	}
	slices.Sort(rules)
	b.WriteString("\n| rule | findings |\n| --- | ---: |\n")
	for _, id := range rules {
		name := id
		if r := checks.Lookup(id); r != nil {
			name = "[" + id + "](" + r.DocURL() + ")"
		}
		fmt.Fprintf(&b, "| %s | %d |\n", name, byRule[id])
	}
	sorted := slices.Clone(reported)
	slices.SortStableFunc(sorted, func(x, y checks.Finding) int { return int(y.Severity) - int(x.Severity) })
	b.WriteString("\n### Findings\n\n| severity | rule | where | message |\n| --- | --- | --- | --- |\n")
	for i, f := range sorted {
		if i == maxSummaryRows {
			fmt.Fprintf(&b, "\n%d more findings are in the SARIF file and the log.\n", len(sorted)-maxSummaryRows)
			break
		}
		where := fmt.Sprintf("%s:%d", f.File, f.Pos.Line)
		if u := link(f.File, f.Pos.Line); u != "" {
			where = "[" + cell(where) + "](" + linkTarget.Replace(u) + ")"
		} else {
			where = cell(where)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", f.Severity, f.RuleID, where, cell(f.Message))
	}
	return b.String()
}

// linkTarget keeps a path's parentheses and blanks from ending a
// Markdown link target early.
var linkTarget = strings.NewReplacer("(", "%28", ")", "%29", " ", "%20", "<", "%3C", ">", "%3E", "\\", "%5C")

// cell escapes text for a Markdown table cell or a quote line: config
// values must not render as links, images or HTML.
func cell(s string) string { return safetext.MarkdownCell(s) }

// incomplete counts servers whose lookups failed, and whether a rate limit
// was among the causes.
func incomplete(r *Result) (n int, limited bool) {
	for _, f := range r.Findings {
		if f.RuleID == checks.Unverifiable.ID {
			n++
			limited = limited || strings.Contains(f.Message, "rate limited")
		}
	}
	return n, limited
}
