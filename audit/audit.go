// Package audit judges a whole MCP registry, or a dump of one, with the
// rules a committed server.json gets: the registry-scale measurement,
// made a command. It streams: pages are read, judged in chunks and
// written as they complete, so memory does not grow with the registry.
package audit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"sort"
	"strings"
	"time"

	"github.com/mcptether/mcptether/checks"
	"github.com/mcptether/mcptether/config"
	"github.com/mcptether/mcptether/launch"
	"github.com/mcptether/mcptether/report"
	"github.com/mcptether/mcptether/resolve"
)

// Options say what to audit and how.
type Options struct {
	// From is a dump file; "" reads the registry API through Resolver.
	From         string
	UpdatedSince string
	AllVersions  bool
	// Shard and Shards select a deterministic slice (Shard in 1..Shards)
	// by a hash of the server name; 0 means all.
	Shard, Shards int
	// Resolver looks packages and repositories up (nil: offline rules
	// only, and From must be set).
	Resolver *resolve.Resolver
	Now      time.Time
	// Chunk is how many servers are resolved together (default 100: one
	// GraphQL batch's worth of repositories and owners).
	Chunk int
	// Progress is told, after each chunk, how far the audit is.
	Progress func(Progress)
	// MaxPages bounds the registry API's pages (default DefaultMaxPages):
	// a registry that never ends is audited as far as the bound, and the
	// summary says the audit stopped there.
	MaxPages int
}

// Progress is where an audit is: servers done, requests made, and
// GitHub's GraphQL points left (-1 when unknown).
type Progress struct {
	Done     int
	Requests int64
	Budget   int
}

// Result is one audited server.
type Result struct {
	Name       string    `json:"name"`
	Version    string    `json:"version,omitempty"`
	Repository string    `json:"repository,omitempty"`
	Findings   []Finding `json:"findings"`
}

// Finding is one rule's verdict on a server.
type Finding struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
}

// Summary counts what was audited.
type Summary struct {
	Servers int `json:"servers"` // audited
	Skipped int `json:"skipped"` // deleted in the registry
	// OlderVersions are entries not audited because a newer version of
	// the same server is (without --all-versions).
	OlderVersions int `json:"olderVersions"`
	// Blank entries are placeholders with every field empty.
	Blank int `json:"blank"`
	// Unreadable entries are malformed or over the size bound of one
	// entry; Problems says where and why, for the first maxProblems.
	Unreadable int `json:"unreadable"`
	// Repeated entries name a server and version that came before: each
	// server is audited and counted once.
	Repeated     int            `json:"repeated"`
	Unverifiable int            `json:"unverifiable"` // servers with an unverifiable finding
	ByRule       map[string]int `json:"byRule"`       // rule → servers with at least one finding of it
	Seconds      float64        `json:"seconds"`
	Requests     int64          `json:"requests"`
	Problems     []string       `json:"problems,omitempty"`
	// Stopped says why the registry's pages were not read to the end:
	// the audit is incomplete. "" when it is complete.
	Stopped string `json:"stopped,omitempty"`
}

// maxProblems bounds Summary.Problems: the count says how many more.
const maxProblems = 100

func (s *Summary) problem(p string) {
	if len(s.Problems) < maxProblems {
		s.Problems = append(s.Problems, p)
	}
}

// Count adds one result to the summary.
func (s *Summary) Count(r Result) {
	s.Servers++
	if s.ByRule == nil {
		s.ByRule = map[string]int{}
	}
	seen := map[string]bool{}
	for _, f := range r.Findings {
		if !seen[f.Rule] {
			seen[f.Rule] = true
			s.ByRule[f.Rule]++
		}
	}
	if seen[checks.Unverifiable.ID] {
		s.Unverifiable++
	}
}

// InShard reports whether a server name falls in shard i of n (1-based):
// a hash of the name, so shards stay stable when the registry grows.
func InShard(name string, i, n int) bool {
	if n <= 1 {
		return true
	}
	h := fnv.New64a()
	h.Write([]byte(name))
	return int(h.Sum64()%uint64(n)) == i-1
}

