package checks

import "github.com/mcptether/mcptether/facts"

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
	for _, s := range in.Servers {
		for _, rr := range repoRefs(s, in.Facts) {
			repo := repoFacts(in.Facts, rr.name)
			if repo == nil || (repo.Status != facts.RepoMissing && repo.Status != facts.RepoRedirected) {
				continue
			}
			o := ownerOf(in.Facts, rr.name)
			if o == nil || o.Status != facts.OwnerFree {
				continue
			}
			f := r.at(s, rr.pos, rr.name, "the %s %s belongs to the account %q, which does not exist: anyone can register it, recreate %s "+
				"and serve their code from it; point the reference at the maintained repository%s",
				rr.what, rr.name, o.Login, rr.name, disabledNote(s))
			f.Package = rr.name
			out = append(out, f)
		}
	}
	return out
}
