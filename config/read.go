package config

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
)

// MaxFileSize is the largest config read. Real configs are a few KiB; a
// larger file with a config's name is reported, not read.
const MaxFileSize = 4 << 20

// maxNesting bounds bracket nesting before parsing, so hostile input cannot
// exhaust the stack of a recursive parser.
const maxNesting = 512

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
	f := &File{Path: p, Format: fm.id, Ignores: inlineIgnores(src)}
	if len(src) > MaxFileSize {
		return f.fail(1, 1, fmt.Sprintf("file is %d bytes, over the %d-byte limit for a config", len(src), MaxFileSize))
	}
	if i := bytes.IndexByte(src, 0); i >= 0 {
		if fm.marker != "" {
			return nil
		}
		return f.fail(1, 1, "binary file: it holds a NUL byte")
	}
	if len(bytes.TrimSpace(bytes.TrimPrefix(src, bom))) == 0 {
		return f // an empty file configures nothing
	}
	if line, col, ok := tooDeep(src); !ok {
		return f.fail(line, col, fmt.Sprintf("nesting deeper than %d levels", maxNesting))
	}
	if fm.script != nil {
		// A shell script the host reads as its config (.crushrc): parsed,
		// never run.
		if err := fm.script(&reader{f: f, l: newLines(src), abs: abs}, src); err != nil {
			se := asSyntaxError(err)
			return f.fail(se.Line, se.Col, contentFree(se.Msg))
		}
		return f
	}
	var root *Node
	var err error
	switch syntaxOf(p) {
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
		return f.fail(se.Line, se.Col, contentFree(se.Msg))
	}
	if root == nil || root.Kind != Object {
		if fm.marker != "" {
			return nil
		}
		if root != nil && root.Kind == Null {
			return f // empty file: nothing configured
		}
		return f.fail(1, 1, "the top level is not an object")
	}
	fm.read(&reader{f: f, l: newLines(src), abs: abs}, root)
	if fm.marker != "" && len(f.Servers) == 0 && len(f.Approvals) == 0 && len(f.Registries) == 0 && len(f.Follow) == 0 {
		return nil
	}
	return f
}

func (f *File) fail(line, col int, msg string) *File {
	f.Err = &FileError{Line: line, Col: col, Msg: msg}
	return f
}

var (
	quotedText  = regexp.MustCompile("\\s*(?:'[^']*'|\"[^\"]*\"|`[^`]*`)")
	grammarText = regexp.MustCompile("^\\s*['\"`][][{}(),:=.#'\"`-]+['\"`]$")
	literalTail = regexp.MustCompile(`(?i)(invalid literal|got|found)\s*(:|U\+[0-9A-F]+).*$`)
)

// contentFree drops the file's own text from a parser's message: a config
// may be a link to, or a copy of, a credentials file, and its first token
// must not reach a log. What stays is the grammar: "expected ',' or '}'".
func contentFree(msg string) string {
	msg = literalTail.ReplaceAllString(msg, "$1")
	msg = quotedText.ReplaceAllStringFunc(msg, func(q string) string {
		if grammarText.MatchString(q) {
			return q
		}
		return ""
	})
	return strings.Join(strings.Fields(msg), " ")
}

// tooDeep scans brackets outside strings and comments.
func tooDeep(src []byte) (line, col int, ok bool) {
	depth := 0
	var quote byte
	line = 1
	lineStart := 0
	for i := 0; i < len(src); i++ {
		c := src[i]
		if c == '\n' {
			line++
			lineStart = i + 1
		}
		if quote != 0 {
			if c == '\\' {
				i++
			} else if c == quote || c == '\n' {
				quote = 0
			}
			continue
		}
		switch c {
		case '"', '\'':
			quote = c
		case '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
			i--
		case '[', '{':
			depth++
			if depth > maxNesting {
				return line, i - lineStart + 1, false
			}
		case ']', '}':
			depth--
		}
	}
	return 0, 0, true
}
