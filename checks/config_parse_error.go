package checks

import (
	"github.com/mcptether/mcptether/config"
	"github.com/mcptether/mcptether/launch"
)

// ConfigParseError: a config a host may load that mcptether could not
// read, or a launch command in one it could not parse. What it runs went
// unjudged, and a gate fails closed: high, so the default --fail-on fails.
var ConfigParseError = &Rule{
	ID:       "config-parse-error",
	Severity: High,
	Summary:  "an MCP config, a config it names or a launch command in it cannot be read or parsed, so what it runs was not judged",
	Tags:     []string{"correctness", "security"},
	Check:    checkConfigParseError,
}

func checkConfigParseError(r *Rule, in *Input) []Finding {
	var out []Finding
	at := func(f *config.File, e config.FileError, subject, msg string) {
		out = append(out, Finding{RuleID: r.ID, Severity: r.Severity, File: f.Path,
			Pos:     config.Pos{Line: e.Line, Col: e.Col, EndLine: e.Line, EndCol: e.Col},
			Subject: subject, Message: msg})
	}
	for _, f := range in.Files {
		if f.Err != nil {
			at(f, *f.Err, f.Format, "this "+f.Format+" config could not be judged ("+reason(f.Err)+"): "+f.Err.Msg+"; its servers were not checked")
		}
		for _, u := range f.Unjudged {
			at(f, u, "names "+u.Msg, u.Msg+" ("+reason(&u)+"); its servers were not checked")
		}
	}
	for _, s := range in.Servers {
		for _, ref := range s.Refs {
			if ref.Kind == launch.Unknown && ref.Unparsed {
				f := r.at(s, ref.Pos, "shell", "the %s cannot be judged: a shell runs it, and what it runs is unknown%s", ref.Note, disabledNote(s))
				out = append(out, f)
			}
		}
	}
	return out
}

func reason(e *config.FileError) string {
	if e.Reason == "" {
		return config.ReasonSyntax
	}
	return e.Reason
}
