package checks

import "github.com/mcptether/mcptether/facts"

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
	for _, s := range in.Servers {
		for _, rr := range repoRefs(s, in.Facts) {
			repo := repoFacts(in.Facts, rr.name)
			if repo == nil || repo.Status != facts.RepoRedirected {
				continue
			}
			f := r.at(s, rr.pos, rr.name, "the %s %s moved to %s; GitHub redirects the old path only until someone creates a repository there, "+
				"so update the reference to %s%s", rr.what, rr.name, repo.RedirectedTo, repo.RedirectedTo, disabledNote(s))
			f.Package = rr.name
			out = append(out, f)
		}
	}
	return out
}
