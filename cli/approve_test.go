package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mcptether/mcptether/internal/gittest"
)

const baseVSCode = `{
  "servers": {
    // mcptether:ignore unpinned-package -- vendored, reviewed in #12
    "old": { "command": "npx", "args": ["-y", "old-tool"] }
  }
}
`

// A pull request adds a server with the comment that would hide its
// finding, and commits a baseline that records it. Judged against the
// base, neither suppresses; the comment and the entry that stood at the
// base still do.
func TestPullRequestCannotApproveItself(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	work := t.TempDir()
	git := gittest.Runner(t, work)
	git("init", "-q", "-b", "main")
	writeFiles(t, work, map[string]string{
		".vscode/mcp.json": baseVSCode,
		".cursor/mcp.json": `{"mcpServers": {"legacy": {"command": "npx", "args": ["-y", "legacy-tool"]}}}`,
	})
	t.Chdir(work)
	if _, stderr, code := runIn(t, offlineEnvMap(), "scan", "--write-baseline", "base.json", "."); code != ExitOK {
		t.Fatalf("write-baseline: %d %s", code, stderr)
	}
	// The baseline at the base knows legacy's finding and old's (which
	// its comment suppresses, so it is not recorded).
	git("add", ".")
	git("commit", "-q", "-m", "base")
	base := git("rev-parse", "HEAD")

	// The pull request: a new line moves old's comment down (still the
	// same comment); evil comes, is recorded in the baseline, and gets a
	// comment of its own.
	moved := strings.Replace(baseVSCode, "{\n  \"servers\"", "{\n  // what we run\n  \"servers\"", 1)
	withEvil := func(comment string) string {
		return strings.Replace(moved, "  }\n}", "    ,\n"+comment+"    \"evil\": { \"command\": \"npx\", \"args\": [\"-y\", \"evil-pkg\"] }\n  }\n}", 1)
	}
	writeFiles(t, work, map[string]string{".vscode/mcp.json": withEvil("")})
	if _, stderr, code := runIn(t, offlineEnvMap(), "scan", "--write-baseline", "base.json", "."); code != ExitOK {
		t.Fatalf("write-baseline: %d %s", code, stderr)
	}
	writeFiles(t, work, map[string]string{".vscode/mcp.json": withEvil("    // mcptether:ignore unpinned-package -- reviewed\n")})
	head2, _ := os.ReadFile(filepath.Join(work, ".vscode/mcp.json"))

	// Without --policy-rev the working tree's suppressions apply, as
	// before: the pull request passes.
	if stdout, _, code := runIn(t, offlineEnvMap(), "scan", "--baseline", "base.json", "."); code != ExitOK {
		t.Errorf("without --policy-rev: exit %d, want 0\n%s", code, stdout)
	}

	// With --policy-rev: evil's finding stays, with two notes.
	rep := scanJSON(t, nil, "--policy-rev", base, "--baseline", "base.json", ".")
	var evil, notes, old, legacy int
	for _, f := range rep.Findings {
		switch {
		case f.Rule == "unpinned-package" && f.Server == "evil":
			evil++
		case f.Rule == "suppression-added":
			notes++
			if f.File == ".vscode/mcp.json" && (f.Line != 7 || !strings.Contains(f.Message, "mcptether:ignore unpinned-package comment is not in the file at "+base)) {
				t.Errorf("comment note: %+v", f)
			}
			if f.File == "base.json" && !strings.Contains(f.Message, "baseline entry (unpinned-package) is not in the baseline at "+base) {
				t.Errorf("baseline note: %+v", f)
			}
		case f.Server == "old":
			old++
		case f.Server == "legacy":
			legacy++
		}
	}
	if evil != 1 || notes != 2 || old != 0 || legacy != 0 {
		t.Errorf("evil %d (want 1), notes %d (want 2), old %d and legacy %d (want 0): %+v\n%s", evil, notes, old, legacy, rep.Findings, head2)
	}
	if _, _, code := runIn(t, offlineEnvMap(), "scan", "--policy-rev", base, "--baseline", "base.json", "."); code != ExitFindings {
		t.Errorf("--policy-rev: exit %d, want %d", code, ExitFindings)
	}

	// A base without the baseline: every finding counts, and a notice
	// says why.
	git("rm", "-q", "--cached", "base.json")
	git("commit", "-q", "-m", "no baseline")
	rep = scanJSON(t, nil, "--policy-rev", git("rev-parse", "HEAD"), "--baseline", "base.json", ".")
	if !strings.Contains(strings.Join(rep.Notices, "\n"), "does not exist at") {
		t.Errorf("notices %q", rep.Notices)
	}
}

func offlineEnvMap() map[string]string { return map[string]string{"MCPTETHER_OFFLINE": "true"} }
