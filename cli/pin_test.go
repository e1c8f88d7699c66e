package cli

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mcptether/mcptether/internal/fakereg"
)

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		os.MkdirAll(filepath.Join(to, filepath.Dir(rel)), 0o755)
		return os.WriteFile(filepath.Join(to, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestPinGolden pins testdata/pin/before (every host format and manifest,
// with comments, CRLF, a BOM, odd indentation and one package in many
// files) against fake registries and compares with testdata/pin/after and
// testdata/pin/output.txt (go test ./cli -update rewrites them).
func TestPinGolden(t *testing.T) {
	repo, _ := filepath.Abs("..")
	before := filepath.Join(repo, "testdata", "pin", "before")
	after := filepath.Join(repo, "testdata", "pin", "after")
	w := fakereg.New(t)
	env := w.URLs()
	env["MCPTETHER_CACHE_DIR"] = t.TempDir()
	work := t.TempDir()
	copyTree(t, before, work)
	t.Chdir(work)
	pinRun := func(args ...string) (string, string, int) {
		var out, errb bytes.Buffer
		code := Run(args, Env{Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }})
		return out.String(), errb.String(), code
	}

	// One package was never published: it stays unpinned, and pin says
	// so with its own exit code.
	unresolved := "mcptether: 1 reference could not be resolved (a registry or GitHub lookup failed), so it stays unpinned; exit 3\n"
	stdout, stderr, code := pinRun("pin", ".")
	if code != ExitUnresolved || stderr != unresolved {
		t.Fatalf("pin: exit %d, stderr %q\n%s", code, stderr, stdout)
	}
	goldenOut := filepath.Join(repo, "testdata", "pin", "output.txt")
	if *update {
		os.RemoveAll(after)
		copyTree(t, work, after)
		os.WriteFile(goldenOut, []byte(stdout), 0o644)
	}
	want, _ := os.ReadFile(goldenOut)
	if stdout != string(want) {
		t.Errorf("pin output differs from testdata/pin/output.txt:\n%s", firstDiff(stdout, string(want)))
	}
	filepath.WalkDir(after, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(after, p)
		wantFile, _ := os.ReadFile(p)
		got, err := os.ReadFile(filepath.Join(work, rel))
		if err != nil || !bytes.Equal(got, wantFile) {
			t.Errorf("%s differs from testdata/pin/after:\n%s", rel, firstDiff(string(got), string(wantFile)))
		}
		return nil
	})

	// A second run changes nothing.
	snapshot := map[string][]byte{}
	filepath.WalkDir(work, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			snapshot[p], _ = os.ReadFile(p)
		}
		return nil
	})
	stdout, _, code = pinRun("pin", ".")
	if code != ExitUnresolved || !strings.Contains(stdout, "pinned 0 references in 0 files") {
		t.Errorf("second run: exit %d\n%s", code, stdout)
	}
	for p, data := range snapshot {
		if now, _ := os.ReadFile(p); !bytes.Equal(now, data) {
			t.Errorf("second run changed %s", p)
		}
	}
	if _, _, code := pinRun("pin", "--dry-run", "."); code != ExitUnresolved {
		t.Errorf("--dry-run with a reference that cannot be resolved: exit %d, want %d", code, ExitUnresolved)
	}
}

func TestPinDryRunAndFix(t *testing.T) {
	w := fakereg.New(t)
	env := w.URLs()
	env["MCPTETHER_CACHE_DIR"] = t.TempDir()
	dir := t.TempDir()
	cfg := filepath.Join(dir, ".mcp.json")
	orig := "{\"mcpServers\": {\"acme\": {\"command\": \"npx\", \"args\": [\"-y\", \"@acme/server\"]}}}\n"
	os.WriteFile(cfg, []byte(orig), 0o600)
	run := func(args ...string) (string, string, int) {
		var out, errb bytes.Buffer
		code := Run(args, Env{Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }})
		return out.String(), errb.String(), code
	}
	stdout, _, code := run("pin", "--dry-run", dir)
	if code != ExitFindings || !strings.Contains(stdout, "-{\"mcpServers\": {\"acme\": {\"command\": \"npx\", \"args\": [\"-y\", \"@acme/server\"]}}}") ||
		!strings.Contains(stdout, "+{\"mcpServers\": {\"acme\": {\"command\": \"npx\", \"args\": [\"-y\", \"@acme/server@1.2.0\"]}}}") {
		t.Errorf("dry run: exit %d\n%s", code, stdout)
	}
	if data, _ := os.ReadFile(cfg); string(data) != orig {
		t.Error("--dry-run wrote the file")
	}
	// scan --fix pins, then the scan finds nothing to pin.
	stdout, stderr, code := run("scan", "--fix", dir)
	if code != ExitOK || strings.Contains(stdout, "unpinned-package") || !strings.Contains(stderr, `pinned "@acme/server" to "@acme/server@1.2.0"`) {
		t.Errorf("scan --fix: exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	if fi, _ := os.Stat(cfg); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v not kept", fi.Mode().Perm())
	}
	env["MCPTETHER_OFFLINE"] = "true"
	if _, stderr, code := run("pin", dir); code != ExitError || !strings.Contains(stderr, "cannot run offline") {
		t.Errorf("offline pin: %d %q", code, stderr)
	}
}

