package config

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// at returns the 1-based line:col of the first occurrence of needle in src,
// so tests state positions by content, not by counting.
func at(t *testing.T, src, needle string) string {
	t.Helper()
	i := strings.Index(src, needle)
	if i < 0 {
		t.Fatalf("%q not in source", needle)
	}
	l := newLines([]byte(src))
	line, col := l.at(i)
	return fmt.Sprintf("%d:%d", line, col)
}

func posOf(p Pos) string { return fmt.Sprintf("%d:%d", p.Line, p.Col) }

func mustParse(t *testing.T, path, src string) *File {
	t.Helper()
	f := Parse(path, []byte(src))
	if f == nil {
		t.Fatalf("%s: not recognised", path)
	}
	if f.Err != nil {
		t.Fatalf("%s: %d:%d: %s", path, f.Err.Line, f.Err.Col, f.Err.Msg)
	}
	return f
}

func TestPositionsPointAtValues(t *testing.T) {
	src := "{\n  // comment\n  \"mcpServers\": {\n    \"gh\": {\"command\": \"npx\", \"args\": [\"-y\", \"pkg@1.0.0\"],\n      \"env\": {\"TOKEN\": \"abc\"}, \"url\": \"https://x\"},\n  },\n}\n"
	f := mustParse(t, ".mcp.json", src)
	s := f.Servers[0]
	checks := []struct{ name, got, want string }{
		{"name", posOf(s.Name.Pos), at(t, src, `"gh"`)},
		{"command", posOf(s.Command.Pos), at(t, src, `"npx"`)},
		{"arg 1", posOf(s.Args[1].Pos), at(t, src, `"pkg@1.0.0"`)},
		{"env key", posOf(s.Env[0].Key.Pos), at(t, src, `"TOKEN"`)},
		{"env value", posOf(s.Env[0].Value.Pos), at(t, src, `"abc"`)},
		{"url", posOf(s.URL.Pos), at(t, src, `"https://x"`)},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s at %s, want %s", c.name, c.got, c.want)
		}
	}
	// A sub-range of a literal string points inside it.
	sub := s.Args[1].Sub(4, 9)
	if got, want := posOf(sub), at(t, src, `1.0.0"`); got != want {
		t.Errorf("sub at %s, want %s", got, want)
	}
	if sub.EndCol-sub.Col != 5 {
		t.Errorf("sub spans %d columns, want 5", sub.EndCol-sub.Col)
	}
}

func TestColumnsCountCodePoints(t *testing.T) {
	src := "{\"mcpServers\": {\"é—x\": {\"command\": \"npx\"}}}"
	f := mustParse(t, ".mcp.json", src)
	// "é—x" is 3 code points but 6 bytes: "npx" starts at column 36, byte 39.
	if got := f.Servers[0].Command.Pos.Col; got != 36 {
		t.Errorf("command column %d, want 36", got)
	}
}

func TestBOMAndCRLF(t *testing.T) {
	src := "\xEF\xBB\xBF{\r\n  \"mcpServers\": {\r\n    \"a\": {\"command\": \"uvx\", \"args\": [\"tool\"]}\r\n  }\r\n}\r\n"
	f := mustParse(t, ".cursor/mcp.json", src)
	s := f.Servers[0]
	if s.Name.Text != "a" || s.Args[0].Text != "tool" {
		t.Fatalf("got %+v", s)
	}
	if got := posOf(s.Args[0].Pos); got != "3:38" {
		t.Errorf("arg at %s, want 3:38", got)
	}
}

func TestYAMLAndTOMLPositions(t *testing.T) {
	y := "mcpServers:\n  - name: db\n    command: npx\n    args: [\"-y\", 'pkg@2.0.0']\n"
	f := mustParse(t, ".continue/mcpServers/x.yaml", y)
	if got, want := posOf(f.Servers[0].Args[1].Pos), at(t, y, `'pkg@2.0.0'`); got != want {
		t.Errorf("yaml arg at %s, want %s", got, want)
	}
	if got, want := posOf(f.Servers[0].Name.Pos), at(t, y, "db"); got != want {
		t.Errorf("yaml name at %s, want %s", got, want)
	}
	tm := "[mcp_servers.db]\ncommand = \"npx\"\nargs = [\"-y\", \"pkg@2.0.0\"]\n[mcp_servers.db.env]\nKEY = \"v\"\n"
	f = mustParse(t, ".codex/config.toml", tm)
	s := f.Servers[0]
	if got, want := posOf(s.Args[1].Pos), at(t, tm, `"pkg@2.0.0"`); got != want {
		t.Errorf("toml arg at %s, want %s", got, want)
	}
	if len(s.Env) != 1 || s.Env[0].Value.Text != "v" {
		t.Errorf("toml env = %+v", s.Env)
	}
}

