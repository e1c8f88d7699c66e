package checks

import "github.com/mcptether/mcptether/config"

// ExpiredIgnore: a policy ignore past its expiry date. It no longer
// suppresses anything, and says so.
var ExpiredIgnore = &Rule{
	ID:       "expired-ignore",
	Severity: Note,
	Summary:  "a policy-file ignore has expired and no longer suppresses findings",
	Tags:     []string{"policy"},
	Check:    checkExpiredIgnore,
}

func checkExpiredIgnore(r *Rule, in *Input) []Finding {
	if in.Policy == nil {
		return nil
	}
	var out []Finding
	for _, ig := range in.Policy.Ignores {
		if !ig.Expired(in.Now) {
			continue
		}
		scope := ""
		for _, part := range [][2]string{{"path", ig.Path}, {"server", ig.Server}, {"package", ig.Package}} {
			if part[1] != "" {
				scope += " " + part[0] + " " + q(part[1])
			}
		}
		out = append(out, Finding{RuleID: r.ID, Severity: r.Severity, File: in.Policy.Path,
			Pos:     config.Pos{Line: ig.Line, Col: ig.Col, EndLine: ig.Line, EndCol: ig.Col},
			Subject: ig.Rule + scope,
			Message: "the ignore of " + ig.Rule + scope + " expired on " + ig.Expires.Format("2006-01-02") +
				" and no longer suppresses anything (reason given: " + q(ig.Reason) + "); fix the findings, or renew it with a new date and reason"})
	}
	return out
}
