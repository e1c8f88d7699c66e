package cli

import (
	"bytes"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// TestMain points any stray request at a closed loopback port: go test
// never reaches the internet, and a test that forgets --offline fails.
func TestMain(m *testing.M) {
	for _, k := range []string{"HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"} {
		os.Setenv(k, "http://127.0.0.1:9")
	}
	os.Setenv("NO_PROXY", "127.0.0.1,localhost")
	os.Setenv("no_proxy", "127.0.0.1,localhost")
	os.Exit(m.Run())
}

// offlineEnv is an environment for offline scans.
func offlineEnv(k string) string {
	if k == "MCPTETHER_OFFLINE" {
		return "true"
	}
	return ""
}

func run(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Run(args, Env{Stdout: &out, Stderr: &errb, Getenv: offlineEnv})
	return out.String(), errb.String(), code
}

// TestGolden scans the bundled example repository in every format and
// compares with testdata/golden (go test ./cli -update rewrites them).
func TestGolden(t *testing.T) {
	t.Chdir("..")
	Version = "test"
	t.Cleanup(func() { Version = "" })
	// SARIF URIs are relative to the repository root, which its
	// originalUriBaseIds names: the golden file says REPO for it.
	repo, _ := os.Getwd()
	rootURI := (&url.URL{Scheme: "file", Path: filepath.ToSlash(repo) + "/"}).String()
	for _, c := range []struct{ format, file string }{
		{"text", "example.txt"}, {"json", "example.json"}, {"sarif", "example.sarif"}, {"github", "example.github.txt"},
		{"cyclonedx", "example.cdx.json"},
	} {
		var out, errb bytes.Buffer
		now := func() time.Time { return time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC) }
		code := Run([]string{"scan", "--format", c.format, "testdata/example"}, Env{Stdout: &out, Stderr: &errb, Now: now, Getenv: func(k string) string {
			if k == "GITHUB_WORKSPACE" {
				return repo
			}
			return offlineEnv(k)
		}})
		stdout := strings.ReplaceAll(out.String(), rootURI, "file:///REPO/")
		stderr := errb.String()
		if code != ExitFindings || stderr != "" {
			t.Errorf("%s: exit %d, stderr %q", c.format, code, stderr)
		}
		golden := filepath.Join("testdata", "golden", c.file)
		if *update {
			if err := os.WriteFile(golden, []byte(stdout), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test ./cli -update)", err)
		}
		if stdout != string(want) {
			t.Errorf("%s output differs from %s; run go test ./cli -update and review the diff\n%s", c.format, golden, firstDiff(stdout, string(want)))
		}
	}
}

func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d:\n got: %s\nwant: %s", i+1, gl, wl)
		}
	}
	return ""
}

// writeFiles writes files (path → content) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for rel, content := range files {
		p := filepath.Join(dir, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"high/.mcp.json":          `{"mcpServers":{"a":{"command":"npx","args":["pkg"]}}}`,
		"medium/.cursor/mcp.json": `{"mcpServers":{"a":{"command":"docker","args":["run","img:1.0"]}}}`,
		"clean/.mcp.json":         `{"mcpServers":{"a":{"command":"npx","args":["pkg@1.0.0"]}}}`,
		"empty/readme.md":         "nothing here",
	})
	d := func(s string) string { return filepath.Join(dir, s) }
	cases := []struct {
		name string
		args []string
		code int
		err  string
	}{
		{"high finding fails by default", []string{"scan", d("high")}, ExitFindings, ""},
		{"scan is the default command", []string{d("high")}, ExitFindings, ""},
		{"fail-on critical passes a high", []string{"scan", "--fail-on", "critical", d("high")}, ExitOK, ""},
		{"fail-on never", []string{"scan", "--fail-on=never", d("high")}, ExitOK, ""},
		{"medium passes by default", []string{"scan", d("medium")}, ExitOK, ""},
		{"fail-on medium", []string{"scan", d("medium"), "--fail-on", "medium"}, ExitFindings, ""},
		{"clean", []string{"scan", d("clean")}, ExitOK, ""},
		{"nothing found", []string{"scan", d("empty")}, ExitOK, ""},
		{"offline flag", []string{"scan", "--offline", d("clean")}, ExitOK, ""},
		{"bad fail-on", []string{"scan", "--fail-on", "urgent", d("clean")}, ExitError, `unknown severity "urgent"`},
		{"bad format", []string{"scan", "--format", "xml", d("clean")}, ExitError, `unknown format "xml"`},
		{"bad flag", []string{"scan", "--frobnicate", d("clean")}, ExitError, "flag provided but not defined"},
		{"missing path", []string{"scan", d("nope")}, ExitError, "cannot scan"},
		{"rules", []string{"rules"}, ExitOK, ""},
		{"version", []string{"version"}, ExitOK, ""},
		{"help", []string{"--help"}, ExitOK, ""},
		{"scan help", []string{"scan", "-h"}, ExitOK, ""},
	}
	for _, c := range cases {
		_, stderr, code := run(t, c.args...)
		if code != c.code || !strings.Contains(stderr, c.err) {
			t.Errorf("%s: exit %d stderr %q, want %d with %q", c.name, code, stderr, c.code, c.err)
		}
	}
}

