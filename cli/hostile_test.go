package cli

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mcptether/mcptether/internal/fakereg"
)

const unpinnedAcme = "{\"mcpServers\": {\"acme\": {\"command\": \"npx\", \"args\": [\"-y\", \"@acme/server\"]}}}\n"

func runIn(t *testing.T, env map[string]string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(args, Env{Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }})
	return out.String(), errb.String(), code
}

// The pull request plants links where the Action writes its reports.
func TestReportsDoNotFollowPlantedLinks(t *testing.T) {
	work, outside := t.TempDir(), t.TempDir()
	victim := filepath.Join(outside, "victim")
	os.WriteFile(victim, []byte("precious"), 0o644)
	writeFiles(t, work, map[string]string{".mcp.json": unpinnedAcme})
	for _, name := range []string{"mcptether.sarif", "mcptether.sarif.tmp", "out.json", "out.json.tmp", "base.json", "base.json.tmp"} {
		if err := os.Symlink(victim, filepath.Join(work, name)); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(work)
	env := map[string]string{"MCPTETHER_OFFLINE": "true"}
	if _, stderr, code := runIn(t, env, "scan", "--sarif-file", "mcptether.sarif", "--format", "json", "--output", "out.json", "."); code != ExitFindings {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, stderr, code := runIn(t, env, "scan", "--write-baseline", "base.json", "."); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if data, _ := os.ReadFile(victim); string(data) != "precious" {
		t.Errorf("a file outside the workspace was overwritten: %.60q", data)
	}
	for _, name := range []string{"mcptether.sarif", "out.json", "base.json"} {
		if fi, err := os.Lstat(name); err != nil || !fi.Mode().IsRegular() {
			t.Errorf("%s is not the report: %v", name, err)
		}
	}
}

// pin never writes outside the tree, and edits a link's target inside it
// instead of replacing the link with a copy.
func TestPinStaysInTheTree(t *testing.T) {
	w := fakereg.New(t)
	env := w.URLs()
	env["MCPTETHER_CACHE_DIR"] = t.TempDir()
	work, outside := t.TempDir(), t.TempDir()
	writeFiles(t, outside, map[string]string{"mcp.json": unpinnedAcme})
	writeFiles(t, work, map[string]string{"shared.json": unpinnedAcme, ".cursor/.keep": ""})
	os.Symlink(outside, filepath.Join(work, ".roo"))
	os.Symlink("../shared.json", filepath.Join(work, ".cursor", "mcp.json"))
	t.Chdir(work)

	_, stderr, code := runIn(t, env, "pin", ".roo/mcp.json")
	if code != ExitError || !strings.Contains(stderr, "out of the tree") {
		t.Errorf("pin through a linked folder: exit %d, stderr %q", code, stderr)
	}
	if data, _ := os.ReadFile(filepath.Join(outside, "mcp.json")); string(data) != unpinnedAcme {
		t.Errorf("the outside file was rewritten: %s", data)
	}

	stdout, stderr, code := runIn(t, env, "pin", ".")
	if code != ExitOK {
		t.Fatalf("pin: exit %d, %s %s", code, stdout, stderr)
	}
	if fi, err := os.Lstat(".cursor/mcp.json"); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the in-tree link was replaced: %v", err)
	}
	if data, _ := os.ReadFile("shared.json"); !strings.Contains(string(data), "@acme/server@1.2.0") {
		t.Errorf("the link's target was not pinned: %s\n%s", data, stdout)
	}
	if data, _ := os.ReadFile(filepath.Join(outside, "mcp.json")); string(data) != unpinnedAcme {
		t.Errorf("the outside file was rewritten: %s", data)
	}
}

// A committed .npmrc points npm at a registry on loopback (it could be a
// metadata endpoint or an internal service): lookups would use it, as npx
// would, but it is the tree's word, not a configured endpoint, so it is
// never contacted; the override is a finding and every output says where
// lookups went.
func TestTreeNpmrcCannotReachLocalAddresses(t *testing.T) {
	var hits atomic.Int64
	local := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		rw.Write([]byte(`{"name":"@acme/server","dist-tags":{"latest":"1.2.0"},"versions":{"1.2.0":{}}}`))
	}))
	defer local.Close()
	w := fakereg.New(t)
	env := w.URLs()
	delete(env, "MCPTETHER_NPM_REGISTRY")
	env["MCPTETHER_CACHE_DIR"] = t.TempDir()
	work := t.TempDir()
	writeFiles(t, work, map[string]string{".mcp.json": unpinnedAcme, ".npmrc": "registry=" + local.URL + "/\n"})
	t.Chdir(work)
	stdout, stderr, code := runIn(t, env, "scan", "--format", "json", ".")
	if code != ExitFindings {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the .npmrc registry on loopback got %d requests", n)
	}
	var rep struct {
		Notices  []string
		Findings []struct{ Rule, Message string }
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	rules := map[string]string{}
	for _, f := range rep.Findings {
		rules[f.Rule] = f.Message
	}
	if !strings.Contains(rules["registry-override"], local.URL) {
		t.Errorf("no registry-override naming the registry: %v", rules)
	}
	if !strings.Contains(rules["unverifiable"], "not a public address") {
		t.Errorf("the npm lookup is not reported as could-not-check: %q", rules["unverifiable"])
	}
	if len(rep.Notices) != 1 || !strings.Contains(rep.Notices[0], "./.npmrc") {
		t.Errorf("notices = %q", rep.Notices)
	}
}

