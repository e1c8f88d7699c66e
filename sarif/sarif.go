// Package sarif writes findings as SARIF 2.1.0 for GitHub code scanning.
package sarif

import (
	"crypto/sha256"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/mcptether/mcptether/checks"
	"github.com/mcptether/mcptether/config"
	"github.com/mcptether/mcptether/docs"
	"github.com/mcptether/mcptether/report"
	gosarif "github.com/owenrumney/go-sarif/v2/sarif"
)

// FingerprintKey names mcptether's partial fingerprint. Its value ignores
// line numbers, so alerts survive unrelated edits.
const FingerprintKey = "mcptether/v1"

// Write writes the result as one run holding every rule that ran and the
// findings. The run's properties say what the policy and inline ignores
// changed, and the scan's notices.
func Write(w io.Writer, r *report.Result) error {
	version, rules, findings := r.Version, r.Rules, r.Findings
	doc, err := gosarif.New(gosarif.Version210)
	if err != nil {
		return err
	}
	driver := gosarif.NewVersionedDriver("mcptether", version).
		WithInformationURI("https://github.com/mcptether/mcptether")
	run := gosarif.NewRun(*gosarif.NewTool(driver))
	run.WithColumnKind("unicodeCodePoints")
	root := &gosarif.ArtifactLocation{Description: gosarif.NewTextMessage("the scanned repository's root")}
	if r.Root != "" {
		root.WithUri(dirURI(r.Root))
	}
	run.WithOriginalUriBaseIds(map[string]*gosarif.ArtifactLocation{"%SRCROOT%": root})
	location := func(f checks.Finding) *gosarif.Location { return locate(f, r.Base, r.Root) }
	index := map[string]int{}
	for i, r := range rules {
		index[r.ID] = i
		run.Tool.Driver.AddRule(ruleDescriptor(r))
	}
	for _, f := range findings {
		res := gosarif.NewRuleResult(f.RuleID).
			WithLevel(report.Level(f.Severity)).
			WithMessage(gosarif.NewTextMessage(f.Message)).
			WithPartialFingerPrints(map[string]any{FingerprintKey: f.Fingerprint})
		if i, ok := index[f.RuleID]; ok {
			res.WithRuleIndex(i)
		}
		res.AddLocation(location(f))
		if f.Suppression != nil {
			res.WithSuppression([]*gosarif.Suppression{suppression(f, location)})
		}
		if f.Baseline != "" {
			res.WithBaselineState(string(f.Baseline))
		}
		props := gosarif.NewPropertyBag()
		props.Add("severity", f.Severity.String())
		props.Add("security-severity", report.Score(f.Severity))
		if f.Server != "" {
			props.Add("server", f.Server)
		}
		res.AttachPropertyBag(props)
		run.AddResult(res)
	}
	runProps := gosarif.NewPropertyBag()
	pol := r.Policy
	if pol == nil {
		pol = report.PolicyEffect(nil, findings)
	}
	runProps.Add("mcptether/policy", pol)
	if len(r.Notices) > 0 {
		runProps.Add("mcptether/notices", r.Notices)
	}
	run.AttachPropertyBag(runProps)
	doc.AddRun(run)
	return doc.PrettyWrite(w)
}

// suppression fills every field: go-sarif writes unset ones as null, which
// the schema rejects.
func suppression(f checks.Finding, location func(checks.Finding) *gosarif.Location) *gosarif.Suppression {
	s := f.Suppression
	at := checks.Finding{File: s.File, Pos: config.Pos{Line: max(s.Line, 1), Col: 1}}
	sum := sha256.Sum256([]byte("suppression\x00" + f.Fingerprint))
	sum[6] = sum[6]&0x0f | 0x50 // UUID version 5 layout, variant 10
	sum[8] = sum[8]&0x3f | 0x80
	guid := fmt.Sprintf("%x-%x-%x-%x-%x", sum[0:4], sum[4:6], sum[6:8], sum[8:10], sum[10:16])
	return gosarif.NewSuppression(s.Kind).WithJustifcation(s.Justification).WithStatus("accepted").
		WithGuid(guid).WithLocation(location(at))
}

func ruleDescriptor(r *checks.Rule) *gosarif.ReportingDescriptor {
	d := gosarif.NewRule(r.ID).
		WithName(r.PascalName()).
		WithShortDescription(gosarif.NewMultiformatMessageString(r.Summary)).
		WithFullDescription(gosarif.NewMultiformatMessageString(r.Summary)).
		WithHelpURI(r.DocURL()).
		WithDefaultConfiguration(gosarif.NewReportingConfiguration().WithLevel(report.Level(r.Severity)))
	help := "See " + r.DocURL()
	md := help
	if doc, ok := docs.Rule(r.ID); ok {
		md = doc
	}
	d.WithHelp(gosarif.NewMultiformatMessageString(help).WithMarkdown(md))
	props := gosarif.NewPropertyBag()
	props.Add("tags", r.Tags)
	props.Add("precision", "high")
	props.Add("problem.severity", report.Level(r.Severity))
	props.Add("security-severity", report.Score(r.Severity))
	d.AttachPropertyBag(props)
	return d
}

// locate places a finding in its file. Reported paths are relative to the
// working directory (base), or absolute; URIs are relative to the
// repository root when the file is inside it, so an upload works from any
// working directory, and absolute file: URIs otherwise.
func locate(f checks.Finding, base, root string) *gosarif.Location {
	region := gosarif.NewRegion().WithStartLine(f.Pos.Line).WithStartColumn(f.Pos.Col)
	if f.Pos.EndLine >= f.Pos.Line && f.Pos.EndCol > 0 && (f.Pos.EndLine > f.Pos.Line || f.Pos.EndCol > f.Pos.Col) {
		region.WithEndLine(f.Pos.EndLine).WithEndColumn(f.Pos.EndCol)
	}
	p := filepath.FromSlash(f.File)
	if !filepath.IsAbs(p) && base != "" {
		p = filepath.Join(base, p)
	}
	loc := gosarif.NewArtifactLocation()
	switch rel, err := filepath.Rel(root, p); {
	case root != "" && filepath.IsAbs(p) && err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)):
		loc.WithUri(fileURI(filepath.ToSlash(rel))).WithUriBaseId("%SRCROOT%")
	case filepath.IsAbs(p):
		loc.WithUri(fileURI(filepath.ToSlash(p)))
	default:
		loc.WithUri(fileURI(f.File)).WithUriBaseId("%SRCROOT%")
	}
	return gosarif.NewLocation().WithPhysicalLocation(
		gosarif.NewPhysicalLocation().WithArtifactLocation(loc).WithRegion(region))
}

// dirURI is a directory's absolute file: URI, ending in a slash as SARIF
// wants of a base.
func dirURI(dir string) string {
	u := url.URL{Scheme: "file", Path: strings.TrimSuffix(filepath.ToSlash(dir), "/") + "/"}
	if !strings.HasPrefix(u.Path, "/") {
		u.Path = "/" + u.Path // a Windows drive letter
	}
	return u.String()
}

// fileURI escapes a slash path as a URI reference (spaces, #, %…).
func fileURI(p string) string {
	u := url.URL{Path: p}
	if strings.HasPrefix(p, "/") {
		u.Scheme = "file"
	}
	return u.String()
}
