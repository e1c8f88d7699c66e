package checks

import (
	"github.com/mcptether/mcptether/facts"
	"github.com/mcptether/mcptether/launch"
)

// UnclaimedPackage: the package or image does not exist, so anyone can
// publish it and the next launch runs their code.
var UnclaimedPackage = &Rule{
	ID:       "unclaimed-package",
	Severity: Critical,
	Summary:  "the package or image does not exist: anyone can publish it under that name",
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
		f := r.at(s, ref.Pos, ref.Name, "%s %q does not exist: anyone can publish it, and the next %s runs whatever they publish; "+
			"fix the name, or remove the server%s", what, ref.Name, launcherName(ref), disabledNote(s))
		f.Package = ref.Name
		out = append(out, f)
	})
	return out
}
