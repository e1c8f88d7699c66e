// Package cli is the mcptether command line: flag parsing and wiring of
// config → launch → checks → reports. It holds no rule or format logic.
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
	"github.com/mcptether/mcptether/config"
	"github.com/mcptether/mcptether/facts"
	"github.com/mcptether/mcptether/internal/safefile"
	"github.com/mcptether/mcptether/launch"
	"github.com/mcptether/mcptether/policy"
	"github.com/mcptether/mcptether/report"
	"github.com/mcptether/mcptether/resolve"
	"github.com/mcptether/mcptether/sarif"
)

// Exit codes.
const (
	ExitOK       = 0 // no finding reached --fail-on
	ExitFindings = 1 // findings reached --fail-on
	ExitError    = 2 // usage or tool error
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
	// IsTerminal reports whether Stdout is a terminal (for colour).
	IsTerminal bool
	// Now is the clock policy expiry dates are judged by.
	Now func() time.Time
}

// Main runs mcptether with the real process environment.
func Main(args []string) int {
	return Run(args, Env{Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, IsTerminal: isTerminal(os.Stdout), Now: time.Now})
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
		case "scan", "pin", "rules", "version", "help":
			cmd, args = args[0], args[1:]
		case "-h", "--help", "-help":
			fmt.Fprint(env.Stdout, usage)
			return ExitOK
		}
	}
	switch cmd {
	case "pin":
		return pinCommand(args, env)
	case "rules":
		return rules(env)
	case "version":
		fmt.Fprintln(env.Stdout, "mcptether", version())
		return ExitOK
	case "help":
		fmt.Fprint(env.Stdout, usage)
		return ExitOK
	}
	return scan(args, env)
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
	showSuppressed bool
	baseline       string
	writeBaseline  string
	minReleaseAge  string
	fix            bool
	online         onlineFlags
}

func (f *scanFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.format, "format", "text", "output format: text, json, sarif or github")
	fs.StringVar(&f.output, "output", "", "write the report to `FILE` instead of standard output")
	fs.StringVar(&f.sarifFile, "sarif-file", "", "also write SARIF to `FILE`, whatever --format is")
	fs.StringVar(&f.failOn, "fail-on", "high", "exit 1 when a finding is at least this severe: critical, high, medium, low, note or never")
	fs.BoolVar(&f.offline, "offline", false, "make no network requests: skip registry, repository and owner lookups (env MCPTETHER_OFFLINE=true)")
	fs.BoolVar(&f.noIgnore, "no-ignore", false, "also scan files that .gitignore excludes")
	fs.StringVar(&f.color, "color", "auto", "colour text output: auto, always or never (NO_COLOR is honoured)")
	fs.StringVar(&f.config, "config", "", "policy `FILE` (default: .mcptether.yml in the working directory or the scanned directory)")
	fs.BoolVar(&f.showSuppressed, "show-suppressed", false, "also list findings that ignores suppress")
	fs.StringVar(&f.baseline, "baseline", "", "report only findings not recorded in the baseline `FILE`")
	fs.StringVar(&f.writeBaseline, "write-baseline", "", "record the current findings in `FILE` and exit 0")
	fs.BoolVar(&f.fix, "fix", false, "pin unpinned references in place first (as mcptether pin), then scan")
	fs.StringVar(&f.minReleaseAge, "min-release-age", "", "how old a release must be, e.g. 7d, 48h, 2w (default: the policy file's min-release-age, else 7d)")
	f.online.register(fs)
}

