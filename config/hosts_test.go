package config

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Real host configs (testdata/hosts/README.md says where each is from)
// yield exactly the servers the host starts.
func TestRealHostConfigs(t *testing.T) {
	want := map[string][]string{
		"PowerShell__PowerShell/.github/mcp.json":                   {"microsoftdocs/mcp"},
		"Azure__azure-dev/.github/mcp.json":                         {"github-agentic-workflows"},
		"OrchardCMS__OrchardCore/.github/mcp.json":                  nil,
		"github__awesome-copilot/.github/agents/context7.agent.md":  {"context7"},
		"github__awesome-copilot/.github/agents/terraform.agent.md": {"terraform"},
		"dotnet__aspire/.mcp.json":                                  {"aspire", "playwright"},
		"sourcegraph__src-cli/.amp/settings.json":                   {"s2"},
		"SocketDev__socket-sdk-js/.kimi-code/mcp.json":              {"chrome-devtools", "fff", "janus-multi", "linear", "notion", "refero"},
		"google-gemini__gemini-cli/gemini-extension.json":           {"nodeServer"},
		"continuedev__continue/.continue/mcpServers/mcpServer.yaml": {"Browser search"},
	}
	root := filepath.Join("..", "testdata", "hosts")
	res := discoverWithin(t, Options{Paths: []string{root}, Base: root})
	got := map[string][]string{}
	for _, f := range res.Files {
		if f.Err != nil {
			t.Errorf("%s: %v", f.Path, f.Err)
		}
		var names []string
		for _, s := range f.Servers {
			names = append(names, s.Name.Text)
		}
		got[f.Path] = names
	}
	for p, names := range want {
		if g, ok := got[p]; !ok || !slices.Equal(g, names) {
			t.Errorf("%s: %q (read: %v), want %q", p, g, ok, names)
		}
	}
	if len(got) != len(want) {
		t.Errorf("read %d files, want %d: %q", len(got), len(want), got)
	}
	// The VS Code key in Copilot CLI's file is named, not passed over.
	if !slices.ContainsFunc(res.Warnings, func(w string) bool {
		return strings.HasPrefix(w, "OrchardCMS__OrchardCore/.github/mcp.json:") && strings.Contains(w, `"servers" holds server-like entries`)
	}) {
		t.Errorf("warnings %q", res.Warnings)
	}
	if _, err := os.Stat(filepath.Join(root, "README.md")); err != nil {
		t.Error(err)
	}
}

// The other 2026 formats, as their docs give them.
func TestNewHostFormats(t *testing.T) {
	cases := []struct {
		path, src string
		servers   []string
	}{
		{".vs/mcp.json", `{"inputs": [], "servers": {"fs": {"type": "stdio", "command": "docker", "args": ["run", "-i", "mcp/filesystem"]}}}`, []string{"fs"}},
		{".claude/agents/ops.md", "---\nname: ops\nmcp-servers:\n  gh:\n    type: local\n    command: npx\n    args: [\"-y\", \"gh-mcp\"]\n    tools: [\"*\"]\n---\nBody with mcp-servers: in the text.\n", []string{"gh"}},
		{".github/agents/plain.md", "# no front matter\n\nmcp-servers:\n  x:\n    command: npx\n", nil},
		{".agents/mcp_config.json", `{"mcpServers": {"wiki": {"serverUrl": "https://mcp.deepwiki.com/mcp"}}}`, []string{"wiki"}},
		{".warp/.mcp.json", `{"mcp": {"servers": {"a": {"command": "npx", "args": ["a"]}}}, "mcp_servers": {"b": {"url": "https://b.example/mcp"}}}`, []string{"a", "b"}},
		{".agents/.mcp.json", `{"servers": {"c": {"command": "uvx", "args": ["c"]}}}`, []string{"c"}},
		{".factory/mcp.json", `{"mcpServers": {"f": {"type": "stdio", "command": "npx", "args": ["-y", "f"], "disabledTools": ["x"]}}}`, []string{"f"}},
		{".kimi-code/mcp.json", `{"mcpServers": {"k": {"type": "http", "url": "https://k.example/mcp"}}}`, []string{"k"}},
		{".amp/settings.json", `{"amp.mcpServers": {"a": {"command": "npx", "args": ["-y", "a"]}}, "amp.dangerouslyAllowAll": false}`, []string{"a"}},
		{".agents/skills/ui/mcp.json", `{"chrome": {"command": "npx", "args": ["-y", "chrome-devtools-mcp"], "includeTools": ["x"]}}`, []string{"chrome"}},
		{".kiro/agents/dev.json", `{"name": "dev", "mcpServers": {"git": {"command": "uvx", "args": ["mcp-server-git"]}}, "includeMcpJson": true}`, []string{"git"}},
		{".continue/mcpServers/playwright.json", `{"command": "npx", "args": ["-y", "@playwright/mcp"]}`, []string{"playwright"}},
		{".continue/mcpServers/claude.json", `{"mcpServers": {"a": {"command": "npx", "args": ["a"]}}}`, []string{"a"}},
		{".continue/config.json", `{"experimental": {"modelContextProtocolServers": [{"transport": {"type": "stdio", "command": "uvx", "args": ["mcp-server-sqlite"]}}]}}`, []string{"modelContextProtocolServers[0] (stdio)"}},
		{".kilocode/mcp/sentry.json", `{"type": "streamable-http", "url": "https://mcp.sentry.dev/mcp"}`, []string{"sentry"}},
		{".gemini/settings.json", `{"mcp": {"serverCommand": "npx -y my-mcp-server", "allowed": ["a"]}, "mcpServers": {"a": {"command": "uvx", "args": ["a"], "trust": true}}}`, []string{"a", "mcp.serverCommand"}},
	}
	for _, c := range cases {
		f := Parse(c.path, []byte(c.src))
		if f == nil && c.servers == nil {
			continue
		}
		if f == nil || f.Err != nil {
			t.Fatalf("%s: %+v", c.path, f)
		}
		var names []string
		for _, s := range f.Servers {
			names = append(names, s.Name.Text)
		}
		if !slices.Equal(names, c.servers) {
			t.Errorf("%s: %q, want %q", c.path, names, c.servers)
		}
	}
	// Front matter keeps the file's lines and columns.
	f := Parse(".claude/agents/ops.md", []byte("---\nname: ops\nmcp-servers:\n  gh:\n    command: npx\n---\n"))
	if s := f.Servers[0]; s.Name.Pos.Line != 4 || s.Name.Pos.Col != 3 || s.Command.Pos.Line != 5 || s.Command.Pos.Col != 14 {
		t.Errorf("positions: name %+v, command %+v", s.Name.Pos, s.Command.Pos)
	}
	// Claude Code's .mcp.json servers started without their prompt, and
	// VS Code's sandbox.
	f = Parse(".claude/settings.json", []byte(`{"enabledMcpjsonServers": ["github", "fs"]}`))
	if len(f.Approvals) != 2 || f.Approvals[0].Server != "github" || f.Approvals[0].Scope != "servers" {
		t.Errorf("enabledMcpjsonServers: %+v", f.Approvals)
	}
	f = Parse(".vscode/mcp.json", []byte(`{"servers": {"a": {"command": "npx", "args": ["a"], "sandboxEnabled": true, "sandbox": {"network": {"allowedDomains": ["x"]}}}}}`))
	if !f.Servers[0].Sandboxed {
		t.Errorf("sandbox: %+v", f.Servers[0])
	}
}
