package launch

import (
	"net/url"
	"strings"

	"github.com/mcptether/mcptether/config"
)

// nixValueFlags take values in the next words (nix run / nix shell).
var nixValueFlags = map[string]int{
	"--override-input": 2, "--arg": 2, "--argstr": 2, "--option": 2, "--inputs-from": 1, "--profile": 1,
	"-f": 1, "--file": 1, "--expr": 1, "--include": 1, "-I": 1, "--eval-store": 1, "--store": 1,
	"--reference-lock-file": 1, "--output-lock-file": 1, "--log-format": 1, "--keep": 1, "-k": 1, "--unset": 1, "-u": 1,
}

// nix decodes "nix run INSTALLABLE [-- ARGS]" and "nix shell INSTALLABLE…
// [--command CMD ARGS]": each installable is a flake reference.
func nix(args []config.Value, depth int) []Ref {
	if len(args) == 0 || (args[0].Text != "run" && args[0].Text != "shell") {
		return []Ref{{Kind: Unknown, Launcher: "nix", Note: "nix without run or shell is not a launch command mcptether knows"}}
	}
	sub := args[0].Text
	launcher := "nix " + sub
	var refs []Ref
	for i := 1; i < len(args); i++ {
		a := args[i].Text
		switch {
		case a == "--":
			return orNone(refs, launcher)
		case sub == "shell" && (a == "-c" || a == "--command"):
			if depth < maxDepth {
				refs = append(refs, decodeArgv(args[i+1:], depth+1)...)
			}
			return orNone(refs, launcher)
		case strings.HasPrefix(a, "-"):
			i += nixValueFlags[a]
		default:
			refs = append(refs, flakeRef(args[i], launcher))
			if sub == "run" {
				return refs // what follows are the program's arguments
			}
		}
	}
	return orNone(refs, launcher)
}

func orNone(refs []Ref, launcher string) []Ref {
	if len(refs) == 0 {
		return []Ref{{Kind: Unknown, Launcher: launcher, Note: launcher + " with no installable"}}
	}
	return refs
}

// flakeRef reads a flake reference: nixpkgs#pkg (the flake registry, which
// moves), github:owner/repo[/rev-or-ref][?rev=…][#attr], git+https…,
// a tarball URL, or a local path.
func flakeRef(v config.Value, launcher string) Ref {
	s := v.Text
	flake, attr, _ := strings.Cut(s, "#")
	base, query, _ := strings.Cut(flake, "?")
	q, _ := url.ParseQuery(query)
	switch {
	case base == "" || strings.HasPrefix(base, ".") || strings.HasPrefix(base, "/") || strings.HasPrefix(base, "path:") || strings.HasPrefix(base, "~"):
		return Ref{Kind: Local, Launcher: launcher, Note: "runs a local flake: " + s, Pos: v.Pos}
	case strings.HasPrefix(base, "github:") || strings.HasPrefix(base, "gitlab:") || strings.HasPrefix(base, "sourcehut:"):
		scheme, path, _ := strings.Cut(base, ":")
		parts := strings.Split(path, "/")
		if len(parts) < 2 {
			return Ref{Kind: Unknown, Launcher: launcher, Note: "cannot read flake reference " + quote(s), Pos: v.Pos}
		}
		host := map[string]string{"github": "github.com", "gitlab": "gitlab.com", "sourcehut": "git.sr.ht"}[scheme]
		ver := q.Get("rev")
		if ver == "" && len(parts) > 2 {
			ver = strings.Join(parts[2:], "/")
		}
		if ver == "" {
			ver = q.Get("ref")
		}
		ref := Ref{Kind: Git, Ecosystem: "git", Launcher: launcher, URL: s, Name: host + "/" + parts[0] + "/" + parts[1],
			Version: ver, Pinned: fullSHA.MatchString(ver), Pos: v.Pos}
		if scheme == "github" {
			ref.Ecosystem, ref.PURL = "github", purl("github", parts[0]+"/"+parts[1], ver)
		}
		return ref
	case strings.HasPrefix(base, "git+"):
		ref := gitRef(v, strings.TrimPrefix(base, "git+"), launcher)
		ref.URL, ref.Version = s, q.Get("rev")
		if ref.Version == "" {
			ref.Version = q.Get("ref")
		}
		ref.Pinned, ref.Spec, ref.SpecOK = fullSHA.MatchString(ref.Version), "", false
		return ref
	case strings.HasPrefix(base, "https://") || strings.HasPrefix(base, "http://") || strings.HasPrefix(base, "tarball+"):
		ref := urlPackage(v, strings.TrimPrefix(flake, "tarball+"), launcher, false)
		ref.Pinned = q.Get("narHash") != "" // nix checks a given narHash
		return ref
	}
	// The flake registry: nixpkgs#pkg, flake:nixpkgs#pkg, nixpkgs/branch#pkg.
	name, ver, _ := strings.Cut(strings.TrimPrefix(base, "flake:"), "/")
	ref := Ref{Kind: Package, Ecosystem: "nix", Launcher: launcher, Name: name, Version: ver, Pos: v.Pos,
		Pinned: fullSHA.MatchString(ver) || fullSHA.MatchString(q.Get("rev"))}
	if attr != "" {
		ref.Name += "#" + attr
	}
	return ref
}
