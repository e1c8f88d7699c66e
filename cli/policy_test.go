package cli

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/mcptether/mcptether/internal/gittest"
)

type policyReport struct {
	Notices  []string
	Findings []struct {
		Rule, Server, File, Severity, Message string
		Line                                  int
	}
	Suppressed []struct{ Rule string }
	Policy     struct {
		Files   []string
		Refused int
	}
}

func scanJSON(t *testing.T, env map[string]string, args ...string) policyReport {
	t.Helper()
	stdout, stderr, code := runIn(t, env, append([]string{"scan", "--offline", "--format", "json"}, args...)...)
	if code == ExitError {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep policyReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("%v: %s", err, stdout)
	}
	return rep
}

const orgPolicy = `lock: [unpinned-package, server-not-allowed]
allow:
  - package: "pkg:npm/@acme/*"
deny:
  - package: pkg:npm/mcp-remote
    reason: use the host's native remote support
`

// The repository's policy tries to disable a locked rule, to ignore a
// locked rule's findings and to widen the allow list, and a config
// comment tries to ignore one: all refused, each reported where it is
// written, and the findings stay.
func TestOrgPolicyLocks(t *testing.T) {
	work, org := t.TempDir(), filepath.Join(t.TempDir(), "org.yml")
	os.WriteFile(org, []byte(orgPolicy), 0o644)
	writeFiles(t, work, map[string]string{
		".mcp.json": `{"mcpServers": {
  "acme": {"command": "npx", "args": ["-y", "@acme/server"]},
  "other": {"command": "npx", "args": ["-y", "other-mcp@1.0.0"]}
}}`,
		".cursor/mcp.json": "{\"mcpServers\": {\n  // mcptether:ignore server-not-allowed it is fine\n  \"remote\": {\"command\": \"npx\", \"args\": [\"-y\", \"mcp-remote@0.1.18\", \"https://mcp.example.com/sse\"]}\n}}\n",
		".mcptether.yml": `rules:
  unpinned-package:
    disabled: true
ignore:
  - rule: server-not-allowed
    server: other
    reason: we know better
allow:
  - package: "pkg:npm/@acme/*"
  - package: pkg:npm/other-mcp
`,
	})
	t.Chdir(work)
	rep := scanJSON(t, nil, "--org-policy", org, ".")
	var got []string
	for _, f := range rep.Findings {
		got = append(got, f.Rule+" "+f.Server+" "+f.File)
	}
	sort.Strings(got)
	want := []string{
		"policy-locked  .cursor/mcp.json",
		"policy-locked  .mcptether.yml",
		"policy-locked  .mcptether.yml",
		"server-not-allowed other .mcp.json",
		"server-not-allowed remote .cursor/mcp.json",
		"unpinned-package acme .mcp.json",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	lines := map[int]string{}
	for _, f := range rep.Findings {
		if f.Rule == "policy-locked" {
			lines[f.Line] = f.Message
		}
	}
	if !strings.Contains(lines[2], "disabling unpinned-package here has no effect") || !strings.Contains(lines[5], "ignoring findings of server-not-allowed") {
		t.Errorf("policy-locked lines: %v", lines)
	}
	if len(rep.Suppressed) != 0 {
		t.Errorf("suppressed: %+v", rep.Suppressed)
	}
	if strings.Join(rep.Policy.Files, ",") != org+" (org),.mcptether.yml" || rep.Policy.Refused != 2 {
		t.Errorf("policy: %+v", rep.Policy)
	}
	// MCPTETHER_ORG_POLICY does the same.
	if rep := scanJSON(t, map[string]string{"MCPTETHER_ORG_POLICY": org}, "."); len(rep.Findings) != len(want) {
		t.Errorf("MCPTETHER_ORG_POLICY: %d findings", len(rep.Findings))
	}
}

// --policy-rev reads the repository's policy from a git revision: a pull
// request that adds an ignore does not get it applied until it is merged.
func TestPolicyRev(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	work := t.TempDir()
	gitIn := gittest.Runner(t, work)
	gitIn("init", "-q", "-b", "main")
	writeFiles(t, work, map[string]string{
		".mcp.json":      `{"mcpServers": {"a": {"command": "npx", "args": ["-y", "@acme/server"]}}}`,
		".mcptether.yml": "rules:\n  mutable-image:\n    severity: high\n",
	})
	gitIn("add", ".")
	gitIn("commit", "-q", "-m", "base")
	base := gitIn("rev-parse", "HEAD")
	// The pull request: ignores the finding.
	writeFiles(t, work, map[string]string{".mcptether.yml": "ignore:\n  - rule: unpinned-package\n    reason: trust me\n"})
	gitIn("commit", "-q", "-am", "head")
	t.Chdir(work)

	head := scanJSON(t, nil, ".")
	if len(head.Suppressed) != 1 {
		t.Fatalf("the working tree's policy should suppress: %+v", head)
	}
	rep := scanJSON(t, nil, "--policy-rev", base, ".")
	if len(rep.Suppressed) != 0 || len(rep.Findings) != 1 || rep.Findings[0].Rule != "unpinned-package" {
		t.Errorf("judged by the base's policy: findings %+v, suppressed %+v", rep.Findings, rep.Suppressed)
	}
	if strings.Join(rep.Policy.Files, ",") != ".mcptether.yml at "+base {
		t.Errorf("policy files: %q", rep.Policy.Files)
	}

	// A base without a policy: none applies, and the notice says so.
	gitIn("rm", "-q", ".mcptether.yml")
	gitIn("commit", "-q", "-m", "no policy")
	none := gitIn("rev-parse", "HEAD")
	writeFiles(t, work, map[string]string{".mcptether.yml": "ignore:\n  - rule: unpinned-package\n    reason: trust me\n"})
	rep = scanJSON(t, nil, "--policy-rev", none, ".")
	if len(rep.Suppressed) != 0 || len(rep.Notices) != 1 || !strings.Contains(rep.Notices[0], "has no repository policy file") {
		t.Errorf("base without a policy: suppressed %+v, notices %q", rep.Suppressed, rep.Notices)
	}
	// Not a revision, or an option in disguise.
	for _, rev := range []string{"no-such-rev", "--output=/tmp/x"} {
		if _, stderr, code := runIn(t, nil, "scan", "--offline", "--policy-rev", rev, "."); code != ExitError || !strings.Contains(stderr, "--policy-rev") {
			t.Errorf("%s: exit %d, %s", rev, code, stderr)
		}
	}
}
