package config

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"unicode/utf8"

	"github.com/tailscale/hujson"
)

var bom = []byte{0xEF, 0xBB, 0xBF}

// parseJSON reads JSON with comments and trailing commas (JSONC), as the
// hosts' own readers accept them.
func parseJSON(src []byte) (*Node, error) {
	l := newLines(src)
	buf := src
	if bytes.HasPrefix(src, bom) {
		// Blank the BOM instead of cutting it so offsets stay those of the file.
		buf = append([]byte("   "), src[3:]...)
	}
	if len(buf) > 0 && buf[len(buf)-1] != '\n' {
		// hujson wants a line comment to end with a newline; a file may
		// end with one that does not. Offsets before it are unchanged.
		buf = append(buf[:len(buf):len(buf)], '\n')
	}
	v, err := hujson.Parse(buf)
	if err != nil {
		return nil, jsonError(l, err)
	}
	return fromHuJSON(l, src, &v), nil
}

var hujsonPos = regexp.MustCompile(`^hujson: line (\d+), column (\d+): (.*)$`)

// jsonError turns hujson's message into a positioned error.
func jsonError(l *lines, err error) *SyntaxError {
	msg := err.Error()
	if m := hujsonPos.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		col, _ := strconv.Atoi(m[2])
		// hujson counts columns in bytes; recount in code points.
		off := l.start[min(max(line, 1), len(l.start))-1] + col - 1
		line, col = l.at(min(off, len(l.src)))
		return &SyntaxError{Line: line, Col: col, Msg: m[3]}
	}
	return &SyntaxError{Line: 1, Col: 1, Msg: msg}
}

func fromHuJSON(l *lines, src []byte, v *hujson.Value) *Node {
	n := &Node{Pos: l.pos(v.StartOffset, v.EndOffset), textAt: -1}
	switch t := v.Value.(type) {
	case *hujson.Object:
		n.Kind = Object
		n.Members = make([]Member, 0, len(t.Members))
		for i := range t.Members {
			m := &t.Members[i]
			n.Members = append(n.Members, Member{
				Key:    literalString(src, &m.Name),
				KeyPos: l.pos(m.Name.StartOffset, m.Name.EndOffset),
				Value:  fromHuJSON(l, src, &m.Value),
			})
		}
	case *hujson.Array:
		n.Kind = Array
		n.Items = make([]*Node, 0, len(t.Elements))
		for i := range t.Elements {
			n.Items = append(n.Items, fromHuJSON(l, src, &t.Elements[i]))
		}
	case hujson.Literal:
		switch t.Kind() {
		case '"':
			n.Kind = String
			n.Text = literalString(src, v)
			if n.Text == string(src[v.StartOffset+1:v.EndOffset-1]) {
				n.textAt, n.l = v.StartOffset+1, l
			}
		case 't', 'f':
			n.Kind, n.Text = Bool, strconv.FormatBool(t.Bool())
		case '0':
			n.Kind, n.Text = Number, string(t)
		default:
			n.Kind = Null
		}
	}
	return n
}

// literalString is the text of a string literal. Most literals have no
// escapes and are their own text; encoding/json's unescaping, which
// hujson uses, is slow, so it runs only for the others.
func literalString(src []byte, v *hujson.Value) string {
	t, ok := v.Value.(hujson.Literal)
	if !ok || t.Kind() != '"' {
		return ""
	}
	raw := src[v.StartOffset+1 : v.EndOffset-1]
	if bytes.IndexByte(raw, '\\') < 0 && utf8.Valid(raw) {
		return string(raw)
	}
	return t.String()
}

// SyntaxError is a file that cannot be parsed, with where and why.
type SyntaxError struct {
	Line, Col int
	Msg       string
	// Reason is ReasonSyntax when empty.
	Reason string
}

func (e *SyntaxError) reason() string {
	if e.Reason == "" {
		return ReasonSyntax
	}
	return e.Reason
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Col, e.Msg)
}

func asSyntaxError(err error) *SyntaxError {
	var se *SyntaxError
	if errors.As(err, &se) {
		return se
	}
	return &SyntaxError{Line: 1, Col: 1, Msg: err.Error()}
}