// Literal credentials in env, headers, args, a URL, a local command line
// and a Smithery commandFunction never reach any output in full: text,
// JSON, SARIF, annotations, the step summary and GITHUB_OUTPUT.
func TestNoSecretInAnyOutput(t *testing.T) {
	secrets := map[string]string{
		"env":      "sk-proj-" + strings.Repeat("Ab3dE5gH7jK9", 4) + "Qw",
		"header":   "Zx8Cv6Bn4Mq2Wl0Er7Ty5Ui3Op1As9Df",
		"arg":      "ghp_" + strings.Repeat("R8x2Vb7Kq1Zt", 3),
		"url":      "P4ssw0rd-Xy9QzLm3Tq7",
		"local":    "xoxb-1234567890-abcdefghijKLMN",
		"smithery": "AKIAIOSFODNN7QX5ZR2M",
	}
	work := t.TempDir()
	writeFiles(t, work, map[string]string{
		".mcp.json": `{"mcpServers": {
  "env":    {"command": "npx", "args": ["-y", "@acme/server@1.2.0"], "env": {"OPENAI_API_KEY": "` + secrets["env"] + `"}},
  "remote": {"type": "http", "url": "https://mcp.example.com/mcp", "headers": {"Authorization": "Bearer ` + secrets["header"] + `"}},
  "args":   {"command": "npx", "args": ["-y", "@acme/server@1.2.0", "--github-token", "` + secrets["arg"] + `"]},
  "url":    {"type": "sse", "url": "https://admin:` + secrets["url"] + `@mcp.example.com/sse"},
  "local":  {"command": "/opt/tools/server --slack-token ` + secrets["local"] + ` --verbose"}
}}`,
		"srv/smithery.yaml": "startCommand:\n  type: stdio\n  commandFunction: |-\n    (config) => ({ command: 'npx', args: ['-y', 'notes-mcp-server', '--aws-key', '" + secrets["smithery"] + "'] })\n",
	})
	t.Chdir(work)
	check := func(what, out string) {
		t.Helper()
		for where, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("%s shows the secret from %s in full", what, where)
			}
		}
	}
	for _, format := range []string{"text", "json", "sarif", "github"} {
		env := map[string]string{"MCPTETHER_OFFLINE": "true", "GITHUB_OUTPUT": filepath.Join(work, "out-"+format), "GITHUB_STEP_SUMMARY": filepath.Join(work, "summary-"+format)}
		stdout, stderr, code := runIn(t, env, "scan", "--format", format, "--sarif-file", "report-"+format+".sarif", ".")
		if code != ExitFindings {
			t.Fatalf("%s: exit %d: %s", format, code, stderr)
		}
		if format == "text" && !strings.Contains(stdout, "hardcoded-secret") {
			t.Fatalf("no secret found:\n%s", stdout)
		}
		check(format+" output", stdout+stderr)
		for _, file := range []string{"report-" + format + ".sarif", "out-" + format, "summary-" + format} {
			data, err := os.ReadFile(file)
			if err != nil && format == "github" {
				t.Errorf("%s: %v", file, err)
			}
			check(file, string(data))
		}
	}
	stdout, _, _ := runIn(t, map[string]string{"MCPTETHER_OFFLINE": "true"}, "scan", "--format", "text", ".")
	for _, where := range []string{"env OPENAI_API_KEY", "header Authorization", "args[3]", "url", "command", "args[3] of server \"srv\""} {
		if !strings.Contains(stdout, where) {
			t.Errorf("no hardcoded-secret finding for %s:\n%s", where, stdout)
		}
	}
}

