package checks

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/mcptether/mcptether/config"
)

// AutoApprovedTools: tools that run without the user confirming each call.
var AutoApprovedTools = &Rule{
	ID:       "auto-approved-tools",
	Severity: Medium,
	Summary:  "tools run without user confirmation (autoApprove, alwaysAllow, trust, permissions.allow, approval policies, permission levels)",
	Tags:     []string{"security", "approval"},
	Check:    checkAutoApprovedTools,
}

// readOnlyTool: a tool whose name says it only reads. Approving only such
// tools is a deliberate, smaller risk, reported at low severity.
var readOnlyTool = regexp.MustCompile(`(?i)^(get|list|read|search|query|describe|fetch|find|show|view|lookup|count|check|inspect|browse|explain)([_\-.A-Z*]|$)`)

// readOnly reports whether every tool is read-only by name (and there is
// at least one).
func readOnly(tools []config.Value) bool {
	for _, t := range tools {
		if !readOnlyTool.MatchString(t.Text) {
			return false
		}
	}
	return len(tools) > 0
}

func checkAutoApprovedTools(r *Rule, in *Input) []Finding {
	var out []Finding
	for _, f := range in.Files {
		for _, a := range f.Approvals {
			fd := Finding{RuleID: r.ID, Severity: r.Severity, File: f.Path, Pos: a.Value.Pos, Subject: a.Setting + " " + a.Value.Text, Message: fileApproval(a)}
			if !a.All && a.Scope != "commands" && readOnly(a.Tools) {
				fd.Severity = Low
			}
			out = append(out, fd)
		}
	}
	for _, s := range in.Servers {
		for _, a := range s.Approvals {
			what := "every tool"
			if !a.All {
				what = toolList(a.Tools)
			}
			f := r.at(s, a.Value.Pos, a.Setting,
				"server %q runs %s without asking (%s): a compromised or hijacked server acts with no human in the loop; %s%s",
				s.Name.Text, what, a.Setting, advice(a), disabledNote(s))
			if !a.All && readOnly(a.Tools) {
				f.Severity = Low
			}
			out = append(out, f)
		}
	}
	return out
}

// advice says what to do, and when the tools are already read-only by
// name, says that instead of asking for it.
func advice(a config.Approval) string {
	if !a.All && readOnly(a.Tools) {
		if len(a.Tools) == 1 {
			return "it is read-only by its name, which keeps the risk small; keep it that way"
		}
		return "all of them are read-only by name, which keeps the risk small; keep it that way"
	}
	return "remove the setting or limit it to read-only tools"
}

func fileApproval(a config.Approval) string {
	switch {
	case a.Scope == "servers" && a.Server != "":
		return fmt.Sprintf("%s starts server %q from .mcp.json without asking for approval: a server a change adds or alters there runs on the next start with no human in the loop; approve it in the host instead", a.Setting, a.Server)
	case a.Scope == "servers":
		return fmt.Sprintf("%s turns on every server this config enables with no per-server approval; approve servers one by one instead", a.Setting)
	case a.Scope == "commands":
		return fmt.Sprintf("%s runs %s in the terminal without asking, whatever the agent was told by a tool's output; remove the entries or keep them to commands that cannot change anything",
			a.Setting, commandList(a.Tools))
	case a.Server != "" && a.All:
		return fmt.Sprintf("%s lets every tool of server %q run without asking (%s): a compromised or hijacked server acts with no human in the loop; name the tools instead, read-only ones only",
			a.Setting, a.Server, a.Value.Text)
	case a.Server != "":
		return fmt.Sprintf("%s lets %s of server %q run without asking (%s); %s", a.Setting, toolList(a.Tools), a.Server, a.Value.Text, advice(a))
	case a.All:
		return fmt.Sprintf("%s = %q runs every tool of every server without asking: any server, hijacked or fed a malicious prompt, acts with no human in the loop; remove it",
			a.Setting, a.Value.Text)
	}
	return fmt.Sprintf("%s lets %s run without asking; %s", a.Setting, toolList(a.Tools), advice(a))
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

func commandList(cmds []config.Value) string {
	if len(cmds) == 1 {
		return "the command " + q(cmds[0].Text)
	}
	return strings.Replace(toolList(cmds), "tools", "commands", 1)
}
