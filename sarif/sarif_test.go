package sarif

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/mcptether/mcptether/checks"
	"github.com/mcptether/mcptether/config"
	"github.com/mcptether/mcptether/launch"
	"github.com/mcptether/mcptether/report"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// exampleFindings scans the bundled example repository from the repo root,
// as the CLI does in a checkout.
func exampleFindings(t *testing.T) []checks.Finding {
	t.Helper()
	t.Chdir("..")
	res, err := config.Discover(config.Options{Paths: []string{"testdata/example"}})
	if err != nil {
		t.Fatal(err)
	}
	fs := checks.Run(checks.All, &checks.Input{Files: res.Files, Servers: launch.DecodeAll(res.Files)})
	if len(fs) < 10 {
		t.Fatalf("only %d findings in the example", len(fs))
	}
	return fs
}

func write(t *testing.T, findings []checks.Finding) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, &report.Result{Version: "0.0.0-test", Rules: checks.All, Findings: findings}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func validate(t *testing.T, doc []byte) {
	t.Helper()
	// The working directory is the repository root (see exampleFindings).
	schemaDoc, err := os.ReadFile(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	schema, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaDoc))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("sarif.json", schema); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("sarif.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("SARIF does not validate against the 2.1.0 schema: %v", err)
	}
}

func TestValidAgainstSchema(t *testing.T) {
	fs := exampleFindings(t)
	validate(t, write(t, fs))
	// No findings still makes a valid run with every rule.
	empty := write(t, nil)
	validate(t, empty)
	var log sarifLog
	if err := json.Unmarshal(empty, &log); err != nil {
		t.Fatal(err)
	}
	if len(log.Runs) != 1 || log.Runs[0].Results == nil || len(log.Runs[0].Tool.Driver.Rules) != len(checks.All) {
		t.Errorf("empty run: %+v", log.Runs)
	}
}

// sarifLog is the part of SARIF GitHub code scanning reads.
type sarifLog struct {
	Version string `json:"version"`
	Schema  string `json:"$schema"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name  string `json:"name"`
				Rules []struct {
					ID      string `json:"id"`
					HelpURI string `json:"helpUri"`
					Help    struct {
						Text     string `json:"text"`
						Markdown string `json:"markdown"`
					} `json:"help"`
					ShortDescription struct{ Text string } `json:"shortDescription"`
					Properties       map[string]any        `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID    string                `json:"ruleId"`
			RuleIndex int                   `json:"ruleIndex"`
			Level     string                `json:"level"`
			Message   struct{ Text string } `json:"message"`
			Partial   map[string]string     `json:"partialFingerprints"`
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI       string `json:"uri"`
						URIBaseID string `json:"uriBaseId"`
					} `json:"artifactLocation"`
					Region struct {
						StartLine, StartColumn, EndLine, EndColumn int
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
			Properties map[string]any `json:"properties"`
		} `json:"results"`
	} `json:"runs"`
}

