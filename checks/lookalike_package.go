package checks

import (
	"slices"
	"strings"

	"github.com/mcptether/mcptether/facts"
	"github.com/mcptether/mcptether/launch"
)

// LookalikePackage: the name imitates a well-known MCP server from a
// different publisher (typosquatting, affix squatting, scope games).
var LookalikePackage = &Rule{
	ID:       "lookalike-package",
	Severity: High,
	Summary:  "the name imitates a well-known MCP server (typo, affix, scope, separator or homoglyph) from a different publisher",
	Tags:     []string{"security", "supply-chain", "typosquatting"},
	Check:    checkLookalikePackage,
}

func checkLookalikePackage(r *Rule, in *Input) []Finding {
	var trusted []string
	if in.Policy != nil {
		t := in.Policy.Trusted
		trusted = append(append(append(trusted, t.Scopes...), t.Owners...), t.Publishers...)
	}
	var out []Finding
	for _, kind := range []launch.Kind{launch.Package, launch.Image} {
		eachRef(in, kind, func(s *launch.Server, ref launch.Ref) {
			eco := ref.Ecosystem
			scope, _ := splitScope(eco, ref.Name)
			if scope != "" && containsFold(trusted, scope) {
				return
			}
			o, how := imitates(eco, ref.Name)
			if o == nil {
				return
			}
			p := in.Facts.Package(ref)
			sev, who := Medium, "judged by its name alone"
			if p != nil && p.Exists == facts.No {
				return // unclaimed-package reports it, more severely
			}
			if p != nil && p.Exists == facts.Yes {
				ids := identities(scope, p)
				expected := append(append(append(slices.Clone(o.Owners), o.Scopes...), o.Publishers...), trusted...)
				if anyFold(ids, expected) {
					return // the same publisher
				}
				sev, who = High, "published by "+describe(ids)+", not by "+strings.Join(append(slices.Clone(o.Owners), o.Scopes...), " or ")
			}
			f := r.at(s, ref.Pos, ref.Name, "%s %q looks like the well-known %q (%s) but comes from someone else (%s): "+
				"check the name; trust it in .mcptether.yml if it is yours%s", eco, ref.Name, o.Name, how, who, disabledNote(s))
			f.Severity = sev
			f.Package = ref.Name
			out = append(out, f)
		})
	}
	return out
}

// identities are the accounts a package is known by: its scope, its
// publisher and maintainers, and its repository's owner.
func identities(scope string, p *facts.Package) []string {
	var ids []string
	if scope != "" {
		ids = append(ids, scope)
	}
	if p.Publisher != "" {
		ids = append(ids, p.Publisher)
	}
	ids = append(ids, p.Maintainers...)
	if p.Repository != "" {
		_, path, _ := strings.Cut(p.Repository, "/")
		owner, _, _ := strings.Cut(path, "/")
		ids = append(ids, owner)
	}
	return ids
}

func describe(ids []string) string {
	if len(ids) == 0 {
		return "an unknown publisher"
	}
	return strings.Join(ids, ", ")
}

func containsFold(list []string, s string) bool {
	return slices.ContainsFunc(list, func(x string) bool { return strings.EqualFold(x, s) })
}

func anyFold(a, b []string) bool {
	for _, x := range a {
		if containsFold(b, x) {
			return true
		}
	}
	return false
}

// imitates returns the official package a name imitates, and how.
func imitates(eco launch.Ecosystem, name string) (*official, string) {
	scope, bare := splitScope(eco, name)
	for i := range officials {
		o := &officials[i]
		if o.Ecosystem == eco && o.scope == scope && o.bare == bare {
			return nil, "" // it is one of them (PyPI names compared normalised)
		}
	}
	for i := range officials {
		o := &officials[i]
		if o.Ecosystem == eco && scope != "" && containsFold(o.Scopes, scope) {
			return nil, "" // a name in an official scope: only its owner publishes there
		}
	}
	seps, glyphs, c := separators(bare), homoglyphs(bare), core(bare)
	for i := range officials {
		o := &officials[i]
		if o.Ecosystem != eco {
			continue
		}
		switch {
		case bare == o.bare && scope != o.scope:
			if scope == "" {
				return o, "the same name without its scope " + o.scope
			}
			return o, "the same name under " + scope + " instead of " + orNone(o.scope)
		case scope == o.scope && seps == o.seps:
			return o, "the same name with other separators"
		case scope == o.scope && glyphs == o.glyphs:
			return o, "the same name with look-alike characters"
		case c != "" && c == o.core && (scope == o.scope || scope == ""):
			return o, "the same name with mcp/server affixes added, removed or moved"
		case len(o.bare) >= 5 && scope == o.scope:
			if d := distance(bare, o.bare, 2); d >= 1 && d <= 2 {
				return o, "a typo of it"
			}
		}
	}
	return nil, ""
}

func orNone(s string) string {
	if s == "" {
		return "no scope"
	}
	return s
}

var (
	separatorFold = strings.NewReplacer("_", "-", ".", "-")
	glyphFold     = strings.NewReplacer("rn", "m", "vv", "w", "0", "o", "1", "l", "i", "l", "5", "s",
		"а", "a", "е", "e", "о", "o", "р", "p", "с", "c", "х", "x", "у", "y", "і", "l")
)

func separators(s string) string { return separatorFold.Replace(s) }

// homoglyphs folds characters that look alike.
func homoglyphs(s string) string {
	return glyphFold.Replace(separators(strings.ToLower(s)))
}

var affixes = []string{"mcp-server-", "server-mcp-", "mcp-", "server-", "-mcp-server", "-server-mcp", "-mcp", "-server", "mcp", "server"}

// core strips mcp/server affixes: "mcp-server-github", "github-mcp" and
// "server-github" all have the core "github".
func core(s string) string {
	s = separators(s)
	for changed := true; changed; {
		changed = false
		for _, a := range affixes {
			switch {
			case strings.HasPrefix(a, "-") && strings.HasSuffix(s, a) && len(s) > len(a):
				s, changed = strings.TrimSuffix(s, a), true
			case strings.HasSuffix(a, "-") && strings.HasPrefix(s, a) && len(s) > len(a):
				s, changed = strings.TrimPrefix(s, a), true
			}
		}
	}
	if len(s) < 3 || s == "mcp" || s == "server" {
		return ""
	}
	return s
}

// distance is the Damerau-Levenshtein distance (adjacent transpositions
// count once). Names whose lengths differ by more than limit are at least
// that far apart and are not compared: the table is quadratic.
func distance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > limit || -d > limit {
		return limit + 1
	}
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
