package launch

import (
	"regexp"
	"strings"

	"github.com/mcptether/mcptether/config"
)

// npmValueFlags take a value in the next word.
var npmValueFlags = map[string]bool{
	"--registry": true, "--cache": true, "--userconfig": true, "--prefix": true, "--node-options": true,
	"--loglevel": true, "-w": true, "--workspace": true, "--shell": true, "--script-shell": true,
	"--node-version": true,
}

// npmExec decodes npx / npm exec / pnpm dlx / yarn dlx / bunx arguments.
func npmExec(args []config.Value, launcher string, depth int) []Ref {
	opts, rest := options(args, func(name string) bool {
		return npmValueFlags[name] || name == "-p" || name == "--package" || name == "-c" || name == "--call"
	})
	var refs []Ref
	var call *config.Value
	for i := range opts {
		switch o := &opts[i]; {
		case (o.name == "-p" || o.name == "--package") && o.val.Text != "":
			refs = append(refs, npmSpec(o.val, launcher))
		case o.name == "-c" || o.name == "--call":
			call = &o.val
		}
	}
	if call != nil {
		// npx -c "<command>": the command line runs with the packages'
		// binaries on PATH; what it launches in turn is decoded too.
		for _, ref := range shellScript([]config.Value{*call}, depth) {
			if len(refs) == 0 || (ref.Kind != Local && ref.Kind != Unknown) {
				refs = append(refs, ref)
			}
		}
		if len(refs) > 0 {
			return refs
		}
	}
	if len(refs) > 0 {
		// With -p, the first positional is a command the packages provide.
		return refs
	}
	if len(rest) == 0 {
		return []Ref{{Kind: Unknown, Launcher: launcher, Note: launcher + " with no package"}}
	}
	ref := npmSpec(rest[0], launcher)
	refs = append(refs, ref)
	switch {
	case ref.Kind == Package && ref.Name == "mcp-remote":
		// mcp-remote connects to the URL that follows it.
		for _, a := range rest[1:] {
			if strings.Contains(a.Text, "://") {
				r := remoteRef(a, launcher)
				r.Via = "mcp-remote"
				refs = append(refs, r)
				break
			}
		}
	case ref.Kind == Package && envWrappers[ref.Name] != nil && depth < maxDepth:
		// envmcp, dotenv-cli, env-cmd: load an env file, then run the
		// command that follows, which is decoded in turn.
		if argv := wrapped(rest[1:], envWrappers[ref.Name]); len(argv) > 0 {
			refs = append(refs, decodeArgv(argv, depth+1)...)
		}
	}
	return refs
}

// envWrappers are npm packages that load environment files and then run
// a command, with the flags of theirs that take a value.
var envWrappers = map[string]map[string]bool{
	"envmcp":     {"--env-file": true, "-e": true},
	"dotenv-cli": {"-e": true, "-v": true, "-c": true},
	"dotenv":     {"-e": true, "-v": true, "-c": true},
	"env-cmd":    {"-f": true, "--file": true, "-e": true, "--environments": true, "-r": true, "--rc-file": true},
}

// wrapped is the command a wrapper runs: what follows its own flags, or
// what follows "--".
func wrapped(args []config.Value, valueFlags map[string]bool) []config.Value {
	for i := 0; i < len(args); i++ {
		a := args[i].Text
		switch {
		case a == "--":
			return args[i+1:]
		case strings.HasPrefix(a, "-"):
			if valueFlags[a] {
				i++
			}
		default:
			return args[i:]
		}
	}
	return nil
}

// npmName is what npm accepts as a package name (legacy capitals too).
var npmName = regexp.MustCompile(`^(@[A-Za-z0-9._~-]+/)?[A-Za-z0-9._~-]+$`)

// urlHash: a URL fragment that pins the archive's content, as pip and uv
// check it (#sha256=…).
var urlHash = regexp.MustCompile(`#(sha256|sha384|sha512)=[0-9a-fA-F]{64,128}$`)

// urlPackage is a package archive fetched from a URL. Nothing pins what
// the URL serves tomorrow, unless hashChecked and its fragment carries the
// content hash the installer verifies.
func urlPackage(v config.Value, u, launcher string, hashChecked bool) Ref {
	return Ref{Kind: Package, Ecosystem: "url", Launcher: launcher, Name: RedactURL(u), URL: u,
		Pinned: hashChecked && urlHash.MatchString(u), Pos: v.Pos}
}