// TestWhatCodeScanningExpects checks the properties GitHub relies on:
// relative URIs that exist, 1-based regions, a ruleId with metadata,
// security-severity and partial fingerprints.
func TestWhatCodeScanningExpects(t *testing.T) {
	fs := exampleFindings(t)
	var log sarifLog
	if err := json.Unmarshal(write(t, fs), &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || !strings.Contains(log.Schema, "sarif") || len(log.Runs) != 1 {
		t.Fatalf("header: %s %s %d runs", log.Version, log.Schema, len(log.Runs))
	}
	run := log.Runs[0]
	rules := map[string]int{}
	for i, r := range run.Tool.Driver.Rules {
		rules[r.ID] = i
		sev, err := strconv.ParseFloat(r.Properties["security-severity"].(string), 64)
		if err != nil || sev <= 0 || sev > 10 {
			t.Errorf("%s: security-severity %v", r.ID, r.Properties["security-severity"])
		}
		if !strings.HasSuffix(r.HelpURI, "/docs/rules/"+r.ID+".md") || !strings.Contains(r.Help.Markdown, "## How to fix") || r.ShortDescription.Text == "" {
			t.Errorf("%s: help %q %q", r.ID, r.HelpURI, r.Help.Markdown)
		}
		if _, err := os.Stat(filepath.Join("docs", "rules", r.ID+".md")); err != nil {
			t.Errorf("%s: helpUri names a file that is not in the repository", r.ID)
		}
	}
	if len(run.Results) != len(fs) {
		t.Fatalf("%d results for %d findings", len(run.Results), len(fs))
	}
	seen := map[string]bool{}
	for i, r := range run.Results {
		idx, ok := rules[r.RuleID]
		if !ok || idx != r.RuleIndex {
			t.Errorf("result %d: ruleId %q index %d", i, r.RuleID, r.RuleIndex)
		}
		if r.Level != report.Level(fs[i].Severity) || r.Properties["security-severity"] != report.Score(fs[i].Severity) {
			t.Errorf("result %d: level %s, properties %v", i, r.Level, r.Properties)
		}
		loc := r.Locations[0].PhysicalLocation
		uri := loc.ArtifactLocation.URI
		if strings.Contains(uri, "://") || strings.HasPrefix(uri, "/") || loc.ArtifactLocation.URIBaseID != "%SRCROOT%" {
			t.Errorf("result %d: uri %q base %q is not repository-relative", i, uri, loc.ArtifactLocation.URIBaseID)
		}
		if _, err := os.Stat(filepath.FromSlash(uri)); err != nil {
			t.Errorf("result %d: uri %q does not name a file: %v", i, uri, err)
		}
		rg := loc.Region
		if rg.StartLine < 1 || rg.StartColumn < 1 || (rg.EndLine != 0 && (rg.EndLine < rg.StartLine || (rg.EndLine == rg.StartLine && rg.EndColumn <= rg.StartColumn))) {
			t.Errorf("result %d: bad region %+v", i, rg)
		}
		fp := r.Partial[FingerprintKey]
		if fp == "" || seen[fp] {
			t.Errorf("result %d: partial fingerprint %q missing or repeated", i, fp)
		}
		seen[fp] = true
	}
}

func TestRegionPointsAtTheValue(t *testing.T) {
	fs := exampleFindings(t)
	for _, f := range fs {
		if f.RuleID != checks.UnpinnedPackage.ID || f.File != "testdata/example/.mcp.json" {
			continue
		}
		src, err := os.ReadFile(f.File)
		if err != nil {
			t.Fatal(err)
		}
		line := strings.Split(string(src), "\n")[f.Pos.Line-1]
		got := line[f.Pos.Col-1 : f.Pos.EndCol-1] // ASCII line
		if got != `"@modelcontextprotocol/server-github"` {
			t.Errorf("region covers %q", got)
		}
		return
	}
	t.Fatal("no unpinned-package finding in .mcp.json")
}

func TestURIEscaping(t *testing.T) {
	for in, want := range map[string]string{"a b/#c.json": "a%20b/%23c.json", ".mcp.json": ".mcp.json", "/abs/x.json": "file:///abs/x.json"} {
		if got := fileURI(in); got != want {
			t.Errorf("fileURI(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSuppressionsAndBaseline(t *testing.T) {
	fs := exampleFindings(t)
	fs[0].Suppression = &checks.Suppression{Kind: "inSource", Justification: "vendor ships nightlies only"}
	fs[1].Suppression = &checks.Suppression{Kind: "external", Justification: "examples are never run"}
	for i := range fs {
		fs[i].Baseline = "new"
	}
	fs[2].Baseline = "unchanged"
	doc := write(t, fs)
	validate(t, doc)
	var log struct {
		Runs []struct {
			Results []struct {
				Suppressions []struct {
					Kind, Justification, Status string
				} `json:"suppressions"`
				BaselineState string `json:"baselineState"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(doc, &log); err != nil {
		t.Fatal(err)
	}
	rs := log.Runs[0].Results
	if len(rs[0].Suppressions) != 1 || rs[0].Suppressions[0].Kind != "inSource" || rs[0].Suppressions[0].Justification != "vendor ships nightlies only" {
		t.Errorf("result 0: %+v", rs[0])
	}
	if len(rs[1].Suppressions) != 1 || rs[1].Suppressions[0].Kind != "external" {
		t.Errorf("result 1: %+v", rs[1])
	}
	if len(rs[3].Suppressions) != 0 || rs[2].BaselineState != "unchanged" || rs[3].BaselineState != "new" {
		t.Errorf("results 2-3: %+v %+v", rs[2], rs[3])
	}
}

// TestMultitoolValidates runs Microsoft's SARIF Multitool (npm
// @microsoft/sarif-multitool; .ci/run installs it and sets
// SARIF_MULTITOOL) over our SARIF: no error and no warning, suppressed and
// baseline results included.
func TestMultitoolValidates(t *testing.T) {
	tool := os.Getenv("SARIF_MULTITOOL")
	if tool == "" {
		if p, err := exec.LookPath("sarif-multitool"); err == nil {
			tool = p
		}
	}
	if tool == "" {
		t.Skip("SARIF Multitool not installed (set SARIF_MULTITOOL; .ci/run installs it from npm)")
	}
	fs := exampleFindings(t)
	fs[0].Suppression = &checks.Suppression{Kind: "external", Justification: "accepted", File: ".mcptether.yml", Line: 3}
	for i := range fs {
		fs[i].Baseline = "new"
	}
	fs[1].Baseline = "unchanged"
	p := filepath.Join(t.TempDir(), "mcptether.sarif")
	if err := os.WriteFile(p, write(t, fs), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "validate", p).CombinedOutput()
	if err != nil {
		t.Fatalf("multitool: %v\n%s", err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, ": error ") || strings.Contains(line, ": warning ") {
			t.Errorf("multitool: %s", line)
		}
	}
	if !strings.Contains(string(out), "Analysis completed successfully") {
		t.Errorf("multitool did not complete:\n%s", out)
	}
}
