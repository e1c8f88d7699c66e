package checks

import (
	"fmt"
	"strings"

	"github.com/mcptether/mcptether/launch"
)

// RegistryOverride: a committed installer setting sends package installs
// to a registry of its own. npx and uvx fetch from it, and so do
// mcptether's npm lookups: whoever runs that registry decides both what
// runs and what the scan is told.
var RegistryOverride = &Rule{
	ID:       "registry-override",
	Severity: High,
	Summary:  "a committed .npmrc, .yarnrc.yml, pip.conf or uv setting points package installs at a non-default registry",
	Tags:     []string{"security", "supply-chain"},
	Check:    checkRegistryOverride,
}

// defaultRegistries are the public registries, as their tools spell them.
var defaultRegistries = map[string][]string{
	"npm":  {"https://registry.npmjs.org", "https://registry.yarnpkg.com"},
	"pypi": {"https://pypi.org/simple", "https://pypi.python.org/simple"},
}

// IsDefaultRegistry reports whether u is the ecosystem's public registry.
func IsDefaultRegistry(eco, u string) bool {
	u = strings.TrimRight(strings.TrimSpace(u), "/")
	for _, d := range defaultRegistries[eco] {
		if strings.EqualFold(u, d) {
			return true
		}
	}
	return false
}

func checkRegistryOverride(r *Rule, in *Input) []Finding {
	var out []Finding
	for _, f := range in.Files {
		for _, reg := range f.Registries {
			if IsDefaultRegistry(reg.Ecosystem, reg.URL.Text) {
				continue
			}
			eco := map[string]string{"npm": "npm", "pypi": "PyPI"}[reg.Ecosystem]
			what := "every " + eco + " package"
			if reg.Scope != "" {
				what = "every " + reg.Scope + " package"
			}
			tool := map[string]string{"npm": "npx installs", "pypi": "uvx and pip install"}[reg.Ecosystem]
			also := ""
			if reg.Lookups {
				also = " (mcptether's npm lookups read the working directory's .npmrc too, so it also decides what the scan is told)"
			}
			u := launch.RedactURL(reg.URL.Text)
			out = append(out, Finding{RuleID: r.ID, Severity: r.Severity, File: f.Path, Pos: reg.URL.Pos, Subject: reg.Setting, Package: u,
				Message: fmt.Sprintf("%q in %s sends installs of %s to %q instead of the public registry: %s what that registry serves, "+
					"so whoever runs it decides what code the servers run%s; remove the setting, or keep it only if the registry is your organisation's",
					reg.Setting, f.Path, what, u, tool, also)})
		}
	}
	return out
}
