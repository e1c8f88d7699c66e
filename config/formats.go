package config

import (
	"bytes"
	"fmt"
	"path"
	"regexp"
	"strings"
)

type syntax uint8

const (
	jsonSyntax syntax = iota
	yamlSyntax
	markdownSyntax // YAML front matter of a Markdown file
	tomlSyntax
	iniSyntax
)

// format is one kind of file mcptether reads: a host's config, a server
// manifest or an installer setting. Every fact about it is in its row of
// formats: where it lives, how its content is told apart, whether its
// host accepts comments, and its reader. The walker's candidate names,
// the recogniser and the comment syntax are derived from the rows.
type format struct {
	id string
	// host names the product, for docs (the README's host table is tested
	// against the rows).
	host string
	// paths are slash patterns matched against the end of a file's path
	// ("**/" is implied): ".cursor/mcp.json", "*.code-workspace". The
	// first row with a matching pattern wins.
	paths []string
	// marker, when set, marks a generic file name (server.json,
	// package.json…): the file counts only if its text contains one of the
	// |-separated markers and its content has the shape, so unrelated
	// files make no noise.
	marker string
	jsonc  bool // the host reads comments and trailing commas
	ini    bool // key = value lines (.npmrc, pip.conf)
	read   func(r *reader, root *Node)
	// script reads a shell script config instead (.crushrc).
	script func(r *reader, src []byte) error
}

type reader struct {
	f   *File
	l   *lines
	abs string // where the file is, for formats named after their folder
}

// mcpSettings marks a VS Code settings file that configures MCP or
// agent tool approval.
const mcpSettings = `"mcp|"chat.tools|"chat.permissions`

