package policy

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Source is one policy applied: a file, or a file at a git revision.
type Source struct {
	Path string `json:"path"`
	Rev  string `json:"revision,omitempty"` // read from this revision, not the working tree
	Org  bool   `json:"org,omitempty"`      // an --org-policy
}

func (s Source) String() string {
	out := s.Path
	if s.Rev != "" {
		out += " at " + s.Rev
	}
	if s.Org {
		out += " (org)"
	}
	return out
}

// Refusal is a repository policy setting that a lock refused: it is
// reported where it is written, so the author sees why it had no effect.
type Refusal struct {
	Rule      string
	What      string
	File      string
	Line, Col int
}

// Locked reports whether an org policy locked rule.
func (p *Policy) Locked(rule string) bool {
	return p != nil && (p.LockAll || slices.Contains(p.Lock, rule))
}

// Layer applies org policies, in order, then the repository's, which may
// strengthen but not weaken: for a locked rule it may not disable it,
// lower its severity or ignore its findings (each attempt is refused and
// recorded); it may add deny entries and narrow what is allowed, never
// widen the org's allow list. defaultSeverity gives a rule's own severity;
// rank orders severities (higher is more severe).
func Layer(orgs []*Policy, repo *Policy, defaultSeverity func(rule string) string, rank func(severity string) int) *Policy {
	if len(orgs) == 0 {
		return repo
	}
	out := &Policy{Rules: map[string]RuleConfig{}}
	for _, o := range orgs {
		out.Path = o.Path
		out.Dir = o.Dir
		for _, s := range o.Sources {
			s.Org = true
			out.Sources = append(out.Sources, s)
		}
		for id, rc := range o.Rules {
			out.Rules[id] = rc
		}
		for _, ig := range o.Ignores {
			ig.Dir = cmp.Or(ig.Dir, o.Dir)
			out.Ignores = append(out.Ignores, ig)
		}
		out.Trusted = union(out.Trusted, o.Trusted)
		if o.MinReleaseAge > 0 {
			out.MinReleaseAge = o.MinReleaseAge
		}
		out.Allows = append(out.Allows, o.Allows...)
		out.Deny = append(out.Deny, o.Deny...)
		out.Lock = append(out.Lock, o.Lock...)
		out.LockAll = out.LockAll || o.LockAll
	}
	if repo == nil {
		return out
	}
	out.Path, out.Dir = repo.Path, repo.Dir
	out.Sources = append(out.Sources, repo.Sources...)
	refuse := func(rule, file string, line, col int, format string, args ...any) {
		out.Refused = append(out.Refused, Refusal{Rule: rule, File: file, Line: line, Col: col, What: fmt.Sprintf(format, args...)})
	}
	ids := make([]string, 0, len(repo.Rules))
	for id := range repo.Rules {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		rc := repo.Rules[id]
		if !out.Locked(id) {
			out.Rules[id] = rc
			continue
		}
		cur := out.Rules[id]
		if rc.Disabled {
			refuse(id, rc.File, rc.Line, rc.Col, "disabling %s", id)
			continue
		}
		floor := cur.Severity
		if floor == "" {
			floor = defaultSeverity(id)
		}
		if rc.Severity != "" && rank(rc.Severity) < rank(floor) {
			refuse(id, rc.File, rc.Line, rc.Col, "lowering %s from %s to %s", id, floor, rc.Severity)
			continue
		}
		if rc.Severity != "" {
			cur.Severity = rc.Severity // raising is strengthening
		}
		out.Rules[id] = cur
	}
	for _, ig := range repo.Ignores {
		if out.Locked(ig.Rule) {
			refuse(ig.Rule, ig.File, ig.Line, ig.Col, "ignoring findings of %s", ig.Rule)
			continue
		}
		out.Ignores = append(out.Ignores, ig)
	}
	if t := repo.Trusted; len(t.Publishers)+len(t.Scopes)+len(t.Owners) > 0 {
		if out.Locked("lookalike-package") {
			at := repo.keys["trusted"]
			refuse("lookalike-package", repo.Path, at[0], at[1], "trusting more publishers, scopes or owners for lookalike-package")
		} else {
			out.Trusted = union(out.Trusted, t)
		}
	}
	if a := repo.MinReleaseAge; a > 0 {
		if a < out.MinReleaseAge && out.Locked("fresh-release") {
			at := repo.keys["min-release-age"]
			refuse("fresh-release", repo.Path, at[0], at[1], "lowering min-release-age from %s to %s", out.MinReleaseAge, a)
		} else {
			out.MinReleaseAge = a
		}
	}
	out.Allows = append(out.Allows, repo.Allows...) // each list must match: only narrower
	out.Deny = append(out.Deny, repo.Deny...)
	return out
}

func union(a, b Trusted) Trusted {
	add := func(x, y []string) []string {
		out := slices.Clone(x)
		for _, v := range y {
			if !slices.ContainsFunc(out, func(s string) bool { return strings.EqualFold(s, v) }) {
				out = append(out, v)
			}
		}
		return out
	}
	return Trusted{Publishers: add(a.Publishers, b.Publishers), Scopes: add(a.Scopes, b.Scopes), Owners: add(a.Owners, b.Owners)}
}
