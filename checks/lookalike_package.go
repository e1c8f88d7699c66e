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
			o, how, affix := imitates(eco, ref.Name)
			if o == nil {
				return
			}
			p := in.Facts.Package(ref)
			sev, who := Medium, "judged by its name alone"
			if affix {
				sev = Low // vendors name their own servers so too
			}
			if p != nil && p.Exists == facts.No {
				return // unclaimed-package reports it, more severely
			}
			if p != nil && p.Exists == facts.Yes {
				ids := identities(scope, p)
				expected := slices.Concat(o.Owners, o.Scopes, o.Publishers, o.BrandOwners, trusted)
				if anyFold(ids, expected) {
					return // the same publisher, or the brand's own
				}
				sev, who = High, "published by "+describe(ids)+", not by "+strings.Join(slices.Concat(o.Owners, o.Scopes, o.BrandOwners), " or ")
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

// imitates returns the official package a name imitates, how, and whether
// only by mcp/server affixes around its brand, a weaker sign: vendors name
// their own servers so too.
func imitates(eco launch.Ecosystem, name string) (imitated *official, how string, affix bool) {
	scope, bare := splitScope(eco, name)
	for i := range officials {
		o := &officials[i]
		if o.Ecosystem == eco && o.scope == scope && o.bare == bare {
			return nil, "", false // it is one of them (PyPI names compared normalised)
		}
	}
	for i := range officials {
		o := &officials[i]
		if o.Ecosystem == eco && scope != "" && containsFold(o.Scopes, scope) {
			return nil, "", false // a name in an official scope: only its owner publishes there
		}
	}
	seps, glyphs, c := separators(bare), homoglyphs(bare), core(bare)
	for i := range officials {
		o := &officials[i]
		if o.Ecosystem != eco {
			continue
		}
		switch {
		// "@paypal/mcp" is no copy of "@playwright/mcp": a name of generic
		// words is copied only under a scope that imitates the official one.
		case bare == o.bare && scope != o.scope && (o.named || scopeImitates(scope, o.scope)):
			if scope == "" {
				return o, "the same name without its scope " + o.scope, false
			}
			return o, "the same name under " + scope + " instead of " + orNone(o.scope), false
		case scope == o.scope && seps == o.seps:
			return o, "the same name with other separators", false
		case scope == o.scope && glyphs == o.glyphs:
			return o, "the same name with look-alike characters", false
		case c != "" && c == o.core && o.named && (scope == o.scope || scope == ""):
			return o, "the same name with mcp/server affixes added, removed or moved", true
		case c != "" && c == o.brand && scopeCarries(scope, o.brand):
			return o, "its brand " + o.brand + " with mcp/server affixes, under " + scope + ", a scope named after the brand too", true
		case len(o.bare) >= 5 && scope == o.scope:
			if d := distance(bare, o.bare, 2); d >= 1 && d <= 2 {
				return o, "a typo of it", false
			}
		}
	}
	return nil, "", false
}

// genericWords say what a package is, not whose: a name made of them alone
// ("mcp", "mcp-server", "sdk") carries no brand, and any vendor may use it.
var genericWords = []string{"mcp", "server", "servers", "model", "context", "protocol", "modelcontextprotocol",
	"sdk", "api", "cli", "client", "tool", "tools", "toolkit", "kit", "lib", "core", "dev", "app", "official",
	"js", "ts", "node", "py", "python", "inspector", "create"}

// brandOf is what an official name is known by: the words of its bare name
// that are not generic ("@modelcontextprotocol/server-redis": redis), else
// its scope's ("@sentry/mcp-server": sentry). named says the bare name
// carries it.
func brandOf(scope, bare string) (brand string, named bool) {
	if b := distinctive(bare); b != "" {
		return b, true
	}
	_, name := scopeSplit(scope)
	return distinctive(name), false
}

func distinctive(s string) string {
	words := strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '_' || r == '.' })
	return strings.Join(slices.DeleteFunc(words, func(w string) bool { return slices.Contains(genericWords, w) }), "-")
}

// scopeSplit separates a scope's registry part ("@", "docker.io/") from
// the publisher's name.
func scopeSplit(scope string) (registry, name string) {
	if i := strings.LastIndex(scope, "/"); i >= 0 {
		return scope[:i+1], scope[i+1:]
	}
	if strings.HasPrefix(scope, "@") {
		return "@", scope[1:]
	}
	return "", scope
}

// scopeImitates says whether scope is a typo, separator or look-alike
// character variant of the official scope: "@playwrigth",
// "@modelcontext-protocol", "@p1aywright".
func scopeImitates(scope, official string) bool {
	sr, sn := scopeSplit(scope)
	or, on := scopeSplit(official)
	if scope == "" || official == "" || scope == official || sr != or {
		return false
	}
	sn, on = squeeze.Replace(sn), squeeze.Replace(on)
	if sn == on || homoglyphs(sn) == homoglyphs(on) {
		return true
	}
	d := distance(sn, on, 2)
	return d == 1 && len(on) >= 5 || d == 2 && len(on) >= 8
}

// scopeCarries says whether a scope is named after a brand and more
// ("@acme-sentry" for sentry): a scope named the brand alone may be the
// brand's own, and the name is judged by the other cases.
func scopeCarries(scope, brand string) bool {
	_, name := scopeSplit(scope)
	name = separators(name)
	return scope != "" && brand != "" && name != brand && strings.Contains("-"+name+"-", "-"+brand+"-")
}

func orNone(s string) string {
	if s == "" {
		return "no scope"
	}
	return s
}

var (
	separatorFold = strings.NewReplacer("_", "-", ".", "-")
	squeeze       = strings.NewReplacer("-", "", "_", "", ".", "")
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
