package checks

import (
	"github.com/mcptether/mcptether/facts"
	"github.com/mcptether/mcptether/launch"
)

// RepoOwnerClaimable: the account that owned the source repository no
// longer exists; whoever registers the name can recreate the repository.
var RepoOwnerClaimable = &Rule{
	ID:       "repo-owner-claimable",
	Severity: Critical,
	Summary:  "the source repository's owner account does not exist: anyone can register it and recreate the repository",
	Tags:     []string{"security", "supply-chain", "hijack", "repo-jacking"},
	Check:    checkRepoOwnerClaimable,
}

func checkRepoOwnerClaimable(r *Rule, in *Input) []Finding {
	var out []Finding
	eachRepo(in, func(s *launch.Server, rr repoRef, repo *facts.Repo) {
		if repo.Status != facts.RepoMissing && repo.Status != facts.RepoRedirected {
			return
		}
		o := in.Facts.Owner(rr.name)
		if o == nil || o.Status != facts.OwnerFree {
			return
		}
		f := r.at(s, rr.pos, rr.name, "the %s %s belongs to the account %q, which does not exist: anyone can register it, recreate %s "+
			"and serve their code from it; point the reference at the maintained repository%s",
			rr.what, rr.name, o.Login, rr.name, disabledNote(s))
		f.Package = rr.name
		out = append(out, f)
	})
	return out
}