// A marketplace's GitHub source gains the commit its branch points at, as
// "sha", and an npm source a version (added, or its range replaced); the
// scan then finds them pinned, and a second pin changes nothing.
func TestPinPluginSource(t *testing.T) {
	w := fakereg.New(t)
	env := w.URLs()
	env["MCPTETHER_CACHE_DIR"] = t.TempDir()
	dir := t.TempDir()
	p := filepath.Join(dir, ".claude-plugin", "marketplace.json")
	os.MkdirAll(filepath.Dir(p), 0o755)
	orig := `{"name": "m", "plugins": [{"name": "a", "source": {"source": "github", "repo": "acme/server", "ref": "main"}}, {"name": "b", "source": "./b"},
  {"name": "c", "source": {"source": "npm", "package": "@acme/server"}}, {"name": "d", "source": {"source": "npm", "package": "@acme/server", "version": "^1.0.0"}}]}` + "\n"
	os.WriteFile(p, []byte(orig), 0o644)
	run := func(args ...string) (string, string, int) {
		var out, errb bytes.Buffer
		code := Run(args, Env{Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }})
		return out.String(), errb.String(), code
	}
	stdout, stderr, code := run("pin", dir)
	if code != ExitOK {
		t.Fatalf("pin: exit %d\n%s\n%s", code, stdout, stderr)
	}
	data, _ := os.ReadFile(p)
	want := strings.Replace(orig, `"repo": "acme/server"`, `"repo": "acme/server", "sha": "`+fakereg.SHA("main")+`"`, 1)
	want = strings.Replace(want, `"package": "@acme/server"}`, `"package": "@acme/server", "version": "1.2.0"}`, 1)
	want = strings.Replace(want, `"version": "^1.0.0"`, `"version": "1.2.0"`, 1)
	if string(data) != want {
		t.Errorf("got\n%s\nwant\n%s", data, want)
	}
	env["MCPTETHER_OFFLINE"] = "true"
	if stdout, _, _ := run("scan", dir); strings.Contains(stdout, "unpinned-git-source") || strings.Contains(stdout, "unpinned-package") {
		t.Errorf("still unpinned:\n%s", stdout)
	}
	delete(env, "MCPTETHER_OFFLINE")
	if stdout, _, code := run("pin", dir); code != ExitOK || !strings.Contains(stdout, "pinned 0 references") {
		t.Errorf("second pin: %d\n%s", code, stdout)
	}
}

// With the registries down, "is everything pinned?" must not turn green:
// pin and pin --dry-run exit ExitUnresolved and name each reference.
func TestPinFailsClosedWhenRegistriesAreDown(t *testing.T) {
	base := "http://" + fakereg.ClosedAddr(t)
	env := map[string]string{
		"MCPTETHER_NPM_REGISTRY": base + "/npm", "MCPTETHER_PYPI_URL": base + "/pypi", "GITHUB_API_URL": base,
		"MCPTETHER_OSV_URL": base + "/osv", "MCPTETHER_REGISTRY_MIRRORS": "docker.io=" + base + "/dockerhub",
		"MCPTETHER_CACHE_DIR": t.TempDir(),
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, ".mcp.json")
	orig := `{"mcpServers": {"a": {"command": "npx", "args": ["-y", "pkg-a"]}, "b": {"command": "docker", "args": ["run", "mcp/b:1"]}}}`
	os.WriteFile(cfg, []byte(orig), 0o600)
	for _, args := range [][]string{{"pin", "--dry-run", dir}, {"pin", dir}} {
		var out, errb bytes.Buffer
		code := Run(args, Env{Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }})
		if code != ExitUnresolved {
			t.Errorf("%v: exit %d, want %d\n%s%s", args, code, ExitUnresolved, out.String(), errb.String())
		}
		verb := "pinned 0 references"
		if args[1] == "--dry-run" {
			verb = "would pin 0 references"
		}
		for _, want := range []string{"left pkg-a as it is (could not be resolved)", "left docker.io/mcp/b 1 as it is (could not be resolved)", verb} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("%v: stdout lacks %q:\n%s", args, want, out.String())
			}
		}
		if !strings.Contains(errb.String(), "2 references could not be resolved") {
			t.Errorf("%v: stderr %q", args, errb.String())
		}
	}
	if data, _ := os.ReadFile(cfg); string(data) != orig {
		t.Errorf("file changed: %s", data)
	}
	// scan --fix goes on to scan: the unpinned references are findings.
	var out, errb bytes.Buffer
	code := Run([]string{"scan", "--fix", dir}, Env{Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }})
	if code != ExitFindings || !strings.Contains(out.String(), "[unpinned-package]") {
		t.Errorf("scan --fix: exit %d\n%s%s", code, out.String(), errb.String())
	}
}