var githubShorthand = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+(#.*)?$`)

// npmSpec reads one npm package spec: name, name@version, @scope/name@tag,
// npm:alias, github:owner/repo#ref, git URLs, tarballs, local paths.
func npmSpec(v config.Value, launcher string) Ref {
	return npmSpecRef(v, launcher).at(v)
}

func npmSpecRef(v config.Value, launcher string) Ref {
	s := v.Text
	ref := Ref{Kind: Package, Ecosystem: "npm", Launcher: launcher, Pos: v.Pos}
	switch {
	case strings.HasPrefix(s, "file:") || strings.HasPrefix(s, ".") || strings.HasPrefix(s, "/") || strings.HasPrefix(s, "~"):
		return Ref{Kind: Local, Launcher: launcher, Note: "runs a local package: " + s, Pos: v.Pos}
	case isGitSpec(s):
		return gitRef(v, s, launcher)
	case strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://"):
		return urlPackage(v, s, launcher, false)
	case !strings.HasPrefix(s, "@") && githubShorthand.MatchString(s) && !strings.Contains(s, "@"):
		return gitRef(v, "github:"+s, launcher)
	}
	s = strings.TrimPrefix(s, "npm:")
	name, ver := s, ""
	if at := strings.LastIndex(s, "@"); at > 0 {
		name, ver = s[:at], s[at+1:]
	}
	if !npmName.MatchString(name) && !isTemplate(name) || strings.ContainsAny(ver, "`$;&|") && !isTemplate(ver) {
		// "$(touch x)", a name with spaces: never a package to pin.
		return Ref{Kind: Unknown, Launcher: launcher, Note: "not a package name: " + quote(s), Pos: v.Pos}
	}
	ref.Name, ref.Version = name, ver
	ref.Templated = isTemplate(ver) || isTemplate(name)
	ref.Pinned = isExactSemver(ver)
	ref.PURL = purl("npm", name, ver)
	return ref
}

func isGitSpec(s string) bool {
	for _, p := range []string{"github:", "gitlab:", "bitbucket:", "gist:", "git+", "git://", "git@"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return strings.HasPrefix(s, "https://github.com/") && (strings.Contains(s, ".git") || strings.Contains(s, "#"))
}

var fullSHA = regexp.MustCompile(`^[0-9a-f]{40}$`)

// gitRef reads git sources: github:o/r#ref, git+https://host/o/r.git#ref
// (npm) and git+https://host/o/r@ref (pip, uv).
func gitRef(v config.Value, s, launcher string) Ref {
	ref := Ref{Kind: Git, Ecosystem: "git", Launcher: launcher, URL: s, Pos: v.Pos}.at(v)
	rest := s
	host := ""
	switch {
	case strings.HasPrefix(rest, "github:"):
		host, rest = "github.com", strings.TrimPrefix(rest, "github:")
	case strings.HasPrefix(rest, "gitlab:"):
		host, rest = "gitlab.com", strings.TrimPrefix(rest, "gitlab:")
	case strings.HasPrefix(rest, "bitbucket:"):
		host, rest = "bitbucket.org", strings.TrimPrefix(rest, "bitbucket:")
	case strings.HasPrefix(rest, "git@"):
		rest = strings.TrimPrefix(rest, "git@")
		host, rest, _ = strings.Cut(rest, ":")
	default:
		rest = strings.TrimPrefix(rest, "git+")
		if i := strings.Index(rest, "://"); i >= 0 {
			rest = rest[i+3:]
		}
		if at := strings.Index(rest, "@"); at >= 0 && at < strings.Index(rest+"/", "/") {
			rest = rest[at+1:] // user@host
		}
		host, rest, _ = strings.Cut(rest, "/")
	}
	gitref := ""
	if i := strings.Index(rest, "#"); i >= 0 {
		rest, gitref = rest[:i], rest[i+1:]
		gitref = strings.TrimPrefix(gitref, "commit=")
		if j := strings.Index(gitref, "&"); j >= 0 {
			gitref = gitref[:j]
		}
		if strings.HasPrefix(gitref, "egg=") || strings.HasPrefix(gitref, "subdirectory=") {
			gitref = ""
		}
	}
	if i := strings.LastIndex(rest, "@"); i >= 0 { // pip/uv: repo@ref
		rest, gitref = rest[:i], rest[i+1:]
	}
	rest = strings.TrimSuffix(strings.TrimSuffix(rest, "/"), ".git")
	ref.Name = strings.ToLower(host) + "/" + rest
	ref.Version = gitref
	ref.Pinned = fullSHA.MatchString(gitref)
	if strings.EqualFold(host, "github.com") {
		ref.Ecosystem = "github"
		ref.PURL = purl("github", rest, gitref)
	}
	return ref
}
