package checks

import (
	"fmt"

	"github.com/mcptether/mcptether/config"
)

// PolicyLocked: the repository tried to weaken a rule the organisation's
// policy locks (disable it, lower it, ignore its findings). The attempt
// has no effect; the finding says why, where it was written.
var PolicyLocked = &Rule{
	ID:       "policy-locked",
	Severity: Note,
	Summary:  "a repository policy setting or ignore comment tried to weaken a rule the org policy locks, and was refused",
	Tags:     []string{"policy"},
	Check:    checkPolicyLocked,
}

func checkPolicyLocked(r *Rule, in *Input) []Finding {
	p := in.Policy
	if p == nil {
		return nil
	}
	var out []Finding
	for _, rf := range p.Refused {
		out = append(out, Finding{RuleID: r.ID, Severity: r.Severity, File: rf.File,
			Pos:     config.Pos{Line: rf.Line, Col: rf.Col, EndLine: rf.Line, EndCol: rf.Col},
			Subject: rf.What,
			Message: fmt.Sprintf("the org policy locks %s, so %s here has no effect; fix the findings, or ask the policy's owners", rf.Rule, rf.What)})
	}
	for _, f := range in.Files {
		for _, ig := range f.Ignores {
			if !p.Locked(ig.Rule) {
				continue
			}
			out = append(out, Finding{RuleID: r.ID, Severity: r.Severity, File: f.Path,
				Pos:     config.Pos{Line: ig.Line, Col: 1, EndLine: ig.Line, EndCol: 1},
				Subject: "mcptether:ignore " + ig.Rule,
				Message: fmt.Sprintf("the org policy locks %s, so this mcptether:ignore comment has no effect; fix the finding, or ask the policy's owners", ig.Rule)})
		}
	}
	return out
}
