package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mcptether/mcptether/config"
	"go.yaml.in/yaml/v3"
)

type hook struct {
	ID, Entry, Language, Files string
	PassFilenames              bool `yaml:"pass_filenames"`
}

func loadHooks(t *testing.T) []hook {
	t.Helper()
	data, err := os.ReadFile(".pre-commit-hooks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var hooks []hook
	if err := yaml.Unmarshal(data, &hooks); err != nil {
		t.Fatal(err)
	}
	return hooks
}

// verbose strips (?x) white space and comments so RE2 can read the
// pattern pre-commit reads with Python's re; (?xi) keeps its (?i).
func verbose(p string) string {
	var b strings.Builder
	if rest, ok := strings.CutPrefix(p, "(?xi)"); ok {
		p = rest
		b.WriteString("(?i)")
	}
	p = strings.TrimPrefix(p, "(?x)")
	for _, line := range strings.Split(p, "\n") {
		if i := strings.Index(line, "#"); i >= 0 {
			line = line[:i]
		}
		b.WriteString(strings.Join(strings.Fields(line), ""))
	}
	return b.String()
}

// TestHookFilesMatchRecognisedPaths: the hooks' files pattern selects
// exactly the paths mcptether reads as configs.
func TestHookFilesMatchRecognisedPaths(t *testing.T) {
	hooks := loadHooks(t)
	if len(hooks) != 3 || hooks[0].ID != "mcptether" || hooks[1].ID != "mcptether-offline" || !strings.Contains(hooks[1].Entry, "--offline") ||
		hooks[2].ID != "mcptether-pin" || hooks[2].Entry != "mcptether pin" {
		t.Fatalf("hooks = %+v", hooks)
	}
	var paths []string
	for _, root := range []string{"testdata", "../shared/corpus/files"} {
		filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				rel, _ := filepath.Rel(root, p)
				paths = append(paths, filepath.ToSlash(rel))
			}
			return nil
		})
	}
	paths = append(paths, ".mcp.json", "a/b/.cursor/mcp.json", ".vscode/settings.json", ".claude/settings.local.json",
		".amazonq/cli-agents/dev.json", ".continue/mcpServers/x.yml", ".opencode/opencode.jsonc", ".devcontainer.json",
		".npmrc", "web/.yarnrc.yml", "pip.conf", "pip.ini", "uv.toml", "svc/pyproject.toml", "acme.code-workspace", "ws/all.code-workspace",
		"kilo.json", ".kilo/kilo.jsonc", ".kilocode/mcp.json", "crush.json", "a/.crush.json", ".qwen/settings.json", "p/.claude-plugin/mcp.json", "plugins/x/mcp.json",
		".claude-plugin/marketplace.json", ".agents/plugins/marketplace.json", "plugins/p/hooks/hooks.json", ".crushrc", "x/crushrc", ".cursor/hooks.json", "plugins/p/.codex-plugin/plugin.json",
		".vs/mcp.json", ".github/mcp.json", ".github/agents/ops.agent.md", ".claude/agents/x.md", ".warp/.mcp.json", ".agents/.mcp.json",
		".agents/mcp_config.json", ".gemini/antigravity/mcp_config.json", ".factory/mcp.json", ".kimi-code/mcp.json", ".amp/settings.json",
		".agents/skills/ui/mcp.json", ".kiro/agents/dev.json", ".continue/config.json", ".kilocode/mcp/one.json", ".kilo/mcp.json",
		// as macOS and Windows open them
		".Cursor/mcp.json", ".VSCode/MCP.json", "a/.MCP.JSON", ".Codex/Config.TOML", "Server.JSON",
		// negatives
		"mcp.jsonc", ".cursor/settings.json", "config.yaml", ".continue/other/x.yaml", ".amazonq/cli-agents/sub/x.json",
		"server.json.bak", "my.mcp.json", ".codex/other.toml", "src/main.go", ".kiro/mcp.json", "junie/mcp/mcp.json",
		"npmrc", ".yarnrc", "pip.cfg", "uv.lock", ".code-workspace.bak", "docs/agents/x.md", ".github/agents/sub/x.md", ".amp/other.json")
	for _, h := range hooks {
		if h.Language != "golang" || !h.PassFilenames || !strings.HasPrefix(h.Entry, "mcptether ") {
			t.Errorf("hook %s: %+v", h.ID, h)
		}
		re, err := regexp.Compile(verbose(h.Files))
		if err != nil {
			t.Fatalf("hook %s: %v", h.ID, err)
		}
		matched := 0
		for _, p := range paths {
			if re.MatchString(p) != config.Recognised(p) {
				t.Errorf("hook %s: files matches %s = %v, but mcptether reads it = %v", h.ID, p, re.MatchString(p), config.Recognised(p))
			}
			if re.MatchString(p) {
				matched++
			}
		}
		if matched < 40 {
			t.Errorf("hook %s matched only %d paths", h.ID, matched)
		}
	}
}

// TestPreCommitTryRepo runs Debian's pre-commit against a throwaway
// repository with this checkout as the hook source, for a clean and a
// failing config. .ci/run installs pre-commit so CI runs it.
func TestPreCommitTryRepo(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the pre-commit end-to-end test")
	}
	if _, err := exec.LookPath("pre-commit"); err != nil {
		t.Skip("pre-commit is not installed (apt-get install pre-commit); skipping its end-to-end test")
	}
	self, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	repo := t.TempDir()
	// pre-commit builds the hook in a GOPATH of its own; sharing the module
	// cache keeps it from downloading every module again.
	modcache, _ := exec.Command("go", "env", "GOMODCACHE").Output()
	env := append(os.Environ(), "PRE_COMMIT_HOME="+filepath.Join(t.TempDir(), "cache"), "GOMODCACHE="+strings.TrimSpace(string(modcache)),
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	sh := func(name string, args ...string) (string, error) {
		cmd := exec.Command(name, args...)
		cmd.Dir, cmd.Env = repo, env
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	commit := func(files map[string]string) {
		for rel, content := range files {
			p := filepath.Join(repo, rel)
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		for _, args := range [][]string{{"add", "-A"}, {"commit", "-q", "-m", "x"}} {
			if out, err := sh("git", args...); err != nil {
				t.Fatalf("git %v: %v\n%s", args, err, out)
			}
		}
	}
	if out, err := sh("git", "init", "-q"); err != nil {
		t.Fatalf("git init: %v\n%s", err, out)
	}
	commit(map[string]string{
		".mcp.json":    `{"mcpServers":{"a":{"command":"npx","args":["-y","pkg@1.0.0"]}}}`,
		"package.json": `{"name":"app","version":"1.0.0"}`,
		"README.md":    "not a config\n",
	})
	out, err := sh("pre-commit", "try-repo", self, "mcptether-offline", "--all-files")
	if err != nil || !strings.Contains(out, "Passed") {
		t.Fatalf("clean config: %v\n%s", err, out)
	}
	commit(map[string]string{".cursor/mcp.json": `{"mcpServers":{"b":{"command":"docker","args":["run","mcp/git"]}}}`})
	out, err = sh("pre-commit", "try-repo", self, "mcptether-offline", "--all-files")
	if err == nil || !strings.Contains(out, "Failed") || !strings.Contains(out, ".cursor/mcp.json:1:54: high [mutable-image]") {
		t.Fatalf("failing config: err %v\n%s", err, out)
	}
}
