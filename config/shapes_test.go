package config

import (
	"slices"
	"strings"
	"testing"
)

// Shapes other tools' fixtures and hosts' docs show, which were read
// wrong: each yields exactly the servers a host would start.
func TestHostShapes(t *testing.T) {
	cases := []struct {
		name, path, src string
		servers         []string
		warning         string
	}{
		{"goose builtin and platform run inside Goose", ".goose/config.yaml",
			"extensions:\n  developer:\n    type: builtin\n    name: developer\n  memory:\n    type: platform\n    name: memory\n  fetch:\n    type: stdio\n    cmd: uvx\n    args: [mcp-server-fetch]\n",
			[]string{"fetch"}, ""},
		{"opencode settings beside servers", "opencode.json",
			`{"mcp": {"timeout": {"ms": 5000}, "a": {"type": "local", "command": ["npx", "-y", "x"]}}}`, []string{"a"}, ""},
		{"Visual Studio's .mcp.json", ".mcp.json",
			`{"inputs": [], "servers": {"vs": {"type": "stdio", "command": "npx", "args": ["-y", "x"]}}}`, []string{"vs"}, ""},
		{"server-like entries under an unknown key", ".cursor/mcp.json",
			`{"mcp": {"servers": {"a": {"command": "npx", "args": ["-y", "x"]}}}}`, nil, `"mcp.servers" holds server-like entries`},
		{"control: no servers and nothing server-like", ".cursor/mcp.json", `{"mcpServers": {}, "other": {"a": 1}}`, nil, ""},
	}
	for _, c := range cases {
		f := Parse(c.path, []byte(c.src))
		if f == nil || f.Err != nil {
			t.Fatalf("%s: %+v", c.name, f)
		}
		var names []string
		for _, s := range f.Servers {
			names = append(names, s.Name.Text)
		}
		if !slices.Equal(names, c.servers) {
			t.Errorf("%s: servers %q, want %q", c.name, names, c.servers)
		}
		got := strings.Join(f.Warnings, "; ")
		if c.warning == "" && got != "" || c.warning != "" && !strings.Contains(got, c.warning) {
			t.Errorf("%s: warnings %q, want %q", c.name, got, c.warning)
		}
	}
}

// Gemini CLI's ${/} is the path separator in an extension's commands.
func TestGeminiPathSeparator(t *testing.T) {
	f := Parse("gemini-extension.json", []byte(`{"name": "x", "mcpServers": {"d": {"command": "${extensionPath}${/}bin${/}devops-mcp-server", "args": ["${extensionPath}${pathSeparator}x.js"]}}}`))
	s := f.Servers[0]
	if s.Command.Text != "${extensionPath}/bin/devops-mcp-server" || s.Args[0].Text != "${extensionPath}/x.js" {
		t.Errorf("command %q, args %q", s.Command.Text, s.Args[0].Text)
	}
	if _, _, ok := s.Command.TextRange(); ok {
		t.Error("an expanded value still claims to be spelt literally")
	}
}