func TestParseErrorsArePositioned(t *testing.T) {
	cases := []struct {
		path, src string
		line      int
	}{
		{".mcp.json", "{\n  \"mcpServers\": {\n    \"a\": {\"command\": \"npx\" \"args\": []}\n  }\n}", 3},
		{".codex/config.toml", "[mcp_servers.a]\ncommand = \"npx\"\nargs = [\"x\"\n", 4},
		// yaml.v3 reports where the unclosed construct's context begins.
		{".goose/config.yaml", "extensions:\n  a:\n    cmd: [unclosed\n", 2},
		{".codex/config.toml", "[mcp_servers.a]\ncommand = \"x\"\ncommand = \"y\"\n", 3},
	}
	for _, c := range cases {
		f := Parse(c.path, []byte(c.src))
		if f == nil || f.Err == nil {
			t.Errorf("%s: no error for %q", c.path, c.src)
			continue
		}
		if f.Err.Line != c.line || f.Err.Msg == "" {
			t.Errorf("%s: error at line %d (%s), want line %d", c.path, f.Err.Line, f.Err.Msg, c.line)
		}
	}
}

func TestEveryFormat(t *testing.T) {
	cases := []struct {
		path, src string
		format    string
		servers   []string
	}{
		{".mcp.json", `{"mcpServers":{"a":{"command":"npx"}}}`, "claude-code", []string{"a"}},
		{"plugins/p/.mcp.json", `{"mcpServers":{"a":{"command":"npx"}}}`, "claude-code", []string{"a"}},
		{".claude-plugin/plugin.json", `{"name":"p","mcpServers":{"a":{"command":"npx"}}}`, "claude-code-plugin", []string{"a"}},
		{"claude_desktop_config.json", `{"mcpServers":{"a":{"command":"npx"}}}`, "claude-desktop", []string{"a"}},
		{".cursor/mcp.json", `{"mcpServers":{"a":{"url":"https://x"}}}`, "cursor", []string{"a"}},
		{".vscode/mcp.json", `{"servers":{"a":{"type":"stdio","command":"npx"}},"inputs":[]}`, "vscode", []string{"a"}},
		{".vscode/settings.json", `{"mcp":{"servers":{"a":{"command":"npx"}}}}`, "vscode-settings", []string{"a"}},
		{".devcontainer/devcontainer.json", `{"customizations":{"vscode":{"mcp":{"servers":{"a":{"command":"npx"}}}}}}`, "devcontainer", []string{"a"}},
		{".windsurf/mcp_config.json", `{"mcpServers":{"a":{"serverUrl":"https://x"}}}`, "windsurf", []string{"a"}},
		{"mcp_config.json", `{"mcpServers":{"a":{"serverUrl":"https://x"}}}`, "windsurf", []string{"a"}},
		{"cline_mcp_settings.json", `{"mcpServers":{"a":{"command":"npx","autoApprove":["x"]}}}`, "cline", []string{"a"}},
		{".roo/mcp.json", `{"mcpServers":{"a":{"type":"streamable-http","url":"https://x"}}}`, "roo", []string{"a"}},
		{".kiro/settings/mcp.json", `{"mcpServers":{"a":{"command":"uvx"}}}`, "kiro", []string{"a"}},
		{".amazonq/mcp.json", `{"mcpServers":{"a":{"command":"uvx"}}}`, "amazonq", []string{"a"}},
		{".amazonq/default.json", `{"mcpServers":{"a":{"command":"uvx"}}}`, "amazonq", []string{"a"}},
		{".amazonq/cli-agents/dev.json", `{"mcpServers":{"a":{"command":"uvx"}}}`, "amazonq", []string{"a"}},
		{".gemini/settings.json", `{"mcpServers":{"a":{"httpUrl":"https://x","trust":true}}}`, "gemini-cli", []string{"a"}},
		{"gemini-extension.json", `{"name":"e","mcpServers":{"a":{"command":"node"}}}`, "gemini-extension", []string{"a"}},
		{".codex/config.toml", "[mcp_servers.a]\ncommand = \"npx\"\n", "codex", []string{"a"}},
		{".zed/settings.json", `{"context_servers":{"a":{"command":{"path":"npx","args":["x"]}}}}`, "zed", []string{"a"}},
		{"opencode.json", `{"mcp":{"a":{"type":"local","command":["npx","x"]}}}`, "opencode", []string{"a"}},
		{".opencode/opencode.jsonc", `{"mcp":{"servers":{"a":{"type":"remote","url":"https://x"}}}}`, "opencode", []string{"a"}},
		{".continue/mcpServers/a.yaml", "mcpServers:\n  - name: a\n    command: npx\n", "continue", []string{"a"}},
		{".continue/mcpServers/a.json", `{"mcpServers":{"a":{"command":"npx"}}}`, "continue", []string{"a"}},
		{".continue/config.yaml", "mcpServers:\n  - name: a\n    command: npx\n", "continue", []string{"a"}},
		{".junie/mcp/mcp.json", `{"mcpServers":{"a":{"command":"npx"}}}`, "junie", []string{"a"}},
		{".trae/mcp.json", `{"mcpServers":{"a":{"command":"npx"}}}`, "trae", []string{"a"}},
		{".goose/config.yaml", "extensions:\n  a:\n    type: stdio\n    cmd: npx\n", "goose", []string{"a"}},
		{"librechat.yaml", "mcpServers:\n  a:\n    command: npx\n", "librechat", []string{"a"}},
		{"server.json", `{"name":"io.github.o/a","packages":[{"registryType":"npm","identifier":"a","version":"1.0.0"}]}`, "mcp-registry", []string{"io.github.o/a"}},
		{"server.json", `{"name":"io.github.o/a","packages":[{"registry_name":"npm","name":"a","version":"1.0.0"}]}`, "mcp-registry", []string{"io.github.o/a"}},
		{"manifest.json", `{"manifest_version":"0.2","name":"a","server":{"type":"node","mcp_config":{"command":"node"}}}`, "mcpb", []string{"a"}},
		{"srv/smithery.yaml", "startCommand:\n  type: stdio\n  commandFunction: |-\n    (c) => ({command: 'npx', args: ['x']})\n", "smithery", []string{"srv"}},
		{"package.json", `{"name":"a","version":"1.0.0","mcpName":"io.github.o/a"}`, "package-json", []string{"io.github.o/a"}},
	}
	for _, c := range cases {
		f := mustParse(t, c.path, c.src)
		var names []string
		for _, s := range f.Servers {
			names = append(names, s.Name.Text)
		}
		if f.Format != c.format || !slices.Equal(names, c.servers) {
			t.Errorf("%s: format %s servers %q, want %s %q", c.path, f.Format, names, c.format, c.servers)
		}
	}
}

