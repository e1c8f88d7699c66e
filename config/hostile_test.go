package config

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// discoverWithin fails the test instead of hanging when discovery blocks.
func discoverWithin(t *testing.T, opts Options) *Result {
	t.Helper()
	type out struct {
		res *Result
		err error
	}
	done := make(chan out, 1)
	go func() {
		res, err := Discover(opts)
		done <- out{res, err}
	}()
	select {
	case o := <-done:
		if o.err != nil {
			t.Fatal(o.err)
		}
		return o.res
	case <-time.After(20 * time.Second):
		t.Fatal("discovery blocked")
		return nil
	}
}

func TestNamedFIFOIsNotOpenedForever(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no FIFOs")
	}
	root := t.TempDir()
	fifo := filepath.Join(root, ".mcp.json")
	if err := mkfifo(fifo); err != nil {
		t.Skip("mkfifo:", err)
	}
	write(t, root, ".cursor/mcp.json", entry)
	res := discoverWithin(t, Options{Paths: []string{fifo, root}, Base: root})
	var msg string
	for _, f := range res.Files {
		if f.Path == ".mcp.json" && f.Err != nil {
			msg = f.Err.Msg
		}
	}
	if !strings.Contains(msg, "not a regular file") {
		t.Errorf("FIFO: %q, want 'not a regular file'", msg)
	}
	if !slices.Contains(paths(res), ".cursor/mcp.json") {
		t.Errorf("the rest was not scanned: %q", paths(res))
	}
}

func TestLinkToDeviceIsNotRead(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	root := t.TempDir()
	link := filepath.Join(root, ".mcp.json")
	if err := os.Symlink("/dev/zero", link); err != nil {
		t.Fatal(err)
	}
	// By name (pre-commit) and by walking: both refuse the link out of the
	// tree; neither reads until memory runs out.
	res := discoverWithin(t, Options{Paths: []string{link}, Base: root})
	if len(res.Files) != 0 || len(res.Errors) != 1 || !strings.Contains(res.Errors[0], "leads out of the tree") {
		t.Errorf("by name: files %q, errors %q", paths(res), res.Errors)
	}
	res = discoverWithin(t, Options{Paths: []string{root}, Base: root})
	if len(res.Files) != 0 || !slices.ContainsFunc(res.Warnings, func(w string) bool { return strings.Contains(w, "outside the scanned tree") }) {
		t.Errorf("walk: files %q, warnings %q", paths(res), res.Warnings)
	}
	// Named directly, the device is no regular file.
	res = discoverWithin(t, Options{Paths: []string{"/dev/zero"}, Base: root})
	if len(res.Files) != 0 {
		t.Errorf("/dev/zero read: %q", paths(res))
	}
}

// A pull request commits ".roo" as a link to a folder outside the tree and
// pre-commit names ".roo/mcp.json": the outside file is not read.
func TestNamedPathThroughLinkedFolder(t *testing.T) {
	root, outside := t.TempDir(), t.TempDir()
	write(t, outside, "mcp.json", entry)
	if err := os.Symlink(outside, filepath.Join(root, ".roo")); err != nil {
		t.Fatal(err)
	}
	res := discoverWithin(t, Options{Paths: []string{filepath.Join(root, ".roo", "mcp.json")}, Base: root})
	if len(res.Files) != 0 || len(res.Errors) != 1 || !strings.Contains(res.Errors[0], "out of the tree") {
		t.Errorf("files %q, errors %q", paths(res), res.Errors)
	}
}

func TestReadIsBoundedWhateverStatSays(t *testing.T) {
	root := t.TempDir()
	write(t, root, "big.json", strings.Repeat("x", MaxFileSize+100))
	r, err := os.OpenRoot(root)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	data, err := readRegular(r, "big.json")
	if err != nil || len(data) != MaxFileSize+1 {
		t.Errorf("read %d bytes (%v), want the cap plus one", len(data), err)
	}
}

