package config

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/mcptether/mcptether/internal/gittest"
)

func needGit(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
}

// A pull request commits configs that .gitignore lists, at three depths:
// a host loads every committed file, so each is judged. Untracked files
// stay pruned by the ignore rules.
func TestTrackedFilesAreScannedWhateverGitignoreSays(t *testing.T) {
	needGit(t)
	root := t.TempDir()
	git := gittest.Runner(t, root)
	git("init", "-q")
	write(t, root, ".gitignore", ".cursor/\n.mcp.json\nbuild/\n")
	write(t, root, ".cursor/mcp.json", entry)          // ignored folder
	write(t, root, ".mcp.json", entry)                 // ignored by name
	write(t, root, "app/.gitignore", "*\n")            // nested: everything
	write(t, root, "app/deep/.vscode/mcp.json", entry) // …at depth
	write(t, root, "node_modules/x/.mcp.json", entry)  // tracked, in a skipped folder
	git("add", "-f", ".")
	git("commit", "-qm", "configs")
	write(t, root, "build/.mcp.json", entry)          // untracked, ignored
	write(t, root, "new/.roo/mcp.json", entry)        // untracked, not ignored
	write(t, root, "node_modules/y/.mcp.json", entry) // untracked in node_modules

	res := discoverWithin(t, Options{Paths: []string{root}, Base: root})
	want := []string{".cursor/mcp.json", ".mcp.json", "app/deep/.vscode/mcp.json", "new/.roo/mcp.json", "node_modules/x/.mcp.json"}
	if got := sorted(paths(res)); !slices.Equal(got, want) {
		t.Errorf("found %q, want %q", got, want)
	}
	if len(res.Warnings) != 0 {
		t.Errorf("warnings %q", res.Warnings)
	}
	// A sub-folder: its tracked files still count, the repository's
	// ignore rules still prune its untracked ones.
	write(t, root, "app/deep/.roo/mcp.json", entry)
	res = discoverWithin(t, Options{Paths: []string{filepath.Join(root, "app")}, Base: root})
	if got := paths(res); !slices.Equal(got, []string{"app/deep/.vscode/mcp.json"}) {
		t.Errorf("sub-folder: %q", got)
	}
	// --no-ignore: untracked ignored files too.
	res = discoverWithin(t, Options{Paths: []string{root}, Base: root, NoIgnore: true})
	if got := paths(res); !slices.Contains(got, "build/.mcp.json") || !slices.Contains(got, "app/deep/.roo/mcp.json") {
		t.Errorf("--no-ignore: %q", got)
	}
}

// Control: outside git the same tree is walked and .gitignore honoured.
func TestGitignoreOutsideGit(t *testing.T) {
	root := t.TempDir()
	write(t, root, ".gitignore", ".cursor/\n")
	write(t, root, ".cursor/mcp.json", entry)
	write(t, root, ".roo/mcp.json", entry)
	res := discoverWithin(t, Options{Paths: []string{root}, Base: root})
	if got := paths(res); !slices.Equal(got, []string{".roo/mcp.json"}) {
		t.Errorf("found %q", got)
	}
}

// On macOS and Windows ".Cursor/mcp.json" is Cursor's config.
func TestPathsMatchCaseInsensitively(t *testing.T) {
	for _, inGit := range []bool{false, true} {
		root := t.TempDir()
		if inGit {
			needGit(t)
			gittest.Runner(t, root)("init", "-q")
		}
		write(t, root, ".Cursor/mcp.json", entry)
		write(t, root, ".VSCode/MCP.json", `{"servers":{"a":{"command":"npx","args":["x"]}}}`)
		write(t, root, "a/.MCP.JSON", entry)
		write(t, root, ".Codex/Config.TOML", "[mcp_servers.a]\ncommand = \"npx\"\n")
		write(t, root, "notes/MCP-notes.json", entry) // control: not a config name
		res := discoverWithin(t, Options{Paths: []string{root}, Base: root})
		want := []string{".Codex/Config.TOML", ".Cursor/mcp.json", ".VSCode/MCP.json", "a/.MCP.JSON"}
		if got := sorted(paths(res)); !slices.Equal(got, want) {
			t.Errorf("git %v: found %q, want %q", inGit, got, want)
		}
		for _, f := range res.Files {
			if f.Err != nil || len(f.Servers) != 1 {
				t.Errorf("%s: %+v", f.Path, f)
			}
		}
	}
	if f := Parse(".Codex/Config.TOML", []byte("[mcp_servers.a]\ncommand = \"npx\"\n")); f == nil || f.Format != "codex" || f.Err != nil {
		t.Errorf("Parse: %+v", f)
	}
}

