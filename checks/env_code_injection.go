package checks

import (
	"regexp"
	"strings"
)

// EnvCodeInjection: a server's env makes the launcher load code that is
// not the package: a preload, a startup script, a search path first.
var EnvCodeInjection = &Rule{
	ID:       "env-code-injection",
	Severity: High,
	Summary:  "the server's env makes the runtime load other code (NODE_OPTIONS --require, LD_PRELOAD, PYTHONPATH, -javaagent, a PATH that starts elsewhere…)",
	Tags:     []string{"security", "supply-chain", "code-execution"},
	Check:    checkEnvCodeInjection,
}

var (
	nodeLoader = regexp.MustCompile(`(?:^|\s)(--require|-r|--import|--loader|--experimental-loader)(?:=|\s+)(\S+)`)
	javaAgent  = regexp.MustCompile(`-javaagent:(\S+)`)
	envRef     = regexp.MustCompile(`^\$\{[^}]*\}$|^\$[A-Za-z_][A-Za-z0-9_]*$|^\{env:[^}]*\}$|^%[A-Za-z_][A-Za-z0-9_]*%$`)
)

// loads says what an env variable makes the runtime load, or "".
func loads(key, val string) string {
	switch strings.ToUpper(key) {
	case "NODE_OPTIONS":
		if m := nodeLoader.FindStringSubmatch(val); m != nil {
			return "Node.js loads " + q(m[2]) + " (" + m[1] + ") before the server"
		}
	case "LD_PRELOAD", "DYLD_INSERT_LIBRARIES":
		return "the dynamic linker loads " + q(val) + " into the process"
	case "LD_LIBRARY_PATH", "DYLD_LIBRARY_PATH":
		return "shared libraries are looked up in " + q(val) + " first"
	case "PYTHONSTARTUP":
		return "Python runs " + q(val) + " at startup"
	case "PYTHONPATH":
		return "Python imports modules from " + q(val) + " before the package's own"
	case "PYTHONHOME":
		return "Python's standard library comes from " + q(val)
	case "PERL5OPT":
		if strings.Contains(val, "-M") || strings.Contains(val, "-m") || strings.Contains(val, "-I") {
			return "Perl loads " + q(val) + " at startup"
		}
	case "RUBYOPT":
		if strings.Contains(val, "-r") || strings.Contains(val, "-I") {
			return "Ruby loads " + q(val) + " at startup"
		}
	case "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS":
		if m := javaAgent.FindStringSubmatch(val); m != nil {
			return "the JVM loads the agent " + q(m[1]) + " into the server"
		}
	case "PATH":
		if first := firstPathEntry(val); first != "" && unsafePathDir(first) {
			return "programs are looked up in " + q(first) + " first, so npx, node or python there run instead of the real ones"
		}
	}
	return ""
}

func firstPathEntry(val string) string {
	sep := ":"
	if strings.Contains(val, ";") {
		sep = ";"
	}
	return strings.TrimSpace(strings.Split(val, sep)[0])
}

// unsafePathDir: relative, the working directory, or a world-writable
// place anyone on the machine (or any download) can write to.
func unsafePathDir(d string) bool {
	switch {
	case d == ".":
		return true
	case d == "" || strings.HasPrefix(d, "$") || strings.HasPrefix(d, "%"):
		return false // a reference to the user's own environment
	}
	if !strings.HasPrefix(d, "/") && !strings.HasPrefix(d, "~") && !(len(d) > 2 && d[1] == ':') {
		return true // relative: it depends on where the host starts the server
	}
	for _, w := range []string{"/tmp", "/var/tmp", "/dev/shm", "/Users/Shared"} {
		if d == w || strings.HasPrefix(d, w+"/") {
			return true
		}
	}
	return false
}

func checkEnvCodeInjection(r *Rule, in *Input) []Finding {
	var out []Finding
	for _, s := range in.Servers {
		for _, kv := range s.Env {
			val := strings.TrimSpace(kv.Value.Text)
			if val == "" || envRef.MatchString(val) {
				continue // a reference: the value is the user's, not the config's
			}
			what := loads(kv.Key.Text, val)
			if what == "" {
				continue
			}
			f := r.at(s, kv.Value.Pos, "env "+kv.Key.Text,
				"env %s of server %q: %s; code outside the package runs with the server's rights and whatever it can reach; remove it%s",
				kv.Key.Text, s.Name.Text, what, disabledNote(s))
			out = append(out, f)
		}
	}
	return out
}