// A config that is a copy of a credentials file fails to parse; the message
// says why without quoting it.
func TestParseErrorsQuoteNoContent(t *testing.T) {
	const secret = "hunter2SECRETvalue"
	for _, c := range []struct{ path, src string }{
		{".mcp.json", "root:x:0:0:" + secret},
		{".mcp.json", `{"a": ` + secret + `}`},
		{".mcp.json", `{"a": "b" ` + secret + `}`},
		{".mcp.json", `{` + secret + `: 1}`},
		{"librechat.yaml", "a: &x " + secret + "\nb: *" + secret + "2\n"},
		{".codex/config.toml", "a = " + secret},
		{".codex/config.toml", "a = 1979-05-27T" + secret},
		{".codex/config.toml", "[" + secret + "\n"},
		{".codex/config.toml", "a = \"x\"\na = \"" + secret + "\""},
	} {
		f := Parse(c.path, []byte(c.src))
		if f == nil || f.Err == nil {
			t.Errorf("%s %q: parsed", c.path, c.src)
			continue
		}
		if strings.Contains(f.Err.Msg, "hunter") || strings.Contains(f.Err.Msg, "root") || strings.Contains(f.Err.Msg, `"a"`) {
			t.Errorf("%s: message quotes the file: %q", c.path, f.Err.Msg)
		}
	}
	if got := contentFree("invalid character 'S' after object value (expecting ',' or '}')"); got != "invalid character after object value (expecting ',' or '}')" {
		t.Errorf("grammar lost: %q", got)
	}
}

// A pull request can add a .gitignore that hides its own committed config:
// the scan says so.
func TestIgnoredConfigIsNamed(t *testing.T) {
	root := t.TempDir()
	write(t, root, ".gitignore", ".mcp.json\n")
	write(t, root, ".mcp.json", entry)
	res := discoverWithin(t, Options{Paths: []string{root}, Base: root})
	if len(res.Files) != 0 || !slices.ContainsFunc(res.Warnings, func(w string) bool {
		return strings.Contains(w, ".mcp.json: excluded by .gitignore")
	}) {
		t.Errorf("files %q, warnings %q", paths(res), res.Warnings)
	}
}

// naiveAt is the definition lines.at must agree with.
func naiveAt(src string, off int) (line, col int) {
	line, start := 1, 0
	for i := 0; i < off; i++ {
		if src[i] == '\n' {
			line, start = line+1, i+1
		}
	}
	seg := strings.TrimSuffix(src[start:off], "\r")
	return line, utf8.RuneCountInString(seg) + 1
}

func TestLinesAgreeWithCounting(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"a", "b", " ", "\n", "\r\n", "ü", "€", "😀", `"`, strings.Repeat("x", 70)}
	for round := 0; round < 200; round++ {
		var b strings.Builder
		for b.Len() < rng.IntN(900) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		src := b.String()
		l := newLines([]byte(src))
		for off := 0; off <= len(src); off++ {
			if off < len(src) && !utf8.RuneStart(src[off]) {
				continue
			}
			line, col := l.at(off)
			if wl, wc := naiveAt(src, off); line != wl || col != wc {
				t.Fatalf("round %d: at(%d) = %d:%d, want %d:%d", round, off, line, col, wl, wc)
			}
			if off < len(src) && src[off] == '\n' && off > 0 && src[off-1] == '\r' {
				continue // the column of "\n" after "\r" is that of "\r"
			}
			if back := l.offset(line, col); back != off {
				t.Fatalf("round %d: offset(%d, %d) = %d, want %d", round, line, col, back, off)
			}
		}
	}
}

// git allows a newline in a file name; a reported path must stay on one
// line, or a line of the report could become a workflow command.
func TestControlCharactersInPathsAreQuoted(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no newlines in Windows file names")
	}
	root := t.TempDir()
	write(t, root, "a\n::error::forged/.mcp.json", entry)
	res := discoverWithin(t, Options{Paths: []string{root}, Base: root})
	if got := paths(res); len(got) != 1 || strings.ContainsAny(got[0], "\n\r") || !strings.Contains(got[0], `\n::error`) {
		t.Errorf("paths = %q", got)
	}
}
