package checks

import (
	"sort"
	"strings"

	"github.com/mcptether/mcptether/facts"
	"github.com/mcptether/mcptether/launch"
)

// Unverifiable: a lookup the hijack checks need could not be made. A
// check that could not run is reported, never taken as clean.
var Unverifiable = &Rule{
	ID:       "unverifiable",
	Name:     "UnverifiableLookup",
	Severity: Note,
	Summary:  "a registry, repository or owner lookup could not be made, so hijack checks are incomplete (--strict: high)",
	Tags:     []string{"security", "supply-chain", "coverage"},
	Check:    checkUnverifiable,
}

func checkUnverifiable(r *Rule, in *Input) []Finding {
	if in.Facts == nil {
		return nil // offline: the report says so once
	}
	var out []Finding
	for _, s := range in.Servers {
		if what := unknowns(s, in.Facts); len(what) > 0 {
			out = append(out, r.at(s, s.Name.Pos, "lookups",
				"server %q could not be fully checked: %s%s", s.Name.Text, strings.Join(what, "; "), disabledNote(s)))
		}
	}
	return out
}

// unknowns lists what could not be learnt about a server's references,
// their repositories and those repositories' owners.
func unknowns(s *launch.Server, fs *facts.Facts) []string {
	seen := map[string]bool{}
	var out []string
	add := func(msg string) {
		if msg != "" && !seen[msg] {
			seen[msg] = true
			out = append(out, msg)
		}
	}
	repo := func(name string) {
		if name == "" {
			return
		}
		rp := fs.Repos[strings.ToLower(name)]
		if rp == nil {
			return
		}
		switch rp.Status {
		case facts.RepoUnknown:
			add("repository " + name + ": " + rp.Reason)
			return
		case facts.RepoOK, facts.RepoArchived:
			return // it answered, so its owner exists
		}
		host, path, _ := strings.Cut(rp.Name, "/")
		owner, _, _ := strings.Cut(path, "/")
		if o := fs.Owners[strings.ToLower(host+"/"+owner)]; o != nil && o.Status == facts.OwnerUnknown {
			add("owner " + o.Login + ": " + o.Reason)
		}
	}
	for _, ref := range s.Refs {
		switch ref.Kind {
		case launch.Package, launch.Image:
			p := fs.Packages[facts.Key(ref)]
			if p == nil {
				continue
			}
			for _, u := range p.Unknowns {
				add(u)
			}
			repo(p.Repository)
		case launch.Git:
			repo(ref.Name)
		}
	}
	repo(facts.NormalizeRepo(s.Repository.Text))
	sort.Strings(out)
	return out
}
