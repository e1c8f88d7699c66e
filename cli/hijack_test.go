package cli

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/mcptether/mcptether/internal/fakereg"
)

// TestHijackEndToEnd runs the CLI against fake npm, GitHub and OSV servers
// (internal/fakereg) on a repository where every hijack rule fires once,
// and the healthy servers stay clean.
func TestHijackEndToEnd(t *testing.T) {
	w := fakereg.New(t)
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{".mcp.json": `{"mcpServers": {
  "healthy":    {"command": "npx", "args": ["-y", "@acme/server@1.2.0"]},
  "official":   {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem@2025.8.21", "."]},
  "unclaimed":  {"command": "npx", "args": ["-y", "acme-mcp-never-published@1.0.0"]},
  "orphan":     {"command": "npx", "args": ["-y", "orphan-mcp@1.0.0"]},
  "moved":      {"command": "npx", "args": ["-y", "moved-mcp@1.0.0"]},
  "lost":       {"command": "npx", "args": ["-y", "lost-mcp@1.0.0"]},
  "attested":   {"command": "npx", "args": ["-y", "attested-elsewhere@1.0.0"]},
  "lookalike":  {"command": "npx", "args": ["-y", "@modelcontext-protocol/server-github@2025.4.8"]},
  "old":        {"command": "npx", "args": ["-y", "old-mcp@1.0.0"]},
  "scripty":    {"command": "npx", "args": ["-y", "scripty-mcp@1.0.0"]},
  "handover":   {"command": "npx", "args": ["-y", "handover-mcp@1.6.0"]},
  "fresh":      {"command": "npx", "args": ["-y", "fresh-mcp@1.1.0"]},
  "evil":       {"command": "npx", "args": ["-y", "evil-mcp@1.0.0"]},
  "vuln":       {"command": "npx", "args": ["-y", "vuln-mcp@1.0.0"]},
  "fixed":      {"command": "npx", "args": ["-y", "vuln-mcp@1.1.0"]},
  "fetch":      {"command": "uvx", "args": ["mcp-server-fetch==2025.4.7"]},
  "no-project": {"command": "uvx", "args": ["acme-mcp-never-uploaded==1.0"]},
  "image":      {"command": "docker", "args": ["run", "-i", "--rm", "mcp/fetch:1.0@sha256:` + strings.Repeat("f", 64) + `"]},
  "no-image":   {"command": "docker", "args": ["run", "-i", "--rm", "acme/never-pushed:1.0@sha256:` + strings.Repeat("e", 64) + `"]}
}}`,
		"server.json": `{"$schema": "https://static.modelcontextprotocol.io/schemas/2025-10-17/server.schema.json",
  "name": "io.github.acme/server", "repository": {"url": "https://github.com/acme/server", "source": "github"},
  "packages": [{"registryType": "npm", "identifier": "@acme/server", "version": "1.2.0", "transport": {"type": "stdio"}}]}`,
	})
	env := w.URLs()
	env["MCPTETHER_CACHE_DIR"] = t.TempDir()
	var out, errb bytes.Buffer
	code := Run([]string{"scan", "--format", "json", "--max-wait", "1s", dir}, Env{Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }})
	if code != ExitFindings || errb.Len() != 0 {
		t.Fatalf("exit %d, stderr %s", code, errb.String())
	}
	var rep struct {
		Offline  bool
		Findings []struct{ Rule, Server, Severity, Message string }
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, f := range rep.Findings {
		got[f.Server] = append(got[f.Server], f.Rule)
	}
	for _, rules := range got {
		sort.Strings(rules)
	}
	want := map[string][]string{
		"unclaimed":  {"unclaimed-package"},
		"no-project": {"unclaimed-package"},
		"no-image":   {"unclaimed-package"},
		"orphan":     {"repo-owner-claimable"},
		"moved":      {"repo-owner-claimable", "repo-redirected"}, // the renamed owner's old login is free too
		"lost":       {"repo-missing"},
		"attested":   {"provenance-mismatch"},
		"lookalike":  {"lookalike-package"},
		"old":        {"deprecated-package"},
		"scripty":    {"install-script"},
		"handover":   {"publisher-changed"},
		"fresh":      {"fresh-release"},
		"evil":       {"malicious-package"},
		"vuln":       {"known-vulnerability"},
	}
	if rep.Offline {
		t.Error("report says offline")
	}
	for server, rules := range want {
		if strings.Join(got[server], ",") != strings.Join(rules, ",") {
			t.Errorf("%s: %v, want %v", server, got[server], rules)
		}
	}
	for server, rules := range got {
		if _, ok := want[server]; !ok {
			t.Errorf("%s (a negative) raised %v", server, rules)
		}
	}
}

