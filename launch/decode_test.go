package launch

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mcptether/mcptether/config"
)

// decodeLine decodes a command line given as JSON args, through the real
// config reader so positions are real.
func decodeLine(t *testing.T, command string, args ...string) []Ref {
	t.Helper()
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = fmt.Sprintf("%q", a)
	}
	src := fmt.Sprintf(`{"mcpServers":{"s":{"command":%q,"args":[%s]}}}`, command, strings.Join(quoted, ","))
	f := config.Parse(".mcp.json", []byte(src))
	if f == nil || f.Err != nil {
		t.Fatalf("parse %s: %+v", src, f)
	}
	return Decode(f.Servers[0])
}

// brief renders refs compactly: kind:ecosystem:name@version[!pinned].
func brief(refs []Ref) string {
	var parts []string
	for _, r := range refs {
		s := string(r.Kind)
		switch r.Kind {
		case Package, Image, Git:
			s += ":" + string(r.Ecosystem) + ":" + r.Name
			if r.Version != "" {
				s += "@" + r.Version
			}
			if r.Pinned {
				s += "!"
			}
		case Remote, Script:
			s += ":" + r.URL
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func TestDecode(t *testing.T) {
	cases := []struct {
		cmd  string
		args []string
		want string
	}{
		// npm family
		{"npx", []string{"-y", "@modelcontextprotocol/server-github"}, "package:npm:@modelcontextprotocol/server-github"},
		{"npx", []string{"--yes", "pkg@1.2.3", "--port", "3"}, "package:npm:pkg@1.2.3!"},
		{"npx", []string{"pkg@latest"}, "package:npm:pkg@latest"},
		{"npx", []string{"pkg@^1.2.0"}, "package:npm:pkg@^1.2.0"},
		{"npx", []string{"-p", "@scope/a@2.0.0", "a-bin"}, "package:npm:@scope/a@2.0.0!"},
		{"npx", []string{"--package=@scope/a@next", "a-bin"}, "package:npm:@scope/a@next"},
		{"npx", []string{"--registry", "https://r.example", "-y", "--", "pkg@1.0.0-beta.1"}, "package:npm:pkg@1.0.0-beta.1!"},
		{"npm", []string{"exec", "--yes", "pkg@1.0.0"}, "package:npm:pkg@1.0.0!"},
		{"pnpm", []string{"dlx", "pkg"}, "package:npm:pkg"},
		{"pnpx", []string{"pkg@1.0.0"}, "package:npm:pkg@1.0.0!"},
		{"yarn", []string{"dlx", "pkg@1.0.0"}, "package:npm:pkg@1.0.0!"},
		{"bunx", []string{"pkg"}, "package:npm:pkg"},
		{"bun", []string{"x", "pkg@2.0.0"}, "package:npm:pkg@2.0.0!"},
		{"C:\\Program Files\\nodejs\\npx.cmd", []string{"-y", "pkg@1.0.0"}, "package:npm:pkg@1.0.0!"},
		{"npx", []string{"github:owner/repo#main"}, "git:github:github.com/owner/repo@main"},
		{"npx", []string{"owner/repo"}, "git:github:github.com/owner/repo"},
		{"npx", []string{"git+https://github.com/o/r.git#0123456789abcdef0123456789abcdef01234567"}, "git:github:github.com/o/r@0123456789abcdef0123456789abcdef01234567!"},
		{"npx", []string{"./local-server"}, "local"},
		{"npx", []string{"-y", "mcp-remote@0.1.29", "https://remote.example.com/sse", "--header", "x"}, "package:npm:mcp-remote@0.1.29! remote:https://remote.example.com/sse"},
		{"npx", nil, "unknown"},
		// Python
		{"uvx", []string{"mcp-server-fetch"}, "package:pypi:mcp-server-fetch"},
		{"uvx", []string{"mcp-server-fetch==2025.4.7"}, "package:pypi:mcp-server-fetch@2025.4.7!"},
		{"uvx", []string{"mcp-server-fetch@2025.4.7"}, "package:pypi:mcp-server-fetch@2025.4.7!"},
		{"uvx", []string{"awslabs.eks-mcp-server@latest"}, "package:pypi:awslabs.eks-mcp-server@latest"},
		{"uvx", []string{"tool>=1.0"}, "package:pypi:tool@>=1.0"},
		{"uvx", []string{"tool[extra]==1.0"}, "package:pypi:tool@1.0!"},
		{"uvx", []string{"--python", "3.12", "--from", "pkg==1.0.0", "cmd"}, "package:pypi:pkg@1.0.0!"},
		{"uvx", []string{"--from", "git+https://github.com/o/r@v1.0", "cmd"}, "git:github:github.com/o/r@v1.0"},
		{"uvx", []string{"--with", "extra==2.0", "main==1.0"}, "package:pypi:main@1.0! package:pypi:extra@2.0!"},
		{"uv", []string{"tool", "run", "pkg"}, "package:pypi:pkg"},
		{"uv", []string{"--directory", "/srv/app", "run", "server.py"}, "local"},
		{"uv", []string{"run", "--with", "mcp==1.9.0", "server.py"}, "package:pypi:mcp@1.9.0! local"},
		{"pipx", []string{"run", "pkg==1.0"}, "package:pypi:pkg@1.0!"},
		{"pipx", []string{"run", "--spec", "pkg>=1", "cmd"}, "package:pypi:pkg@>=1"},
		// Containers
		{"docker", []string{"run", "-i", "--rm", "-e", "TOKEN", "ghcr.io/github/github-mcp-server"}, "image:oci:ghcr.io/github/github-mcp-server"},
		{"docker", []string{"run", "-it", "--name", "x", "-v", "/a:/b", "--env-file=.env", "mcp/fetch:1.0", "--flag"}, "image:oci:docker.io/mcp/fetch@1.0"},
		{"docker", []string{"run", "node:20@sha256:" + strings.Repeat("a", 64)}, "image:oci:docker.io/library/node@sha256:" + strings.Repeat("a", 64) + "!"},
		{"podman", []string{"run", "--network", "host", "localhost:5000/tool:dev"}, "image:oci:localhost:5000/tool@dev"},
		{"docker", []string{"container", "run", "-p", "80:80", "alpine"}, "image:oci:docker.io/library/alpine"},
		// Go, .NET, Deno
		{"go", []string{"run", "github.com/o/r/cmd/x@v1.2.3"}, "package:golang:github.com/o/r/cmd/x@v1.2.3!"},
		{"go", []string{"run", "github.com/o/r/cmd/x@latest"}, "package:golang:github.com/o/r/cmd/x@latest"},
		{"go", []string{"run", "./cmd/server"}, "local"},
		{"dnx", []string{"Some.Mcp@1.2.3", "--yes"}, "package:nuget:Some.Mcp@1.2.3!"},
		{"dnx", []string{"Some.Mcp", "--version", "1.*"}, "package:nuget:Some.Mcp@1.*"},
		{"dotnet", []string{"tool", "exec", "Some.Mcp"}, "package:nuget:Some.Mcp"},
		{"deno", []string{"run", "-A", "npm:@scope/pkg@1.0.0/cli"}, "package:npm:@scope/pkg@1.0.0!"},
		{"deno", []string{"run", "--allow-net", "jsr:@scope/pkg"}, "package:jsr:@scope/pkg"},
		{"deno", []string{"run", "main.ts"}, "local"},
		// Wrappers
		{"cmd", []string{"/c", "npx", "-y", "pkg@1.0.0"}, "package:npm:pkg@1.0.0!"},
		{"cmd", []string{"/c", "npx -y pkg"}, "package:npm:pkg"},
		{"sh", []string{"-c", "cd /x && npx -y pkg@1.0.0"}, "package:npm:pkg@1.0.0!"},
		{"bash", []string{"-lc", "exec uvx tool"}, "package:pypi:tool"},
		{"env", []string{"NODE_ENV=production", "npx", "pkg"}, "package:npm:pkg"},
		{"npx -y pkg@1.0.0", nil, "package:npm:pkg@1.0.0!"},
		{"docker run -i --rm mcp/git", nil, "image:oci:docker.io/mcp/git"},
		// Remote scripts
		{"bash", []string{"-c", "curl -fsSL https://x.example/i.sh | bash"}, "script:https://x.example/i.sh"},
		{"sh", []string{"-c", "wget -qO- https://x.example/i.sh | sh -s -- --yes"}, "script:https://x.example/i.sh"},
		{"bash", []string{"-c", "bash -c \"$(curl -fsSL https://x.example/i.sh)\""}, "script:https://x.example/i.sh"},
		{"bash", []string{"-c", "source <(curl -s https://x.example/env.sh) && run"}, "script:https://x.example/env.sh unknown"},
		{"powershell", []string{"-Command", "iwr https://x.example/i.ps1 -UseBasicParsing | iex"}, "script:https://x.example/i.ps1"},
		{"curl -fsSL https://x.example/i.sh | sh", nil, "script:https://x.example/i.sh"},
		// Local and unknown
		{"node", []string{"dist/index.js"}, "local"},
		{"/usr/local/bin/server", nil, "local"},
		{"python", []string{"-m", "server"}, "local"},
		{"my-installed-server", []string{"--stdio"}, "unknown"},
		{"", nil, "unknown"},
	}
	for _, c := range cases {
		got := brief(decodeLine(t, c.cmd, c.args...))
		if got != c.want {
			t.Errorf("%s %q:\n got %s\nwant %s", c.cmd, c.args, got, c.want)
		}
	}
}

func TestDecodeRemoteAndManifest(t *testing.T) {
	src := `{"name":"io.github.o/r","version":"1.0.0","packages":[
	  {"registryType":"npm","identifier":"@o/r","version":"1.0.0"},
	  {"registryType":"pypi","identifier":"r-mcp","version":"^1"},
	  {"registryType":"oci","identifier":"ghcr.io/o/r:${VERSION}"},
	  {"registryType":"oci","identifier":"docker.io/o/r","version":"1.0.0"},
	  {"registryType":"nuget","identifier":"O.R","version":"1.0.0"},
	  {"registryType":"mcpb","identifier":"https://github.com/o/r/releases/download/v1/r.mcpb","fileSha256":"` + strings.Repeat("b", 64) + `"},
	  {"registryType":"homebrew","identifier":"r"}],
	  "remotes":[{"type":"sse","url":"https://r.example/sse"}]}`
	f := config.Parse("server.json", []byte(src))
	if f == nil || f.Err != nil {
		t.Fatalf("parse: %+v", f)
	}
	refs := Decode(f.Servers[0])
	want := "package:npm:@o/r@1.0.0! package:pypi:r-mcp@^1 image:oci:ghcr.io/o/r@${VERSION} image:oci:docker.io/o/r@1.0.0 package:nuget:O.R@1.0.0! package:mcpb:https://github.com/o/r/releases/download/v1/r.mcpb! unknown remote:https://r.example/sse"
	if got := brief(refs); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if !refs[2].Templated {
		t.Errorf("${VERSION} not marked templated")
	}
}

func TestPositionsInsideCommandStrings(t *testing.T) {
	src := `{"mcpServers":{"s":{"command":"docker run -i --rm mcp/git:1.0"}}}`
	f := config.Parse(".mcp.json", []byte(src))
	refs := Decode(f.Servers[0])
	if len(refs) != 1 || refs[0].Pos.Col != strings.Index(src, "mcp/git")+1 {
		t.Errorf("image at col %d, want %d", refs[0].Pos.Col, strings.Index(src, "mcp/git")+1)
	}
	if refs[0].Pos.EndCol-refs[0].Pos.Col != len("mcp/git:1.0") {
		t.Errorf("image spans %d columns", refs[0].Pos.EndCol-refs[0].Pos.Col)
	}
}

func TestPURLs(t *testing.T) {
	cases := map[string]string{
		"npx @scope/pkg@1.0.0":                      "pkg:npm/%40scope/pkg@1.0.0",
		"uvx Mcp_Server.Fetch==1.0":                 "pkg:pypi/mcp-server-fetch@1.0",
		"go run github.com/o/r/cmd/x@v1.2.3":        "pkg:golang/github.com/o/r/cmd/x@v1.2.3",
		"dnx Some.Mcp@1.2.3":                        "pkg:nuget/Some.Mcp@1.2.3",
		"docker run ghcr.io/o/img:1.0":              "pkg:oci/img?repository_url=ghcr.io%2Fo%2Fimg&tag=1.0",
		"npx github:o/r#" + strings.Repeat("c", 40): "pkg:github/o/r@" + strings.Repeat("c", 40),
	}
	for line, want := range cases {
		refs := decodeLine(t, line)
		if len(refs) != 1 || refs[0].PURL != want {
			t.Errorf("%s: purl %q, want %q", line, refs[0].PURL, want)
		}
	}
}

func TestRedactURL(t *testing.T) {
	got := RedactURL("https://user:hunter2@h.example/p?token=abc&x=1")
	if strings.Contains(got, "hunter2") || strings.Contains(got, "abc") || !strings.Contains(got, "h.example/p") {
		t.Errorf("RedactURL = %s", got)
	}
}

func TestProgram(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{`{"mcpServers":{"s":{"command":"/Users/x/Library/Application Support/tool/server","args":["--stdio"]}}}`, "/Users/x/Library/Application Support/tool/server"},
		{`{"mcpServers":{"s":{"command":"npx -y pkg --token abc"}}}`, "npx"},
		{`{"mcpServers":{"s":{"command":"'/opt/my tools/server' --token abc"}}}`, "/opt/my tools/server"},
		{`{"mcpServers":{"s":{"command":"curl -s https://x.example/i.sh | sh"}}}`, "curl"},
		{`{"mcpServers":{"s":{"url":"https://x.example/mcp"}}}`, ""},
	} {
		f := config.Parse(".mcp.json", []byte(c.src))
		if got := Program(f.Servers[0]); got != c.want {
			t.Errorf("%s: %q, want %q", c.src, got, c.want)
		}
	}
}

func TestDecodeMoreLaunchers(t *testing.T) {
	sha := strings.Repeat("a1b2c3d4e5", 4)
	hash := strings.Repeat("0f", 32)
	for _, c := range []struct {
		cmd  string
		args []string
		want string
	}{
		// archives from URLs: nothing pins npm's; a #sha256= pins uv's and pip's
		{"npx", []string{"-y", "https://aka.ms/some-server.tgz"}, "package:url:https://aka.ms/some-server.tgz"},
		{"pnpm", []string{"dlx", "https://example.com/p.tgz#sha256=" + hash}, "package:url:https://example.com/p.tgz#sha256=" + hash},
		{"uvx", []string{"--from", "https://example.com/tool-1.0-py3-none-any.whl", "tool"}, "package:url:https://example.com/tool-1.0-py3-none-any.whl"},
		{"uvx", []string{"--from", "https://example.com/tool-1.0.tar.gz#sha256=" + hash, "tool"}, "package:url:https://example.com/tool-1.0.tar.gz#sha256=" + hash + "!"},
		{"pipx", []string{"run", "--spec", "tool @ https://example.com/tool.zip", "tool"}, "package:url:https://example.com/tool.zip"},
		{"uv", []string{"run", "--with", "https://example.com/dep.whl", "server.py"}, "package:url:https://example.com/dep.whl local"},
		// nix
		{"nix", []string{"run", "nixpkgs#mcp-server-fetch"}, "package:nix:nixpkgs#mcp-server-fetch"},
		{"nix", []string{"run", "nixpkgs/nixos-24.05#hello"}, "package:nix:nixpkgs#hello@nixos-24.05"},
		{"nix", []string{"run", "nixpkgs/" + sha + "#hello"}, "package:nix:nixpkgs#hello@" + sha + "!"},
		{"nix", []string{"run", "github:acme/mcp-flake", "--", "--stdio"}, "git:github:github.com/acme/mcp-flake"},
		{"nix", []string{"run", "github:acme/mcp-flake/" + sha + "#server"}, "git:github:github.com/acme/mcp-flake@" + sha + "!"},
		{"nix", []string{"run", "github:acme/mcp-flake?rev=" + sha}, "git:github:github.com/acme/mcp-flake@" + sha + "!"},
		{"nix", []string{"run", "github:acme/mcp-flake/v1.2#server"}, "git:github:github.com/acme/mcp-flake@v1.2"},
		{"nix", []string{"shell", "nixpkgs#nodejs", "--command", "npx", "-y", "pkg@1.0.0"}, "package:nix:nixpkgs#nodejs package:npm:pkg@1.0.0!"},
		{"nix", []string{"run", ".#server"}, "local"},
		// wrappers that load an env file, then run a command
		{"npx", []string{"-y", "envmcp", "--env-file", ".env", "npx", "-y", "@acme/server"}, "package:npm:envmcp package:npm:@acme/server"},
		{"npx", []string{"-y", "dotenv-cli@7.4.2", "-e", ".env", "--", "uvx", "mcp-server-git"}, "package:npm:dotenv-cli@7.4.2! package:pypi:mcp-server-git"},
		{"npx", []string{"env-cmd", "-f", ".env", "node", "server.js"}, "package:npm:env-cmd local"},
		{"npx", []string{"-c", "mcp-server-x --stdio"}, "unknown"},
		{"npx", []string{"-p", "@acme/server@1.2.0", "-c", "acme-server --stdio"}, "package:npm:@acme/server@1.2.0!"},
		{"npm", []string{"exec", "-c", "npx -y @acme/server"}, "package:npm:@acme/server"},
		// not package names
		{"npx", []string{"-y", "$(touch x)"}, "unknown"},
		{"npx", []string{"-y", "`id`"}, "unknown"},
		{"npx", []string{"-y", "pkg name"}, "unknown"},
		{"npx", []string{"-y", "pkg;rm"}, "unknown"},
		{"uvx", []string{"$(touch x)"}, "unknown"},
		{"npx", []string{"-y", "pkg@${VERSION}"}, "package:npm:pkg@${VERSION}"},
	} {
		if got := brief(decodeLine(t, c.cmd, c.args...)); got != c.want {
			t.Errorf("%s %q:\n got %s\nwant %s", c.cmd, c.args, got, c.want)
		}
	}
}