func scan(args []string, env Env) int {
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
		fmt.Fprintf(env.Stderr, "mcptether: %v\n", err)
		return ExitError
	}
	switch f.format {
	case "text", "json", "sarif", "github":
	default:
		fmt.Fprintf(env.Stderr, "mcptether: unknown format %q: use text, json, sarif or github\n", f.format)
		return ExitError
	}
	switch f.color {
	case "auto", "always", "never":
	default:
		fmt.Fprintf(env.Stderr, "mcptether: unknown --color %q: use auto, always or never\n", f.color)
		return ExitError
	}

	if f.fix {
		if f.offline || truthy(env.Getenv("MCPTETHER_OFFLINE")) {
			fmt.Fprintln(env.Stderr, "mcptether: --fix looks versions up in the registries; it cannot run offline")
			return ExitError
		}
		// Pin messages go to stderr so stdout stays the report.
		if _, code := runPin(pinJob{paths: paths, noIgnore: f.noIgnore, config: f.config, minReleaseAge: f.minReleaseAge, online: &f.online},
			Env{Stdout: env.Stderr, Stderr: env.Stderr, Getenv: env.Getenv, Now: env.Now}); code != ExitOK {
			return code
		}
	}
	pol, err := loadPolicy(f.config, paths)
	if err != nil {
		fmt.Fprintf(env.Stderr, "mcptether: %v\n", err)
		return ExitError
	}
	found, err := config.Discover(config.Options{Paths: paths, NoIgnore: f.noIgnore})
	if err != nil {
		fmt.Fprintf(env.Stderr, "mcptether: %v\n", err)
		return ExitError
	}
	printDiscovery(env, found)
	now := env.Now()
	rules := checks.Configure(checks.All, pol)
	if f.online.strict {
		rules = strict(rules)
	}
	servers := launch.DecodeAll(found.Files)
	offline := f.offline || truthy(env.Getenv("MCPTETHER_OFFLINE"))
	var known *facts.Facts
	var notices []string
	if !offline {
		opts, err := f.online.options(env)
		if err != nil {
			fmt.Fprintf(env.Stderr, "mcptether: %v\n", err)
			return ExitError
		}
		if opts.TreeNPMRegistry != "" {
			notices = append(notices, fmt.Sprintf("npm lookups used the registry %s named by ./.npmrc in the scanned tree, as npx would install from it; see registry-override",
				launch.RedactURL(opts.TreeNPMRegistry)))
		}
		known = resolve.New(opts).Resolve(context.Background(), servers)
	}
	minAge := time.Duration(0)
	if pol != nil {
		minAge = pol.MinReleaseAge
	}
	if f.minReleaseAge != "" {
		if minAge, err = policy.ParseAge(f.minReleaseAge); err != nil {
			fmt.Fprintf(env.Stderr, "mcptether: --min-release-age: %v\n", err)
			return ExitError
		}
	}
	findings := checks.Run(rules, &checks.Input{Files: found.Files, Servers: servers, Facts: known, Policy: pol, Now: now, MinReleaseAge: minAge})
	cwd, _ := os.Getwd()
	cwd, _ = filepath.Abs(cwd)
	checks.ApplyPolicy(findings, found.Files, pol, cwd, now)

	if f.writeBaseline != "" {
		secrets := &report.Result{Secrets: checks.Secrets(servers)}
		if err := writeFile(f.writeBaseline, paths, masked(secrets, func(w io.Writer) error { return baseline.Write(w, findings) })); err != nil {
			fmt.Fprintf(env.Stderr, "mcptether: %v\n", err)
			return ExitError
		}
		fmt.Fprintf(env.Stderr, "mcptether: recorded %d findings in %s\n", countUnsuppressed(findings), f.writeBaseline)
		return ExitOK
	}
	if f.baseline != "" {
		known, err := baseline.Load(f.baseline)
		if err != nil {
			fmt.Fprintf(env.Stderr, "mcptether: %v\n", err)
			return ExitError
		}
		baseline.Mark(findings, known)
	}
	res := &report.Result{Version: version(), Offline: offline, Files: found.Files, Servers: servers,
		Findings: findings, Warnings: found.Warnings, Listed: found.Listed, ShowSuppressed: f.showSuppressed,
		Rules: rules, Policy: report.PolicyEffect(pol, findings), Notices: notices, Secrets: checks.Secrets(servers),
		Base: cwd, Root: repoRoot(env, paths)}

	// SARIF is written before the exit status is decided, so an upload
	// step after a failing scan still has a file.
	if f.sarifFile != "" {
		if err := writeFile(f.sarifFile, paths, masked(res, func(w io.Writer) error { return sarif.Write(w, res) })); err != nil {
			fmt.Fprintf(env.Stderr, "mcptether: %v\n", err)
			return ExitError
		}
	}
	color := f.color == "always" || (f.color == "auto" && env.IsTerminal && f.output == "" && env.Getenv("NO_COLOR") == "")
	render := masked(res, func(w io.Writer) error {
		switch f.format {
		case "json":
			return report.JSON(w, res)
		case "sarif":
			return sarif.Write(w, res)
		case "github":
			return report.GitHub(w, res)
		}
		return report.Text(w, res, color)
	})
	if f.output != "" {
		err = writeFile(f.output, paths, render)
	} else {
		err = render(env.Stdout)
	}
	if err == nil && f.format == "github" {
		err = actionsOutputs(env, res, f.sarifFile)
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "mcptether: %v\n", err)
		return ExitError
	}
	if len(found.Errors) > 0 {
		return ExitError // a path could not be scanned: the verdict is incomplete
	}
	if sev, any := res.Highest(); any && failOn != nil && sev >= *failOn {
		return ExitFindings
	}
	return ExitOK
}

