package launch

import (
	"regexp"
	"strings"

	"github.com/mcptether/mcptether/config"
)

// uvValueFlags take a value in the next word (uv tool run / uv run).
var uvValueFlags = map[string]bool{
	"--from": true, "--with": true, "--with-editable": true, "--with-requirements": true, "--python": true, "-p": true,
	"--index": true, "--index-url": true, "-i": true, "--extra-index-url": true, "--default-index": true,
	"--find-links": true, "-f": true, "--directory": true, "--project": true, "--config-file": true,
	"--cache-dir": true, "--python-preference": true, "--resolution": true, "--prerelease": true,
	"--exclude-newer": true, "--constraints": true, "-c": true, "--overrides": true, "--build-constraints": true,
	"-b": true, "--index-strategy": true, "--keyring-provider": true, "--refresh-package": true,
	"--reinstall-package": true, "--upgrade-package": true, "-P": true, "--env-file": true, "--color": true,
	"--package": true, "--extra": true, "--group": true, "--only-group": true, "--no-group": true,
	"--link-mode": true, "--python-platform": true, "--allow-insecure-host": true, "--script": true,
}

// uv decodes "uv tool run …", "uv run --with …" and global flags before them.
func uv(args []config.Value, depth int) []Ref {
	i := 0
	for i < len(args) && strings.HasPrefix(args[i].Text, "-") {
		if uvValueFlags[args[i].Text] {
			i++
		}
		i++
	}
	if i >= len(args) {
		return []Ref{{Kind: Unknown, Launcher: "uv", Note: "uv with no subcommand"}}
	}
	switch args[i].Text {
	case "tool":
		if i+1 < len(args) && args[i+1].Text == "run" {
			return uvTool(args[i+2:], "uv tool run")
		}
	case "run":
		return uvRun(args[i+1:])
	}
	return []Ref{{Kind: Unknown, Launcher: "uv", Note: "uv " + args[i].Text + " is not a launch command mcptether knows", Pos: args[i].Pos}}
}

// uvTool decodes uvx / uv tool run: the first positional is the package
// (or, with --from, the command the --from package provides).
func uvTool(args []config.Value, launcher string) []Ref {
	var from []config.Value
	var refs []Ref
	i := 0
	for ; i < len(args); i++ {
		a := args[i].Text
		if a == "--" {
			i++
			break
		}
		if !strings.HasPrefix(a, "-") {
			break
		}
		name, val, hasVal := strings.Cut(a, "=")
		var v config.Value
		switch {
		case hasVal:
			v = args[i].Derived(val, len(name)+1, len(a))
		case uvValueFlags[name] && i+1 < len(args):
			i++
			v = args[i]
		default:
			continue
		}
		switch name {
		case "--from":
			from = append(from, v)
		case "--with":
			for _, w := range splitComma(v) {
				refs = append(refs, pySpec(w, launcher))
			}
		}
	}
	var main []Ref
	for _, f := range from {
		main = append(main, pySpec(f, launcher))
	}
	if len(from) == 0 {
		if i >= len(args) {
			return append(refs, Ref{Kind: Unknown, Launcher: launcher, Note: launcher + " with no package"})
		}
		main = append(main, pySpec(args[i], launcher))
	}
	return append(main, refs...)
}

// uvRun: "uv run --with pkg script.py" fetches the --with packages and
// runs a local script.
func uvRun(args []config.Value) []Ref {
	var refs []Ref
	i := 0
	for ; i < len(args); i++ {
		a := args[i].Text
		if !strings.HasPrefix(a, "-") {
			break
		}
		name, val, hasVal := strings.Cut(a, "=")
		var v config.Value
		switch {
		case hasVal:
			v = args[i].Derived(val, len(name)+1, len(a))
		case uvValueFlags[name] && i+1 < len(args):
			i++
			v = args[i]
		default:
			continue
		}
		if name == "--with" {
			for _, w := range splitComma(v) {
				refs = append(refs, pySpec(w, "uv run"))
			}
		}
	}
	if i < len(args) {
		refs = append(refs, localRef(args[i:]))
	}
	return refs
}

