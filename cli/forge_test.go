package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/mcptether/mcptether/internal/fakereg"
)

// forged is what a config, a registry answer or a shard file writes to
// make the tool's output speak as the tool in a CI log: a new line that
// is a workflow command, a legacy "##[" command anywhere in a line, and
// a terminal escape.
const forged = "\n::error title=FORGED::x \r::add-mask::y ##[add-mask]z \x1b[2J"

// ownCommand is a workflow command the github format writes.
var ownCommand = regexp.MustCompile(`^::(error|warning|notice) (col|file|title)=`)

// checkLog fails when a line of out could run as a workflow command the
// tool did not write, or out holds a terminal escape.
func checkLog(t *testing.T, what, out string, commands bool) {
	t.Helper()
	if strings.Contains(out, "\x1b") {
		t.Errorf("%s: holds an escape sequence", what)
	}
	if strings.Contains(out, "##[") {
		t.Errorf("%s: holds a legacy workflow command", what)
	}
	for _, line := range strings.FieldsFunc(out, func(r rune) bool { return r == '\n' || r == '\r' }) {
		l := strings.TrimLeft(line, " \t")
		if !strings.HasPrefix(l, "::") {
			continue
		}
		if !commands || !ownCommand.MatchString(l) || strings.HasPrefix(l, "::error title=FORGED") {
			t.Errorf("%s: a line is a workflow command: %q", what, line)
		}
	}
}

func TestNoOutputSpeaksAsTheTool(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("file names with colons")
	}
	w := fakereg.New(t)
	// A registry's answers carry the payload too: a deprecation message,
	// and a repository that cannot be found.
	w.On("GET /npm/forge-mcp", fakereg.JSON(200, fakereg.NPMPackument("forge-mcp", "github:acme/forge"+forged,
		map[string]map[string]any{"1.0.0": {}, "1.1.0": {"deprecated": "use 1.0.0" + forged}},
		map[string]string{"1.0.0": "2025-01-01T00:00:00.000Z", "1.1.0": "2025-02-01T00:00:00.000Z"}, "1.1.0")))
	env := w.URLs()
	env["MCPTETHER_CACHE_DIR"] = t.TempDir()
	work := t.TempDir()
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	writeFiles(t, work, map[string]string{
		".mcp.json": `{"mcpServers": {
  ` + q("srv"+forged) + `: {"command": "npx", "args": ["-y", "forge-mcp"]},
  ` + q("[click](https://evil.example) ![x](https://evil.example/p.png)") + `: {"command": "docker", "args": ["run", ` + q("img"+forged) + `], "autoApprove": true},
  "c": {"command": "sh", "args": ["-c", ` + q("npx -y evil"+forged+" (((") + `]}
}}`,
		"::error title=FORGED::dir/.cursor/mcp.json": `{"mcpServers": {"d": {"command": "npx", "args": ["-y", "pkg"]}}}`,
	})
	t.Chdir(work)

	for _, online := range []bool{false, true} {
		e := map[string]string{}
		for k, v := range env {
			e[k] = v
		}
		if !online {
			e["MCPTETHER_OFFLINE"] = "true"
		}
		for _, format := range []string{"text", "json", "sarif", "github", "cyclonedx"} {
			stdout, stderr, code := runIn(t, e, "scan", "--format", format, ".")
			if code != ExitFindings {
				t.Fatalf("%s: exit %d: %s", format, code, stderr)
			}
			if want := "server \"srv\\n::error title=FORGED::x \\r::add-mask::y ##\\[add-mask]z \\x1b[2J\" could not be fully checked"; online && format == "text" && !strings.Contains(stdout, want) {
				t.Errorf("the text output does not name the server, escaped: want %s in\n%s", want, stdout)
			}
			checkLog(t, format+" stdout", stdout, format == "github")
			checkLog(t, format+" stderr", stderr, false)
		}
	}
	// In Actions: the step summary renders no link or image of the
	// config's making.
	summary := filepath.Join(t.TempDir(), "summary.md")
	e := map[string]string{"MCPTETHER_OFFLINE": "true", "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary,
		"GITHUB_SERVER_URL": "https://github.example.com", "GITHUB_REPOSITORY": "acme/repo", "GITHUB_SHA": "0123abc", "GITHUB_WORKSPACE": work}
	stdout, _, _ := runIn(t, e, "scan", "--format", "github", ".")
	checkLog(t, "github in Actions", stdout, true)
	md, _ := os.ReadFile(summary)
	if bad := regexp.MustCompile(`(^|[^\\])(\]\(https://evil|!\[)|<img|\n::`).FindString(string(md)); bad != "" {
		t.Errorf("step summary renders %q:\n%s", bad, md)
	}
	if !strings.Contains(string(md), `\[click\](https://evil.example) !\[x\]`) {
		t.Errorf("step summary lost the server's name:\n%s", md)
	}

	// pin: its lines, notes and diff.
	stdout, stderr, _ := runIn(t, env, "pin", "--dry-run", ".")
	checkLog(t, "pin stdout", stdout, false)
	checkLog(t, "pin stderr", stderr, false)
	if !strings.Contains(stdout, `use 1.0.0\n\:`) && !strings.Contains(stdout, `use 1.0.0\n::`) {
		t.Errorf("pin does not show the deprecation, escaped:\n%s", stdout)
	}
	stdout, stderr, _ = runIn(t, env, "scan", "--fix", "--format", "github", ".")
	checkLog(t, "scan --fix stdout", stdout, true)
	checkLog(t, "scan --fix stderr", stderr, false)

	// audit: a dump whose names carry the payload, in every format, and a
	// shard file whose rule names do.
	entries := []map[string]any{serverJSON("io.github.acme/a"+forged, "1.0.0"+forged, "https://github.com/acme/a"+forged, npmPackage("forge-mcp", "1.0.0"), nil)}
	dump := filepath.Join(t.TempDir(), "dump.json")
	data, _ := json.Marshal(entries)
	os.WriteFile(dump, data, 0o644)
	for _, format := range []string{"text", "csv", "json"} {
		stdout, stderr, code := runIn(t, env, "audit", "--from", dump, "--format", format, "--top", "3")
		if code != ExitOK {
			t.Fatalf("audit %s: exit %d: %s", format, code, stderr)
		}
		checkLog(t, "audit "+format, stdout, false)
		checkLog(t, "audit "+format+" stderr", stderr, false)
	}
	shard := filepath.Join(t.TempDir(), "shard.json")
	os.WriteFile(shard, []byte(`{"version": 1, "results": [{"name": `+q("n"+forged)+`, "findings": [{"rule": `+q("::error title=FORGED::rule"+forged)+`, "severity": "high", "message": `+q("m"+forged)+`}]}],
  "summary": {"servers": 1, "byRule": {`+q("::error title=FORGED::rule"+forged)+`: 1}}}`), 0o644)
	for _, format := range []string{"text", "csv", "json"} {
		stdout, stderr, _ := runIn(t, nil, "audit", "merge", "--format", format, "--top", "3", shard)
		checkLog(t, "merge "+format, stdout, false)
		checkLog(t, "merge "+format+" stderr", stderr, false)
	}
}