// formats is the one list of what is read, specific paths before the
// generic names they would also match.
var formats = []*format{
	// Warp's own and the shared .agents file, before .mcp.json's row.
	{id: "warp", host: "Warp", paths: []string{".warp/.mcp.json", ".agents/.mcp.json"}, read: readWarp},
	// Claude Code, Copilot CLI, Kimi Code: "mcpServers"; Visual Studio
	// reads the same file with "servers" (VS Code's key).
	{id: "claude-code", host: "Claude Code", paths: []string{".mcp.json"}, read: readVSCode},
	{id: "claude-code-plugin", host: "Claude Code", paths: []string{".claude-plugin/plugin.json"}, marker: "mcpServers", read: readPluginManifest},
	{id: "claude-code-plugin", host: "Claude Code", paths: []string{".claude-plugin/mcp.json"}, marker: "mcpServers", read: readMCPServers},
	{id: "codex-plugin", host: "Codex", paths: []string{".codex-plugin/plugin.json"}, marker: "mcpServers", read: readPluginManifest},
	{id: "claude-code-settings", host: "Claude Code", paths: []string{".claude/settings.json", ".claude/settings.local.json"}, read: readClaudeSettings},
	{id: "claude-marketplace", host: "Claude Code", paths: []string{".claude-plugin/marketplace.json"}, marker: "plugins", read: readMarketplace},
	{id: "claude-code-hooks", host: "Claude Code", paths: []string{"hooks/hooks.json"}, marker: `"command"`, read: readHooksFile},
	{id: "codex-marketplace", host: "Codex", paths: []string{".agents/plugins/marketplace.json"}, marker: "plugins", read: readMarketplace},
	{id: "claude-desktop", host: "Claude Desktop", paths: []string{"claude_desktop_config.json"}, read: readMCPServers},
	{id: "cursor", host: "Cursor", paths: []string{".cursor/mcp.json"}, read: readMCPServers},
	{id: "cursor-hooks", host: "Cursor", paths: []string{".cursor/hooks.json"}, marker: `"command"`, read: readHooksFile},
	{id: "vscode", host: "VS Code / Copilot", paths: []string{".vscode/mcp.json"}, jsonc: true, read: readVSCode},
	{id: "visual-studio", host: "Visual Studio", paths: []string{".vs/mcp.json"}, jsonc: true, read: readVSCode},
	{id: "copilot-cli", host: "GitHub Copilot CLI", paths: []string{".github/mcp.json"}, read: readMCPServers},
	{id: "copilot-agent", host: "GitHub Copilot CLI", paths: []string{".github/agents/*.md", ".claude/agents/*.md"}, marker: "mcp-servers", read: readCopilotAgent},
	{id: "vscode-settings", host: "VS Code / Copilot", paths: []string{".vscode/settings.json"}, marker: mcpSettings, jsonc: true, read: readVSCodeSettings},
	{id: "vscode-workspace", host: "VS Code / Copilot", paths: []string{"*.code-workspace"}, marker: mcpSettings, jsonc: true, read: readVSCodeWorkspace},
	{id: "devcontainer", host: "VS Code / Copilot", paths: []string{"devcontainer.json", ".devcontainer.json"}, marker: `"mcp"`, jsonc: true, read: readDevcontainer},
	{id: "antigravity", host: "Antigravity", paths: []string{".agents/mcp_config.json", ".gemini/antigravity/mcp_config.json", ".gemini/config/mcp_config.json"}, read: readMCPServers},
	{id: "windsurf", host: "Windsurf", paths: []string{".windsurf/mcp_config.json", ".codeium/windsurf/mcp_config.json"}, read: readMCPServers},
	{id: "windsurf", host: "Windsurf", paths: []string{"mcp_config.json"}, marker: "mcpServers", read: readMCPServers},
	{id: "cline", host: "Cline", paths: []string{"cline_mcp_settings.json"}, read: readMCPServers},
	{id: "roo", host: "Roo Code", paths: []string{".roo/mcp.json"}, read: readMCPServers},
	{id: "kiro", host: "Kiro", paths: []string{".kiro/settings/mcp.json"}, read: readMCPServers},
	{id: "kiro", host: "Kiro", paths: []string{".kiro/agents/*.json"}, marker: "mcpServers", read: readMCPServers},
	{id: "factory", host: "Factory", paths: []string{".factory/mcp.json"}, read: readMCPServers},
	{id: "kimi-code", host: "Kimi Code", paths: []string{".kimi-code/mcp.json"}, read: readMCPServers},
	{id: "amp", host: "Amp", paths: []string{".amp/settings.json"}, jsonc: true, read: readAmp},
	// An Amp skill's mcp.json: a bare map of servers beside SKILL.md.
	{id: "amp-skill", host: "Amp", paths: []string{"skills/*/mcp.json"}, marker: `"command"|"url"`, read: readBareServers},
	{id: "amazonq", host: "Amazon Q", paths: []string{".amazonq/mcp.json", ".amazonq/default.json"}, read: readMCPServers},
	{id: "amazonq", host: "Amazon Q", paths: []string{".amazonq/cli-agents/*.json"}, marker: "mcpServers", read: readMCPServers},
	{id: "gemini-cli", host: "Gemini CLI", paths: []string{".gemini/settings.json"}, read: readGeminiSettings},
	{id: "gemini-extension", host: "Gemini CLI", paths: []string{"gemini-extension.json"}, read: readGeminiExtension},
	{id: "codex", host: "Codex", paths: []string{".codex/config.toml"}, read: readCodex},
	{id: "zed", host: "Zed", paths: []string{".zed/settings.json"}, jsonc: true, read: readZed},
	{id: "opencode", host: "opencode", paths: []string{"opencode.json", "opencode.jsonc"}, jsonc: true, read: readOpencode},
	// A JSON file there is a Claude/Cursor mcpServers map, or one server
	// named after the file.
	{id: "continue", host: "Continue", paths: []string{".continue/mcpServers/*.json"}, read: readServersOrOne},
	{id: "continue", host: "Continue", paths: []string{".continue/mcpServers/*.yaml", ".continue/mcpServers/*.yml",
		".continue/config.yaml", ".continue/config.yml"}, read: readMCPServers},
	{id: "continue", host: "Continue", paths: []string{".continue/config.json"}, marker: "modelContextProtocolServers|mcpServers", read: readContinueLegacy},
	{id: "junie", host: "JetBrains Junie", paths: []string{".junie/mcp/mcp.json"}, read: readMCPServers},
	{id: "kilo", host: "Kilo Code", paths: []string{"kilo.json", "kilo.jsonc"}, jsonc: true, read: readOpencode},
	{id: "kilo", host: "Kilo Code", paths: []string{".kilocode/mcp.json", ".kilo/mcp.json"}, read: readMCPServers},
	{id: "kilo", host: "Kilo Code", paths: []string{".kilocode/mcp/*.json", ".kilo/mcp/*.json"}, read: readServersOrOne},
	{id: "crush", host: "Crush", paths: []string{"crush.json", ".crush.json"}, read: readCrush},
	{id: "crush", host: "Crush", paths: []string{".crushrc", "crushrc"}, script: readCrushrc},
	{id: "qwen", host: "Qwen Code", paths: []string{".qwen/settings.json"}, read: readMCPServers},
	{id: "trae", host: "Trae", paths: []string{".trae/mcp.json"}, read: readMCPServers},
	{id: "goose", host: "Goose", paths: []string{".goose/config.yaml", ".goose/config.yml"}, read: readGoose},
	{id: "librechat", host: "LibreChat", paths: []string{"librechat.yaml", "librechat.yml"}, read: readMCPServers},
	// Agent Plugins 1.0: a package's root mcp.json, after every host's own
	// mcp.json above; only with the Agent Plugins shape.
	{id: "agent-plugins", host: "Agent Plugins", paths: []string{"mcp.json"}, marker: "mcpServers", read: readAgentPlugins},
	{id: "mcp-registry", host: "manifests", paths: []string{"server.json"}, marker: "modelcontextprotocol|registryType|registry_type|registry_name|\"remotes\"", read: readRegistry},
	{id: "mcpb", host: "manifests", paths: []string{"manifest.json"}, marker: `"mcp_config"`, read: readMCPB},
	{id: "smithery", host: "manifests", paths: []string{"smithery.yaml", "smithery.yml"}, read: readSmithery},
	{id: "package-json", host: "manifests", paths: []string{"package.json"}, marker: `"mcpName"`, read: readPackageJSON},
	// Installer settings: not MCP configs, but they decide where npx and
	// uvx fetch every package from.
	{id: "npmrc", host: "installer settings", paths: []string{".npmrc"}, marker: "registry", ini: true, read: readNpmrc},
	{id: "yarnrc", host: "installer settings", paths: []string{".yarnrc.yml"}, marker: "npmRegistryServer", read: readYarnrc},
	{id: "pip-conf", host: "installer settings", paths: []string{"pip.conf", "pip.ini"}, marker: "index-url", ini: true, read: readPipConf},
	{id: "uv", host: "installer settings", paths: []string{"uv.toml"}, marker: "index", read: readUV},
	{id: "pyproject", host: "installer settings", paths: []string{"pyproject.toml"}, marker: "tool.uv", read: readPyproject},
}

// candidates is what the walker asks of a name before opening anything:
// the rows' file names, and for patterns with a wildcard in the name, the
// folder it must be in (or the suffix it must have), all case-folded.
var candidates = func() (c struct {
	names    map[string]bool
	inDir    map[string]bool // a folder whose files match a "*" pattern
	suffixes []string        // "*.code-workspace"
}) {
	c.names, c.inDir = map[string]bool{}, map[string]bool{}
	for _, f := range formats {
		for _, p := range f.paths {
			parts := strings.Split(fold(p), "/")
			name := parts[len(parts)-1]
			switch {
			case !strings.ContainsAny(name, "*?["):
				c.names[name] = true
			case len(parts) > 1:
				c.inDir[parts[len(parts)-2]] = true
			case strings.HasPrefix(name, "*") && !strings.ContainsAny(name[1:], "*?["):
				c.suffixes = append(c.suffixes, name[1:])
			default:
				panic("config: a pattern with a wildcard needs a folder or a plain suffix: " + p)
			}
		}
	}
	return c
}()