func TestDialectFields(t *testing.T) {
	f := mustParse(t, "opencode.json", `{"mcp":{"a":{"type":"local","command":["npx","-y","pkg"],"environment":{"K":"v"},"enabled":false}}}`)
	s := f.Servers[0]
	if s.Command.Text != "npx" || len(s.Args) != 2 || s.Args[1].Text != "pkg" || s.Env[0].Key.Text != "K" || !s.Disabled || s.Transport != "stdio" {
		t.Errorf("opencode entry = %+v", s)
	}
	f = mustParse(t, ".gemini/settings.json", `{"mcpServers":{"a":{"httpUrl":"https://x","headers":{"H":"v"},"trust":true}}}`)
	s = f.Servers[0]
	if s.Transport != "http" || s.URL.Text != "https://x" || len(s.Headers) != 1 || len(s.Approvals) != 1 || !s.Approvals[0].All {
		t.Errorf("gemini entry = %+v", s)
	}
	f = mustParse(t, ".codex/config.toml", "[mcp_servers.a]\nurl = \"https://x\"\nhttp_headers = { X = \"y\" }\n[mcp_servers.a.tools.delete]\napproval_mode = \"approve\"\n")
	s = f.Servers[0]
	if len(s.Headers) != 1 || len(s.Approvals) != 1 || s.Approvals[0].Tools[0].Text != "delete" {
		t.Errorf("codex entry = %+v", s)
	}
	f = mustParse(t, "cline_mcp_settings.json", `{"mcpServers":{"a":{"transportType":"sse","url":"https://x","disabled":true,"autoApprove":["*"]}}}`)
	s = f.Servers[0]
	if s.Transport != "sse" || !s.Disabled || !s.Approvals[0].All {
		t.Errorf("cline entry = %+v", s)
	}
	f = mustParse(t, ".claude/settings.json", `{"enableAllProjectMcpServers":true,"permissions":{"allow":["Bash(ls)","mcp__gh__create_issue"]}}`)
	if len(f.Approvals) != 2 || !f.Approvals[0].All || f.Approvals[1].Server != "gh" || f.Approvals[1].Tools[0].Text != "create_issue" {
		t.Errorf("claude settings approvals = %+v", f.Approvals)
	}
	f = mustParse(t, "server.json", `{"name":"n","repository":{"url":"https://github.com/o/r"},"packages":[{"registryType":"oci","identifier":"ghcr.io/o/r:1","runtimeArguments":[{"type":"named","name":"-e","value":"A=b"},{"type":"named","name":"--rm","value":"true","format":"boolean"}]}],"remotes":[{"type":"sse","url":"https://r","headers":[{"name":"Authorization","value":"x"}]}]}`)
	s = f.Servers[0]
	if s.Repository.Text != "https://github.com/o/r" || len(s.Packages[0].RuntimeArgs) != 3 || s.Remotes[0].URL.Text != "https://r" || s.Remotes[0].Headers[0].Key.Text != "Authorization" {
		t.Errorf("registry entry = %+v", s)
	}
}

