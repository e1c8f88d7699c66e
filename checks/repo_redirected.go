package checks

import (
	"github.com/mcptether/mcptether/facts"
	"github.com/mcptether/mcptether/launch"
)

// RepoRedirected: the repository was renamed or transferred. GitHub
// redirects the old path only until someone claims it.
var RepoRedirected = &Rule{
	ID:       "repo-redirected",
	Severity: High,
	Summary:  "the source repository moved (renamed or transferred): the old path can be claimed by whoever takes the old name",
	Tags:     []string{"security", "supply-chain", "hijack", "repo-jacking"},
	Check:    checkRepoRedirected,
}

func checkRepoRedirected(r *Rule, in *Input) []Finding {
	var out []Finding
	eachRepo(in, func(s *launch.Server, rr repoRef, repo *facts.Repo) {
		if repo.Status != facts.RepoRedirected {
			return
		}
		f := r.at(s, rr.pos, rr.name, "the %s %s moved to %s; GitHub redirects the old path only until someone creates a repository there, "+
			"so update the reference to %s%s", rr.what, rr.name, repo.RedirectedTo, repo.RedirectedTo, disabledNote(s))
		f.Package = rr.name
		out = append(out, f)
	})
	return out
}
