package safefile

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func read(t *testing.T, p string) string {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// A pull request commits mcptether.sarif, or the old fixed temporary name
// mcptether.sarif.tmp, as a link to a file outside the workspace.
func TestPlantedLinkIsReplacedNotFollowed(t *testing.T) {
	work, outside := t.TempDir(), t.TempDir()
	victim := filepath.Join(outside, "victim")
	os.WriteFile(victim, []byte("precious"), 0o644)
	for _, name := range []string{"mcptether.sarif", "mcptether.sarif.tmp"} {
		if err := os.Symlink(victim, filepath.Join(work, name)); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(work, "mcptether.sarif")
	if err := Write(out, []byte("report"), work); err != nil {
		t.Fatal(err)
	}
	if got := read(t, victim); got != "precious" {
		t.Errorf("the link's target was overwritten: %q", got)
	}
	if fi, _ := os.Lstat(out); !fi.Mode().IsRegular() || read(t, out) != "report" {
		t.Errorf("%s: mode %v, want a regular file with the report", out, fi.Mode())
	}
}

// A committed folder link makes reports/x.json a path out of the tree.
func TestLinkedFolderIsRefused(t *testing.T) {
	work, outside := t.TempDir(), t.TempDir()
	if err := os.Symlink(outside, filepath.Join(work, "reports")); err != nil {
		t.Fatal(err)
	}
	err := Write(filepath.Join(work, "reports", "x.json"), []byte("report"), work)
	if err == nil || !strings.Contains(err.Error(), "leads out of the tree") {
		t.Errorf("err = %v", err)
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Errorf("wrote outside: %v", entries)
	}
}

// /dev/null and /dev/stdout are written to, never replaced by a file.
func TestNonRegularTargetIsWrittenDirectly(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no FIFOs")
	}
	outside, work := t.TempDir(), t.TempDir()
	// A link to /dev/null stands in for /dev/stdout (a link to
	// /proc/self/fd/1): outside every tree, the user's link is followed.
	link := filepath.Join(outside, "stdout")
	os.Symlink(os.DevNull, link)
	if err := Write(link, []byte("report"), work); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Lstat(link); fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link to %s was replaced by a %v", os.DevNull, fi.Mode())
	}
	if fi, _ := os.Stat(os.DevNull); fi.Mode().IsRegular() {
		t.Fatalf("%s became a regular file", os.DevNull)
	}
	// A FIFO, inside a tree and outside: read by a reader, not replaced.
	for _, dir := range []string{outside, work} {
		fifo := filepath.Join(dir, "pipe")
		if err := mkfifo(fifo); err != nil {
			t.Skip("mkfifo:", err)
		}
		got := make(chan string)
		go func() {
			data, _ := os.ReadFile(fifo)
			got <- string(data)
		}()
		if err := Write(fifo, []byte("report"), work); err != nil {
			t.Fatal(err)
		}
		if s := <-got; s != "report" {
			t.Errorf("%s: reader got %q", fifo, s)
		}
		if fi, _ := os.Lstat(fifo); fi.Mode()&os.ModeNamedPipe == 0 {
			t.Errorf("%s replaced by a %v", fifo, fi.Mode())
		}
	}
}

func TestWriteKeepsModeAndLeavesNoTemporary(t *testing.T) {
	work := t.TempDir()
	p := filepath.Join(work, "a.json")
	os.WriteFile(p, []byte("old"), 0o600)
	if err := Write(p, []byte("new"), work); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o600 || read(t, p) != "new" {
		t.Errorf("mode %v, content %q", fi.Mode().Perm(), read(t, p))
	}
	if entries, _ := os.ReadDir(work); len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
}

func TestReadRefusesDevicesAndBounds(t *testing.T) {
	r, err := os.OpenRoot("/dev")
	if err != nil {
		t.Skip(err)
	}
	defer r.Close()
	if _, err := Read(r, "zero", 10); err != ErrNotRegular {
		t.Errorf("/dev/zero: %v", err)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "f"), []byte(strings.Repeat("x", 100)), 0o644)
	d, _ := os.OpenRoot(dir)
	defer d.Close()
	if data, err := Read(d, "f", 10); err != nil || len(data) != 11 {
		t.Errorf("read %d bytes, %v", len(data), err)
	}
}