func TestDecoysYieldNothing(t *testing.T) {
	decoys := map[string]string{
		"server.json":           `{"posts":[{"id":1}],"packages":{"count":2}}`,
		"manifest.json":         `{"name":"App","start_url":"/"}`,
		"package.json":          `{"name":"web","version":"1.0.0"}`,
		"mcp_config.json":       `{"retries":3}`,
		".vscode/settings.json": `{"editor.tabSize":2}`,
		"devcontainer.json":     `{"image":"debian"}`,
		// Broken generic files that never mention MCP are not reported.
		"tools/server.json":  `{"packages": [`,
		"other/package.json": "{\x00\x01",
	}
	for p, src := range decoys {
		if f := Parse(p, []byte(src)); f != nil {
			t.Errorf("%s: got %+v, want nothing", p, f)
		}
	}
	for _, p := range []string{"config.json", "mcp.json", "settings.json", "notes/mcp.json", "config.toml"} {
		if f := Parse(p, []byte(`{"mcpServers":{"a":{"command":"npx"}}}`)); f != nil {
			t.Errorf("%s is not a config path but was read", p)
		}
	}
}

func TestBadInputIsReportedNotFatal(t *testing.T) {
	deep := strings.Repeat("[", 100000)
	cases := map[string]string{
		".mcp.json":                  deep,
		".codex/config.toml":         "a = " + deep,
		".goose/config.yaml":         strings.Repeat("- ", 20000) + "x",
		"claude_desktop_config.json": "{\"mcpServers\":\x00}",
		".cursor/mcp.json":           "[1, 2]",
	}
	for p, src := range cases {
		f := Parse(p, []byte(src))
		if f == nil || f.Err == nil {
			t.Errorf("%s: no error reported", p)
		}
	}
	if f := Parse(".mcp.json", []byte("")); f == nil || f.Err != nil || len(f.Servers) != 0 {
		t.Errorf("empty file: %+v", f)
	}
}

