package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/mcptether/mcptether/scan"
)

func pinCommand(args []string, env Env) int {
	var (
		dryRun, noIgnore, offline bool
		config, minReleaseAge     string
		online                    onlineFlags
	)
	fs := flag.NewFlagSet("mcptether pin", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprint(env.Stderr, "Usage: mcptether pin [flags] [PATH...]\n\nRewrites unpinned packages, images and git sources to exact versions, digests and commits.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	fs.BoolVar(&dryRun, "dry-run", false, "print a unified diff instead of writing, and exit 1 when anything would change")
	fs.BoolVar(&noIgnore, "no-ignore", false, "also pin files that .gitignore excludes")
	fs.StringVar(&config, "config", "", "policy `FILE` (for min-release-age)")
	fs.StringVar(&minReleaseAge, "min-release-age", "", "how old a chosen version must be (default: the policy file's, else 7d)")
	fs.BoolVar(&offline, "offline", false, "refused: pinning needs the registries")
	online.register(fs)
	paths, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		return ExitError
	}
	endpoints, err := online.endpoints(env)
	if err != nil {
		fmt.Fprintf(env.Stderr, "mcptether: %v\n", err)
		return ExitError
	}
	opts := scan.Options{Paths: paths, NoIgnore: noIgnore, Policy: config, Offline: offline, MinReleaseAge: minReleaseAge,
		Endpoints: endpoints, Version: version(), Getenv: env.Getenv, Now: env.Now}
	changed, code := runPin(opts, dryRun, env)
	if code != ExitOK {
		return code
	}
	if dryRun && changed {
		return ExitFindings
	}
	return ExitOK
}

// runPin pins, reports each change and each reference left alone, and
// writes the files (or prints the diff). It returns whether anything
// changed.
func runPin(opts scan.Options, dryRun bool, env Env) (bool, int) {
	fail := func(err error) (bool, int) {
		fmt.Fprintf(env.Stderr, "mcptether: %v\n", err)
		return false, ExitError
	}
	plan, err := scan.Pin(context.Background(), opts)
	if err != nil {
		return fail(err)
	}
	printDiscovery(env, plan.Errors, plan.Warnings)
	if len(plan.Errors) > 0 {
		return false, ExitError
	}
	verb := "pinned"
	if dryRun {
		verb = "would pin"
	}
	for _, c := range plan.Changes {
		line := fmt.Sprintf("%s:%d:%d: %s %q to %q", c.File, c.Pos.Line, c.Pos.Col, verb, c.Old, c.New)
		if c.Note != "" {
			line += " (" + c.Note + ")"
		}
		fmt.Fprintln(env.Stdout, line)
	}
	for _, s := range plan.Skips {
		fmt.Fprintf(env.Stdout, "%s:%d:%d: left %s as it is: %s\n", s.File, s.Pos.Line, s.Pos.Col, s.Ref, s.Reason)
	}
	if dryRun {
		for _, res := range plan.Results {
			env.Stdout.Write(res.Diff())
		}
	} else if err := plan.Write(); err != nil {
		return fail(err)
	}
	fmt.Fprintf(env.Stdout, "%s %d %s in %d %s; %d left as %s\n", verb, len(plan.Changes), plural(len(plan.Changes), "reference"),
		len(plan.Results), plural(len(plan.Results), "file"), len(plan.Skips), plural(len(plan.Skips), "it was", "they were"))
	return len(plan.Results) > 0, ExitOK
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
