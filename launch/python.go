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
	opts, rest := options(args, func(name string) bool { return uvValueFlags[name] })
	var main, with []Ref
	for _, o := range opts {
		switch o.name {
		case "--from":
			ref := pySpec(o.val, launcher)
			ref.Option = "--from"
			main = append(main, ref)
		case "--with":
			for _, w := range splitComma(o.val) {
				ref := pySpec(w, launcher)
				ref.Option = "--with"
				with = append(with, ref)
			}
		}
	}
	if len(main) == 0 {
		if len(rest) == 0 {
			return append(with, Ref{Kind: Unknown, Launcher: launcher, Note: launcher + " with no package"})
		}
		main = append(main, pySpec(rest[0], launcher))
	}
	return append(main, with...)
}

// uvRun: "uv run --with pkg script.py" fetches the --with packages and
// runs a local script.
func uvRun(args []config.Value) []Ref {
	opts, rest := options(args, func(name string) bool { return uvValueFlags[name] })
	var refs []Ref
	for _, o := range opts {
		if o.name == "--with" {
			for _, w := range splitComma(o.val) {
				refs = append(refs, pySpec(w, "uv run"))
			}
		}
	}
	if len(rest) > 0 {
		refs = append(refs, localRef(rest))
	}
	return refs
}

// pipxRun: "pipx run [--spec X] app" or "pipx run pkg==1.0".
func pipxRun(args []config.Value) []Ref {
	opts, rest := options(args, func(name string) bool {
		switch name {
		case "--spec", "--python", "--index-url", "-i", "--pip-args", "--backend":
			return true
		}
		return false
	})
	for _, o := range opts {
		if o.name == "--spec" {
			return []Ref{pySpec(o.val, "pipx run")}
		}
	}
	if len(rest) == 0 {
		return []Ref{{Kind: Unknown, Launcher: "pipx run", Note: "pipx run with no package"}}
	}
	return []Ref{pySpec(rest[0], "pipx run")}
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
	return pySpecRef(v, launcher).at(v)
}

func pySpecRef(v config.Value, launcher string) Ref {
	s := strings.TrimSpace(v.Text)
	switch {
	case strings.HasPrefix(s, "git+"):
		return gitRef(v, s, launcher)
	case strings.HasPrefix(s, ".") || strings.HasPrefix(s, "/") || strings.HasPrefix(s, "~") || strings.HasPrefix(s, "file:"):
		return Ref{Kind: Local, Launcher: launcher, Note: "runs a local package: " + s, Pos: v.Pos}
	case strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://"):
		return urlPackage(v, s, launcher, true)
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
		return urlPackage(v, u, launcher, true)
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