func write(t *testing.T, root, rel, content string) {
	t.Helper()
	p := filepath.Join(root, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func paths(res *Result) []string {
	var out []string
	for _, f := range res.Files {
		out = append(out, f.Path)
	}
	return out
}

const entry = `{"mcpServers":{"a":{"command":"npx","args":["x"]}}}`

// Outside a git work tree, .gitignore files are honoured as git would.
func TestDiscoverSkipsAndIgnores(t *testing.T) {
	root := t.TempDir()
	write(t, root, ".mcp.json", entry)
	write(t, root, "node_modules/pkg/.mcp.json", entry)
	write(t, root, "vendor/.mcp.json", entry)
	write(t, root, ".venv/.mcp.json", entry)
	write(t, root, "build/.mcp.json", entry)
	write(t, root, "sub/.cursor/mcp.json", entry)
	write(t, root, "sub/.gitignore", "*.local\n.cursor/\n")
	write(t, root, "keep/.mcp.json", entry)
	write(t, root, ".gitignore", "build/\n# comment\n")

	res, err := Discover(Options{Paths: []string{root}, Base: root})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := paths(res), []string{".mcp.json", "keep/.mcp.json"}; !slices.Equal(got, want) {
		t.Errorf("found %q, want %q", got, want)
	}
	res, err = Discover(Options{Paths: []string{root}, Base: root, NoIgnore: true})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := paths(res), []string{".mcp.json", "build/.mcp.json", "keep/.mcp.json", "sub/.cursor/mcp.json"}; !slices.Equal(got, want) {
		t.Errorf("--no-ignore found %q, want %q", got, want)
	}
	// A file named explicitly is read even when ignored.
	res, err = Discover(Options{Paths: []string{filepath.Join(root, "build", ".mcp.json")}, Base: root})
	if err != nil || len(res.Files) != 1 {
		t.Errorf("explicit file: %v %q", err, paths(res))
	}
}

func TestDiscoverSymlinks(t *testing.T) {
	root := t.TempDir()
	outside := t.TempDir()
	write(t, outside, "secret.json", entry)
	write(t, root, "shared/mcp-config.json", entry)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.Symlink(filepath.Join(root, "shared/mcp-config.json"), filepath.Join(root, ".mcp.json")))
	must(os.MkdirAll(filepath.Join(root, ".cursor"), 0o755))
	must(os.Symlink(filepath.Join(outside, "secret.json"), filepath.Join(root, ".cursor/mcp.json")))
	must(os.MkdirAll(filepath.Join(root, "loop"), 0o755))
	must(os.Symlink(filepath.Join(root, "loop"), filepath.Join(root, "loop/again")))
	must(os.MkdirAll(filepath.Join(root, ".roo"), 0o755))
	must(os.Symlink("mcp.json", filepath.Join(root, ".roo/mcp.json"))) // points at itself

	res, err := Discover(Options{Paths: []string{root}, Base: root})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range res.Files {
		msg := ""
		if f.Err != nil {
			msg = f.Err.Msg
		}
		got[f.Path] = msg
	}
	if msg, ok := got[".mcp.json"]; !ok || msg != "" {
		t.Errorf("link inside the tree not read: %q", got)
	}
	// A host follows the link; mcptether does not, and says the config
	// was not judged.
	if msg := got[".cursor/mcp.json"]; !strings.Contains(msg, "outside the scanned tree") {
		t.Errorf("link out of the tree: %q, want a not-judged error", msg)
	}
	if msg := got[".roo/mcp.json"]; !strings.Contains(msg, "cannot read") {
		t.Errorf("self link: %q, want a read error", msg)
	}
}

func TestDiscoverLargeAndBinaryFiles(t *testing.T) {
	root := t.TempDir()
	write(t, root, ".mcp.json", "{"+strings.Repeat(" ", MaxFileSize)+"}")
	write(t, root, ".cursor/mcp.json", "\x00\x01\x02")
	write(t, root, "server.json", "\x00\x01\x02") // generic name: silent
	write(t, root, ".roo/mcp.json", entry)
	res, err := Discover(Options{Paths: []string{root}, Base: root})
	if err != nil {
		t.Fatal(err)
	}
	errs := map[string]string{}
	for _, f := range res.Files {
		if f.Err != nil {
			errs[f.Path] = f.Err.Msg
		}
	}
	if !strings.Contains(errs[".mcp.json"], "limit") || !strings.Contains(errs[".cursor/mcp.json"], "binary") || len(errs) != 2 {
		t.Errorf("errors = %q", errs)
	}
	if len(res.Files) != 3 {
		t.Errorf("files = %q, want the two errors and .roo/mcp.json", paths(res))
	}
}

func TestDiscoverMissingPath(t *testing.T) {
	root := t.TempDir()
	write(t, root, ".mcp.json", entry)
	res, err := Discover(Options{Paths: []string{filepath.Join(root, "nope"), root}, Base: root})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) != 1 || !strings.Contains(res.Errors[0], "cannot scan") || !strings.Contains(res.Errors[0], "no such file") {
		t.Errorf("errors = %q", res.Errors)
	}
	if got := paths(res); !slices.Equal(got, []string{".mcp.json"}) {
		t.Errorf("the other path was not scanned: %q", got)
	}
}