// fold makes a name compare as the case-insensitive file systems of macOS
// and Windows compare it, where most hosts run: ".Cursor/MCP.json" is
// Cursor's config there. Upper then lower folds the non-ASCII letters
// that fold to ASCII ones too (the Kelvin sign, the long s).
func fold(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return strings.ToLower(strings.ToUpper(s))
		}
	}
	return strings.ToLower(s)
}

// IsCandidate reports from the name alone whether a file in dir may be an
// MCP config; detect decides.
func IsCandidate(dir, name string) bool {
	name = fold(name)
	if candidates.names[name] || candidates.inDir[fold(path.Base(dir))] {
		return true
	}
	for _, s := range candidates.suffixes {
		if strings.HasSuffix(name, s) && len(name) > len(s) {
			return true
		}
	}
	return false
}

// detect returns the format of the file at slash path p, or nil. Paths
// match case-insensitively.
func detect(p string) *format {
	parts := strings.Split(fold(p), "/")
	for _, f := range formats {
		for _, pat := range f.paths {
			if matchTail(strings.Split(fold(pat), "/"), parts) {
				return f
			}
		}
	}
	return nil
}

// matchTail matches pattern components against the end of a path, both
// folded.
func matchTail(pat, parts []string) bool {
	if len(pat) > len(parts) {
		return false
	}
	tail := parts[len(parts)-len(pat):]
	for i, pc := range pat {
		if ok, _ := path.Match(pc, tail[i]); !ok {
			return false
		}
		if strings.HasPrefix(pc, "*") && len(tail[i]) <= len(pc)-1 {
			return false // "*.code-workspace" needs a name before the suffix
		}
	}
	return true
}

func syntaxOf(p string) syntax {
	if f := detect(p); f != nil && f.ini {
		return iniSyntax
	}
	switch fold(path.Ext(p)) {
	case ".md":
		return markdownSyntax
	case ".yaml", ".yml":
		return yamlSyntax
	case ".toml":
		return tomlSyntax
	}
	return jsonSyntax
}

// hasMarker reports whether src mentions any of the |-separated markers.
func (f *format) hasMarker(src []byte) bool {
	if f.marker == "" {
		return true
	}
	for _, m := range strings.Split(f.marker, "|") {
		if bytes.Contains(src, []byte(m)) {
			return true
		}
	}
	return false
}

// --- host formats ---

func readMCPServers(r *reader, root *Node) {
	r.serverMap(root.Get("mcpServers"))
}

// readWarp: Warp accepts any of the hosts' wrapper keys.
func readWarp(r *reader, root *Node) {
	for _, m := range root.Members {
		switch m.Key {
		case "mcpServers", "servers", "mcp_servers":
			r.serverMap(m.Value)
		case "mcp":
			r.serverMap(m.Value.Get("servers"))
		}
	}
}

// readAmp: Amp's settings use dotted keys ("amp.mcpServers").
func readAmp(r *reader, root *Node) {
	r.serverMap(root.Get("amp.mcpServers"))
	r.serverMap(root.Path("amp", "mcpServers"))
}

// readBareServers reads a map of servers with no wrapper key.
func readBareServers(r *reader, root *Node) {
	for _, m := range root.Members {
		if looksLikeEntry(m.Value) {
			r.member(m)
		}
	}
}

// readServersOrOne reads an mcpServers map, or else the file as one
// server named after it (Continue's and Kilo's one-server files).
func readServersOrOne(r *reader, root *Node) {
	if m := root.Get("mcpServers"); m != nil {
		r.serverMap(m)
		return
	}
	if looksLikeEntry(root) {
		name := strings.TrimSuffix(path.Base(r.abs), path.Ext(r.abs))
		r.entry(Value{Text: name, Pos: root.Pos, textAt: -1, set: true}, root)
	}
}

// readContinueLegacy: the old config.json's
// experimental.modelContextProtocolServers, unnamed entries with a
// transport object; each is named by its index and transport.
func readContinueLegacy(r *reader, root *Node) {
	r.serverMap(root.Get("mcpServers"))
	for i, it := range root.Path("experimental", "modelContextProtocolServers").arrayItems() {
		tr := it.Get("transport")
		if tr == nil || tr.Kind != Object {
			continue
		}
		name := fmt.Sprintf("modelContextProtocolServers[%d] (%s)", i, tr.Get("type").Str())
		r.entry(Value{Text: name, Pos: it.Pos, textAt: -1, set: true}, tr)
	}
}

// readCopilotAgent: a custom agent's front matter lists its servers under
// mcp-servers, with the CLI's mcp-config.json shape.
func readCopilotAgent(r *reader, root *Node) {
	r.serverMap(root.Get("mcp-servers"))
}

// readPluginManifest reads a plugin's plugin.json: inline mcpServers, or
// the path of an MCP config in the plugin ("./.mcp.json"), which the walker
// then reads too (a URL is not fetched).
func readPluginManifest(r *reader, root *Node) {
	m := root.Get("mcpServers")
	items := []*Node{m}
	switch {
	case m == nil:
		return
	case m.Kind == Object:
		r.serverMap(m)
		return
	case m.Kind == Array: // several paths
		items = m.Items
	}
	for _, it := range items {
		p := strings.TrimSpace(it.Str())
		if it.Kind != String || p == "" || strings.Contains(p, "://") {
			continue
		}
		root := path.Dir(path.Dir(r.abs))
		p = strings.ReplaceAll(p, "${CLAUDE_PLUGIN_ROOT}", root)
		if !path.IsAbs(p) {
			p = path.Join(root, p)
		}
		r.f.Follow = append(r.f.Follow, Follow{Path: path.Clean(p), At: it.Pos})
	}
}

