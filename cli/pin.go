package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/mcptether/mcptether/checks"
	"github.com/mcptether/mcptether/config"
	"github.com/mcptether/mcptether/internal/safefile"
	"github.com/mcptether/mcptether/launch"
	"github.com/mcptether/mcptether/pin"
	"github.com/mcptether/mcptether/policy"
	"github.com/mcptether/mcptether/resolve"
)

// pinJob is what pinning needs, from `pin` or `scan --fix`.
type pinJob struct {
	paths         []string
	noIgnore      bool
	config        string
	minReleaseAge string
	dryRun        bool
	online        *onlineFlags
}

func pinCommand(args []string, env Env) int {
	var job pinJob
	var offline bool
	job.online = &onlineFlags{}
	fs := flag.NewFlagSet("mcptether pin", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprint(env.Stderr, "Usage: mcptether pin [flags] [PATH...]\n\nRewrites unpinned packages, images and git sources to exact versions, digests and commits.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	fs.BoolVar(&job.dryRun, "dry-run", false, "print a unified diff instead of writing, and exit 1 when anything would change")
	fs.BoolVar(&job.noIgnore, "no-ignore", false, "also pin files that .gitignore excludes")
	fs.StringVar(&job.config, "config", "", "policy `FILE` (for min-release-age)")
	fs.StringVar(&job.minReleaseAge, "min-release-age", "", "how old a chosen version must be (default: the policy file's, else 7d)")
	fs.BoolVar(&offline, "offline", false, "refused: pinning needs the registries")
	job.online.register(fs)
	paths, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		return ExitError
	}
	if offline || truthy(env.Getenv("MCPTETHER_OFFLINE")) {
		fmt.Fprintln(env.Stderr, "mcptether: pin looks versions, digests and commits up in the registries; it cannot run offline")
		return ExitError
	}
	job.paths = paths
	changed, code := runPin(job, env)
	if code != ExitOK {
		return code
	}
	if job.dryRun && changed {
		return ExitFindings
	}
	return ExitOK
}

// runPin pins, reports each change and each reference left alone, and
// writes the files (or prints the diff). It returns whether anything
// changed.
func runPin(job pinJob, env Env) (bool, int) {
	fail := func(err error) (bool, int) {
		fmt.Fprintf(env.Stderr, "mcptether: %v\n", err)
		return false, ExitError
	}
	pol, err := loadPolicy(job.config, job.paths)
	if err != nil {
		return fail(err)
	}
	minAge := checks.DefaultMinReleaseAge
	if pol != nil && pol.MinReleaseAge > 0 {
		minAge = pol.MinReleaseAge
	}
	if job.minReleaseAge != "" {
		if minAge, err = policy.ParseAge(job.minReleaseAge); err != nil {
			return fail(fmt.Errorf("--min-release-age: %w", err))
		}
	}
	found, err := config.Discover(config.Options{Paths: job.paths, NoIgnore: job.noIgnore})
	if err != nil {
		return fail(err)
	}
	printDiscovery(env, found)
	if len(found.Errors) > 0 {
		return false, ExitError
	}
	files := map[string]*config.File{}
	for _, f := range found.Files {
		files[f.Path] = f
	}
	opts, err := job.online.options(env)
	if err != nil {
		return fail(err)
	}
	r := resolve.New(opts)
	changes, skips := pin.Plan(context.Background(), r, launch.DecodeAll(found.Files), pin.Options{MinAge: minAge, Now: env.Now()})
	// A file is read and rewritten where its content really is (a
	// symlink's target inside the tree), through an os.Root at its tree:
	// never outside it, and a link stays a link.
	results, err := pin.Apply(changes, func(p string) ([]byte, error) {
		return inTree(files[p], func(r *os.Root, name string) ([]byte, error) { return safefile.Read(r, name, config.MaxFileSize) })
	})
	if err != nil {
		return fail(err)
	}
	verb := "pinned"
	if job.dryRun {
		verb = "would pin"
	}
	for _, c := range changes {
		line := fmt.Sprintf("%s:%d:%d: %s %q to %q", c.File, c.Pos.Line, c.Pos.Col, verb, c.Old, c.New)
		if c.Note != "" {
			line += " (" + c.Note + ")"
		}
		fmt.Fprintln(env.Stdout, line)
	}
	for _, s := range skips {
		fmt.Fprintf(env.Stdout, "%s:%d:%d: left %s as it is: %s\n", s.File, s.Pos.Line, s.Pos.Col, s.Ref, s.Reason)
	}
	for _, res := range results {
		if job.dryRun {
			env.Stdout.Write(res.Diff())
			continue
		}
		if _, err := inTree(files[res.File], func(r *os.Root, name string) ([]byte, error) { return nil, safefile.WriteIn(r, name, res.New) }); err != nil {
			return fail(fmt.Errorf("failed to write %s: %w", res.File, safefile.Explain(err)))
		}
	}
	fmt.Fprintf(env.Stdout, "%s %d %s in %d %s; %d left as %s\n", verb, len(changes), plural(len(changes), "reference"),
		len(results), plural(len(results), "file"), len(skips), plural(len(skips), "it was", "they were"))
	return len(results) > 0, ExitOK
}

// inTree runs fn on the file's real place inside its tree.
func inTree(f *config.File, fn func(*os.Root, string) ([]byte, error)) ([]byte, error) {
	if f == nil || f.Root == "" {
		return nil, errors.New("not read from disk")
	}
	r, err := os.OpenRoot(f.Root)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return fn(r, filepath.FromSlash(f.Real))
}

func plural(n int, one string, many ...string) string {
	if n == 1 {
		return one
	}
	if len(many) > 0 {
		return many[0]
	}
	return one + "s"
}