// A committed .git/config (a scanned archive's) may name a program git
// runs as its file system monitor; listing the index must not run it.
func TestGitListRunsNoConfiguredProgram(t *testing.T) {
	needGit(t)
	if runtime.GOOS == "windows" {
		t.Skip("sh")
	}
	root := t.TempDir()
	git := gittest.Runner(t, root)
	git("init", "-q")
	write(t, root, ".mcp.json", entry)
	git("add", ".")
	pwned := filepath.Join(t.TempDir(), "PWNED")
	git("config", "core.fsmonitor", "touch "+pwned+"; echo")
	res := discoverWithin(t, Options{Paths: []string{root}, Base: root})
	if _, err := os.Stat(pwned); err == nil {
		t.Fatal("git ran the configured fsmonitor")
	}
	if got := paths(res); !slices.Equal(got, []string{".mcp.json"}) {
		t.Errorf("found %q", got)
	}
}

// When git cannot list (a broken .git), every file is judged and a
// warning says so: failing closed, not back to .gitignore.
func TestGitFailureScansEverything(t *testing.T) {
	needGit(t)
	root := t.TempDir()
	write(t, root, ".git/HEAD", "garbage\n")
	write(t, root, ".gitignore", ".cursor/\n")
	write(t, root, ".cursor/mcp.json", entry)
	write(t, root, ".git/.mcp.json", entry)
	res := discoverWithin(t, Options{Paths: []string{root}, Base: root})
	if got := paths(res); !slices.Equal(got, []string{".cursor/mcp.json"}) {
		t.Errorf("found %q", got)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "git cannot list the files") {
		t.Errorf("warnings %q", res.Warnings)
	}
}