func readVSCode(r *reader, root *Node) {
	// VS Code reads "servers"; many files also carry a Claude-style
	// "mcpServers". Both are read, in file order.
	for _, m := range root.Members {
		if m.Key == "servers" || m.Key == "mcpServers" {
			r.serverMap(m.Value)
		}
	}
}

func readVSCodeSettings(r *reader, root *Node) {
	r.serverMap(root.Path("mcp", "servers"))
	r.serverMap(root.Get("mcp.servers"))
	vscodeApprovals(r, root)
}

// readVSCodeWorkspace: a multi-root workspace file holds settings, MCP
// servers among them, under "settings".
func readVSCodeWorkspace(r *reader, root *Node) {
	readVSCodeSettings(r, root.Get("settings"))
	r.serverMap(root.Path("mcp", "servers"))
}

// vscodeApprovals reads the chat settings that let agent tools run without
// asking: the global auto-approve ("YOLO mode", and its older name), a
// default permission level that approves everything, and terminal
// commands approved outright.
func vscodeApprovals(r *reader, settings *Node) {
	for _, key := range []string{"chat.tools.global.autoApprove", "chat.tools.autoApprove"} {
		if v := settings.Get(key); v.IsTrue() {
			r.f.Approvals = append(r.f.Approvals, Approval{Setting: key, Value: v.Value(), All: true, Scope: "tools"})
		}
	}
	if v := settings.Get("chat.permissions.default"); v.Str() == "autoApprove" || v.Str() == "autopilot" {
		r.f.Approvals = append(r.f.Approvals, Approval{Setting: "chat.permissions.default", Value: v.Value(), All: true, Scope: "tools"})
	}
	if t := settings.Get("chat.tools.terminal.autoApprove"); t != nil && t.Kind == Object {
		a := Approval{Setting: "chat.tools.terminal.autoApprove", Scope: "commands"}
		for _, m := range t.Members {
			if m.Value.IsTrue() || m.Value.Path("approve").IsTrue() {
				if len(a.Tools) == 0 {
					a.Value = Value{Text: m.Key, Pos: m.KeyPos, textAt: -1, set: true}
				}
				a.Tools = append(a.Tools, Value{Text: m.Key, Pos: m.KeyPos, textAt: -1, set: true})
			}
		}
		if len(a.Tools) > 0 {
			r.f.Approvals = append(r.f.Approvals, a)
		}
	}
}

func readDevcontainer(r *reader, root *Node) {
	r.serverMap(root.Path("customizations", "vscode", "mcp", "servers"))
}

func readClaudeSettings(r *reader, root *Node) {
	if v := root.Get("enableAllProjectMcpServers"); v.IsTrue() {
		r.f.Approvals = append(r.f.Approvals, Approval{Setting: "enableAllProjectMcpServers", Value: v.Value(), All: true, Scope: "servers"})
	}
	// Every permissions.allow entry naming MCP tools runs them without a
	// prompt: mcp__server (all its tools), mcp__server__tool, wildcards,
	// and plugin servers as mcp__plugin_<plugin>_<server>__<tool>. deny
	// and ask entries, and Bash(…), Read(…), are not MCP approvals.
	for _, it := range root.Path("permissions", "allow").arrayItems() {
		entry := it.Str()
		rest, ok := strings.CutPrefix(entry, "mcp__")
		if !ok {
			continue
		}
		server, tool, _ := strings.Cut(rest, "__")
		a := Approval{Setting: "permissions.allow", Value: it.Value(), Scope: "tools", Server: server}
		if tool == "" || tool == "*" {
			a.All = true
		} else {
			a.Tools = []Value{r.sub(it.Value(), tool)}
		}
		r.f.Approvals = append(r.f.Approvals, a)
	}
	// .mcp.json servers started without the per-server trust prompt.
	for _, it := range root.Get("enabledMcpjsonServers").arrayItems() {
		if name := it.Str(); name != "" {
			r.f.Approvals = append(r.f.Approvals, Approval{Setting: "enabledMcpjsonServers", Value: it.Value(), Scope: "servers", Server: name})
		}
	}
	if v := root.Path("permissions", "defaultMode"); v.Str() == "bypassPermissions" {
		r.f.Approvals = append(r.f.Approvals, Approval{Setting: "permissions.defaultMode", Value: v.Value(), All: true, Scope: "tools"})
	}
	// Marketplaces the settings add for everyone, and the plugins they
	// enable, each tied to its marketplace's source when declared here.
	known := map[string]*Source{}
	for _, m := range root.Get("extraKnownMarketplaces").objectMembers() {
		src := readSource(m.Value.Get("source"))
		known[m.Key] = src
		r.f.Servers = append(r.f.Servers, &Server{File: r.f.Path, Format: r.f.Format, Kind: KindMarketplace,
			Name: Value{Text: m.Key, Pos: m.KeyPos, textAt: -1, set: true}, Source: src})
	}
	for _, m := range root.Get("enabledPlugins").objectMembers() {
		_, market, _ := strings.Cut(m.Key, "@")
		src := &Source{Type: "marketplace", Marketplace: market, At: m.KeyPos}
		r.f.Servers = append(r.f.Servers, &Server{File: r.f.Path, Format: r.f.Format, Kind: KindPlugin,
			Name: Value{Text: m.Key, Pos: m.KeyPos, textAt: -1, set: true}, Source: src, Disabled: !m.Value.IsTrue()})
	}
	readHooks(r, root.Get("hooks"))
}

