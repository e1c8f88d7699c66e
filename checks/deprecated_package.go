package checks

import (
	"github.com/mcptether/mcptether/facts"
	"github.com/mcptether/mcptether/launch"
)

// DeprecatedPackage: the version is deprecated or yanked, or its source
// repository is archived.
var DeprecatedPackage = &Rule{
	ID:       "deprecated-package",
	Severity: Medium,
	Summary:  "the version is deprecated (npm) or yanked (PyPI), or its source repository is archived",
	Tags:     []string{"security", "supply-chain", "maintenance"},
	Check:    checkDeprecatedPackage,
}

func checkDeprecatedPackage(r *Rule, in *Input) []Finding {
	var out []Finding
	eachPackage(in, func(s *launch.Server, ref launch.Ref, p *facts.Package) {
		var why string
		switch {
		case p.Deprecated != "":
			why = "is deprecated: " + q(p.Deprecated) + "; move to the replacement it names"
		case p.Yanked && p.YankedReason != "":
			why = "is yanked from PyPI: " + q(p.YankedReason) + "; move to what the reason names"
		case p.Yanked:
			why = "is yanked from PyPI, with no reason given; pin a release that is not yanked"
		default:
			return
		}
		f := r.at(s, ref.Pos, ref.Name, "%s %q %s %s%s", ref.Ecosystem, ref.Name, judged(ref, p), why, disabledNote(s))
		f.Package = ref.Name
		out = append(out, f)
	})
	eachRepo(in, func(s *launch.Server, rr repoRef, repo *facts.Repo) {
		if repo.Status == facts.RepoArchived {
			f := r.at(s, rr.pos, rr.name, "the %s %s is archived: nobody fixes it any more; find a maintained server%s", rr.what, rr.name, disabledNote(s))
			f.Package = rr.name
			out = append(out, f)
		}
	})
	return out
}
