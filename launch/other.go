package launch

import (
	"regexp"
	"strings"

	"github.com/mcptether/mcptether/config"
)

// goRun: "go run module/path@version [args]".
func goRun(args []config.Value) []Ref {
	for i := 0; i < len(args); i++ {
		a := args[i].Text
		if strings.HasPrefix(a, "-") {
			switch a {
			case "-C", "-mod", "-modfile", "-tags", "-ldflags", "-gcflags", "-exec", "-overlay", "-pgo", "-p", "-toolexec", "-asmflags":
				i++
			}
			continue
		}
		path, ver, hasVer := strings.Cut(a, "@")
		first, _, _ := strings.Cut(path, "/")
		if !hasVer && (strings.HasPrefix(a, ".") || strings.HasPrefix(a, "/") || !strings.Contains(first, ".")) {
			return []Ref{localRef(args[i:])}
		}
		ref := Ref{Kind: Package, Ecosystem: "golang", Launcher: "go run", Name: path, Version: ver, Pos: args[i].Pos}
		ref.Pinned = isExactSemver(ver) && strings.HasPrefix(ver, "v")
		ref.PURL = purl("golang", path, ver)
		return []Ref{ref.at(args[i])}
	}
	return []Ref{{Kind: Unknown, Launcher: "go run", Note: "go run with no package"}}
}

// dnx: "dnx Package@1.2.3", "dnx Package --version 1.2.3" (NuGet).
func dnx(args []config.Value, launcher string) []Ref {
	var pkg *config.Value
	var version *config.Value
	for i := 0; i < len(args); i++ {
		a := args[i].Text
		if a == "--" {
			break
		}
		if strings.HasPrefix(a, "-") {
			switch a {
			case "--version":
				if i+1 < len(args) {
					version = &args[i+1]
				}
				i++
			case "--source", "--add-source", "--configfile", "--framework", "-f", "--verbosity", "-v", "--arch", "-a":
				i++
			}
			continue
		}
		if pkg == nil {
			pkg = &args[i]
		}
	}
	if pkg == nil {
		return []Ref{{Kind: Unknown, Launcher: launcher, Note: launcher + " with no package"}}
	}
	name, ver, _ := strings.Cut(pkg.Text, "@")
	pos := pkg.Pos
	if version != nil {
		ver = version.Text
		pos = version.Pos
	}
	ref := Ref{Kind: Package, Ecosystem: "nuget", Launcher: launcher, Name: name, Version: ver, Pos: pos}
	ref.Pinned = nugetExact.MatchString(ver)
	ref.PURL = purl("nuget", name, ver)
	if version != nil {
		ref = ref.at(*version) // the edit replaces the --version value
		ref.Option = "--version"
		return []Ref{ref}
	}
	return []Ref{ref.at(*pkg)}
}

var denoURLVersion = regexp.MustCompile(`@v?\d+\.\d+\.\d+[^/]*`)

// denoRun: "deno run [flags] npm:pkg@v | jsr:@scope/pkg@v | URL | file".
func denoRun(args []config.Value) []Ref {
	for i := 0; i < len(args); i++ {
		a := args[i].Text
		if strings.HasPrefix(a, "-") {
			switch a {
			case "-c", "--config", "--import-map", "--lock", "--cert", "--location", "--seed", "--v8-flags", "--env-file", "--inspect", "--ext":
				i++
			}
			continue
		}
		v := args[i]
		switch {
		case strings.HasPrefix(a, "npm:"):
			spec, _, _ := cutSubpath(strings.TrimPrefix(a, "npm:"))
			return []Ref{npmSpec(v.Derived(spec, 4, 4+len(spec)), "deno run")}
		case strings.HasPrefix(a, "jsr:"):
			spec, _, _ := cutSubpath(strings.TrimPrefix(a, "jsr:"))
			name, ver := spec, ""
			if at := strings.LastIndex(spec, "@"); at > 0 {
				name, ver = spec[:at], spec[at+1:]
			}
			return []Ref{Ref{Kind: Package, Ecosystem: "jsr", Launcher: "deno run", Name: name, Version: ver, Pinned: isExactSemver(ver), Pos: v.Pos}.at(v)}
		case strings.HasPrefix(a, "https://") || strings.HasPrefix(a, "http://"):
			ver := strings.TrimPrefix(denoURLVersion.FindString(a), "@")
			return []Ref{{Kind: Package, Ecosystem: "url", Launcher: "deno run", Name: a, Version: ver, URL: a, Pinned: isExactSemver(ver), Pos: v.Pos}}
		}
		return []Ref{localRef(args[i:])}
	}
	return []Ref{{Kind: Unknown, Launcher: "deno run", Note: "deno run with no module"}}
}

// cutSubpath splits "@scope/pkg@1.0/sub/path" or "pkg@1/x" at the subpath.
func cutSubpath(s string) (spec, sub string, ok bool) {
	start := 0
	if strings.HasPrefix(s, "@") {
		start = strings.Index(s, "/") + 1
		if start == 0 {
			return s, "", false
		}
	}
	if i := strings.Index(s[start:], "/"); i >= 0 {
		return s[:start+i], s[start+i:], true
	}
	return s, "", false
}
