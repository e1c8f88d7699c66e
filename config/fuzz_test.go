package config

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fuzzPaths picks the format and syntax under test; the fuzzer varies the
// index with the content.
var fuzzPaths = []string{
	".mcp.json", ".vscode/mcp.json", ".zed/settings.json", "opencode.json", "server.json", "manifest.json",
	"package.json", ".claude/settings.json", ".codex/config.toml", ".continue/mcpServers/x.yaml",
	".goose/config.yaml", "librechat.yaml", "srv/smithery.yaml", ".gemini/settings.json",
	".npmrc", "pip.conf", "uv.toml", "pyproject.toml", "web/.yarnrc.yml",
	".crushrc", ".claude-plugin/marketplace.json", "kilo.jsonc", "crush.json", "plugins/p/mcp.json", ".claude/settings.local.json",
	// The 2026 formats, appended so the seeds' indexes above stay.
	".github/agents/x.agent.md", ".amp/settings.json", ".warp/.mcp.json", ".continue/mcpServers/x.json", ".continue/config.json",
	".vs/mcp.json", ".kilocode/mcp/x.json", ".agents/skills/s/mcp.json", ".gemini/settings.json",
}

// FuzzParse: no input makes a reader panic, and every position it reports
// lies inside the input.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("../testdata/example/*")
	more, _ := filepath.Glob("../testdata/example/.*/*")
	deeper, _ := filepath.Glob("../testdata/example/*/*/*")
	for _, p := range append(append(seeds, more...), deeper...) {
		data, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		for i, fp := range fuzzPaths {
			if filepath.Ext(fp) == filepath.Ext(p) || (strings.HasSuffix(p, ".jsonc") && filepath.Ext(fp) == ".json") {
				f.Add(uint8(i), data)
			}
		}
	}
	f.Add(uint8(0), []byte("\xEF\xBB\xBF{\"mcpServers\":{\"a\":{\"command\":\"npx\"}}}"))
	f.Add(uint8(8), []byte("[mcp_servers.a]\ncommand = 'npx'\n[[x]]\n[x.y]\n"))
	f.Add(uint8(14), []byte("; c\nregistry = https://r.example/\n@a:registry=https://a.example\n[x]\nk=v\n"))
	f.Add(uint8(15), []byte("[global]\nindex-url = https://i.example/simple\nextra-index-url = https://a.example https://b.example\n"))
	f.Add(uint8(19), []byte("mcp add a --type http --url https://x/mcp\nmcp add b -- npx -y p@1.0.0\n"))
	f.Add(uint8(20), []byte(`{"plugins":[{"name":"a","source":{"source":"github","repo":"o/r","sha":"x"}},{"name":"b","source":"./p"}]}`))
	f.Add(uint8(17), []byte("[tool.uv]\nindex-url = \"https://i.example\"\n[[tool.uv.index]]\nurl = \"https://x.example\"\n"))
	f.Add(uint8(25), []byte("---\nname: a\nmcp-servers:\n  x:\n    command: npx\n    args: [\"-y\", \"p\"]\n---\n# body\n"))
	f.Add(uint8(25), []byte("---\n---\n"))
	f.Add(uint8(26), []byte(`{"amp.mcpServers": {"a": {"command": "npx"}}}`))
	f.Add(uint8(27), []byte(`{"mcp": {"servers": {"a": {"url": "https://a/mcp"}}}, "mcp_servers": {}}`))
	f.Add(uint8(28), []byte(`{"command": "npx", "args": ["-y", "p"]}`))
	f.Add(uint8(29), []byte(`{"experimental": {"modelContextProtocolServers": [{"transport": {"type": "stdio", "command": "uvx"}}]}}`))
	f.Add(uint8(31), []byte(`{"type": "streamable-http", "url": "https://x/mcp"}`))
	f.Add(uint8(32), []byte(`{"s": {"command": "npx", "args": ["p"]}}`))
	f.Add(uint8(33), []byte(`{"mcp": {"serverCommand": "npx -y s"}}`))
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		p := fuzzPaths[int(which)%len(fuzzPaths)]
		file := Parse(p, data)
		if file == nil {
			return
		}
		if file.Err != nil {
			if file.Err.Line < 1 || file.Err.Col < 1 || file.Err.Msg == "" {
				t.Fatalf("bad error %+v", file.Err)
			}
			return
		}
		check := func(what string, v Value) {
			if !v.IsSet() || v.Pos.IsZero() && v.Text == "" {
				return
			}
			if v.Pos.Line < 1 || v.Pos.Col < 1 || v.Pos.Offset < 0 || v.Pos.Offset > len(data) || v.Pos.End > len(data) {
				t.Fatalf("%s %q at %+v, outside %d bytes", what, v.Text, v.Pos, len(data))
			}
			if v.textAt >= 0 && !bytes.HasPrefix(data[v.textAt:], []byte(v.Text)) {
				t.Fatalf("%s %q: literal offset %d points at %q", what, v.Text, v.textAt, data[v.textAt:min(len(data), v.textAt+len(v.Text))])
			}
		}
		for _, r := range file.Registries {
			check("registry", r.URL)
		}
		for _, s := range file.Servers {
			check("name", s.Name)
			check("command", s.Command)
			check("url", s.URL)
			for _, a := range s.Args {
				check("arg", a)
			}
			for _, kv := range append(s.Env, s.Headers...) {
				check("key", kv.Key)
				check("value", kv.Value)
			}
		}
	})
}