func TestCommentPrefixAndManifest(t *testing.T) {
	for _, c := range []struct{ file, format, want string }{
		{".codex/config.toml", "codex", "#"}, {"librechat.yaml", "librechat", "#"}, {".vscode/mcp.json", "vscode", "//"},
		{".zed/settings.json", "zed", "//"}, {".mcp.json", "claude-code", ""}, {"claude_desktop_config.json", "claude-desktop", ""},
	} {
		if got := CommentPrefix(c.file, c.format); got != c.want {
			t.Errorf("CommentPrefix(%s) = %q, want %q", c.file, got, c.want)
		}
	}
	manifest := mustParse(t, "server.json", `{"name":"n","packages":[{"registryType":"npm","identifier":"a","version":"1.0.0"}]}`)
	host := mustParse(t, ".mcp.json", `{"mcpServers":{"a":{"command":"npx"}}}`)
	if !manifest.Servers[0].Manifest || host.Servers[0].Manifest {
		t.Error("Manifest flag")
	}
}

// The standard Smithery template: a |- block whose args span lines. The
// block's text has lost the file's indentation; positions are the file's.
func TestSmitheryMultiLineCommandFunction(t *testing.T) {
	src := "startCommand:\n  type: stdio\n  configSchema:\n    type: object\n  commandFunction: |-\n    (config) => ({\n      command: 'npx',\n      args: [\n        '-y',\n        'some-server'\n      ],\n      env: { API_KEY: config.apiKey, MODE: \"fast\" }\n    })\n"
	f := mustParse(t, "srv/smithery.yaml", src)
	s := f.Servers[0]
	if s.Command.Text != "npx" || len(s.Args) != 2 || s.Args[1].Text != "some-server" {
		t.Fatalf("command %q args %+v", s.Command.Text, s.Args)
	}
	if got, want := posOf(s.Args[1].Pos), at(t, src, "'some-server'"); got != want {
		t.Errorf("some-server at %s, want %s", got, want)
	}
	if got, want := posOf(s.Command.Pos), at(t, src, "'npx'"); got != want {
		t.Errorf("npx at %s, want %s", got, want)
	}
	if len(s.Env) != 1 || s.Env[0].Key.Text != "MODE" || s.Env[0].Value.Text != "fast" {
		t.Errorf("env = %+v", s.Env)
	}
	if !strings.Contains(s.Code.Text, "some-server") {
		t.Errorf("code = %q", s.Code.Text)
	}
}