// readMarketplace reads a plugin catalog (Claude Code's
// .claude-plugin/marketplace.json, Codex's .agents/plugins/marketplace.json):
// every plugins[] entry is a plugin entry with its source.
func readMarketplace(r *reader, root *Node) {
	for _, it := range root.Get("plugins").arrayItems() {
		if it.Kind != Object {
			continue
		}
		name := it.Get("name").Value()
		if !name.IsSet() {
			name = Value{Pos: it.Pos, textAt: -1, set: true}
		}
		r.f.Servers = append(r.f.Servers, &Server{File: r.f.Path, Format: r.f.Format, Kind: KindPlugin, Name: name, Source: readSource(it.Get("source"))})
	}
}

// readSource reads a plugin or marketplace source: a string is a path in
// the repository; an object names its type in "source".
func readSource(n *Node) *Source {
	if n == nil {
		return &Source{}
	}
	if n.Kind == String {
		return &Source{Type: "local", Path: n.Value(), At: n.Pos}
	}
	return &Source{Type: n.Get("source").Str(), Repo: n.Get("repo").Value(), URL: n.Get("url").Value(), Path: n.Get("path").Value(),
		Ref: n.Get("ref").Value(), SHA: n.Get("sha").Value(), Package: n.Get("package").Value(), Version: n.Get("version").Value(), At: n.Pos}
}

// readHooks reads hooks: Claude Code's ({event: [{matcher, hooks: [{type:
// command, command}]}]}) and Cursor's flat ones ({event: [{command}]}).
// Each command is run by the host on its own, so it is an entry whose
// launch is decoded like a server's.
func readHooks(r *reader, hooks *Node) {
	for _, ev := range hooks.objectMembers() {
		for _, group := range ev.Value.arrayItems() {
			entries := group.Get("hooks").arrayItems()
			if entries == nil {
				entries = []*Node{group} // Cursor: the entry itself
			}
			for _, h := range entries {
				cmd := h.Get("command")
				if cmd == nil || cmd.Kind != String || (h.Get("type").Str() != "" && h.Get("type").Str() != "command") {
					continue
				}
				name := ev.Key
				if m := group.Get("matcher").Str(); m != "" {
					name += " " + m
				}
				r.f.Servers = append(r.f.Servers, &Server{File: r.f.Path, Format: r.f.Format, Kind: KindHook,
					Name: Value{Text: name, Pos: ev.KeyPos, textAt: -1, set: true}, Command: cmd.Value()})
			}
		}
	}
}

// readHooksFile: a plugin's hooks/hooks.json, Cursor's .cursor/hooks.json.
func readHooksFile(r *reader, root *Node) { readHooks(r, root.Get("hooks")) }

// sub is the part of v that is text, positioned inside v.
func (r *reader) sub(v Value, text string) Value {
	i := strings.LastIndex(v.Text, text)
	if i < 0 {
		return Value{Text: text, Pos: v.Pos, textAt: -1, set: true}
	}
	return v.Derived(text, i, i+len(text))
}

func readCodex(r *reader, root *Node) {
	r.serverMap(root.Get("mcp_servers"))
	// approval_policy = "never": Codex runs every command and tool call
	// without asking, at the top level or in a profile.
	if v := root.Get("approval_policy"); v.Str() == "never" {
		r.f.Approvals = append(r.f.Approvals, Approval{Setting: "approval_policy", Value: v.Value(), All: true, Scope: "tools"})
	}
	for _, m := range root.Get("profiles").objectMembers() {
		if v := m.Value.Get("approval_policy"); v.Str() == "never" {
			r.f.Approvals = append(r.f.Approvals, Approval{Setting: "profiles." + m.Key + ".approval_policy", Value: v.Value(), All: true, Scope: "tools"})
		}
	}
}

func readZed(r *reader, root *Node) {
	r.serverMap(root.Get("context_servers"))
}

func readOpencode(r *reader, root *Node) {
	m := root.Get("mcp")
	if m == nil || m.Kind != Object {
		return
	}
	for _, mem := range m.Members {
		if mem.Key == "servers" && mem.Value.Kind == Object && !looksLikeEntry(mem.Value) {
			r.serverMap(mem.Value)
			continue
		}
		// Settings beside the servers (timeout) are no servers.
		if looksLikeEntry(mem.Value) {
			r.member(mem)
		}
	}
}

// readCrush: Crush's mcp map (type stdio, http or sse), and MCP tools
// pre-approved in permissions.allowed_tools as mcp_<server>_<tool>.
func readCrush(r *reader, root *Node) {
	r.serverMap(root.Get("mcp"))
	servers := map[string]bool{}
	for _, m := range root.Get("mcp").objectMembers() {
		servers[m.Key] = true
	}
	for _, it := range root.Path("permissions", "allowed_tools").arrayItems() {
		rest, ok := strings.CutPrefix(it.Str(), "mcp_")
		if !ok {
			continue
		}
		a := Approval{Setting: "permissions.allowed_tools", Value: it.Value(), Scope: "tools", All: true}
		if servers[rest] {
			a.Server = rest
		}
		// Server names may hold "_": try each split, longest server first.
		for i := len(rest) - 1; i > 0; i-- {
			if rest[i] == '_' && servers[rest[:i]] {
				a.Server, a.All, a.Tools = rest[:i], false, []Value{r.sub(it.Value(), rest[i+1:])}
				break
			}
		}
		r.f.Approvals = append(r.f.Approvals, a)
	}
}

