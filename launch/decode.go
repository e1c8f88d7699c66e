package launch

import (
	"fmt"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/mcptether/mcptether/config"
	"github.com/mcptether/mcptether/internal/shword"
)

// maxDepth bounds wrapper nesting (sh -c "cmd /c sh -c …").
const maxDepth = 8

// Decode returns what a server entry fetches and runs, in file order. An
// entry whose command cannot be decoded yields one Unknown ref, so nothing
// is silently dropped.
func Decode(s *config.Server) []Ref {
	var refs []Ref
	if s.Source != nil {
		refs = sourceRefs(s)
		for i := range refs {
			refs[i] = bound(refs[i])
		}
		return refs
	}
	for _, p := range s.Packages {
		refs = append(refs, manifestRef(p))
	}
	for _, r := range s.Remotes {
		if r.URL.Text != "" {
			refs = append(refs, remoteRef(r.URL, "manifest"))
		}
	}
	argv := argvOf(s)
	if len(argv) > 0 {
		refs = append(refs, decodeArgv(argv, 0)...)
	}
	if s.URL.IsSet() && s.URL.Text != "" {
		refs = append(refs, remoteRef(s.URL, ""))
	}
	if len(refs) == 0 {
		pos := s.Name.Pos
		note := "no command, url or package"
		if s.Command.IsSet() {
			pos, note = s.Command.Pos, "empty command"
		}
		refs = append(refs, Ref{Kind: Unknown, Note: note, Pos: pos})
	}
	for i := range refs {
		refs[i] = bound(refs[i])
	}
	return refs
}

// maxNameLen is longer than any registry lets a name be (npm allows 214
// characters, an image repository 255, a GitHub owner and repository
// 140); a longer "name" is no package, and comparing it with others (the
// lookalike distance) would cost time and memory with its square.
var maxNameLen = map[Ecosystem]int{NPM: 214}

const defaultMaxNameLen = 255

// maxShown bounds any config text a reference carries into a report.
const maxShown = 200

// bound turns an impossibly long name into an unknown reference and clips
// what is shown of it.
func bound(r Ref) Ref {
	limit, ok := maxNameLen[r.Ecosystem]
	if !ok {
		limit = defaultMaxNameLen
	}
	if (r.Kind == Package || r.Kind == Image || r.Kind == Git) && len(r.Name) > limit {
		r = Ref{Kind: Unknown, Ecosystem: r.Ecosystem, Launcher: r.Launcher, Pos: r.Pos,
			Note: fmt.Sprintf("a %s name of %d characters, longer than any registry allows: not a package, not looked up", r.Kind, len(r.Name)), Name: r.Name}
	}
	r.Name, r.Version, r.URL, r.Note = Clip(r.Name), Clip(r.Version), Clip(r.URL), Clip(r.Note)
	return r
}

// Clip shortens s to at most maxShown bytes, marking the cut.
func Clip(s string) string { return ClipTo(s, maxShown) }

// ClipTo shortens s to at most n bytes on a character boundary, marking
// the cut with the whole length.
func ClipTo(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf("…(%d bytes)", len(s))
}

// argvOf returns the entry's command line. A whole command line written
// into "command" is split as a shell would.
func argvOf(s *config.Server) []config.Value {
	if !s.Command.IsSet() || strings.TrimSpace(s.Command.Text) == "" {
		return nil
	}
	argv := append([]config.Value{s.Command}, s.Args...)
	if strings.ContainsAny(strings.TrimSpace(s.Command.Text), " \t") {
		if len(s.Args) == 0 || isLauncher(strings.Fields(s.Command.Text)[0]) {
			cmds, _, err := parseShell(s.Command)
			if err != nil || len(cmds) != 1 {
				return wrapShell(argv)
			}
			argv = append(cmds[0].argv, s.Args...)
		}
	}
	return argv
}

// Program is the program an entry's command runs, as the shell would split
// a whole command line (quotes kept together) and as the host reads a
// command with separate args (a path with spaces is one program); never
// its arguments, which may carry secrets.
func Program(s *config.Server) string {
	argv := argvOf(s)
	if len(argv) == 0 {
		return ""
	}
	if argv[0].Pos.IsZero() && len(argv) > 2 { // wrapShell's sh -c: the line's first word
		if f := strings.Fields(argv[2].Text); len(f) > 0 {
			return f[0]
		}
	}
	return argv[0].Text
}