func TestNewerHosts(t *testing.T) {
	// A root mcp.json counts only with the Agent Plugins shape.
	if f := Parse("plugins/x/mcp.json", []byte(`{"mcpServers":{"a":{"type":"stdio","command":"npx","args":["-y","p@1.0.0"]}}}`)); f == nil || len(f.Servers) != 1 {
		t.Errorf("agent plugins mcp.json: %+v", f)
	}
	if f := Parse("plugins/x/mcp.json", []byte(`{"$schema":"https://agentplugins.dev/schema/mcp.json","mcpServers":{"a":{"command":"uvx","args":["t"]}}}`)); f == nil || len(f.Servers) != 1 {
		t.Errorf("agent plugins by $schema: %+v", f)
	}
	for _, src := range []string{`{"version":"1.20.1","mods":["a"]}`, `{"mcpServers":{"a":{"command":"java"}}}`} {
		if f := Parse("server/mcp.json", []byte(src)); f != nil {
			t.Errorf("%s read as Agent Plugins: %+v", src, f)
		}
	}
	// Crush: servers by type, and MCP tools pre-approved as mcp_<server>_<tool>.
	f := mustParse(t, "crush.json", `{"mcp":{"mem":{"type":"stdio","command":"uvx","args":["basic-memory"]},"web":{"type":"http","url":"https://x/mcp"}},
		"permissions":{"allowed_tools":["view","mcp_mem_read_note","mcp_web"]}}`)
	if len(f.Servers) != 2 || len(f.Approvals) != 2 || f.Approvals[0].Server != "mem" || f.Approvals[0].Tools[0].Text != "read_note" || !f.Approvals[1].All {
		t.Errorf("crush = %+v / %+v", f.Servers, f.Approvals)
	}
	// Kilo: opencode-style mcp with a command array; the legacy file too.
	if f := mustParse(t, ".kilo/kilo.jsonc", `{"mcp":{"a":{"type":"local","command":["npx","-y","p@1.0.0"]}}} // c`); len(f.Servers) != 1 {
		t.Errorf("kilo = %+v", f.Servers)
	}
	if f := mustParse(t, ".qwen/settings.json", `{"mcpServers":{"a":{"command":"npx","args":["p"],"trust":true}}}`); len(f.Servers) != 1 || len(f.Servers[0].Approvals) != 1 {
		t.Errorf("qwen = %+v", f.Servers)
	}
}

func TestCrushrc(t *testing.T) {
	src := "# servers\nexport FOO=1\nmcp add docs --type http --url https://docs.example/mcp --header 'Authorization: Bearer ${DOCS_TOKEN}' --timeout 20\nmcp add fs --type stdio --env ROOT=/tmp -- npx -y @acme/fs@1.0.0 /srv\necho done\n"
	f := mustParse(t, ".crushrc", src)
	if len(f.Servers) != 2 {
		t.Fatalf("servers = %+v", f.Servers)
	}
	docs, fs := f.Servers[0], f.Servers[1]
	if docs.Name.Text != "docs" || docs.URL.Text != "https://docs.example/mcp" || len(docs.Headers) != 1 || docs.Headers[0].Value.Text != "Bearer ${DOCS_TOKEN}" {
		t.Errorf("docs = %+v", docs)
	}
	if got, want := posOf(docs.URL.Pos), at(t, src, "https://docs.example"); got != want {
		t.Errorf("url at %s, want %s", got, want)
	}
	if fs.Command.Text != "npx" || len(fs.Args) != 3 || fs.Args[1].Text != "@acme/fs@1.0.0" || len(fs.Env) != 1 || fs.Env[0].Value.Text != "/tmp" {
		t.Errorf("fs = %+v", fs)
	}
	if f := Parse(".crushrc", []byte("mcp add 'unclosed\n")); f == nil || f.Err == nil {
		t.Errorf("a broken script is a parse error: %+v", f)
	}
}

// A plugin.json whose mcpServers names a file: that file is read as the
// plugin's MCP config, inside the tree only.
func TestPluginManifestPointsToConfig(t *testing.T) {
	root := t.TempDir()
	write(t, root, "plugins/db/.claude-plugin/plugin.json", `{"name": "db", "mcpServers": "./servers.json"}`)
	write(t, root, "plugins/db/servers.json", `{"mcpServers": {"pg": {"command": "npx", "args": ["-y", "pg-mcp@1.0.0"]}}}`)
	write(t, root, "plugins/out/.claude-plugin/plugin.json", `{"name": "out", "mcpServers": "../../../outside.json"}`)
	write(t, root, "plugins/web/.claude-plugin/plugin.json", `{"name": "web", "mcpServers": "https://example.com/mcp.json"}`)
	res, err := Discover(Options{Paths: []string{root}, Base: root})
	if err != nil {
		t.Fatal(err)
	}
	var servers []string
	for _, f := range res.Files {
		for _, s := range f.Servers {
			servers = append(servers, f.Path+":"+s.Name.Text)
		}
	}
	if !slices.Equal(servers, []string{"plugins/db/servers.json:pg"}) {
		t.Errorf("servers = %q", servers)
	}
}