// Run audits every selected server and calls emit with each result as it
// completes; the summary counts them, and what was left out. A registry
// whose pages loop or never end is audited as far as it was read, and
// Summary.Stopped says why the rest was not.
func Run(ctx context.Context, o Options, emit func(Result) error) (Summary, error) {
	start := time.Now()
	if o.Chunk <= 0 {
		o.Chunk = 100
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if o.Shards > 0 && (o.Shard < 1 || o.Shard > o.Shards) {
		return Summary{}, fmt.Errorf("shard %d/%d: want 1 to %d", o.Shard, o.Shards, o.Shards)
	}
	var sum Summary
	sum.ByRule = map[string]int{}
	var chunk []Item
	flush := func() error {
		if len(chunk) == 0 {
			return nil
		}
		results := judge(ctx, o, chunk)
		chunk = chunk[:0]
		for _, r := range results {
			sum.Count(r)
			if err := emit(r); err != nil {
				return err
			}
		}
		if o.Progress != nil {
			p := Progress{Done: sum.Servers, Budget: -1}
			if o.Resolver != nil {
				p.Requests = o.Resolver.Requests()
				if left, ok := o.Resolver.GraphQLRemaining(); ok {
					p.Budget = left
				}
			}
			o.Progress(p)
		}
		return nil
	}
	latest := map[string]string(nil)
	if o.From != "" && !o.AllVersions {
		// A dump says nothing of which version is the latest: a first pass
		// finds each name's newest.
		latest = map[string]string{}
		if err := fromFile(o.From, func(it Item) error {
			if it.Skip != "" || it.Blank {
				return nil
			}
			if v, ok := latest[it.Name]; !ok || newer(it.Version, v) {
				latest[it.Name] = it.Version
			}
			return nil
		}); err != nil {
			return sum, err
		}
	}
	chunkBytes := 0
	take := func(it Item) error {
		// An entry without a name (blank, unreadable) falls in the shard
		// of "", so merged shards count it once.
		if !InShard(it.Name, o.Shard, o.Shards) {
			return nil
		}
		switch {
		case it.Blank:
			sum.Blank++
			return nil
		case it.Skip != "":
			sum.Unreadable++
			sum.problem(it.Where + ": " + it.Skip)
			return nil
		case it.Repeat:
			sum.Repeated++
			return nil
		case it.Status == "deleted":
			sum.Skipped++
			return nil
		case !o.AllVersions && it.IsLatest != nil && !*it.IsLatest:
			sum.OlderVersions++
			return nil
		case latest != nil && latest[it.Name] != it.Version:
			sum.OlderVersions++
			return nil
		}
		chunk = append(chunk, it)
		// Bytes too: a chunk of large entries is judged sooner.
		chunkBytes += len(it.Doc)
		if len(chunk) >= o.Chunk || chunkBytes >= maxEntry {
			chunkBytes = 0
			return flush()
		}
		return nil
	}
	var err error
	switch {
	case o.From != "":
		err = fromFile(o.From, take)
	case o.Resolver == nil:
		err = errors.New("auditing the registry API needs the network: give a dump with --from to audit offline")
	default:
		maxPages := o.MaxPages
		if maxPages <= 0 {
			maxPages = DefaultMaxPages
		}
		err = fromAPI(ctx, apiPager{o.Resolver, o.UpdatedSince}, maxPages, take)
		// A registry that loops or never ends: what was read is audited,
		// and the summary says the rest was not.
		var stop *stopError
		if errors.As(err, &stop) {
			sum.Stopped, err = stop.reason, nil
		}
	}
	if err == nil {
		err = flush()
	}
	sum.Seconds = time.Since(start).Seconds()
	if o.Resolver != nil {
		sum.Requests = o.Resolver.Requests()
	}
	return sum, err
}

type apiPager struct {
	r            *resolve.Resolver
	updatedSince string
}

func (p apiPager) page(ctx context.Context, cursor string) ([]json.RawMessage, string, error) {
	pg, err := p.r.ServersPage(ctx, 100, cursor, p.updatedSince)
	if err != nil {
		return nil, "", err
	}
	return pg.Servers, pg.NextCursor, nil
}

// judge runs the rules over a chunk of servers, resolved together.
func judge(ctx context.Context, o Options, items []Item) []Result {
	files := make([]*config.File, len(items))
	index := map[string]int{}
	for i, it := range items {
		// Each entry is a file of its own, named after it, so findings
		// come back to their server.
		path := fmt.Sprintf("registry/%d/server.json", i)
		index[path] = i
		files[i] = config.Parse(path, it.Doc)
	}
	var parsed []*config.File
	results := make([]Result, len(items))
	for i, it := range items {
		results[i] = Result{Name: it.Name, Version: it.Version, Findings: []Finding{}}
		if files[i] != nil && files[i].Err != nil {
			parsed = append(parsed, files[i]) // config-parse-error says what is wrong
			continue
		}
		if files[i] == nil || len(files[i].Servers) == 0 {
			results[i].Findings = append(results[i].Findings, Finding{Rule: checks.ConfigParseError.ID, Severity: checks.ConfigParseError.Severity.String(),
				Message: "the entry is not a server.json document mcptether can read"})
			continue
		}
		results[i].Repository = files[i].Servers[0].Repository.Text
		parsed = append(parsed, files[i])
	}
	servers := launch.DecodeAll(parsed)
	in := &checks.Input{Files: parsed, Servers: servers, Now: o.Now, MinReleaseAge: checks.DefaultMinReleaseAge}
	if o.Resolver != nil {
		in.Facts = o.Resolver.Resolve(ctx, servers)
		o.Resolver.Forget() // the disk cache keeps the answers; memory does not
	}
	for _, f := range checks.Run(checks.All, in) {
		i, ok := index[f.File]
		if !ok {
			continue
		}
		results[i].Findings = append(results[i].Findings, Finding{Rule: f.RuleID, Severity: f.Severity.String(), Message: f.Message})
	}
	// Rules never quote a secret; this masks any that a registry entry
	// carries wherever a message might repeat it.
	mask := &report.Result{Secrets: checks.Secrets(servers)}
	for i := range results {
		for j := range results[i].Findings {
			results[i].Findings[j].Message = mask.RedactString(results[i].Findings[j].Message)
		}
		results[i].Repository = mask.RedactString(results[i].Repository)
		sort.SliceStable(results[i].Findings, func(a, b int) bool {
			return severityRank(results[i].Findings[a].Severity) > severityRank(results[i].Findings[b].Severity)
		})
	}
	return results
}

func severityRank(s string) int {
	sev, err := checks.ParseSeverity(strings.ToLower(s))
	if err != nil {
		return -1
	}
	return int(sev)
}