// A plugin marketplace whose plugins come from a deleted owner's and a
// renamed owner's repositories: the repository rules apply to plugin
// sources as to servers.
func TestMarketplacePluginHijack(t *testing.T) {
	w := fakereg.New(t)
	dir := t.TempDir()
	sha := strings.Repeat("c", 40)
	writeFiles(t, dir, map[string]string{".claude-plugin/marketplace.json": `{"name": "acme", "plugins": [
  {"name": "orphan", "source": {"source": "github", "repo": "deleted-user/orphan-mcp", "sha": "` + sha + `"}},
  {"name": "moved", "source": {"source": "url", "url": "https://github.com/old-name/moved-mcp.git", "sha": "` + sha + `"}},
  {"name": "local", "source": "./plugins/local"}
]}`})
	env := w.URLs()
	env["MCPTETHER_CACHE_DIR"] = t.TempDir()
	var out, errb bytes.Buffer
	code := Run([]string{"scan", "--format", "json", dir}, Env{Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }})
	if code != ExitFindings {
		t.Fatalf("exit %d, stderr %s", code, errb.String())
	}
	var rep struct {
		Servers  []struct{ Kind, Name string }
		Findings []struct{ Rule, Server string }
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, f := range rep.Findings {
		got[f.Server] = append(got[f.Server], f.Rule)
	}
	for _, rules := range got {
		sort.Strings(rules)
	}
	want := map[string]string{"orphan": "repo-owner-claimable", "moved": "repo-owner-claimable,repo-redirected"}
	for server, rules := range want {
		if strings.Join(got[server], ",") != rules {
			t.Errorf("%s: %v, want %s", server, got[server], rules)
		}
	}
	if len(got["local"]) != 0 {
		t.Errorf("local plugin: %v", got["local"])
	}
	if len(rep.Servers) != 3 || rep.Servers[0].Kind != "plugin" {
		t.Errorf("servers = %+v", rep.Servers)
	}
}

// Resurrected repositories in the fake world, through GraphQL (a token)
// and REST (none): a server.json whose recorded repository id is not
// GitHub's, and a package older than its repository. The same id, and a
// repository older than its package, stay clean.
func TestRepoResurrectedEndToEnd(t *testing.T) {
	serverJSON := func(id string) string {
		return `{"$schema": "https://static.modelcontextprotocol.io/schemas/2025-10-17/server.schema.json",
  "name": "io.github.acme/server", "repository": {"url": "https://github.com/acme/server", "source": "github", "id": "` + id + `"},
  "packages": [{"registryType": "npm", "identifier": "@acme/server", "version": "1.2.0", "transport": {"type": "stdio"}}]}`
	}
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		".mcp.json": `{"mcpServers": {
  "reborn":  {"command": "npx", "args": ["-y", "reborn-mcp@1.0.0"]},
  "healthy": {"command": "npx", "args": ["-y", "@acme/server@1.2.0"]}
}}`,
		"recreated/server.json": serverJSON("830366456"),
		"same/server.json":      serverJSON("1"),
	})
	for _, token := range []string{"test-token", ""} {
		w := fakereg.New(t)
		env := w.URLs()
		env["MCPTETHER_CACHE_DIR"] = t.TempDir()
		env["GITHUB_TOKEN"] = token
		var out, errb bytes.Buffer
		code := Run([]string{"scan", "--format", "json", dir}, Env{Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }})
		if code != ExitFindings || errb.Len() != 0 {
			t.Fatalf("token %q: exit %d, stderr %s", token, code, errb.String())
		}
		var rep struct {
			Findings []struct{ Rule, Server, File, Severity, Message string }
		}
		if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range rep.Findings {
			got = append(got, f.Rule+" "+f.Severity+" "+f.Server+" "+strings.TrimPrefix(strings.TrimPrefix(f.File, dir), "/"))
			if f.Rule == "repo-resurrected" && !strings.Contains(f.Message, "830366456") && !strings.Contains(f.Message, "2026-05-01") {
				t.Errorf("message names neither id nor date: %s", f.Message)
			}
		}
		sort.Strings(got)
		want := []string{
			"repo-resurrected critical io.github.acme/server recreated/server.json",
			"repo-resurrected high reborn .mcp.json",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("token %q:\n%s\nwant\n%s", token, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if token != "" && w.GraphQLCalls() != 1 {
			t.Errorf("%d GraphQL requests", w.GraphQLCalls())
		}
	}
}
