// Package scan owns the pipeline: policy → discover → decode → resolve →
// checks → triage, into one report.Result. The command line only turns
// flags into Options, calls Run (or Pin) and renders.
package scan

import (
	"context"
	"fmt"

	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/mcptether/mcptether/audit"
	"github.com/mcptether/mcptether/baseline"
	"github.com/mcptether/mcptether/checks"
	"github.com/mcptether/mcptether/config"
	"github.com/mcptether/mcptether/facts"
	"github.com/mcptether/mcptether/internal/safefile"
	"github.com/mcptether/mcptether/launch"
	"github.com/mcptether/mcptether/policy"
	"github.com/mcptether/mcptether/report"
	"github.com/mcptether/mcptether/resolve"
	"github.com/mcptether/mcptether/triage"
)

// Options are a scan's settings as the user gave them: Run resolves the
// defaults and the environment, in one place.
type Options struct {
	Paths    []string // files and directories; none means "."
	NoIgnore bool     // also scan what .gitignore files exclude
	Policy   string   // the policy file; "" finds .mcptether.yml
	// OrgPolicies are applied before the repository's policy, which may
	// not weaken the rules they lock.
	OrgPolicies []string
	// PolicyRev reads the repository's policy from this git revision
	// instead of the working tree (a pull request's base).
	PolicyRev string
	Offline   bool // no network (MCPTETHER_OFFLINE=true too)
	Strict    bool // unverifiable is high
	// MinReleaseAge is the --min-release-age value ("7d"); "" takes the
	// policy's, else checks.DefaultMinReleaseAge.
	MinReleaseAge string
	Baseline      string // a baseline file to mark findings against
	Endpoints     Endpoints
	Version       string
	// Getenv reads the environment (injectable for tests); Now is the
	// clock releases and ignore expiry are judged by.
	Getenv func(string) string
	Now    func() time.Time
}

func (o *Options) defaults() {
	if o.Getenv == nil {
		o.Getenv = func(string) string { return "" }
	}
	if o.Now == nil {
		o.Now = time.Now
	}
}

// offline: the flag or MCPTETHER_OFFLINE.
func (o *Options) offline() bool {
	b, err := strconv.ParseBool(o.Getenv("MCPTETHER_OFFLINE"))
	return o.Offline || (err == nil && b)
}

// trees are where a file the user names (a policy, a baseline) is read
// through an os.Root: the working directory and the scanned folders.
func (o *Options) trees() []string {
	trees := []string{"."}
	for _, p := range o.Paths {
		if fi, err := os.Lstat(p); err == nil && fi.IsDir() {
			trees = append(trees, p)
		}
	}
	return trees
}

// prepared is what a scan and pin share.
type prepared struct {
	pol      *policy.Policy
	found    *config.Result
	servers  []*launch.Server
	resolver *resolve.Resolver // nil offline
	minAge   time.Duration
	notices  []string
}

// prepare loads the policy, discovers and decodes the configs, and sets up
// the resolver (online).
func prepare(o *Options) (*prepared, error) {
	pol, err := loadPolicies(o)
	if err != nil {
		return nil, err
	}
	p := &prepared{pol: pol, minAge: checks.DefaultMinReleaseAge}
	if o.PolicyRev != "" && !hasRev(pol) {
		p.notices = append(p.notices, "revision "+o.PolicyRev+" has no repository policy file, so none was applied; a policy file in the working tree is not used with --policy-rev")
	}
	if pol != nil && pol.MinReleaseAge > 0 {
		p.minAge = pol.MinReleaseAge
	}
	if o.MinReleaseAge != "" {
		if p.minAge, err = policy.ParseAge(o.MinReleaseAge); err != nil {
			return nil, fmt.Errorf("--min-release-age: %w", err)
		}
	}
	if p.found, err = config.Discover(config.Options{Paths: o.Paths, NoIgnore: o.NoIgnore}); err != nil {
		return nil, err
	}
	p.servers = launch.DecodeAll(p.found.Files)
	if !o.offline() {
		ro, err := o.resolveOptions()
		if err != nil {
			return nil, err
		}
		if ro.TreeNPMRegistry != "" {
			p.notices = append(p.notices, fmt.Sprintf("npm lookups used the registry %s named by ./.npmrc in the scanned tree, as npx would install from it; see registry-override",
				launch.RedactURL(ro.TreeNPMRegistry)))
		}
		p.resolver = resolve.New(ro)
	}
	return p, nil
}

