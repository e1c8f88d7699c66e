package cli

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readOutputs parses a $GITHUB_OUTPUT file: "name=value" lines and
// "name<<DELIM" blocks.
func readOutputs(t *testing.T, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if name, delim, ok := strings.Cut(line, "<<"); ok {
			var val []string
			for sc.Scan() && sc.Text() != delim {
				val = append(val, sc.Text())
			}
			out[name] = strings.Join(val, "\n")
		} else if name, val, ok := strings.Cut(line, "="); ok {
			out[name] = val
		}
	}
	return out
}

func TestGitHubActionsEnvironment(t *testing.T) {
	t.Chdir("..")
	wd, _ := os.Getwd()
	tmp := t.TempDir()
	env := map[string]string{
		"GITHUB_ACTIONS":      "true",
		"MCPTETHER_OFFLINE":   "true",
		"GITHUB_OUTPUT":       filepath.Join(tmp, "output"),
		"GITHUB_STEP_SUMMARY": filepath.Join(tmp, "summary.md"),
		"GITHUB_SERVER_URL":   "https://github.example.com",
		"GITHUB_REPOSITORY":   "acme/repo",
		"GITHUB_SHA":          "0123abc",
		"GITHUB_WORKSPACE":    wd,
	}
	sarifPath := filepath.Join(tmp, "results.sarif")
	var stdout, stderr bytes.Buffer
	code := Run([]string{"scan", "--format", "github", "--sarif-file", sarifPath, "testdata/example"},
		Env{Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string { return env[k] }})
	if code != ExitFindings || stderr.Len() != 0 {
		t.Fatalf("exit %d, stderr %s", code, stderr.String())
	}
	outputs := readOutputs(t, env["GITHUB_OUTPUT"])
	if outputs["findings"] != "35" || outputs["highest-severity"] != "critical" || outputs["sarif-file"] != sarifPath {
		t.Errorf("outputs = %q", outputs)
	}
	if _, err := os.Stat(sarifPath); err != nil {
		t.Errorf("SARIF not written: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if !strings.HasPrefix(lines[0], "::error col=34,endColumn=64,file=testdata/example/.mcp.json,line=20,title=remote-script (critical)::") {
		t.Errorf("first annotation is not the critical one: %s", lines[0])
	}
	kinds := map[string]int{}
	for _, l := range lines[:len(lines)-1] {
		kinds[strings.SplitN(l, " ", 2)[0]]++
	}
	// GitHub shows ten of each kind per step: the ten most severe errors,
	// two low findings, then one notice for the errors left out.
	if kinds["::error"] != 10 || kinds["::warning"] != 6 || kinds["::notice"] != 3 {
		t.Errorf("annotation kinds = %v", kinds)
	}
	if !strings.Contains(stdout.String(), "::notice title=mcptether::17 more findings are not annotated (17 errors)") {
		t.Errorf("no notice for the findings left out:\n%s", stdout.String())
	}
	summary, err := os.ReadFile(env["GITHUB_STEP_SUMMARY"])
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"## mcptether",
		"| critical | 1 |",
		"| high | 26 |",
		"| [unpinned-package](https://github.com/mcptether/mcptether/blob/main/docs/rules/unpinned-package.md) | 14 |",
		"[testdata/example/.mcp.json:20](https://github.example.com/acme/repo/blob/0123abc/testdata/example/.mcp.json#L20)",
		"Offline: registry, repository and owner lookups were not made",
	} {
		if !bytes.Contains(summary, []byte(want)) {
			t.Errorf("summary lacks %q:\n%s", want, summary)
		}
	}
	if bytes.Contains(summary, []byte("ghp_R8x2")) {
		t.Error("summary prints a secret")
	}
}

func TestGitHubFormatOutsideActions(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, ".mcp.json"), []byte(`{"mcpServers":{"a":{"command":"npx","args":["pkg"]}}}`), 0o644)
	stdout, stderr, code := run(t, "scan", "--format", "github", dir)
	if code != ExitFindings || stderr != "" || !strings.HasPrefix(stdout, "::error ") || strings.Contains(stdout, "set-output") {
		t.Errorf("exit %d stdout %q stderr %q", code, stdout, stderr)
	}
	// An output file that cannot be written is an error, not a crash.
	env := map[string]string{"GITHUB_OUTPUT": dir, "MCPTETHER_OFFLINE": "true"} // a directory
	var out, errb bytes.Buffer
	code = Run([]string{"scan", "--format", "github", dir}, Env{Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }})
	if code != ExitError || !strings.Contains(errb.String(), "failed to write GitHub Actions outputs") {
		t.Errorf("exit %d stderr %q", code, errb.String())
	}
}