// wrapShell marks a command line that is a shell program (pipes, &&) so
// decodeArgv reads it as sh -c.
func wrapShell(argv []config.Value) []config.Value {
	return append([]config.Value{{Text: "sh"}, {Text: "-c"}}, argv...)
}

func isLauncher(cmd string) bool {
	switch baseName(cmd) {
	case "npx", "pnpx", "bunx", "npm", "pnpm", "yarn", "bun", "uvx", "uv", "pipx", "docker", "podman", "nerdctl", "nix",
		"go", "dnx", "dotnet", "deno", "cmd", "sh", "bash", "zsh", "env", "powershell", "pwsh":
		return true
	}
	return false
}

// baseName is a command's name without directory or Windows extension.
func baseName(cmd string) string {
	cmd = strings.ReplaceAll(cmd, `\`, "/")
	b := strings.ToLower(path.Base(cmd))
	for _, ext := range []string{".exe", ".cmd", ".bat", ".ps1"} {
		b = strings.TrimSuffix(b, ext)
	}
	return b
}

func decodeArgv(argv []config.Value, depth int) []Ref {
	if len(argv) == 0 {
		return nil
	}
	if depth > maxDepth {
		return []Ref{{Kind: Unknown, Note: "wrappers nested too deep", Pos: argv[0].Pos}}
	}
	cmd := argv[0]
	rest := argv[1:]
	name := baseName(cmd.Text)
	sub := func(i int) string {
		if i < len(rest) {
			return rest[i].Text
		}
		return ""
	}
	switch name {
	case "npx", "pnpx", "bunx":
		return npmExec(rest, name, depth)
	case "npm":
		if s := sub(0); s == "exec" || s == "x" {
			return npmExec(rest[1:], "npm exec", depth)
		}
	case "pnpm", "yarn":
		if sub(0) == "dlx" {
			return npmExec(rest[1:], name+" dlx", depth)
		}
	case "bun":
		if sub(0) == "x" {
			return npmExec(rest[1:], "bun x", depth)
		}
	case "uvx":
		return uvTool(rest, "uvx")
	case "uv":
		return uv(rest, depth)
	case "pipx":
		if sub(0) == "run" {
			return pipxRun(rest[1:])
		}
	case "nix":
		return nix(rest, depth)
	case "docker", "podman", "nerdctl":
		if sub(0) == "run" {
			return dockerRun(rest[1:], name)
		}
		if sub(0) == "container" && sub(1) == "run" {
			return dockerRun(rest[2:], name)
		}
	case "go":
		if sub(0) == "run" {
			return goRun(rest[1:])
		}
	case "dnx":
		return dnx(rest, "dnx")
	case "dotnet":
		if sub(0) == "dnx" {
			return dnx(rest[1:], "dotnet dnx")
		}
		if sub(0) == "tool" && (sub(1) == "exec" || sub(1) == "execute") {
			return dnx(rest[2:], "dotnet tool exec")
		}
	case "deno":
		if sub(0) == "run" {
			return denoRun(rest[1:])
		}
	case "cmd":
		if s := strings.ToLower(sub(0)); s == "/c" || s == "/k" || s == "/s" {
			return shellArgs(rest[1:], depth)
		}
	case "sh", "bash", "zsh", "dash", "ash", "ksh":
		for i, a := range rest {
			if strings.HasPrefix(a.Text, "-") && !strings.HasPrefix(a.Text, "--") && strings.Contains(a.Text, "c") {
				return shellScript(rest[i+1:], depth)
			}
			if !strings.HasPrefix(a.Text, "-") {
				break
			}
		}
		return []Ref{localRef(argv)}
	case "powershell", "pwsh":
		for i, a := range rest {
			if l := strings.ToLower(a.Text); l == "-command" || l == "-c" {
				return powershell(rest[i+1:], depth)
			}
		}
	case "env":
		i := 0
		for i < len(rest) {
			t := rest[i].Text
			switch {
			case t == "-u" || t == "--unset" || t == "-C" || t == "--chdir" || t == "-S":
				i += 2
			case strings.HasPrefix(t, "-") || strings.Contains(t, "="):
				i++
			default:
				return decodeArgv(rest[i:], depth+1)
			}
		}
		return []Ref{{Kind: Unknown, Note: "env with no command", Pos: cmd.Pos}}
	case "sudo", "exec", "nohup", "time", "nice", "caffeinate", "stdbuf", "timeout":
		for i, a := range rest {
			if !strings.HasPrefix(a.Text, "-") && (name != "timeout" || i > 0) {
				return decodeArgv(rest[i:], depth+1)
			}
		}
	}
	if isLocalProgram(cmd.Text) {
		return []Ref{localRef(argv)}
	}
	return []Ref{{Kind: Unknown, Launcher: name, Note: fmt.Sprintf("command %q is not a package launcher mcptether knows; what it runs cannot be decoded", cmd.Text), Pos: cmd.Pos}}
}

// isLocalProgram: a path, or an interpreter running a local file.
func isLocalProgram(cmd string) bool {
	if strings.ContainsAny(cmd, `/\`) || strings.HasPrefix(cmd, ".") || strings.HasPrefix(cmd, "${") || strings.HasPrefix(cmd, "$") {
		return true
	}
	switch baseName(cmd) {
	case "node", "python", "python3", "py", "ruby", "java", "php", "perl", "deno", "bun", "uv", "dotnet", "docker", "podman", "npm", "pnpm", "yarn", "go", "cargo", "pipx":
		return true
	}
	return false
}

func localRef(argv []config.Value) Ref {
	// The arguments are not shown: a local command line often carries a
	// credential (--api-key …).
	return Ref{Kind: Local, Launcher: baseName(argv[0].Text), Note: fmt.Sprintf("runs a local program: %s (%s)", argv[0].Text, plural(len(argv)-1, "argument")), Pos: argv[0].Pos}
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// shellArgs decodes the words after cmd /c: one string is a command line.
func shellArgs(rest []config.Value, depth int) []Ref {
	if len(rest) == 1 && strings.ContainsAny(rest[0].Text, " \t") {
		return shellScript(rest, depth)
	}
	return decodeArgv(rest, depth+1)
}

// shellScript decodes sh -c "script": every simple command in it, and any
// download piped into an interpreter.
func shellScript(rest []config.Value, depth int) []Ref {
	if len(rest) == 0 {
		return nil
	}
	script := rest[0]
	cmds, scripts, err := parseShell(script)
	if err != nil {
		if u, found := powershellScript(script); found {
			return []Ref{scriptRef(u)}
		}
		why := "a syntax error"
		if _, deep := err.(*shword.TooDeepError); deep {
			why = fmt.Sprintf("nesting past the %d levels parsed", shword.MaxNesting)
		}
		return []Ref{{Kind: Unknown, Unparsed: true, Note: "shell command that cannot be parsed (" + why + ")", Pos: script.Pos}}
	}
	var refs []Ref
	for _, u := range scripts {
		refs = append(refs, scriptRef(u))
	}
	for _, c := range cmds {
		if isFetcher(c.argv[0].Text) || isInterpreter(c.argv[0].Text) && len(scripts) > 0 {
			continue
		}
		switch c.argv[0].Text {
		case "cd", "export", "set", "echo", "true", "source", ".", "eval", "exit", "test", "[":
			continue
		}
		refs = append(refs, decodeArgv(c.argv, depth+1)...)
	}
	return refs
}

func powershell(rest []config.Value, depth int) []Ref {
	if len(rest) == 0 {
		return nil
	}
	if u, found := powershellScript(rest[0]); found {
		return []Ref{scriptRef(u)}
	}
	return shellArgs(rest, depth)
}

func scriptRef(u config.Value) Ref {
	return Ref{Kind: Script, URL: u.Text, Note: "downloaded code run by an interpreter", Pos: u.Pos}
}

func remoteRef(u config.Value, via string) Ref {
	return Ref{Kind: Remote, URL: u.Text, Launcher: via, Pos: u.Pos}
}
