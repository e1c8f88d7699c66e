// Package cli is the mcptether command line: it turns flags into
// scan.Options, runs the scan (package scan owns the pipeline), renders
// the result and decides the exit code.
package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/mcptether/mcptether/baseline"
	"github.com/mcptether/mcptether/checks"
	"github.com/mcptether/mcptether/cyclonedx"
	"github.com/mcptether/mcptether/depgraph"
	"github.com/mcptether/mcptether/internal/safefile"
	"github.com/mcptether/mcptether/internal/safetext"
	"github.com/mcptether/mcptether/report"
	"github.com/mcptether/mcptether/sarif"
	"github.com/mcptether/mcptether/scan"
)

// Exit codes.
const (
	ExitOK       = 0 // no finding reached --fail-on
	ExitFindings = 1 // findings reached --fail-on
	ExitError    = 2 // usage or tool error
	// ExitUnresolved: pin left references unpinned because their lookups
	// failed (a registry down, a rate limit, no such package).
	ExitUnresolved = 3
)

// Version is set at build time with -ldflags "-X …/cli.Version=v1.2.3";
// otherwise the module version from the build info is used.
var Version = ""

// version is the tool version reports carry: the -X value (the Action
// sets its ref), else the module version from the build info (go install
// …@vX.Y.Z), else a development version. It always starts with a digit,
// as SARIF consumers compare versions numerically.
func version() string {
	v := Version
	if v == "" {
		if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			v = bi.Main.Version
		}
	}
	return numericVersion(v)
}

// numericVersion turns "v1.2.3" into "1.2.3", a branch or commit into
// "0.0.0-main", and nothing into "0.0.0-dev".
func numericVersion(v string) string {
	v = strings.TrimSpace(v)
	if len(v) > 1 && v[0] == 'v' && v[1] >= '0' && v[1] <= '9' {
		v = v[1:]
	}
	switch {
	case v == "":
		return "0.0.0-dev"
	case v[0] < '0' || v[0] > '9' || len(v) == 40:
		return "0.0.0-" + v // a branch, or a commit SHA that happens to start with a digit
	}
	return v
}

// Env is the process environment, injectable for tests.
type Env struct {
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// IsTerminal reports whether Stdout is a terminal (for colour);
	// StderrIsTerminal whether Stderr is (for audit's progress line).
	IsTerminal       bool
	StderrIsTerminal bool
	// Now is the clock policy expiry dates are judged by.
	Now func() time.Time
}

// Main runs mcptether with the real process environment.
func Main(args []string) int {
	return Run(args, Env{Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, IsTerminal: isTerminal(os.Stdout), StderrIsTerminal: isTerminal(os.Stderr), Now: time.Now})
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

const usage = `mcptether finds MCP server configs in a repository and reports servers that can be hijacked or
are not pinned.

Usage:
  mcptether [scan] [flags] [PATH...]   scan files and directories (default: .)
  mcptether pin [flags] [PATH...]      pin packages, images and git sources in place
  mcptether audit [flags]              judge a whole MCP registry (or a dump of one)
  mcptether audit merge FILE...        combine sharded audit reports
  mcptether rules                      list the rules
  mcptether version                    print the version

Run "mcptether scan -h" for the scan flags.
`

// Run runs the command line args and returns the exit code.
func Run(args []string, env Env) int {
	if env.Getenv == nil {
		env.Getenv = func(string) string { return "" }
	}
	if env.Now == nil {
		env.Now = time.Now
	}
	cmd := "scan"
	if len(args) > 0 {
		switch args[0] {
		case "scan", "pin", "audit", "rules", "version", "help":
			cmd, args = args[0], args[1:]
		case "-h", "--help", "-help":
			fmt.Fprint(env.Stdout, usage)
			return ExitOK
		}
	}
	switch cmd {
	case "pin":
		return pinCommand(args, env)
	case "audit":
		return auditCommand(args, env)
	case "rules":
		return rules(env)
	case "version":
		fmt.Fprintln(env.Stdout, "mcptether", version())
		return ExitOK
	case "help":
		fmt.Fprint(env.Stdout, usage)
		return ExitOK
	}
	return scanCommand(args, env)
}

func rules(env Env) int {
	for _, r := range checks.All {
		fmt.Fprintf(env.Stdout, "%-22s %-8s %s\n", r.ID, r.Severity, r.Summary)
	}
	return ExitOK
}

type scanFlags struct {
	format         string
	output         string
	sarifFile      string
	failOn         string
	offline        bool
	noIgnore       bool
	color          string
	config         string
	orgPolicies    listFlag
	policyRev      string
	showSuppressed bool
	baseline       string
	writeBaseline  string
	minReleaseAge  string
	fix            bool
	submit         bool
	online         onlineFlags
}

func (f *scanFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.format, "format", "text", "output format: "+formatNames())
	fs.StringVar(&f.output, "output", "", "write the report to `FILE` instead of standard output")
	fs.StringVar(&f.sarifFile, "sarif-file", "", "also write SARIF to `FILE`, whatever --format is")
	fs.StringVar(&f.failOn, "fail-on", "high", "exit 1 when a finding is at least this severe: critical, high, medium, low, note or never")
	fs.BoolVar(&f.offline, "offline", false, "make no network requests: skip registry, repository and owner lookups (env MCPTETHER_OFFLINE=true)")
	fs.BoolVar(&f.noIgnore, "no-ignore", false, "also scan files that .gitignore excludes")
	fs.StringVar(&f.color, "color", "auto", "colour text output: auto, always or never (NO_COLOR is honoured)")
	fs.StringVar(&f.config, "config", "", "policy `FILE` (default: .mcptether.yml in the working directory or the scanned directory)")
	fs.Var(&f.orgPolicies, "org-policy", "org policy `FILE`, applied before the repository's, which may not weaken the rules it locks (repeatable; env MCPTETHER_ORG_POLICY, paths separated by "+string(os.PathListSeparator)+")")
	fs.StringVar(&f.policyRev, "policy-rev", "", "read the repository's policy from git `REVISION` instead of the working tree, e.g. a pull request's base")
	fs.BoolVar(&f.showSuppressed, "show-suppressed", false, "also list findings that ignores suppress")
	fs.StringVar(&f.baseline, "baseline", "", "report only findings not recorded in the baseline `FILE`")
	fs.StringVar(&f.writeBaseline, "write-baseline", "", "record the current findings in `FILE` and exit 0")
	fs.BoolVar(&f.submit, "submit-dependencies", false, "post the servers' packages to GitHub's dependency graph for GITHUB_REPOSITORY at GITHUB_SHA (needs a token with contents: write)")
	fs.BoolVar(&f.fix, "fix", false, "pin unpinned references in place first (as mcptether pin), then scan")
	fs.StringVar(&f.minReleaseAge, "min-release-age", "", "how old a release must be, e.g. 7d, 48h, 2w (default: the policy file's min-release-age, else 7d)")
	f.online.register(fs)
}

