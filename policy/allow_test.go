package policy

import (
	"strings"
	"testing"
)

func TestEntryMatch(t *testing.T) {
	npm := func(name, version string) Target { return Target{PURLType: "npm", PURLName: name, Version: version} }
	pypi := func(name, version string) Target { return Target{PURLType: "pypi", PURLName: name, Version: version} }
	for _, c := range []struct {
		entry Entry
		t     Target
		want  bool
	}{
		// packages: scopes, globs within a segment, versions only when given
		{Entry{Package: "pkg:npm/@modelcontextprotocol/*"}, npm("@modelcontextprotocol/server-filesystem", "1.0.0"), true},
		{Entry{Package: "pkg:npm/@modelcontextprotocol/*"}, npm("@modelcontextprotocol/server-filesystem", ""), true},
		{Entry{Package: "pkg:npm/@modelcontextprotocol/*"}, npm("@modelcontext-protocol/server-github", "1.0.0"), false},
		{Entry{Package: "pkg:npm/@modelcontextprotocol/*"}, npm("modelcontextprotocol-server", "1.0.0"), false},
		{Entry{Package: "pkg:npm/*"}, npm("@acme/server", "1.0.0"), false}, // * stays within a segment
		{Entry{Package: "pkg:npm/**"}, npm("@acme/server", "1.0.0"), true},
		{Entry{Package: "pkg:npm/mcp-remote"}, npm("mcp-remote", "0.1.0"), true},
		{Entry{Package: "pkg:npm/mcp-remote"}, npm("mcp-remote-x", "0.1.0"), false},
		{Entry{Package: "pkg:npm/@acme/server@1.2.0"}, npm("@acme/server", "1.2.0"), true},
		{Entry{Package: "pkg:npm/@acme/server@1.2.0"}, npm("@acme/server", "1.3.0"), false},
		{Entry{Package: "pkg:npm/@acme/server@1.2.0"}, npm("@acme/server", ""), false}, // unpinned is not that version
		{Entry{Package: "pkg:npm/@acme/server@1.*"}, npm("@acme/server", "1.9.1"), true},
		{Entry{Package: "pkg:npm/@acme/server"}, pypi("@acme/server", "1.0"), false}, // another ecosystem
		{Entry{Package: "pkg:pypi/mcp-server-*"}, pypi("mcp-server-fetch", "2025.4.7"), true},
		{Entry{Package: "pkg:pypi/mcp-server-*"}, pypi("MCP_Server.Fetch", "1"), true}, // PyPI's name rules
		{Entry{Package: "pkg:PyPI/mcp-server-fetch"}, pypi("mcp-server-fetch", "1"), true},
		{Entry{Package: "pkg:npm/x"}, Target{Image: "docker.io/library/x"}, false},
		// images: with and without the registry host, docker.io's library
		{Entry{Image: "ghcr.io/github/github-mcp-server"}, Target{Image: "ghcr.io/github/github-mcp-server"}, true},
		{Entry{Image: "ghcr.io/github/*"}, Target{Image: "ghcr.io/github/github-mcp-server"}, true},
		{Entry{Image: "ghcr.io/github/*"}, Target{Image: "ghcr.io/githubx/server"}, false},
		{Entry{Image: "mcp/*"}, Target{Image: "docker.io/mcp/fetch"}, true},
		{Entry{Image: "docker.io/mcp/fetch"}, Target{Image: "mcp/fetch:1.0"}, true},
		{Entry{Image: "index.docker.io/mcp/fetch"}, Target{Image: "docker.io/mcp/fetch"}, true},
		{Entry{Image: "ubuntu"}, Target{Image: "docker.io/library/ubuntu"}, true},
		{Entry{Image: "mcp/fetch"}, Target{Image: "ghcr.io/mcp/fetch"}, false},
		{Entry{Image: "mcp/fetch:1.0"}, Target{Image: "docker.io/mcp/fetch"}, true}, // a tag in the entry is ignored
		{Entry{Image: "localhost:5000/x"}, Target{Image: "localhost:5000/x"}, true},
		// URLs: * spans slashes
		{Entry{URL: "https://mcp.sentry.dev/*"}, Target{URL: "https://mcp.sentry.dev/mcp/sse"}, true},
		{Entry{URL: "https://mcp.sentry.dev/*"}, Target{URL: "https://mcp.sentry.dev.evil.example/mcp"}, false},
		{Entry{URL: "https://mcp.sentry.dev/*"}, Target{URL: "http://mcp.sentry.dev/mcp"}, false},
		{Entry{URL: "https://*.example.com/mcp"}, Target{URL: "https://api.example.com/mcp"}, true},
		// repositories
		{Entry{Repo: "github.com/acme-corp/*"}, Target{Repo: "github.com/acme-corp/tools"}, true},
		{Entry{Repo: "github.com/acme-corp/*"}, Target{Repo: "github.com/Acme-Corp/Tools"}, true},
		{Entry{Repo: "github.com/acme-corp/*"}, Target{Repo: "github.com/acme-corp-evil/tools"}, false},
		{Entry{Repo: "github.com/acme-corp/tools.git"}, Target{Repo: "github.com/acme-corp/tools"}, true},
		// commands
		{Entry{Command: "node ./servers/*"}, Target{Command: "node ./servers/a/index.js"}, true},
		{Entry{Command: "node ./servers/*"}, Target{Command: "node ./other.js"}, false},
		{Entry{Command: "node ./servers/*"}, Target{}, false},
	} {
		if got := c.entry.Match(c.t); got != c.want {
			t.Errorf("%s vs %+v: %v, want %v", c.entry.What(), c.t, got, c.want)
		}
	}
}

func TestAllowDenyParse(t *testing.T) {
	p, err := Parse("p.yml", []byte(`
allow:
  - package: "pkg:npm/@modelcontextprotocol/*"
  - image: ghcr.io/github/github-mcp-server
  - url: "https://mcp.sentry.dev/*"
  - repo: github.com/acme-corp/*
  - command: "node ./servers/*"
deny:
  - package: pkg:npm/mcp-remote
    reason: use the host's native remote support
`), []string{"unpinned-package"})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Allows) != 1 || len(p.Allows[0]) != 5 || len(p.Deny) != 1 || p.Deny[0].Reason != "use the host's native remote support" || p.Deny[0].Line != 9 {
		t.Errorf("allows %+v deny %+v", p.Allows, p.Deny)
	}
	if p, err := Parse("p.yml", []byte("allow: []\n"), nil); err != nil || len(p.Allows) != 1 || len(p.Allows[0]) != 0 {
		t.Errorf("an empty allow list allows nothing: %+v %v", p, err)
	}
	for src, want := range map[string]string{
		"allow:\n  - package: npm/x\n":                   "p.yml:2:14: package \"npm/x\" is not a package URL",
		"allow:\n  - package: pkg:npm/x\n    image: y\n": "p.yml:2:5: an allow entry names exactly one",
		"deny:\n  - reason: why\n":                       "p.yml:2:5: a deny entry names exactly one",
		"allow:\n  - name: x\n":                          "unknown key \"name\" in an allow entry",
		"allow: x\n":                                     "allow must be a list",
		"lock: [no-such-rule]\n":                         "unknown rule \"no-such-rule\"",
	} {
		_, err := Parse("p.yml", []byte(src), []string{"unpinned-package"})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", src, err, want)
		}
	}
}
