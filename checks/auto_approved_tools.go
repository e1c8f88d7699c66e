package checks

import (
	"fmt"
	"strings"

	"github.com/mcptether/mcptether/config"
)

// AutoApprovedTools: tools that run without the user confirming each call.
var AutoApprovedTools = &Rule{
	ID:       "auto-approved-tools",
	Severity: Medium,
	Summary:  "tools run without user confirmation (autoApprove, alwaysAllow, trust, approval mode)",
	Tags:     []string{"security", "approval"},
	Check:    checkAutoApprovedTools,
}

func checkAutoApprovedTools(r *Rule, in *Input) []Finding {
	var out []Finding
	for _, f := range in.Files {
		for _, a := range f.Approvals {
			out = append(out, Finding{RuleID: r.ID, Severity: r.Severity,
				File: f.Path, Pos: a.Value.Pos, Subject: a.Setting, Message: fileApproval(a)})
		}
	}
	for _, s := range in.Servers {
		for _, a := range s.Approvals {
			what := "every tool"
			if !a.All {
				what = toolList(a.Tools)
			}
			out = append(out, r.at(s, a.Value.Pos, a.Setting,
				"server %q runs %s without asking (%s): a compromised or hijacked server acts with no human in the loop; remove the setting or limit it to read-only tools%s",
				s.Name.Text, what, a.Setting, disabledNote(s)))
		}
	}
	return out
}

func fileApproval(a config.Approval) string {
	if a.All {
		return fmt.Sprintf("%s turns on every server this config enables with no per-server approval; approve servers one by one instead", a.Setting)
	}
	return fmt.Sprintf("%s lets %s run without asking; remove the MCP entries or limit them to read-only tools", a.Setting, toolList(a.Tools))
}

func toolList(tools []config.Value) string {
	names := make([]string, 0, len(tools))
	for _, t := range tools {
		names = append(names, t.Text)
	}
	if len(names) > 4 {
		return fmt.Sprintf("%d tools (%s, …)", len(names), strings.Join(names[:4], ", "))
	}
	if len(names) == 1 {
		return "the tool " + q(names[0])
	}
	return fmt.Sprintf("%d tools (%s)", len(names), strings.Join(names, ", "))
}
