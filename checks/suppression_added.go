package checks

import (
	"fmt"

	"github.com/mcptether/mcptether/config"
)

// SuppressionAdded: judged against a trusted revision (--policy-rev, a
// pull request's base), a suppression the change itself added does not
// suppress. The finding stays, and this note says where the suppression
// is and that merging it is a maintainer's call.
var SuppressionAdded = &Rule{
	ID:       "suppression-added",
	Severity: Note,
	Summary:  "an mcptether:ignore comment or a baseline entry that the change under review added, which does not suppress until it is merged",
	Tags:     []string{"policy"},
	Check:    checkSuppressionAdded,
}

// AddedSuppression is a suppression outside the configs (a baseline
// entry) that the trusted revision does not hold.
type AddedSuppression struct {
	File    string
	Line    int
	Rule    string
	Subject string // what it names, e.g. a fingerprint
	In      string // "baseline"
}

func checkSuppressionAdded(r *Rule, in *Input) []Finding {
	if in.TrustedRev == "" {
		return nil
	}
	var out []Finding
	for _, f := range in.Files {
		for _, ig := range f.Ignores {
			if !ig.Unapproved {
				continue
			}
			out = append(out, Finding{RuleID: r.ID, Severity: r.Severity, File: f.Path,
				Pos:     config.Pos{Line: ig.Line, Col: 1, EndLine: ig.Line, EndCol: 1},
				Subject: "mcptether:ignore " + ig.Rule,
				Message: fmt.Sprintf("this mcptether:ignore %s comment is not in the file at %s, so it does not suppress: a change cannot approve itself, and the comment takes effect once a maintainer merges it", ig.Rule, in.TrustedRev)})
		}
	}
	for _, a := range in.AddedSuppressions {
		out = append(out, Finding{RuleID: r.ID, Severity: r.Severity, File: a.File,
			Pos:     config.Pos{Line: a.Line, Col: 1, EndLine: a.Line, EndCol: 1},
			Subject: a.In + " " + a.Subject,
			Message: fmt.Sprintf("this %s entry (%s) is not in the %s at %s, so the finding it records still counts: a change cannot approve itself, and the entry takes effect once a maintainer merges it", a.In, a.Rule, a.In, in.TrustedRev)})
	}
	return out
}
