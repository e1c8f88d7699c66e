package checks

import (
	"strconv"
	"strings"
	"time"

	"github.com/mcptether/mcptether/facts"
	"github.com/mcptether/mcptether/launch"
)

// RepoResurrected: the repository at the path a server names is not the
// one that was there when the server was published. A deleted or renamed
// owner's name was registered again and the repository re-created.
var RepoResurrected = &Rule{
	ID:       "repo-resurrected",
	Severity: Critical,
	Summary:  "the repository at the source path is not the one the server was published from: it was re-created",
	Tags:     []string{"security", "supply-chain", "hijack", "repo-jacking"},
	Check:    checkRepoResurrected,
}

// resurrectionGrace absorbs clocks and a same-day "publish, then push"
// order: a repository a day younger than the package is not evidence.
const resurrectionGrace = 24 * time.Hour

func checkRepoResurrected(r *Rule, in *Input) []Finding {
	var out []Finding
	// server.json's repository.id against the code host's id for the path.
	for _, s := range in.Servers {
		declared, err := strconv.ParseInt(strings.TrimSpace(s.RepositoryID.Text), 10, 64)
		name := facts.NormalizeRepo(s.Repository.Text)
		if err != nil || declared <= 0 || !strings.HasPrefix(name, "github.com/") {
			continue // GitHub's ids are numbers; another host's id is not compared
		}
		repo := in.Facts.Repo(name)
		if repo == nil || repo.ID == 0 || repo.ID == declared {
			continue
		}
		f := r.at(s, s.RepositoryID.Pos, name, "server.json records repository id %d for %s, but GitHub's repository at that path has id %d: "+
			"the repository was deleted or moved and another one created at the old path; find the server's real source before trusting this one%s",
			declared, name, repo.ID, disabledNote(s))
		f.Package = name
		out = append(out, f)
	}
	// A package's declared repository younger than the package itself.
	eachPackage(in, func(s *launch.Server, ref launch.Ref, p *facts.Package) {
		if p.Repository == "" || p.FirstPublished.IsZero() {
			return
		}
		repo := in.Facts.Repo(p.Repository)
		if repo == nil || (repo.Status != facts.RepoOK && repo.Status != facts.RepoArchived) || repo.Created.IsZero() {
			return // a renamed repository is repo-redirected; a missing one has no age
		}
		if !repo.Created.After(p.FirstPublished.Add(resurrectionGrace)) {
			return
		}
		f := r.at(s, ref.Pos, ref.Name, "%s package %s was first published on %s, but its repository %s was created on %s: "+
			"the repository at that path is younger than the package that points to it, as when a freed name is registered again and the repository re-created; "+
			"check that %s is the package's real source%s",
			ref.Ecosystem, q(ref.Name), day(p.FirstPublished), p.Repository, day(repo.Created), p.Repository, disabledNote(s))
		f.Severity = High
		f.Package = ref.Name
		out = append(out, f)
	})
	return out
}

func day(t time.Time) string { return t.UTC().Format("2006-01-02") }
