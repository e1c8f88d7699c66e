package checks

import (
	_ "embed"
	"regexp"
	"strings"

	"github.com/mcptether/mcptether/facts"
	"github.com/mcptether/mcptether/launch"
)

// UnclaimedPackage: the package or image does not exist, so anyone can
// publish it and the next launch runs their code. A name nobody else can
// take (a scope with an owner, a name the registry refuses) is a broken
// reference instead: medium.
var UnclaimedPackage = &Rule{
	ID:       "unclaimed-package",
	Severity: Critical,
	Summary:  "the package or image does not exist: anyone can publish it under that name (medium when only the scope's owner can, or the registry refuses the name)",
	Tags:     []string{"security", "supply-chain", "hijack"},
	Check:    checkUnclaimedPackage,
}

func checkUnclaimedPackage(r *Rule, in *Input) []Finding {
	var out []Finding
	eachPackage(in, func(s *launch.Server, ref launch.Ref, p *facts.Package) {
		if p.Exists != facts.No {
			return // exists, or could not check (unverifiable says so)
		}
		what := ref.Ecosystem + " package"
		if ref.Kind == launch.Image {
			what = "image repository"
		}
		sev, claim := Critical, "anyone can publish it, and the next "+launcherName(ref)+" runs whatever they publish"
		scope, _, scoped := strings.Cut(ref.Name, "/")
		switch {
		case ref.Ecosystem == launch.NPM && scoped && p.ScopeOwned == facts.Yes:
			sev, claim = Medium, "the scope "+scope+" has an owner (packages are published under it), and only that owner can publish it: the reference is broken or mistyped"
		case ref.Ecosystem == launch.NPM && scoped && p.ScopeOwned == facts.No:
			claim = "no package is published under the scope " + scope + ", so the scope looks free: whoever registers it can publish this name, and the next " + launcherName(ref) + " runs it"
		case ref.Ecosystem == launch.NPM && scoped:
			claim += " (whether the scope " + scope + " has an owner could not be checked)"
		case ref.Ecosystem == launch.PyPI && stdlibName(ref.Name):
			sev, claim = Medium, "PyPI refuses to register the names of Python's standard-library modules, so no one can publish it: the reference is broken"
		}
		f := r.at(s, ref.Pos, ref.Name, "%s %q does not exist: %s; fix the name, or remove the server%s", what, ref.Name, claim, disabledNote(s))
		f.Severity, f.Package = sev, ref.Name
		out = append(out, f)
	})
	return out
}

//go:embed data/python-stdlib-modules.txt
var stdlibModules string

var pypiSeparators = regexp.MustCompile(`[-_.]+`)

// pypiCanonical is PEP 503's normalised name.
func pypiCanonical(s string) string { return pypiSeparators.ReplaceAllString(strings.ToLower(s), "-") }

// stdlibNames are the standard library's module names as PyPI compares
// them (warehouse strips trailing digits and separators first).
var stdlibNames = func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(stdlibModules, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			m[pypiCanonical(strings.TrimRight(strings.TrimRight(line, "-_."), "-_.0123456789"))] = true
		}
	}
	return m
}()

func stdlibName(name string) bool { return stdlibNames[pypiCanonical(name)] }