// Run scans and returns everything a report renders. A path that could not
// be scanned is in Result.Errors; the rest is still scanned.
func Run(ctx context.Context, o Options) (*report.Result, error) {
	o.defaults()
	p, err := prepare(&o)
	if err != nil {
		return nil, err
	}
	var known *facts.Facts
	if p.resolver != nil {
		known = p.resolver.Resolve(ctx, p.servers)
		p.notices = append(p.notices, p.resolver.Down()...)
	}
	in := &checks.Input{Files: p.found.Files, Servers: p.servers, Facts: known, Policy: p.pol, Now: o.Now(), MinReleaseAge: p.minAge}
	var marks map[string]bool
	if o.PolicyRev != "" {
		// Suppressions count only where they stood at the trusted
		// revision: a change cannot approve itself.
		if marks, err = trustedSuppressions(&o, p, in); err != nil {
			return nil, err
		}
	} else if o.Baseline != "" {
		if marks, err = baseline.Load(o.Baseline, o.trees()...); err != nil {
			return nil, err
		}
	}
	now := in.Now
	rules := triage.Rules(checks.All, p.pol, o.Strict)
	findings := checks.Run(rules, in)
	cwd, _ := os.Getwd()
	cwd, _ = filepath.Abs(cwd)
	triage.Apply(findings, triage.Input{Files: p.found.Files, Policy: p.pol, Strict: o.Strict, Baseline: marks, Cwd: cwd, Now: now})
	return &report.Result{
		Version: o.Version, Offline: p.resolver == nil, Files: p.found.Files, Servers: p.servers,
		Findings: findings, Warnings: p.found.Warnings, Errors: p.found.Errors, Listed: p.found.Listed,
		Rules: rules, Policy: report.PolicyEffect(p.pol, findings), Notices: p.notices, Secrets: checks.Secrets(p.servers),
		Base: cwd, Root: repoRoot(o.Getenv, o.Paths), Facts: known, Generated: now,
	}, nil
}

// trustedSuppressions judges the suppressions against o.PolicyRev: each
// config's inline ignores against the same file at that revision, and
// the baseline as that revision holds it (the entries the change added
// are noted in in). It returns the baseline's fingerprints.
func trustedSuppressions(o *Options, p *prepared, in *checks.Input) (map[string]bool, error) {
	rev, err := openRev(o.PolicyRev)
	if err != nil {
		return nil, err
	}
	in.TrustedRev = o.PolicyRev
	for _, f := range p.found.Files {
		if len(f.Ignores) == 0 {
			continue
		}
		var base *config.File
		if f.Root != "" {
			data, ok, err := rev.blob(filepath.Join(f.Root, filepath.FromSlash(f.Real)))
			if err != nil {
				return nil, fmt.Errorf("%s at %s: %w", f.Path, o.PolicyRev, err)
			}
			if ok {
				base = f.Reparse(data)
			}
		}
		f.Approve(base)
	}
	if o.Baseline == "" {
		return nil, nil
	}
	data, ok, err := rev.blob(o.Baseline)
	if err != nil {
		return nil, fmt.Errorf("the baseline %s at %s: %w", o.Baseline, o.PolicyRev, err)
	}
	marks := map[string]bool{}
	if ok {
		if marks, err = baseline.Parse(o.Baseline+" at "+o.PolicyRev, data); err != nil {
			return nil, err
		}
	} else {
		p.notices = append(p.notices, fmt.Sprintf("the baseline %s does not exist at %s, so no finding counts as already known; a baseline in the working tree is not used with --policy-rev", o.Baseline, o.PolicyRev))
	}
	if head, err := safefile.ReadNamed(o.Baseline, baseline.MaxSize, o.trees()...); err == nil {
		in.AddedSuppressions, _ = baseline.Added(o.Baseline, head, marks)
	}
	return marks, nil
}

// repoRoot is what SARIF URIs are relative to: the workspace in Actions,
// else the git work tree holding the first scanned path, else that path's
// directory.
func repoRoot(getenv func(string) string, paths []string) string {
	if ws := getenv("GITHUB_WORKSPACE"); ws != "" {
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

// Submit posts a dependency snapshot to GitHub for repo (owner/name),
// through the resolver's client and its token rules.
func Submit(ctx context.Context, o Options, repo string, body []byte) (string, error) {
	o.defaults()
	if o.offline() {
		return "", fmt.Errorf("--submit-dependencies needs the network, and the scan is --offline")
	}
	ro, err := o.resolveOptions()
	if err != nil {
		return "", err
	}
	return resolve.New(ro).SubmitSnapshot(ctx, repo, body)
}

// Audit judges a registry (or a dump, a.From) with every rule, online
// unless o says offline, writing each result to w as it completes.
func Audit(ctx context.Context, o Options, a audit.Options, w audit.Writer) (audit.Summary, error) {
	o.defaults()
	if !o.offline() {
		ro, err := o.resolveOptions()
		if err != nil {
			return audit.Summary{}, err
		}
		a.Resolver = resolve.New(ro)
	}
	a.Now = o.Now()
	sum, err := audit.Run(ctx, a, w.Result)
	if err != nil {
		return sum, err
	}
	return sum, w.Close(sum)
}
