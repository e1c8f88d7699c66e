package launch

import (
	"strings"

	"github.com/mcptether/mcptether/config"
)

// sourceRefs decodes a plugin's or marketplace's source: a GitHub
// repository or git URL is a git reference (pinned only by a full commit
// SHA), an npm source a package, a path in the repository local.
func sourceRefs(s *config.Server) []Ref {
	src := s.Source
	launcher := s.Kind
	// pin records the version a source names. Without a sha, pin can add
	// one: the edit is an insertion after the repo or url string (Spec is
	// empty at that offset).
	pin := func(ref Ref, after config.Value) Ref {
		switch {
		case src.SHA.Text != "":
			ref.Version, ref.Pinned = src.SHA.Text, fullSHA.MatchString(src.SHA.Text)
		case src.Ref.Text != "":
			ref.Version, ref.Pinned = src.Ref.Text, fullSHA.MatchString(src.Ref.Text)
		}
		ref.Spec, ref.SpecOK = "", false
		if src.SHA.Text == "" && after.Pos.End > 0 {
			ref.Option, ref.SpecStart, ref.SpecEnd, ref.SpecOK = "source", after.Pos.End, after.Pos.End, true
		}
		return ref
	}
	switch src.Type {
	case "github":
		if !githubShorthand.MatchString(src.Repo.Text) {
			break
		}
		ref := Ref{Kind: Git, Ecosystem: GitHub, Launcher: launcher, URL: "github:" + src.Repo.Text,
			Name: "github.com/" + strings.TrimSuffix(src.Repo.Text, ".git"), Pos: src.Repo.Pos}
		return []Ref{pin(ref, src.Repo)}
	case "url", "git", "git-subdir":
		u := src.URL.Text
		if strings.HasPrefix(u, ".") || strings.HasPrefix(u, "/") {
			return []Ref{{Kind: Local, Launcher: launcher, Note: "a plugin in this repository: " + u, Pos: src.URL.Pos}}
		}
		if !strings.Contains(u, "://") && !strings.HasPrefix(u, "git@") {
			break
		}
		ref := gitRef(src.URL, u, launcher)
		ref.Version, ref.Pinned = "", false
		return []Ref{pin(ref, src.URL)}
	case "npm":
		spec := src.Package.Text
		if src.Version.Text != "" {
			spec += "@" + src.Version.Text
		}
		ref := npmSpecRef(config.Value{Text: spec, Pos: src.Package.Pos}, launcher)
		switch start, end, ok := src.Version.TextRange(); {
		case ok: // pin rewrites the version field
			ref.Option, ref.Spec, ref.SpecStart, ref.SpecEnd, ref.SpecOK = "version", src.Version.Text, start, end, true
		case src.Version.Text == "" && src.Package.Pos.End > 0: // pin adds one after the package
			ref.Option, ref.SpecStart, ref.SpecEnd, ref.SpecOK = "source", src.Package.Pos.End, src.Package.Pos.End, true
		}
		return []Ref{ref}
	case "local", "":
		if src.Path.Text != "" {
			return []Ref{{Kind: Local, Launcher: launcher, Note: "a plugin in this repository: " + src.Path.Text, Pos: src.Path.Pos}}
		}
	case "marketplace":
		return []Ref{{Kind: Unknown, Launcher: launcher, Note: "installed from the marketplace " + quote(src.Marketplace) +
			", whose source this file does not declare", Pos: s.Name.Pos}}
	}
	return []Ref{{Kind: Unknown, Launcher: launcher, Note: "a " + launcher + " source of type " + quote(src.Type) + " mcptether cannot decode", Pos: src.At}}
}
