// Package safetext makes text from configs, registries and shard files
// safe to print: the tool's output goes to CI logs, where GitHub Actions
// runs a line as a workflow command when it starts with "::" (after
// leading blanks) or holds "##[" anywhere, and to terminals, which obey
// escape sequences. No value may write either as the tool.
package safetext

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Line returns s fit to print inside one line: control characters
// (newlines, carriage returns, ANSI escapes, C1 controls), Unicode line
// separators and bidirectional overrides are escaped as in Go source
// ("\n", "\x1b", "\u2028"), "##[" becomes "##\[" and a leading "::"
// becomes "\::". Text with none of these is returned as it is.
func Line(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == utf8.RuneError && isInvalid(s[i:]):
			b.WriteString(`\x` + strconv.FormatUint(uint64(s[i]), 16))
		case isUnsafe(r):
			b.WriteString(escape(r))
		default:
			b.WriteRune(r)
		}
	}
	out := strings.ReplaceAll(b.String(), "##[", `##\[`)
	if t := strings.TrimLeft(out, " \t"); strings.HasPrefix(t, "::") {
		out = out[:len(out)-len(t)] + `\` + t
	}
	return out
}

func needsEscape(s string) bool {
	if strings.Contains(s, "##[") || strings.HasPrefix(strings.TrimLeft(s, " \t"), "::") {
		return true
	}
	for i, r := range s {
		if isUnsafe(r) || r == utf8.RuneError && isInvalid(s[i:]) {
			return true
		}
	}
	return false
}

func isInvalid(s string) bool {
	r, size := utf8.DecodeRuneInString(s)
	return r == utf8.RuneError && size <= 1
}

// isUnsafe: controls (a tab is only a gap), line and paragraph
// separators, and the bidirectional formatting characters that reorder
// what a reader sees.
func isUnsafe(r rune) bool {
	switch {
	case r == '\t':
		return false
	case unicode.IsControl(r), r == '\u2028', r == '\u2029', r == '\u200e', r == '\u200f', r == '\u061c':
		return true
	case r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069':
		return true
	}
	return false
}

func escape(r rune) string {
	switch r {
	case '\n':
		return `\n`
	case '\r':
		return `\r`
	}
	if r < 0x100 {
		return `\x` + pad(strconv.FormatUint(uint64(r), 16), 2)
	}
	return `\u` + pad(strconv.FormatUint(uint64(r), 16), 4)
}

func pad(s string, n int) string { return strings.Repeat("0", max(n-len(s), 0)) + s }

// Rendered is the last net over a rendered report: "##[" anywhere in a
// log line is a workflow command to the runner's legacy parser. In JSON
// (SARIF, CycloneDX) it can only stand inside a string, where "\u005b"
// means the same "["; the text formats have escaped it already.
func Rendered(b []byte) []byte {
	if !bytes.Contains(b, []byte("##[")) {
		return b
	}
	return []byte(strings.ReplaceAll(string(b), "##[", `##\u005b`))
}

// markdownSpecial: with brackets escaped no link or image can open, with
// angle brackets no HTML or autolink; the rest is emphasis, code, tables.
var markdownSpecial = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "|", `\|`, "~", `\~`,
	"<", "&lt;", ">", "&gt;", "&", "&amp;",
)

// MarkdownCell makes s one cell of a GitHub Markdown table (or the text of
// a quote line) that renders as the text it is: no link, image, HTML,
// emphasis, code span, heading or list of the value's making, and no
// line break.
func MarkdownCell(s string) string {
	s = markdownSpecial.Replace(strings.Join(strings.Fields(Line(s)), " "))
	if s != "" && strings.ContainsRune("#+-=", rune(s[0])) {
		s = `\` + s
	}
	return s
}

var (
	quotedText  = regexp.MustCompile("\\s*(?:'[^']*'|\"[^\"]*\"|`[^`]*`)")
	grammarText = regexp.MustCompile("^\\s*['\"`][][{}(),:=.#'\"`-]+['\"`]$")
	literalTail = regexp.MustCompile(`(?i)(invalid literal|got|found)\s*(:|U\+[0-9A-F]+).*$`)
)

// ContentFree drops a file's own text from a parser's message: a file may
// be a link to, or a copy of, a credentials file, and its first token
// must not reach a log. What stays is the grammar: "expected ',' or '}'".
func ContentFree(msg string) string {
	msg = literalTail.ReplaceAllString(msg, "$1")
	msg = quotedText.ReplaceAllStringFunc(msg, func(q string) string {
		if grammarText.MatchString(q) {
			return q
		}
		return ""
	})
	return Line(strings.Join(strings.Fields(msg), " "))
}