func scanCommand(args []string, env Env) int {
	var f scanFlags
	fs := flag.NewFlagSet("mcptether scan", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprint(env.Stderr, "Usage: mcptether scan [flags] [PATH...]\n\nFlags:\n")
		fs.PrintDefaults()
	}
	f.register(fs)
	paths, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		return ExitError
	}
	failOn, err := parseFailOn(f.failOn)
	if err != nil {
		sayf(env.Stderr, "%v", err)
		return ExitError
	}
	if format(f.format) == nil {
		sayf(env.Stderr, "unknown format %q: use %s", f.format, formatNames())
		return ExitError
	}
	switch f.color {
	case "auto", "always", "never":
	default:
		sayf(env.Stderr, "unknown --color %q: use auto, always or never", f.color)
		return ExitError
	}

	endpoints, err := f.online.endpoints(env)
	if err != nil {
		sayf(env.Stderr, "%v", err)
		return ExitError
	}
	orgs := []string(f.orgPolicies)
	if len(orgs) == 0 && env.Getenv("MCPTETHER_ORG_POLICY") != "" {
		orgs = filepath.SplitList(env.Getenv("MCPTETHER_ORG_POLICY"))
	}
	opts := scan.Options{Paths: paths, NoIgnore: f.noIgnore, Policy: f.config, OrgPolicies: orgs, PolicyRev: f.policyRev, Offline: f.offline, Strict: f.online.strict,
		MinReleaseAge: f.minReleaseAge, Baseline: f.baseline, Endpoints: endpoints, Version: version(), Getenv: env.Getenv, Now: env.Now}
	if f.fix {
		// Pin messages go to stderr so stdout stays the report.
		// References pin could not resolve stay unpinned, and the scan
		// reports them; any other failure stops here.
		if _, code := runPin(opts, false, Env{Stdout: env.Stderr, Stderr: env.Stderr, Getenv: env.Getenv, Now: env.Now}); code != ExitOK && code != ExitUnresolved {
			return code
		}
	}
	res, err := scan.Run(context.Background(), opts)
	if err != nil {
		sayf(env.Stderr, "%v", err)
		return ExitError
	}
	printDiscovery(env, res.Errors, res.Warnings)
	res.ShowSuppressed = f.showSuppressed

	if f.writeBaseline != "" {
		if err := writeFile(f.writeBaseline, paths, masked(res, func(w io.Writer) error { return baseline.Write(w, res.Findings) })); err != nil {
			sayf(env.Stderr, "%v", err)
			return ExitError
		}
		sayf(env.Stderr, "recorded %d findings in %s", countUnsuppressed(res.Findings), f.writeBaseline)
		return ExitOK
	}

	// SARIF is written before the exit status is decided, so an upload
	// step after a failing scan still has a file.
	if f.sarifFile != "" {
		if err := writeFile(f.sarifFile, paths, masked(res, func(w io.Writer) error { return sarif.Write(w, res) })); err != nil {
			sayf(env.Stderr, "%v", err)
			return ExitError
		}
	}
	color := f.color == "always" || (f.color == "auto" && env.IsTerminal && f.output == "" && env.Getenv("NO_COLOR") == "")
	render := masked(res, func(w io.Writer) error { return format(f.format)(w, res, color) })
	if f.output != "" {
		err = writeFile(f.output, paths, render)
	} else {
		err = render(env.Stdout)
	}
	if err == nil && f.format == "github" {
		err = actionsOutputs(env, res, f.sarifFile)
	}
	if err != nil {
		sayf(env.Stderr, "%v", err)
		return ExitError
	}
	if f.submit {
		body, err := depgraph.Snapshot(res, depgraph.JobFromEnv(env.Getenv))
		if err == nil {
			var msg string
			msg, err = scan.Submit(context.Background(), opts, env.Getenv("GITHUB_REPOSITORY"), res.Redact(body))
			if err == nil {
				sayf(env.Stderr, "dependency snapshot submitted: %s", strings.TrimSpace(msg))
			}
		}
		if err != nil {
			sayf(env.Stderr, "%v", err)
			return ExitError
		}
	}
	if len(res.Errors) > 0 {
		return ExitError // a path could not be scanned: the verdict is incomplete
	}
	if sev, any := res.Highest(); any && failOn != nil && sev >= *failOn {
		return ExitFindings
	}
	return ExitOK
}

