package report

import (
	"encoding/json"
	"io"

	"github.com/mcptether/mcptether/checks"
	"github.com/mcptether/mcptether/launch"
)

// SchemaVersion is the version of the JSON output; see docs/json-output.md.
// It changes only when a field is removed or changes meaning.
const SchemaVersion = 1

type jsonReport struct {
	SchemaVersion int           `json:"schemaVersion"`
	Tool          jsonTool      `json:"tool"`
	Offline       bool          `json:"offline"`
	Summary       jsonSummary   `json:"summary"`
	Files         []jsonFile    `json:"files"`
	Servers       []jsonServer  `json:"servers"`
	Findings      []jsonFinding `json:"findings"`
	// Suppressed findings, each with why; not counted in the summary.
	Suppressed []jsonFinding `json:"suppressed"`
	Warnings   []string      `json:"warnings"`
	// Policy says what the policy file and inline ignores changed.
	Policy  *Policy  `json:"policy"`
	Notices []string `json:"notices"`
}

type jsonTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type jsonSummary struct {
	Files      int            `json:"files"`
	Servers    int            `json:"servers"`
	Findings   int            `json:"findings"`
	BySeverity map[string]int `json:"bySeverity"`
}

type jsonFile struct {
	Path    string     `json:"path"`
	Format  string     `json:"format"`
	Servers int        `json:"servers"`
	Error   *jsonError `json:"error,omitempty"`
}

type jsonError struct {
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

type jsonServer struct {
	File   string `json:"file"`
	Format string `json:"format"`
	// Kind is "plugin", "marketplace" or "hook" for entries other than
	// servers.
	Kind      string    `json:"kind,omitempty"`
	Name      string    `json:"name"`
	Line      int       `json:"line"`
	Column    int       `json:"column"`
	Transport string    `json:"transport,omitempty"`
	Disabled  bool      `json:"disabled"`
	Sandboxed bool      `json:"sandboxed,omitempty"`
	Command   string    `json:"command,omitempty"`
	Refs      []jsonRef `json:"refs"`
}

type jsonRef struct {
	launch.Ref
	Line   int `json:"line"`
	Column int `json:"column"`
}

type jsonFinding struct {
	Rule        string `json:"rule"`
	Severity    string `json:"severity"`
	Message     string `json:"message"`
	File        string `json:"file"`
	Line        int    `json:"line"`
	Column      int    `json:"column"`
	EndLine     int    `json:"endLine,omitempty"`
	EndColumn   int    `json:"endColumn,omitempty"`
	Server      string `json:"server,omitempty"`
	Subject     string `json:"subject,omitempty"`
	Package     string `json:"package,omitempty"`
	Fingerprint string `json:"fingerprint"`
	// Baseline is "new" or "unchanged" when a baseline was given.
	Baseline    string           `json:"baselineState,omitempty"`
	Suppression *jsonSuppression `json:"suppression,omitempty"`
}

type jsonSuppression struct {
	Kind          string `json:"kind"`
	Justification string `json:"justification"`
}

// JSON writes the versioned JSON report: every file and server found
// (local and unknown launches included), their references and findings.
// Env values, headers and arguments are left out: they may hold secrets.
func JSON(w io.Writer, r *Result) error {
	out := jsonReport{
		SchemaVersion: SchemaVersion,
		Tool:          jsonTool{Name: "mcptether", Version: r.Version},
		Offline:       r.Offline,
		Summary:       jsonSummary{Files: len(r.Files), Servers: len(r.Servers), Findings: len(r.Reported()), BySeverity: map[string]int{}},
		Files:         []jsonFile{},
		Servers:       []jsonServer{},
		Findings:      []jsonFinding{},
		Suppressed:    []jsonFinding{},
		Warnings:      append([]string{}, r.Warnings...),
		Policy:        r.Policy,
		Notices:       append([]string{}, r.Notices...),
	}
	if out.Policy == nil {
		out.Policy = PolicyEffect(nil, r.Findings)
	}
	for sev, n := range r.Counts() {
		out.Summary.BySeverity[sev.String()] = n
	}
	for _, f := range r.Files {
		jf := jsonFile{Path: f.Path, Format: f.Format, Servers: len(f.Servers)}
		if f.Err != nil {
			jf.Error = &jsonError{Line: f.Err.Line, Column: f.Err.Col, Message: f.Err.Msg}
		}
		out.Files = append(out.Files, jf)
	}
	for _, s := range r.Servers {
		js := jsonServer{File: s.File, Format: s.Format, Kind: s.Kind, Name: s.Name.Text, Line: s.Name.Pos.Line, Column: s.Name.Pos.Col,
			Transport: s.Transport, Disabled: s.Disabled, Sandboxed: s.Sandboxed, Command: launch.Clip(launch.Program(s.Server)), Refs: []jsonRef{}}
		for _, ref := range s.Refs {
			ref.URL = launch.RedactURL(ref.URL)
			js.Refs = append(js.Refs, jsonRef{Ref: ref, Line: ref.Pos.Line, Column: ref.Pos.Col})
		}
		out.Servers = append(out.Servers, js)
	}
	for _, f := range r.Findings {
		jf := jsonFinding{Rule: f.RuleID, Severity: f.Severity.String(), Message: f.Message,
			File: f.File, Line: f.Pos.Line, Column: f.Pos.Col, EndLine: f.Pos.EndLine, EndColumn: f.Pos.EndCol,
			Server: f.Server, Subject: f.Subject, Package: f.Package, Fingerprint: f.Fingerprint, Baseline: string(f.Baseline)}
		switch {
		case f.Suppression != nil:
			jf.Suppression = &jsonSuppression{Kind: f.Suppression.Kind, Justification: f.Suppression.Justification}
			out.Suppressed = append(out.Suppressed, jf)
		case f.Baseline != checks.BaselineUnchanged:
			out.Findings = append(out.Findings, jf)
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
