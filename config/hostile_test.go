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

	"github.com/mcptether/mcptether/internal/safetext"
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
	if len(res.Files) != 1 || res.Files[0].Err == nil || res.Files[0].Err.Reason != ReasonOutside {
		t.Errorf("walk: files %q, want .mcp.json not judged", paths(res))
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
	if got := safetext.ContentFree("invalid character 'S' after object value (expecting ',' or '}')"); got != "invalid character after object value (expecting ',' or '}')" {
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

// Each of these once passed the gate or crashed the run. Now every one
// parses, or is reported with its reason, and nothing overflows the stack.
func TestHostileNestingAndSize(t *testing.T) {
	deep := strings.Repeat("[", 2000) + strings.Repeat("]", 2000)
	// A million levels overflow the stack of the JSON and TOML parsers.
	huge := strings.Repeat("[", 1<<20)
	server := `"mcpServers": {"a": {"command": "npx", "args": ["-y", "evil-pkg"]}}`
	cases := []struct {
		name, path, src string
		reason          string // "" parses cleanly
		servers         int
	}{
		// Valid JSON a host loads: padding is no reason to skip it.
		{"padded", ".mcp.json", "{" + server + strings.Repeat(" ", 9<<20) + "}", "", 1},
		{"deep array beside", ".mcp.json", "{" + server + `, "x": ` + deep + "}", ReasonDepth, 0},
		// The old depth check took ' for a quote and knew no /* */.
		{"jsonc comment quote", ".vscode/mcp.json", `{"x": /*'*/ ` + huge + `, "servers": {}}`, ReasonDepth, 0},
		{"jsonc line comment", ".vscode/mcp.json", "{\"x\": 1, // it's\n \"y\": " + deep + "}", ReasonDepth, 0},
		// In TOML '…' is literal: a backslash does not escape its quote.
		{"toml literal", ".codex/config.toml", `x = ['a\', ` + huge + "]\n", ReasonDepth, 0},
		{"toml multiline literal", ".codex/config.toml", "x = ['''a'''', " + huge + "]\n", ReasonDepth, 0},
		{"toml multiline basic", ".codex/config.toml", `x = ["""a\"""", ` + huge + "]\n", ReasonDepth, 0},
		{"toml comment", ".codex/config.toml", "# it's\nx = " + deep + "\n", ReasonDepth, 0},
		{"yaml flow", ".continue/config.yaml", "x: " + deep + "\n", ReasonDepth, 0},
		{"yaml block", ".continue/config.yaml", yamlNest(100), ReasonDepth, 0},
		// A million "(" in a .crushrc, "((" and "$(": the shell parser
		// recursed until the stack overflowed.
		{"crushrc parens", ".crushrc", "mcp add a -- npx -y evil-pkg\n" + strings.Repeat("(", 1<<20), ReasonDepth, 0},
		{"crushrc arithmetic", ".crushrc", strings.Repeat("((", 1<<19), ReasonDepth, 0},
		{"crushrc substitution", ".crushrc", strings.Repeat("$(", 1<<19), ReasonDepth, 0},
		{"over the cap", ".mcp.json", "{" + server + strings.Repeat(" ", MaxFileSize) + "}", ReasonSize, 0},
		{"too many values", ".mcp.json", "{" + server + `, "x": [` + strings.Repeat("0,", maxValues) + "0]}", ReasonSize, 0},
		// Controls: within the bounds, the same shapes parse.
		{"nesting at the bound", ".mcp.json", "{" + server + `, "x": ` + strings.Repeat("[", maxNesting-1) + strings.Repeat("]", maxNesting-1) + "}", "", 1},
		{"toml strings with brackets", ".codex/config.toml", "x = ['[[[', \"{{{\", '''[[[''', \"\"\"{{{\"\"\"]\n[mcp_servers.a]\ncommand = \"npx\"\n", "", 1},
		{"jsonc strings with brackets", ".vscode/mcp.json", `{"x": "[[[[", /* [[[ */ "servers": {"a": {"command": "npx"}}}`, "", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := Parse(c.path, []byte(c.src))
			if f == nil {
				t.Fatal("not recognised")
			}
			switch {
			case c.reason == "" && f.Err != nil:
				t.Errorf("error %+v", f.Err)
			case c.reason != "" && (f.Err == nil || f.Err.Reason != c.reason):
				t.Errorf("error %+v, want reason %q", f.Err, c.reason)
			case len(f.Servers) != c.servers:
				t.Errorf("%d servers, want %d", len(f.Servers), c.servers)
			}
		})
	}
}

func yamlNest(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(strings.Repeat(" ", i) + "k:\n")
	}
	return b.String()
}
