package config

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/mcptether/mcptether/internal/safetext"
)

// MaxFileSize is the largest config read. Real configs are a few KiB,
// but a host reads a config of any size (JSON.parse has no limit), so the
// cap is far above any real one and a file over it is reported as not
// judged, never passed.
const MaxFileSize = 32 << 20

// maxValues bounds the values built from one file, which bounds memory
// whatever the file's size: a config has hundreds.
const maxValues = 500_000

// Parse reads one file's content as found at slash path p. It returns nil
// when p is not an MCP config by name, or when a generic name (server.json,
// package.json…) holds something else.
func Parse(p string, src []byte) *File {
	fm := detect(p)
	if fm == nil {
		return nil
	}
	return parseAs(fm, p, p, src)
}

// parseAs parses src as format fm; p is the path reported, abs where the
// file really is.
func parseAs(fm *format, p, abs string, src []byte) *File {
	if !fm.hasMarker(src) {
		return nil
	}
	f := &File{Path: p, Format: fm.id, Ignores: inlineIgnores(src), fm: fm, abs: abs}
	defer f.coverServers()
	if len(src) > MaxFileSize {
		return f.fail(1, 1, ReasonSize, fmt.Sprintf("the file is %d bytes, over the %d-byte limit for a config", len(src), MaxFileSize))
	}
	if i := bytes.IndexByte(src, 0); i >= 0 {
		if fm.marker != "" {
			return nil
		}
		return f.fail(1, 1, ReasonBinary, "binary file: it holds a NUL byte")
	}
	if len(bytes.TrimSpace(bytes.TrimPrefix(src, bom))) == 0 {
		return f // an empty file configures nothing
	}
	syn := syntaxOf(p)
	if fm.script != nil {
		// A shell script the host reads as its config (.crushrc): parsed,
		// never run.
		if err := fm.script(&reader{f: f, l: newLines(src), abs: abs}, src); err != nil {
			se := asSyntaxError(err)
			return f.fail(se.Line, se.Col, se.reason(), safetext.ContentFree(se.Msg))
		}
		return f
	}
	line, col, ok, values := shape(src, syn)
	if !ok {
		return f.fail(line, col, ReasonDepth, fmt.Sprintf("nesting deeper than %d levels", maxNesting))
	}
	if values > maxValues {
		return f.fail(1, 1, ReasonSize, fmt.Sprintf("the file holds more than %d values", maxValues))
	}
	var root *Node
	var err error
	switch syn {
	case markdownSyntax:
		root, err = parseYAML(frontMatter(src))
	case yamlSyntax:
		root, err = parseYAML(src)
	case tomlSyntax:
		root, err = parseTOML(src)
	case iniSyntax:
		root, err = parseINI(src)
	default:
		root, err = parseJSON(src)
	}
	if err != nil {
		se := asSyntaxError(err)
		return f.fail(se.Line, se.Col, se.reason(), safetext.ContentFree(se.Msg))
	}
	if root == nil || root.Kind != Object {
		if fm.marker != "" || plainName(fm, p) {
			// A data file that shares a generic name (crush.json holding
			// an array of records) is not a config.
			return nil
		}
		if root != nil && root.Kind == Null {
			return f // empty file: nothing configured
		}
		return f.fail(1, 1, ReasonShape, "the top level is not an object")
	}
	fm.read(&reader{f: f, l: newLines(src), abs: abs}, root)
	empty := len(f.Servers) == 0 && len(f.Approvals) == 0 && len(f.Registries) == 0 && len(f.Follow) == 0
	if fm.marker != "" && empty {
		return nil
	}
	if empty {
		// Never silence: servers the host may read under a key this
		// format does not know are at least named.
		if key := serverLikeKey(root, "", 3); key != "" {
			f.Warnings = append(f.Warnings, fmt.Sprintf("no servers under the keys mcptether reads for %s, but %q holds server-like entries; they were not judged", fm.host, key))
		}
	}
	return f
}

// serverLikeKey finds, depth levels down, a key whose value is a map (or
// list) of server-like entries, and returns its dotted path.
func serverLikeKey(n *Node, at string, depth int) string {
	if depth == 0 || n == nil {
		return ""
	}
	for _, m := range n.objectMembers() {
		key := strings.TrimPrefix(at+"."+m.Key, ".")
		entries := 0
		switch m.Value.Kind {
		case Object:
			for _, e := range m.Value.Members {
				if e.Value.Kind == Object && looksLikeEntry(e.Value) && (e.Value.Get("command") != nil || e.Value.Get("url") != nil || e.Value.Get("serverUrl") != nil) {
					entries++
				}
			}
		case Array:
			for _, it := range m.Value.Items {
				if it.Kind == Object && (it.Get("command") != nil || it.Get("url") != nil) {
					entries++
				}
			}
		}
		if entries > 0 {
			return key
		}
		if k := serverLikeKey(m.Value, key, depth-1); k != "" {
			return k
		}
	}
	return ""
}

func (f *File) fail(line, col int, reason, msg string) *File {
	f.Err = &FileError{Line: line, Col: col, Reason: reason, Msg: msg}
	return f
}

// plainName: a bare file name without a leading dot, such as crush.json
// or kilo.json, may be any project's data file; a dot file or a file in a
// host's folder is the host's.
func plainName(fm *format, p string) bool {
	parts := strings.Split(fold(p), "/")
	for _, pat := range fm.paths {
		if matchTail(strings.Split(fold(pat), "/"), parts) {
			return !strings.Contains(pat, "/") && !strings.HasPrefix(pat, ".")
		}
	}
	return false
}

// frontMatter returns src with everything but a Markdown file's YAML front
// matter (between a first line "---" and the next "---" or "...") blanked
// to spaces, newlines kept: the YAML parser sees the front matter at the
// lines and columns it has in the file. No front matter: all blank.
func frontMatter(src []byte) []byte {
	out := bytes.Clone(src)
	blank := func(b []byte) {
		for i, c := range b {
			if c != '\n' {
				b[i] = ' '
			}
		}
	}
	body := bytes.TrimPrefix(src, bom)
	lead := len(src) - len(body)
	first, rest, ok := bytes.Cut(body, []byte("\n"))
	if !ok || string(bytes.TrimRight(first, "\r")) != "---" {
		blank(out)
		return out
	}
	blank(out[:lead+len(first)])
	off := lead + len(first) + 1
	for len(rest) > 0 {
		line, next, _ := bytes.Cut(rest, []byte("\n"))
		if t := string(bytes.TrimRight(line, " \t\r")); t == "---" || t == "..." {
			blank(out[off:])
			return out
		}
		off += len(line) + 1
		rest = next
	}
	blank(out) // never closed: no front matter
	return out
}