// readAgentPlugins reads an Agent Plugins mcp.json: mcpServers whose
// entries declare their type (stdio, streamable-http, sse), or a file
// whose $schema says it is one. Any other mcp.json (a game's) is not ours.
func readAgentPlugins(r *reader, root *Node) {
	servers := root.Get("mcpServers")
	typed := len(servers.objectMembers()) > 0
	for _, m := range servers.objectMembers() {
		switch m.Value.Get("type").Str() {
		case "stdio", "streamable-http", "sse", "http":
		default:
			typed = false
		}
	}
	if typed || strings.Contains(strings.ToLower(root.Get("$schema").Str()), "agent") {
		r.serverMap(servers)
	}
}

func readGoose(r *reader, root *Node) {
	if v := root.Get("GOOSE_MODE"); v.Str() == "auto" {
		r.f.Approvals = append(r.f.Approvals, Approval{Setting: "GOOSE_MODE", Value: v.Value(), All: true, Scope: "tools"})
	}
	for _, m := range root.Get("extensions").objectMembers() {
		// builtin and platform extensions run inside Goose itself: no
		// package, no server to judge.
		if t := m.Value.Get("type").Str(); t == "builtin" || t == "platform" {
			continue
		}
		r.member(m)
	}
}

// readGeminiSettings: the servers, and mcp.serverCommand, a command line
// Gemini CLI runs to start a server of its own.
func readGeminiSettings(r *reader, root *Node) {
	readMCPServers(r, root)
	if v := root.Path("mcp", "serverCommand"); v != nil && v.Kind == String && strings.TrimSpace(v.Text) != "" {
		k := root.Get("mcp").Members
		pos := v.Pos
		for _, m := range k {
			if m.Key == "serverCommand" {
				pos = m.KeyPos
			}
		}
		r.f.Servers = append(r.f.Servers, &Server{File: r.f.Path, Format: r.f.Format, Name: Value{Text: "mcp.serverCommand", Pos: pos, textAt: -1, set: true},
			Command: v.Value(), Transport: "stdio"})
	}
}

// readGeminiExtension: an extension's commands may use Gemini CLI's
// ${/} (and ${pathSeparator}) for the path separator.
func readGeminiExtension(r *reader, root *Node) {
	readMCPServers(r, root)
	for _, s := range r.f.Servers {
		s.Command = s.Command.expand(geminiVars)
		for i := range s.Args {
			s.Args[i] = s.Args[i].expand(geminiVars)
		}
	}
}

var geminiVars = strings.NewReplacer("${/}", "/", "${pathSeparator}", "/")

// looksLikeEntry tells a server entry from a map of entries.
func looksLikeEntry(n *Node) bool {
	for _, k := range []string{"command", "cmd", "url", "type", "args", "serverUrl", "httpUrl", "uri"} {
		if v := n.Get(k); v != nil && v.Kind != Object {
			return true
		}
	}
	return false
}

// serverMap reads servers from a map keyed by name or a list of entries
// with a "name" field (Continue).
func (r *reader) serverMap(n *Node) {
	if n == nil {
		return
	}
	switch n.Kind {
	case Object:
		for _, m := range n.Members {
			r.member(m)
		}
	case Array:
		for _, it := range n.Items {
			if it.Kind == Object {
				name := it.Get("name").Value()
				if !name.IsSet() {
					name = Value{Pos: it.Pos, textAt: -1, set: true}
				}
				r.entry(name, it)
			}
		}
	}
}

func (r *reader) member(m Member) {
	// Only objects are entries: "_comment": "…" pseudo-comments are not.
	if m.Value.Kind != Object {
		return
	}
	r.entry(Value{Text: m.Key, Pos: m.KeyPos, textAt: -1, set: true}, m.Value)
}

// entry reads one server entry. The keys of every host dialect are read
// together: they do not conflict, and hosts copy each other's shapes.
func (r *reader) entry(name Value, e *Node) *Server {
	s := &Server{File: r.f.Path, Format: r.f.Format, Name: name}
	cmd := first(e, "command", "cmd")
	switch {
	case cmd == nil:
	case cmd.Kind == Array: // opencode: ["npx", "-y", "pkg"]
		for i, it := range cmd.Items {
			if i == 0 {
				s.Command = it.Value()
			} else {
				s.Args = append(s.Args, it.Value())
			}
		}
	case cmd.Kind == Object: // Zed legacy: {path, args, env}
		s.Command = cmd.Get("path").Value()
		s.Args = append(s.Args, scalars(cmd.Get("args"))...)
		s.Env = append(s.Env, pairs(cmd.Get("env"))...)
	default:
		s.Command = cmd.Value()
	}
	s.Args = append(s.Args, scalars(e.Get("args"))...)
	s.Env = append(s.Env, pairs(first(e, "env", "envs", "environment"))...)
	s.Headers = append(s.Headers, pairs(first(e, "headers", "http_headers"))...)
	if u := first(e, "url", "serverUrl", "httpUrl", "uri"); u != nil {
		s.URL = u.Value()
	}
	s.Transport = transport(first(e, "type", "transportType").Str(), e, s)
	s.Disabled = e.Get("disabled").IsTrue() || e.Get("enabled").Str() == "false"
	s.Sandboxed = e.Get("sandboxEnabled").IsTrue() // VS Code's sandbox for a stdio server
	s.Approvals = approvals(e)
	r.f.Servers = append(r.f.Servers, s)
	return s
}

func first(n *Node, keys ...string) *Node {
	for _, k := range keys {
		if v := n.Get(k); v != nil {
			return v
		}
	}
	return nil
}

func (n *Node) arrayItems() []*Node {
	if n == nil || n.Kind != Array {
		return nil
	}
	return n.Items
}

// scalars returns the scalar items of an array (or a lone scalar).
func scalars(n *Node) []Value {
	if n == nil {
		return nil
	}
	if n.Kind != Array {
		if n.Kind == Object || n.Kind == Null {
			return nil
		}
		return []Value{n.Value()}
	}
	var out []Value
	for _, it := range n.Items {
		if it.Kind != Object && it.Kind != Array {
			out = append(out, it.Value())
		}
	}
	return out
}

