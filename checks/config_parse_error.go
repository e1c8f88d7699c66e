package checks

import "github.com/mcptether/mcptether/config"

// ConfigParseError: an MCP config that cannot be read. Its servers go
// unchecked, so the failure is a finding, not a log line.
var ConfigParseError = &Rule{
	ID:       "config-parse-error",
	Severity: Medium,
	Summary:  "an MCP config or manifest cannot be parsed, so its servers go unchecked",
	Tags:     []string{"correctness"},
	Check:    checkConfigParseError,
}

func checkConfigParseError(r *Rule, in *Input) []Finding {
	var out []Finding
	for _, f := range in.Files {
		if f.Err == nil {
			continue
		}
		out = append(out, Finding{RuleID: r.ID, Severity: r.Severity, File: f.Path,
			Pos:     config.Pos{Line: f.Err.Line, Col: f.Err.Col, EndLine: f.Err.Line, EndCol: f.Err.Col},
			Subject: f.Format,
			Message: "cannot parse this " + f.Format + " config: " + f.Err.Msg + "; its servers were not checked"})
	}
	return out
}