// repoRoot is what SARIF URIs are relative to: the workspace in Actions,
// else the git work tree holding the first scanned path, else that path's
// directory.
func repoRoot(env Env, paths []string) string {
	if ws := env.Getenv("GITHUB_WORKSPACE"); ws != "" {
		if abs, err := filepath.Abs(ws); err == nil {
			return abs
		}
	}
	p := "."
	if len(paths) > 0 {
		p = paths[0]
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return ""
	}
	if fi, err := os.Stat(abs); err != nil || !fi.IsDir() {
		abs = filepath.Dir(abs)
	}
	for d := abs; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return abs
		}
	}
}

// masked renders into memory, then writes with every secret the scan found
// masked, whatever field carried it.
func masked(res *report.Result, render func(io.Writer) error) func(io.Writer) error {
	return func(w io.Writer) error {
		var buf bytes.Buffer
		if err := render(&buf); err != nil {
			return err
		}
		_, err := w.Write(res.Redact(buf.Bytes()))
		return err
	}
}

// printDiscovery reports paths that could not be scanned and what was
// passed over.
func printDiscovery(env Env, found *config.Result) {
	for _, e := range found.Errors {
		fmt.Fprintf(env.Stderr, "mcptether: %s\n", e)
	}
	for _, w := range found.Warnings {
		fmt.Fprintf(env.Stderr, "mcptether: warning: %s\n", w)
	}
}

// strict raises unverifiable to high, so an incomplete scan fails.
func strict(rules []*checks.Rule) []*checks.Rule {
	out := make([]*checks.Rule, len(rules))
	for i, r := range rules {
		out[i] = r
		if r.ID == checks.Unverifiable.ID {
			c := *r
			c.Severity = checks.High
			out[i] = &c
		}
	}
	return out
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

// loadPolicy reads --config, or else .mcptether.yml from the working
// directory or the first scanned directory.
func loadPolicy(explicit string, paths []string) (*policy.Policy, error) {
	path := explicit
	if path == "" {
		path = policy.Find(".")
		if path == "" && len(paths) > 0 {
			if fi, err := os.Stat(paths[0]); err == nil && fi.IsDir() {
				path = policy.Find(paths[0])
			}
		}
	}
	if path == "" {
		return nil, nil
	}
	ids := make([]string, 0, len(checks.All))
	for _, r := range checks.All {
		ids = append(ids, r.ID)
	}
	return policy.Load(path, ids)
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