// pairs returns an object's scalar members, or a list of {name, value}.
func pairs(n *Node) []KV {
	if n == nil {
		return nil
	}
	var out []KV
	switch n.Kind {
	case Object:
		for _, m := range n.Members {
			if m.Value.Kind != Object && m.Value.Kind != Array {
				out = append(out, KV{Key: Value{Text: m.Key, Pos: m.KeyPos, textAt: -1, set: true}, Value: m.Value.Value()})
			}
		}
	case Array:
		for _, it := range n.Items {
			if k := it.Get("name"); k != nil {
				out = append(out, KV{Key: k.Value(), Value: it.Get("value").Value()})
			}
		}
	}
	return out
}

// transport normalises the hosts' spellings.
func transport(t string, e *Node, s *Server) string {
	switch strings.ToLower(t) {
	case "stdio", "local":
		return "stdio"
	case "sse":
		return "sse"
	case "http", "streamable-http", "streamablehttp", "streamable_http", "remote":
		return "http"
	case "ws", "websocket":
		return "ws"
	case "builtin", "platform", "inline_python", "frontend":
		return "builtin"
	}
	switch {
	case e.Get("httpUrl") != nil:
		return "http"
	case s.Command.IsSet() && s.Command.Text != "":
		return "stdio"
	case s.URL.IsSet():
		if strings.HasPrefix(s.URL.Text, "ws") {
			return "ws"
		}
		return "http"
	}
	return t
}

func approvals(e *Node) []Approval {
	var out []Approval
	for _, key := range []string{"autoApprove", "alwaysAllow"} {
		v := e.Get(key)
		switch {
		case v == nil:
		case v.IsTrue():
			out = append(out, Approval{Setting: key, Value: v.Value(), All: true})
		case v.Kind == Array && len(v.Items) > 0:
			a := Approval{Setting: key, Value: v.Items[0].Value()}
			for _, it := range v.Items {
				a.Tools = append(a.Tools, it.Value())
				a.All = a.All || it.Str() == "*"
			}
			out = append(out, a)
		}
	}
	if v := e.Get("trust"); v.IsTrue() { // Gemini CLI
		out = append(out, Approval{Setting: "trust", Value: v.Value(), All: true})
	}
	// Codex: default_tools_approval_mode and tools.<name>.approval_mode.
	if v := e.Get("default_tools_approval_mode"); v.Str() == "approve" {
		out = append(out, Approval{Setting: "default_tools_approval_mode", Value: v.Value(), All: true})
	}
	if tools := e.Get("tools"); tools != nil && tools.Kind == Object {
		for _, m := range tools.Members {
			if v := m.Value.Get("approval_mode"); v.Str() == "approve" {
				out = append(out, Approval{Setting: "tools." + m.Key + ".approval_mode", Value: v.Value(),
					Tools: []Value{{Text: m.Key, Pos: m.KeyPos, textAt: -1, set: true}}})
			}
		}
	}
	return out
}

// --- manifests ---

func readRegistry(r *reader, root *Node) {
	name := root.Get("name")
	pkgs, remotes := root.Get("packages"), root.Get("remotes")
	if name == nil || name.Kind != String || (pkgs.arrayItems() == nil && remotes.arrayItems() == nil) {
		return
	}
	s := &Server{File: r.f.Path, Format: r.f.Format, Name: name.Value(), Manifest: true}
	s.Repository = repository(root.Get("repository"))
	s.RepositoryID = root.Get("repository").Get("id").Value()
	for _, p := range pkgs.arrayItems() {
		if p.Kind != Object {
			continue
		}
		pk := Package{
			Registry:    first(p, "registryType", "registry_type", "registry_name").Value(),
			AltRegistry: p.Get("registry").Value(),
			Identifier:  first(p, "identifier", "name").Value(),
			Version:     p.Get("version").Value(),
			RuntimeHint: first(p, "runtimeHint", "runtime_hint").Value(),
			RuntimeArgs: arguments(first(p, "runtimeArguments", "runtime_arguments")),
			PackageArgs: arguments(first(p, "packageArguments", "package_arguments")),
			FileSHA256:  first(p, "fileSha256", "file_sha256").Value(),
			Transport:   first(p, "transport").Get("type").Str(),
		}
		s.Packages = append(s.Packages, pk)
	}
	for _, rm := range remotes.arrayItems() {
		if rm.Kind != Object {
			continue
		}
		s.Remotes = append(s.Remotes, Remote{
			Transport: first(rm, "type", "transport_type").Str(),
			URL:       rm.Get("url").Value(),
			Headers:   pairs(rm.Get("headers")),
		})
	}
	r.f.Servers = append(r.f.Servers, s)
}

// arguments flattens registry arguments: named ones give name then value.
func arguments(n *Node) []Value {
	var out []Value
	for _, a := range n.arrayItems() {
		switch a.Kind {
		case Object:
			if a.Get("type").Str() == "named" {
				if nm := a.Get("name"); nm != nil {
					out = append(out, nm.Value())
				}
				if v := a.Get("value"); v != nil && a.Get("format").Str() != "boolean" {
					out = append(out, v.Value())
				}
				continue
			}
			if v := first(a, "value", "default"); v != nil {
				out = append(out, v.Value())
			}
		case String:
			out = append(out, a.Value())
		}
	}
	return out
}

func repository(n *Node) Value {
	if n == nil {
		return Value{}
	}
	if n.Kind == String {
		return n.Value()
	}
	return n.Get("url").Value()
}

func readMCPB(r *reader, root *Node) {
	srv := root.Get("server")
	cfg := srv.Get("mcp_config")
	if cfg == nil || cfg.Kind != Object {
		return
	}
	name := root.Get("name").Value()
	s := r.entry(name, cfg)
	s.Manifest = true
	s.Repository = repository(root.Get("repository"))
}

