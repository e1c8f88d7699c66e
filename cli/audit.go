package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/mcptether/mcptether/audit"
	"github.com/mcptether/mcptether/scan"
)

// auditCommand: mcptether audit [flags], or mcptether audit merge FILE….
func auditCommand(args []string, env Env) int {
	if len(args) > 0 && args[0] == "merge" {
		return auditMerge(args[1:], env)
	}
	fs := flag.NewFlagSet("mcptether audit", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprint(env.Stderr, "Usage: mcptether audit [flags]\n       mcptether audit merge [--format F] [--top K] FILE...\n\nFlags:\n")
		fs.PrintDefaults()
	}
	var (
		registry, from, since, shard, format string
		all, offline                         bool
		top, maxPages                        int
		online                               onlineFlags
	)
	fs.StringVar(&registry, "registry", "", "MCP registry API `URL` (env MCPTETHER_REGISTRY_URL; default https://registry.modelcontextprotocol.io)")
	fs.StringVar(&from, "from", "", "audit a dump `FILE` instead: a JSON array of server.json documents, a saved API page, or JSON lines of either")
	fs.StringVar(&since, "updated-since", "", "only servers updated since this RFC 3339 `TIME` (passed to the registry as updated_since)")
	fs.BoolVar(&all, "all-versions", false, "audit every version, not only the latest of each server")
	fs.StringVar(&shard, "shard", "", "audit slice `I/N` only (by a hash of the server name; stable as the registry grows)")
	fs.StringVar(&format, "format", "text", "output format: text, json or csv")
	fs.IntVar(&top, "top", 0, "with text output, list the `K` most severe servers of each rule")
	fs.BoolVar(&offline, "offline", false, "no network: offline rules only (needs --from)")
	fs.IntVar(&maxPages, "max-pages", audit.DefaultMaxPages, "read at most `N` pages of the registry API; an audit stopped by the bound says it is incomplete")
	online.register(fs)
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		return ExitError
	}
	if len(rest) > 0 {
		sayf(env.Stderr, "audit takes no paths (%q): give a dump with --from", rest[0])
		return ExitError
	}
	if maxPages < 1 {
		sayf(env.Stderr, "--max-pages: want a number of pages from 1, got %d", maxPages)
		return ExitError
	}
	a := audit.Options{From: from, UpdatedSince: since, AllVersions: all, MaxPages: maxPages}
	if shard != "" {
		if a.Shard, a.Shards, err = parseShard(shard); err != nil {
			sayf(env.Stderr, "--shard: %v", err)
			return ExitError
		}
	}
	endpoints, err := online.endpoints(env)
	if err != nil {
		sayf(env.Stderr, "%v", err)
		return ExitError
	}
	endpoints.MCPRegistry = registry
	w, err := audit.NewWriter(env.Stdout, format, top)
	if err != nil {
		sayf(env.Stderr, "%v", err)
		return ExitError
	}
	if env.StderrIsTerminal {
		a.Progress = func(p audit.Progress) {
			budget := "unknown"
			if p.Budget >= 0 {
				budget = strconv.Itoa(p.Budget)
			}
			fmt.Fprintf(env.Stderr, "\r%d servers audited, %d requests, GitHub budget left %s ", p.Done, p.Requests, budget)
		}
	}
	opts := scan.Options{Offline: offline, Endpoints: endpoints, Version: version(), Getenv: env.Getenv, Now: env.Now}
	sum, err := scan.Audit(context.Background(), opts, a, w)
	if err != nil {
		fmt.Fprintln(env.Stderr)
		sayf(env.Stderr, "%v", err)
		return ExitError
	}
	if a.Progress != nil {
		fmt.Fprintln(env.Stderr)
	}
	warnIncomplete(env, sum)
	return ExitOK
}

// warnIncomplete says on stderr what the report left out, whatever its
// format: entries skipped, and pages not read.
func warnIncomplete(env Env, sum audit.Summary) {
	if sum.Blank > 0 {
		sayf(env.Stderr, "blank placeholder entries skipped: %d", sum.Blank)
	}
	if sum.Unreadable > 0 {
		sayf(env.Stderr, "unreadable entries skipped: %d", sum.Unreadable)
		for _, p := range sum.Problems {
			sayf(env.Stderr, "  %s", p)
		}
		if more := sum.Unreadable - len(sum.Problems); more > 0 {
			sayf(env.Stderr, "  and %d more", more)
		}
	}
	if sum.Stopped != "" {
		sayf(env.Stderr, "warning: the audit is incomplete: %s", sum.Stopped)
	}
}

func parseShard(s string) (int, int, error) {
	i, n, ok := strings.Cut(s, "/")
	a, err1 := strconv.Atoi(i)
	b, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || err2 != nil || b < 1 || a < 1 || a > b {
		return 0, 0, fmt.Errorf("want I/N with 1 ≤ I ≤ N, got %q", s)
	}
	return a, b, nil
}

// auditMerge combines shard reports into one, in any format.
func auditMerge(args []string, env Env) int {
	fs := flag.NewFlagSet("mcptether audit merge", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	format := fs.String("format", "json", "output format: text, json or csv")
	top := fs.Int("top", 0, "with text output, list the `K` most severe servers of each rule")
	files, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		return ExitError
	}
	if len(files) == 0 {
		sayf(env.Stderr, "audit merge needs the JSON reports to merge")
		return ExitError
	}
	w, err := audit.NewWriter(env.Stdout, *format, *top)
	if err != nil {
		sayf(env.Stderr, "%v", err)
		return ExitError
	}
	total, err := audit.Merge(files, w)
	if err != nil {
		sayf(env.Stderr, "%v", err)
		return ExitError
	}
	if err := w.Close(total); err != nil {
		sayf(env.Stderr, "%v", err)
		return ExitError
	}
	warnIncomplete(env, total)
	return ExitOK
}
