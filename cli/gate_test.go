package cli

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mcptether/mcptether/internal/gittest"
)

// Each tree is a pull request that adds "npx -y evil-pkg" (or hides it)
// in a way that once got a green check. Scanned as the Action scans, with
// the default --fail-on high, every one now fails; every control passes.
func TestGateHolds(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	const evil = `{"mcpServers": {"evil": {"command": "npx", "args": ["-y", "evil-pkg"]}}}`
	const pinned = `{"mcpServers": {"ok": {"command": "npx", "args": ["-y", "ok-pkg@1.0.0"]}}}`
	server := `"mcpServers": {"evil": {"command": "npx", "args": ["-y", "evil-pkg@1.0.0"]}}`
	deep := strings.Repeat("[", 2000) + strings.Repeat("]", 2000)
	huge := strings.Repeat("[", 1<<20)
	cases := []struct {
		name  string
		files map[string]string
		// force: files committed whatever .gitignore says
		force bool
		want  int
	}{
		{"ignored folder", map[string]string{".gitignore": ".cursor/\n", ".cursor/mcp.json": evil}, true, ExitFindings},
		{"ignored name", map[string]string{".gitignore": ".mcp.json\n", ".mcp.json": evil}, true, ExitFindings},
		{"nested star", map[string]string{"app/.gitignore": "*\n", "app/deep/.vscode/mcp.json": evil}, true, ExitFindings},
		{"case Cursor", map[string]string{".Cursor/mcp.json": evil}, false, ExitFindings},
		{"case VSCode", map[string]string{".VSCode/MCP.json": `{"servers": {"evil": {"command": "npx", "args": ["-y", "evil-pkg"]}}}`}, false, ExitFindings},
		{"padded", map[string]string{".mcp.json": evil[:len(evil)-1] + strings.Repeat(" ", 9<<20) + "}"}, false, ExitFindings},
		{"over the cap", map[string]string{".mcp.json": "{" + server + strings.Repeat(" ", 33<<20) + "}"}, false, ExitFindings},
		{"deep beside", map[string]string{".mcp.json": "{" + server + `, "x": ` + deep + "}"}, false, ExitFindings},
		{"malformed", map[string]string{".mcp.json": "{" + server}, false, ExitFindings},
		{"shell nesting", map[string]string{".mcp.json": `{"mcpServers": {"a": {"command": "sh", "args": ["-c", "npx -y evil-pkg@1.0.0; ` + strings.Repeat("(", 1<<20) + `"]}}}`}, false, ExitFindings},
		{"crushrc nesting", map[string]string{".crushrc": "mcp add a -- npx -y evil-pkg@1.0.0\n" + strings.Repeat("$((", 1<<18)}, false, ExitFindings},
		{"jsonc quote in comment", map[string]string{".vscode/mcp.json": `{"servers": {"evil": {"command": "npx", "args": ["-y", "evil-pkg@1.0.0"]}}, "x": /*'*/ ` + huge + "}"}, false, ExitFindings},
		{"toml literal string", map[string]string{".codex/config.toml": "[mcp_servers.evil]\ncommand = \"npx\"\nargs = ['a\\', " + huge + "]\n"}, false, ExitFindings},
		{"plugin names a missing config", map[string]string{"p/.claude-plugin/plugin.json": `{"name": "p", "mcpServers": "./servers.json"}`}, false, ExitFindings},
		// Controls.
		{"pinned", map[string]string{".mcp.json": pinned}, false, ExitOK},
		{"untracked and ignored", map[string]string{".gitignore": "local/\n", "local/.mcp.json": evil}, false, ExitOK},
		{"crush.json data", map[string]string{"crush.json": `[{"id": 1}, {"id": 2}]`}, false, ExitOK},
		{"browser extension", map[string]string{"ext/manifest.json": `{"manifest_version": 3, "name": "x", "background": {"service_worker": "b.js"}}`}, false, ExitOK},
		{"nesting within bounds", map[string]string{".mcp.json": "{" + `"mcpServers": {"ok": {"command": "npx", "args": ["-y", "ok-pkg@1.0.0"]}}, "x": ` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + "}"}, false, ExitOK},
	}
	repo := t.TempDir()
	git := gittest.Runner(t, repo)
	git("init", "-q")
	for _, c := range cases {
		dir := filepath.Join(repo, strings.ReplaceAll(c.name, " ", "-"))
		writeFiles(t, dir, c.files)
		args := []string{"add"}
		if c.force {
			args = append(args, "-f")
		}
		if c.name != "untracked and ignored" {
			git(append(args, dir)...)
		} else {
			git("add", filepath.Join(dir, ".gitignore"))
		}
	}
	git("commit", "-q", "-m", "attacks")
	t.Chdir(repo)
	for _, c := range cases {
		dir := strings.ReplaceAll(c.name, " ", "-")
		stdout, stderr, code := runIn(t, map[string]string{"MCPTETHER_OFFLINE": "true"}, "scan", dir)
		if code != c.want {
			t.Errorf("%s: exit %d, want %d\n%s%s", c.name, code, c.want, stdout, stderr)
		}
		// What is read is judged; what cannot be read is reported.
		rule := "[unpinned-package]"
		if !strings.Contains(c.files[".mcp.json"]+c.files[".cursor/mcp.json"]+c.files["app/deep/.vscode/mcp.json"]+c.files[".Cursor/mcp.json"], `"evil-pkg"`) &&
			!strings.HasPrefix(c.name, "case") {
			rule = "[config-parse-error]"
		}
		if c.want == ExitFindings && !strings.Contains(stdout, rule) {
			t.Errorf("%s: no %s finding:\n%s", c.name, rule, stdout)
		}
	}
}
