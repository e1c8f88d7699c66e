package main

import (
	"os"
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
// pattern pre-commit reads with Python's re.
func verbose(p string) string {
	p = strings.TrimPrefix(p, "(?x)")
	var b strings.Builder
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
	if len(hooks) != 2 || hooks[0].ID != "mcptether" || hooks[1].ID != "mcptether-offline" || !strings.Contains(hooks[1].Entry, "--offline") {
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
		// negatives
		"mcp.json", ".cursor/settings.json", "config.yaml", ".continue/other/x.yaml", ".amazonq/cli-agents/sub/x.json",
		"server.json.bak", "my.mcp.json", ".codex/other.toml", "src/main.go", ".kiro/mcp.json", "junie/mcp/mcp.json")
	for _, h := range hooks {
		if h.Language != "golang" || !h.PassFilenames || !strings.HasPrefix(h.Entry, "mcptether scan") {
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
