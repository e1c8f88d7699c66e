package checks

import "github.com/mcptether/mcptether/launch"

// UnpinnedGitSource: code fetched from a git branch or tag, not a commit.
var UnpinnedGitSource = &Rule{
	ID:       "unpinned-git-source",
	Severity: High,
	Summary:  "git source not pinned to a full commit SHA: the branch or tag can move",
	Tags:     []string{"security", "supply-chain", "pinning"},
	Check:    checkUnpinnedGitSource,
}

func checkUnpinnedGitSource(r *Rule, in *Input) []Finding {
	var out []Finding
	eachRef(in, launch.Git, func(s *launch.Server, ref launch.Ref) {
		if ref.Pinned {
			return
		}
		what := "has no ref, so the default branch runs"
		if ref.Version != "" {
			what = "uses the ref " + q(ref.Version) + ", which can move"
		}
		f := r.at(s, ref.Pos, ref.Name,
			"git source %q %s; pin it to a full 40-character commit SHA%s", ref.Name, what, disabledNote(s))
		f.Package = ref.Name
		out = append(out, f)
	})
	return out
}