func readPackageJSON(r *reader, root *Node) {
	mcpName := root.Get("mcpName")
	if mcpName == nil || mcpName.Kind != String {
		return
	}
	s := &Server{File: r.f.Path, Format: r.f.Format, Name: mcpName.Value(), Transport: "stdio", Manifest: true}
	s.Repository = repository(root.Get("repository"))
	if id := root.Get("name"); id != nil {
		s.Packages = append(s.Packages, Package{
			Registry:   Value{Text: "npm", Pos: id.Pos, textAt: -1, set: true},
			Identifier: id.Value(),
			Version:    root.Get("version").Value(),
		})
	}
	r.f.Servers = append(r.f.Servers, s)
}

var (
	jsCommand = regexp.MustCompile(`\bcommand\s*:\s*`)
	jsArgs    = regexp.MustCompile(`\bargs\s*:\s*\[`)
	jsEnv     = regexp.MustCompile(`\benv\s*:\s*\{`)
	jsPair    = regexp.MustCompile(`([A-Za-z_$][\w$]*|'[^'\n]*'|"[^"\n]*")\s*:\s*('(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")`)
	jsString  = regexp.MustCompile(`'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|` + "`([^`]*)`")
)

// readSmithery reads smithery.yaml. Its one server has no name field and is
// named after the folder holding the file. commandFunction is JavaScript;
// only the string literals given to command and args are read from it.
func readSmithery(r *reader, root *Node) {
	sc := root.Get("startCommand")
	if sc == nil && root.Get("runtime") == nil {
		return
	}
	dir := path.Base(path.Dir(r.abs))
	s := &Server{File: r.f.Path, Format: r.f.Format, Name: Value{Text: dir, Pos: root.Pos, textAt: -1, set: true}}
	s.Transport = transport(sc.Get("type").Str(), &Node{}, s)
	if fn := sc.Get("commandFunction"); fn != nil && fn.Kind == String {
		s.Code = fn.Value()
		code := fn.Text
		at := sourceOffsets(r.l.src, fn.Pos.Offset, code)
		lit := func(i, j int) Value {
			v := Value{Text: jsUnquote(code[i:j]), Pos: fn.Pos, textAt: -1, set: true}
			if a, b := at(i), at(j); a >= 0 && b >= 0 {
				v.Pos = r.l.pos(a, b)
			}
			return v
		}
		if m := jsCommand.FindStringIndex(code); m != nil {
			if q := jsString.FindStringIndex(code[m[1]:]); q != nil && q[0] == 0 {
				s.Command = lit(m[1], m[1]+q[1])
			}
		}
		if m := jsArgs.FindStringIndex(code); m != nil {
			if end := strings.IndexByte(code[m[1]:], ']'); end >= 0 {
				for _, q := range jsString.FindAllStringIndex(code[m[1]:m[1]+end], -1) {
					s.Args = append(s.Args, lit(m[1]+q[0], m[1]+q[1]))
				}
			}
		}
		if m := jsEnv.FindStringIndex(code); m != nil {
			if end := strings.IndexByte(code[m[1]:], '}'); end >= 0 {
				body := code[m[1] : m[1]+end]
				for _, kv := range jsPair.FindAllStringSubmatchIndex(body, -1) {
					key := lit(m[1]+kv[2], m[1]+kv[3])
					key.Text = strings.Trim(body[kv[2]:kv[3]], `'"`)
					s.Env = append(s.Env, KV{Key: key, Value: lit(m[1]+kv[4], m[1]+kv[5])})
				}
			}
		}
	}
	r.f.Servers = append(r.f.Servers, s)
}

// maxIndent bounds how far past the previous line sourceOffsets looks for
// the next one.
const maxIndent = 256

// sourceOffsets maps offsets in a scalar's text to offsets in the file,
// line by line: a block scalar's text has lost the indentation the file
// has, a plain one has not. -1 when a line cannot be found.
func sourceOffsets(src []byte, from int, text string) func(int) int {
	type span struct{ text, file int }
	var spans []span
	cursor := from
	for start := 0; start <= len(text); {
		end := strings.IndexByte(text[start:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += start
		}
		if line := text[start:end]; strings.TrimSpace(line) != "" {
			// The next line is near: past its indentation and a quote or
			// two. A bounded window keeps a block of unfound lines linear.
			window := src[cursor:min(len(src), cursor+len(line)+maxIndent)]
			if i := bytes.Index(window, []byte(line)); i >= 0 {
				spans = append(spans, span{start, cursor + i})
				cursor += i + len(line)
			}
		}
		start = end + 1
	}
	return func(off int) int {
		for k := len(spans) - 1; k >= 0; k-- {
			if spans[k].text <= off {
				nl := strings.IndexByte(text[spans[k].text:], '\n')
				if nl < 0 || off <= spans[k].text+nl {
					return spans[k].file + off - spans[k].text
				}
				return -1
			}
		}
		return -1
	}
}

func jsUnquote(s string) string {
	if len(s) >= 2 {
		s = s[1 : len(s)-1]
	}
	return strings.NewReplacer(`\'`, `'`, `\"`, `"`, `\\`, `\`).Replace(s)
}

// Recognised reports whether a file at slash path p can be an MCP config
// or manifest by its path (generic names are then judged by content).
func Recognised(p string) bool { return detect(p) != nil }

// CommentPrefix is how a line comment starts in a file of this format
// ("#", "//"), or "" when the host reads strict JSON.
func CommentPrefix(file, format string) string {
	switch syntaxOf(file) {
	case yamlSyntax, tomlSyntax:
		return "#"
	}
	for _, f := range formats {
		if f.id == format && f.jsonc {
			return "//"
		}
	}
	return ""
}