func TestSARIFWrittenBeforeExitStatus(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, ".mcp.json"), []byte(`{"mcpServers":{"a":{"command":"npx","args":["pkg"]}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	sarifPath := filepath.Join(dir, "out.sarif")
	reportPath := filepath.Join(dir, "out.json")
	stdout, _, code := run(t, "scan", "--sarif-file", sarifPath, "--format", "json", "--output", reportPath, dir)
	if code != ExitFindings || stdout != "" {
		t.Fatalf("exit %d, stdout %q", code, stdout)
	}
	sarifDoc, err := os.ReadFile(sarifPath)
	if err != nil || !bytes.Contains(sarifDoc, []byte(`"ruleId": "unpinned-package"`)) {
		t.Errorf("sarif file: %v %s", err, sarifDoc)
	}
	jsonDoc, err := os.ReadFile(reportPath)
	if err != nil || !bytes.Contains(jsonDoc, []byte(`"schemaVersion": 1`)) {
		t.Errorf("json file: %v %s", err, jsonDoc)
	}
}

func TestColor(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, ".mcp.json"), []byte(`{"mcpServers":{"a":{"command":"npx","args":["pkg"]}}}`), 0o644)
	scan := func(env map[string]string, tty bool, args ...string) string {
		var out bytes.Buffer
		Run(append([]string{"scan", "--offline"}, append(args, dir)...), Env{Stdout: &out, Stderr: &bytes.Buffer{}, IsTerminal: tty, Getenv: func(k string) string { return env[k] }})
		return out.String()
	}
	if !strings.Contains(scan(nil, true), "\x1b[31m") {
		t.Error("no colour on a terminal")
	}
	if strings.Contains(scan(nil, false), "\x1b[") {
		t.Error("colour when not a terminal")
	}
	if strings.Contains(scan(map[string]string{"NO_COLOR": "1"}, true), "\x1b[") {
		t.Error("NO_COLOR ignored")
	}
	if !strings.Contains(scan(nil, false, "--color", "always"), "\x1b[") {
		t.Error("--color always ignored")
	}
}

func TestNoSecretInAnyFormat(t *testing.T) {
	dir := t.TempDir()
	secret := "ghp_Tw4Qe8Rn2Mb6Vc1Xz9Lk3Jh7Gf5Ds0Ap4Ou8" // in no doc or fixture
	pw := "S3cr3tPassw0rdZq8vN3"
	os.WriteFile(filepath.Join(dir, ".mcp.json"), []byte(`{"mcpServers":{
		"a":{"command":"npx","args":["pkg@1.0.0","--token","`+secret+`"],"env":{"T":"`+secret+`"}},
		"b":{"url":"https://u:`+pw+`@x.example/mcp?key=`+pw+`","headers":{"Authorization":"Bearer `+secret+`"}},
		"c":{"command":"npx","args":["mcp-remote@0.1.29","https://x.example/sse?token=`+pw+`"]}}}`), 0o644)
	for _, format := range []string{"text", "json", "sarif", "github"} {
		stdout, stderr, _ := run(t, "scan", "--format", format, dir)
		for _, s := range []string{secret[4:], pw} {
			if strings.Contains(stdout+stderr, s) {
				t.Errorf("%s output contains a secret", format)
			}
		}
	}
}