// pipxRun: "pipx run [--spec X] app" or "pipx run pkg==1.0".
func pipxRun(args []config.Value) []Ref {
	var spec *config.Value
	i := 0
	for ; i < len(args); i++ {
		a := args[i].Text
		if !strings.HasPrefix(a, "-") {
			break
		}
		name, val, hasVal := strings.Cut(a, "=")
		switch name {
		case "--spec":
			if hasVal {
				v := args[i].Derived(val, len(name)+1, len(a))
				spec = &v
			} else if i+1 < len(args) {
				i++
				spec = &args[i]
			}
		case "--python", "--index-url", "-i", "--pip-args", "--backend":
			if !hasVal {
				i++
			}
		}
	}
	if spec != nil {
		return []Ref{pySpec(*spec, "pipx run")}
	}
	if i >= len(args) {
		return []Ref{{Kind: Unknown, Launcher: "pipx run", Note: "pipx run with no package"}}
	}
	return []Ref{pySpec(args[i], "pipx run")}
}

func splitComma(v config.Value) []config.Value {
	if !strings.Contains(v.Text, ",") {
		return []config.Value{v}
	}
	var out []config.Value
	at := 0
	for _, part := range strings.Split(v.Text, ",") {
		out = append(out, v.Derived(part, at, at+len(part)))
		at += len(part) + 1
	}
	return out
}

var (
	pyName     = regexp.MustCompile(`^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*(.*)$`)
	pyNormRepl = regexp.MustCompile(`[-_.]+`)
)

// pySpec reads a Python requirement as uvx and pipx accept it: name,
// name==1.2, name@1.2, name@latest, name>=1, git+https://…@ref, name @ url.
func pySpec(v config.Value, launcher string) Ref {
	s := strings.TrimSpace(v.Text)
	switch {
	case strings.HasPrefix(s, "git+"):
		return gitRef(v, s, launcher)
	case strings.HasPrefix(s, ".") || strings.HasPrefix(s, "/") || strings.HasPrefix(s, "~") || strings.HasPrefix(s, "file:"):
		return Ref{Kind: Local, Launcher: launcher, Note: "runs a local package: " + s, Pos: v.Pos}
	case strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://"):
		return Ref{Kind: Unknown, Launcher: launcher, URL: s, Note: "package archive fetched from a URL", Pos: v.Pos}
	}
	m := pyName.FindStringSubmatch(s)
	if m == nil {
		return Ref{Kind: Unknown, Launcher: launcher, Note: "cannot read Python requirement " + quote(s), Pos: v.Pos}
	}
	ref := Ref{Kind: Package, Ecosystem: "pypi", Launcher: launcher, Name: m[1], Pos: v.Pos}
	rest := strings.TrimSpace(m[3])
	if i := strings.Index(rest, ";"); i >= 0 { // environment marker
		rest = strings.TrimSpace(rest[:i])
	}
	switch {
	case strings.HasPrefix(rest, "@") && strings.Contains(rest, "://"):
		u := strings.TrimSpace(rest[1:])
		if strings.HasPrefix(u, "git+") {
			g := gitRef(v, u, launcher)
			return g
		}
		ref.Kind, ref.URL, ref.Note = Unknown, u, "package archive fetched from a URL"
		return ref
	case strings.HasPrefix(rest, "@"): // uvx name@1.2.3 / name@latest
		ref.Version = strings.TrimSpace(rest[1:])
		ref.Pinned = ref.Version != "latest" && isExactPEP440(ref.Version)
	case strings.HasPrefix(rest, "==="):
		ref.Version = strings.TrimSpace(rest[3:])
		ref.Pinned = ref.Version != ""
	case strings.HasPrefix(rest, "==") && !strings.Contains(rest, ","):
		ref.Version = strings.TrimSpace(rest[2:])
		ref.Pinned = isExactPEP440(ref.Version)
		if !ref.Pinned {
			ref.Version = rest
		}
	default:
		ref.Version = rest // a range, or nothing
	}
	ref.Templated = isTemplate(ref.Version)
	v2 := ""
	if ref.Pinned {
		v2 = ref.Version
	}
	ref.PURL = purl("pypi", strings.ToLower(pyNormRepl.ReplaceAllString(ref.Name, "-")), v2)
	return ref
}

func quote(s string) string { return `"` + s + `"` }
