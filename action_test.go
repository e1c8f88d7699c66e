package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/mcptether/mcptether/internal/gittest"
	"go.yaml.in/yaml/v3"
)

type action struct {
	Inputs  map[string]struct{ Description, Default string }
	Outputs map[string]struct{ Description, Value string }
	Runs    struct {
		Using string
		Steps []struct {
			ID   string
			Uses string
			Run  string
			Env  map[string]string
		}
	}
}

func loadAction(t *testing.T) action {
	t.Helper()
	data, err := os.ReadFile("action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var a action
	if err := yaml.Unmarshal(data, &a); err != nil {
		t.Fatal(err)
	}
	return a
}

// TestActionPassesEveryInput runs the scan step's own script with a
// stand-in binary that records its arguments, and checks each input
// reaches it; and that each input and output is documented in the README.
func TestActionPassesEveryInput(t *testing.T) {
	a := loadAction(t)
	if a.Runs.Using != "composite" {
		t.Fatalf("runs.using = %s", a.Runs.Using)
	}
	var step = -1
	for i, s := range a.Runs.Steps {
		if s.ID == "scan" {
			step = i
		}
		if s.Uses != "" && !regexp.MustCompile(`@[0-9a-f]{40}( |$)`).MatchString(s.Uses) {
			t.Errorf("step uses %q, not pinned to a commit", s.Uses)
		}
	}
	if step < 0 {
		t.Fatal("no step with id scan")
	}
	scan := a.Runs.Steps[step]
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash not found")
	}
	tmp := t.TempDir()
	argsFile := filepath.Join(tmp, "args")
	fake := "#!/usr/bin/env bash\nprintf '%s\\n' \"$@\" > " + argsFile + "\nprintf 'token=%s\\n' \"$GITHUB_TOKEN\" >> " + argsFile + "\n"
	if err := os.WriteFile(filepath.Join(tmp, "mcptether"), []byte(fake), 0o755); err != nil {
		t.Fatal(err)
	}
	// The working directory is a clone whose base commit is present: the
	// step passes it as --policy-rev on a pull request.
	gitIn := gittest.Runner(t, tmp)
	gitIn("init", "-q")
	gitIn("commit", "-q", "--allow-empty", "-m", "base")
	base := gitIn("rev-parse", "HEAD")
	values := map[string]string{
		"inputs.path": "configs/a  dir-b\n*.json", "inputs.sarif-file": "out/results.sarif", "inputs.fail-on": "medium", "inputs.offline": "true", "inputs.submit-dependencies": "true",
		"inputs.config": "policy/team.yml", "inputs.github-token": "tok-123", "inputs.args": "--no-ignore --show-suppressed",
		"inputs.org-policy": "org/one.yml\n\norg/two words.yml", "inputs.policy-from": "base",
		"github.event_name": "pull_request", "github.event.pull_request.base.sha": base,
	}
	env := []string{"RUNNER_TEMP=" + tmp, "PATH=" + os.Getenv("PATH"), "HOME=" + tmp}
	for name, expr := range scan.Env {
		m := regexp.MustCompile(`^\$\{\{ ((?:inputs|github)\.[a-z_.-]+) \}\}$`).FindStringSubmatch(expr)
		if m == nil {
			t.Fatalf("env %s = %q is not an input or a github context value", name, expr)
		}
		v, ok := values[m[1]]
		if !ok {
			t.Fatalf("test has no value for %s", m[1])
		}
		env = append(env, name+"="+v)
	}
	cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", scan.Run)
	cmd.Env = env
	cmd.Dir = tmp
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("scan step failed: %v\n%s", err, out)
	}
	got, err := os.ReadFile(argsFile)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"scan", "--format", "github", "--sarif-file", "out/results.sarif", "--fail-on", "medium", "--offline", "--submit-dependencies",
		"--config", "policy/team.yml", "--org-policy", "org/one.yml", "--org-policy", "org/two words.yml", "--policy-rev", base,
		"--no-ignore", "--show-suppressed", "--", "configs/a", "dir-b", "*.json", "token=tok-123"}
	if lines := strings.Split(strings.TrimSpace(string(got)), "\n"); !slices.Equal(lines, want) {
		t.Errorf("binary got %q,\nwant %q", lines, want)
	}
	for name := range a.Inputs {
		if !slices.ContainsFunc(slices.Collect(func(yield func(string) bool) {
			for _, v := range scan.Env {
				if !yield(v) {
					return
				}
			}
		}), func(v string) bool { return v == "${{ inputs."+name+" }}" }) {
			t.Errorf("input %s is not passed to the scan step", name)
		}
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for name := range a.Inputs {
		if !strings.Contains(string(readme), "| `"+name+"` |") {
			t.Errorf("input %s is not documented in the README's inputs table", name)
		}
	}
	for name, o := range a.Outputs {
		if !strings.Contains(string(readme), "| `"+name+"` |") || !strings.Contains(o.Value, "steps.scan.outputs."+name) {
			t.Errorf("output %s: not documented or not wired (%q)", name, o.Value)
		}
	}
}
