package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"github.com/mcptether/mcptether/internal/safetext"
	"strings"

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
		sayf(env.Stderr, "%v", err)
		return ExitError
	}
	opts := scan.Options{Paths: paths, NoIgnore: noIgnore, Policy: config, Offline: offline, MinReleaseAge: minReleaseAge,
		Endpoints: endpoints, Version: version(), Getenv: env.Getenv, Now: env.Now}
	changed, code := runPin(opts, dryRun, env)
	if code != ExitOK {
		return code // ExitUnresolved outranks "would change": an outage is never green
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
		sayf(env.Stderr, "%v", err)
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
	// Every line carries config and registry text: made safe for a log.
	say := func(format string, args ...any) {
		fmt.Fprintln(env.Stdout, safetext.Line(fmt.Sprintf(format, args...)))
	}
	for _, c := range plan.Changes {
		line := fmt.Sprintf("%s:%d:%d: %s %q to %q", c.File, c.Pos.Line, c.Pos.Col, verb, c.Old, c.New)
		if c.Note != "" {
			line += " (" + c.Note + ")"
		}
		say("%s", line)
	}
	unresolved := 0
	for _, s := range plan.Skips {
		why := ""
		if s.Unresolved {
			unresolved++
			why = " (could not be resolved)"
		}
		say("%s:%d:%d: left %s as it is%s: %s", s.File, s.Pos.Line, s.Pos.Col, s.Ref, why, s.Reason)
	}
	if dryRun {
		for _, res := range plan.Results {
			for _, line := range strings.SplitAfter(string(res.Diff()), "\n") {
				if line != "" {
					say("%s", strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r"))
				}
			}
		}
	} else if err := plan.Write(); err != nil {
		return fail(err)
	}
	say("%s %d %s in %d %s; %d left as %s", verb, len(plan.Changes), plural(len(plan.Changes), "reference"),
		len(plan.Results), plural(len(plan.Results), "file"), len(plan.Skips), plural(len(plan.Skips), "it was", "they were"))
	if unresolved > 0 {
		// Fail closed: an outage must not turn "is everything pinned?"
		// green.
		sayf(env.Stderr, "%d %s could not be resolved (a registry or GitHub lookup failed), so %s unpinned; exit %d",
			unresolved, plural(unresolved, "reference"), plural(unresolved, "it stays", "they stay"), ExitUnresolved)
		return len(plan.Results) > 0, ExitUnresolved
	}
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