// The policy and the baseline are named by the workflow, but the files at
// those names are the pull request's: a committed link to a device, a
// FIFO or a file outside the tree is refused as a config's would be, and
// never read until memory runs out, waited on, or quoted.
func TestPolicyAndBaselineReadsAreConfined(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("links and FIFOs")
	}
	work, outside := t.TempDir(), t.TempDir()
	secret := "ghp_Tw4Qe8Rn2Mb6Vc1Xz9Lk3Jh7Gf5Ds0Ap4Ou8"
	os.WriteFile(filepath.Join(outside, "creds.yml"), []byte(secret+": 1\n"), 0o600)
	writeFiles(t, work, map[string]string{".mcp.json": unpinnedAcme, "in-tree.yml": "ignore: []\n" + secret + ": 1\n"})
	links := map[string]string{"zero.json": "/dev/zero", "creds.yml": filepath.Join(outside, "creds.yml"), "kmsg.yml": "/proc/kmsg"}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(work, name)); err != nil {
			t.Fatal(err)
		}
	}
	if err := exec.Command("mkfifo", filepath.Join(work, "fifo.json")).Run(); err != nil {
		t.Skip("mkfifo:", err)
	}
	t.Chdir(work)
	for _, args := range [][]string{
		{"--baseline", "zero.json"}, {"--baseline", "fifo.json"}, {"--baseline", "creds.yml"},
		{"--config", "kmsg.yml"}, {"--config", "creds.yml"}, {"--config", "fifo.json"}, {"--config", "zero.json"},
		{"--org-policy", "creds.yml"}, {"--config", "in-tree.yml"},
	} {
		done := make(chan struct{})
		var stdout, stderr string
		var code int
		go func() {
			defer close(done)
			stdout, stderr, code = runIn(t, map[string]string{"MCPTETHER_OFFLINE": "true"}, append(append([]string{"scan"}, args...), ".")...)
		}()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Fatalf("%v: the scan hangs", args)
		}
		if code != ExitError || strings.Contains(stdout+stderr, secret) || strings.Contains(stdout+stderr, "ghp_") {
			t.Errorf("%v: exit %d, want %d without the file's content:\n%s%s", args, code, ExitError, stdout, stderr)
		}
		if !strings.Contains(stderr, "leads out of the tree") && !strings.Contains(stderr, "not a regular file") && !strings.Contains(stderr, "unknown key") {
			t.Errorf("%v: %s", args, stderr)
		}
	}
	// Controls: a policy and a baseline that are files in the tree are
	// read; a policy outside every tree, named by the workflow (the org
	// policy's checkout), is the workflow's choice.
	org := filepath.Join(outside, "org.yml")
	os.WriteFile(org, []byte("rules:\n  unpinned-package:\n    severity: low\n"), 0o644)
	writeFiles(t, work, map[string]string{"base.json": `{"version": 1, "findings": []}`})
	if stdout, stderr, code := runIn(t, map[string]string{"MCPTETHER_OFFLINE": "true"}, "scan", "--org-policy", org, "--baseline", "base.json", "."); code != ExitOK || !strings.Contains(stdout, "low") {
		t.Errorf("controls: exit %d\n%s%s", code, stdout, stderr)
	}
}
