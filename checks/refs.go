package checks

import (
	"github.com/mcptether/mcptether/config"
	"github.com/mcptether/mcptether/facts"
	"github.com/mcptether/mcptether/launch"
)

// repoRef is one place a server names a source repository.
type repoRef struct {
	name string // host/owner/repo
	pos  config.Pos
	what string // how the config names it, for messages
}

// repoRefs lists every repository a server depends on: git sources, a
// manifest's repository, packages' declared repositories and images'
// source labels.
func repoRefs(s *launch.Server, fs *facts.Facts) []repoRef {
	var out []repoRef
	for _, ref := range s.Refs {
		switch ref.Kind {
		case launch.Git:
			out = append(out, repoRef{ref.Name, ref.Pos, "git source"})
		case launch.Package, launch.Image:
			if p := fs.Package(ref); p != nil && p.Repository != "" {
				what := "repository declared by " + string(ref.Ecosystem) + " package " + q(ref.Name)
				if ref.Kind == launch.Image {
					what = "source repository labelled on image " + q(ref.Name)
				}
				out = append(out, repoRef{p.Repository, ref.Pos, what})
			}
		}
	}
	if n := facts.NormalizeRepo(s.Repository.Text); n != "" {
		out = append(out, repoRef{n, s.Repository.Pos, "manifest repository"})
	}
	return out
}

// sameRepo: equal once normalised, or one is where the other moved to.
func sameRepo(fs *facts.Facts, a, b string) bool {
	if facts.SameRepo(a, b) {
		return true
	}
	for _, pair := range [][2]string{{a, b}, {b, a}} {
		if r := fs.Repo(pair[0]); r != nil && r.RedirectedTo != "" && facts.SameRepo(r.RedirectedTo, pair[1]) {
			return true
		}
	}
	return false
}

// judged says which version a finding is about: an unpinned reference is
// judged on what would be installed today.
func judged(ref launch.Ref, p *facts.Package) string {
	if ref.Pinned || p.Version == "" {
		return p.Version
	}
	return p.Version + " (unpinned: the version " + launcherName(ref) + " installs today)"
}

// eachRef calls fn for every reference of the given kind.
func eachRef(in *Input, kind launch.Kind, fn func(s *launch.Server, ref launch.Ref)) {
	for _, s := range in.Servers {
		for _, ref := range s.Refs {
			if ref.Kind == kind {
				fn(s, ref)
			}
		}
	}
}

// eachRepo calls fn for every repository a server depends on that has
// facts (see repoRefs).
func eachRepo(in *Input, fn func(s *launch.Server, rr repoRef, repo *facts.Repo)) {
	for _, s := range in.Servers {
		for _, rr := range repoRefs(s, in.Facts) {
			if repo := in.Facts.Repo(rr.name); repo != nil {
				fn(s, rr, repo)
			}
		}
	}
}

// eachPackage calls fn for every package or image reference with facts.
func eachPackage(in *Input, fn func(s *launch.Server, ref launch.Ref, p *facts.Package)) {
	for _, s := range in.Servers {
		for _, ref := range s.Refs {
			if ref.Kind != launch.Package && ref.Kind != launch.Image {
				continue
			}
			if p := in.Facts.Package(ref); p != nil {
				fn(s, ref, p)
			}
		}
	}
}