// masked renders into memory, then writes with every secret the scan found
// masked, whatever field carried it.
func masked(res *report.Result, render func(io.Writer) error) func(io.Writer) error {
	return func(w io.Writer) error {
		var buf bytes.Buffer
		if err := render(&buf); err != nil {
			return err
		}
		_, err := w.Write(safetext.Rendered(res.Redact(buf.Bytes())))
		return err
	}
}

// printDiscovery reports paths that could not be scanned and what was
// passed over.
func printDiscovery(env Env, errs, warnings []string) {
	for _, e := range errs {
		sayf(env.Stderr, "%s", e)
	}
	for _, w := range warnings {
		sayf(env.Stderr, "warning: %s", w)
	}
}

func countUnsuppressed(fs []checks.Finding) int {
	n := 0
	for _, f := range fs {
		if f.Suppression == nil {
			n++
		}
	}
	return n
}

// renderer writes a result in one output format.
type renderer func(w io.Writer, res *report.Result, color bool) error

// formats are the output formats in the order help lists them: the one
// list serves the flag's help, its validation and the dispatch.
var formats = []struct {
	name   string
	render renderer
}{
	{"text", report.Text},
	{"json", func(w io.Writer, res *report.Result, _ bool) error { return report.JSON(w, res) }},
	{"sarif", func(w io.Writer, res *report.Result, _ bool) error { return sarif.Write(w, res) }},
	{"github", func(w io.Writer, res *report.Result, _ bool) error { return report.GitHub(w, res) }},
	{"cyclonedx", func(w io.Writer, res *report.Result, _ bool) error { return cyclonedx.Write(w, res) }},
}

// format returns the renderer named name, or nil.
func format(name string) renderer {
	for _, f := range formats {
		if f.name == name {
			return f.render
		}
	}
	return nil
}

// formatNames lists the formats for messages: "text, json, sarif or github".
func formatNames() string {
	names := make([]string, len(formats))
	for i, f := range formats {
		names[i] = f.name
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// parseInterspersed lets flags follow paths ("scan . --format json").
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var paths []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return paths, nil
		}
		if args[0] == "--" {
			return append(paths, args[1:]...), nil
		}
		paths = append(paths, args[0])
		args = args[1:]
	}
}

func parseFailOn(s string) (*checks.Severity, error) {
	if strings.EqualFold(s, "never") {
		return nil, nil
	}
	sev, err := checks.ParseSeverity(s)
	if err != nil {
		return nil, fmt.Errorf("--fail-on: %w, or never", err)
	}
	return &sev, nil
}

// writeFile renders into FILE atomically: a failed render leaves no
// half-written report behind. Inside the working directory or a scanned
// tree, which a pull request wrote, the write is confined to it and a
// planted symlink is replaced, never followed (safefile.Write).
func writeFile(name string, paths []string, render func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := render(&buf); err != nil {
		return err
	}
	trees := []string{"."}
	for _, p := range paths {
		if fi, err := os.Lstat(p); err == nil && fi.IsDir() {
			trees = append(trees, p)
		}
	}
	return safefile.Write(name, buf.Bytes(), trees...)
}

// listFlag is a repeatable flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// sayf prints one line to w as the tool: "mcptether: " and the message,
// with whatever a config or registry put in it made safe for a CI log.
func sayf(w io.Writer, format string, args ...any) {
	fmt.Fprintln(w, "mcptether: "+safetext.Line(fmt.Sprintf(format, args...)))
}