// A committed link to a folder is followed as a host follows it, inside
// the tree; nested repositories (submodules, untracked clones) are
// listed by their own index.
func TestLinkedFoldersAndNestedRepositories(t *testing.T) {
	needGit(t)
	if runtime.GOOS == "windows" {
		t.Skip("symlinks")
	}
	root, outside := t.TempDir(), t.TempDir()
	git := gittest.Runner(t, root)
	git("init", "-q")
	write(t, root, "conf/cursor/mcp.json", entry)
	if err := os.Symlink("conf/cursor", filepath.Join(root, ".cursor")); err != nil {
		t.Fatal(err)
	}
	write(t, outside, "mcp.json", entry)
	if err := os.Symlink(outside, filepath.Join(root, ".roo")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(".", filepath.Join(root, "loop")); err != nil {
		t.Fatal(err)
	}
	git("add", ".")
	nested := filepath.Join(root, "clone")
	write(t, nested, ".kiro/settings/mcp.json", entry)
	write(t, root, ".gitignore", "")
	ng := gittest.Runner(t, nested)
	ng("init", "-q")
	ng("add", ".")

	res := discoverWithin(t, Options{Paths: []string{root}, Base: root})
	got := map[string]string{}
	for _, f := range res.Files {
		got[f.Path] = ""
		if f.Err != nil {
			got[f.Path] = f.Err.Reason
		}
	}
	want := map[string]string{".cursor/mcp.json": "", ".roo": ReasonOutside, "clone/.kiro/settings/mcp.json": ""}
	for p, reason := range want {
		if r, ok := got[p]; !ok || r != reason {
			t.Errorf("%s: %q (found %q)", p, r, got)
		}
	}
}

// A plugin manifest that names its MCP config: a target that is gone,
// outside the tree or unreadable is a finding, not a silent drop.
func TestNamedConfigThatCannotBeRead(t *testing.T) {
	root := t.TempDir()
	manifest := func(dir, target string) {
		write(t, root, dir+"/.claude-plugin/plugin.json", `{"name":"p","mcpServers":`+target+`}`)
	}
	manifest("gone", `"./servers.json"`)
	manifest("out", `"../../../../etc/mcp.json"`)
	manifest("abs", `"/etc/mcp.json"`)
	manifest("dev", `"./dev.json"`)
	manifest("ok", `["./a.json", "${CLAUDE_PLUGIN_ROOT}/b.json"]`)
	write(t, root, "ok/a.json", entry)
	write(t, root, "ok/b.json", entry)
	if runtime.GOOS != "windows" {
		if err := os.Symlink("/dev/zero", filepath.Join(root, "dev/dev.json")); err != nil {
			t.Fatal(err)
		}
	}
	res := discoverWithin(t, Options{Paths: []string{root}, Base: root})
	reasons := map[string][]string{}
	servers := 0
	for _, f := range res.Files {
		for _, u := range f.Unjudged {
			reasons[f.Path] = append(reasons[f.Path], u.Reason)
			if u.Line != 1 || u.Col < 20 {
				t.Errorf("%s: unjudged at %d:%d, want the mcpServers value", f.Path, u.Line, u.Col)
			}
		}
		servers += len(f.Servers)
	}
	want := map[string][]string{
		"gone/.claude-plugin/plugin.json": {ReasonMissing},
		"out/.claude-plugin/plugin.json":  {ReasonOutside},
		"abs/.claude-plugin/plugin.json":  {ReasonOutside},
	}
	if runtime.GOOS != "windows" {
		want["dev/.claude-plugin/plugin.json"] = []string{ReasonOutside}
	}
	for p, w := range want {
		if !slices.Equal(reasons[p], w) {
			t.Errorf("%s: %q, want %q", p, reasons[p], w)
		}
	}
	if len(reasons) != len(want) || servers != 2 {
		t.Errorf("reasons %q, %d servers; the control plugin's two configs must be read", reasons, servers)
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// An ignore is the same ignore in two versions of a file when it names
// the same rule for the same entry, wherever it stands and whatever its
// reason says.
func TestApproveIgnores(t *testing.T) {
	base := Parse(".cursor/mcp.json", []byte(`{"mcpServers": {
  // mcptether:ignore unpinned-package -- reviewed
  "a": {"command": "npx", "args": ["x"]},
  "b": {"command": "npx", "args": ["y"]} // mcptether:ignore mutable-image -- ok
}}`))
	cases := []struct {
		name, src string
		approved  []bool
	}{
		{"moved and reworded", "{\n\n\"mcpServers\": {\n  // mcptether:ignore unpinned-package -- other words\n  \"a\": {\"command\": \"npx\", \"args\": [\"x\"]},\n  \"b\": {\"command\": \"npx\", \"args\": [\"y\"]}\n}}", []bool{true}},
		{"same line, inside the entry", "{\"mcpServers\": {\n  \"a\": {\"command\": \"npx\", \"args\": [\"x\"]},\n  \"b\": {\"command\": \"npx\",\n    \"args\": [\"y\"]} // mcptether:ignore mutable-image -- ok\n}}", []bool{true}},
		{"another entry", "{\"mcpServers\": {\n  \"a\": {\"command\": \"npx\", \"args\": [\"x\"]},\n  // mcptether:ignore unpinned-package -- reviewed\n  \"b\": {\"command\": \"npx\", \"args\": [\"y\"]}\n}}", []bool{false}},
		{"another rule", "{\"mcpServers\": {\n  // mcptether:ignore hardcoded-secret -- reviewed\n  \"a\": {\"command\": \"npx\", \"args\": [\"x\"]}\n}}", []bool{false}},
		{"a new entry below an approved one", "{\"mcpServers\": {\n  // mcptether:ignore unpinned-package -- reviewed\n  \"a\": {\"command\": \"npx\", \"args\": [\"x\"]},\n  // mcptether:ignore unpinned-package -- reviewed\n  \"evil\": {\"command\": \"npx\", \"args\": [\"e\"]}\n}}", []bool{true, false}},
	}
	for _, c := range cases {
		f := Parse(".cursor/mcp.json", []byte(c.src))
		f.Approve(base)
		var got []bool
		for _, ig := range f.Ignores {
			got = append(got, !ig.Unapproved)
		}
		if !slices.Equal(got, c.approved) {
			t.Errorf("%s: approved %v, want %v (%+v)", c.name, got, c.approved, f.Ignores)
		}
		if _, ok := f.IgnoreAt(f.Ignores[len(f.Ignores)-1].Rule, f.Ignores[len(f.Ignores)-1].Line+1); ok != c.approved[len(c.approved)-1] {
			t.Errorf("%s: IgnoreAt honours an unapproved ignore", c.name)
		}
	}
	// A file the base does not have: nothing in it is approved.
	f := Parse(".cursor/mcp.json", []byte("{\"mcpServers\": {\n  // mcptether:ignore unpinned-package -- reviewed\n  \"a\": {\"command\": \"npx\"}\n}}"))
	f.Approve(nil)
	if !f.Ignores[0].Unapproved {
		t.Error("an ignore in a new file was approved")
	}
	if r := f.Reparse([]byte(`{"mcpServers": {"z": {"command": "npx"}}}`)); r == nil || r.Servers[0].Name.Text != "z" {
		t.Errorf("Reparse: %+v", r)
	}
}
