package checks

import (
	"github.com/mcptether/mcptether/facts"
	"github.com/mcptether/mcptether/launch"
)

// RepoMissing: the repository is gone (deleted or private) while its owner
// still exists.
var RepoMissing = &Rule{
	ID:       "repo-missing",
	Severity: Medium,
	Summary:  "the source repository is not found (deleted or private) while its owner exists",
	Tags:     []string{"security", "supply-chain", "provenance"},
	Check:    checkRepoMissing,
}

func checkRepoMissing(r *Rule, in *Input) []Finding {
	var out []Finding
	eachRepo(in, func(s *launch.Server, rr repoRef, repo *facts.Repo) {
		if repo.Status != facts.RepoMissing {
			return
		}
		if o := in.Facts.Owner(rr.name); o == nil || o.Status != facts.OwnerExists {
			return // a free owner is repo-owner-claimable; unknown is unverifiable
		}
		f := r.at(s, rr.pos, rr.name, "the %s %s is not found (deleted or made private): the code that runs can no longer be reviewed "+
			"against its source, and the owner can recreate it with anything; find the maintained source or pin what you reviewed%s",
			rr.what, rr.name, disabledNote(s))
		f.Package = rr.name
		out = append(out, f)
	})
	return out
}
