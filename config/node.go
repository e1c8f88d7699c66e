package config

import (
	"bytes"
	"sort"
	"unicode/utf8"
)

// Kind is the type of a parsed value.
type Kind uint8

// Value kinds shared by the JSON, YAML and TOML readers.
const (
	Null Kind = iota
	String
	Number
	Bool
	Object
	Array
)

// Pos locates a value in its file: 1-based line and column (columns count
// Unicode code points), and the byte range [Offset, End) of its source text.
type Pos struct {
	Line, Col       int
	EndLine, EndCol int
	Offset, End     int
}

// IsZero reports whether p was never set.
func (p Pos) IsZero() bool { return p.Line == 0 }

// Node is one parsed value with its position. The readers for every syntax
// produce this one shape, so host formats are decoded once for all syntaxes.
type Node struct {
	Kind    Kind
	Pos     Pos
	Text    string // scalar value; "true"/"false" for Bool
	Members []Member
	Items   []*Node

	// textAt is the byte offset where Text starts in the source when the
	// source spells Text literally (no escapes, one line); -1 otherwise.
	textAt int
}

// Member is one key of an object.
type Member struct {
	Key    string
	KeyPos Pos
	Value  *Node
}

// Get returns the value of key, or nil. Later duplicates win, as in most
// JSON readers used by the hosts.
func (n *Node) Get(key string) *Node {
	if n == nil || n.Kind != Object {
		return nil
	}
	for i := len(n.Members) - 1; i >= 0; i-- {
		if n.Members[i].Key == key {
			return n.Members[i].Value
		}
	}
	return nil
}

// Path follows keys from n; nil when any step is missing.
func (n *Node) Path(keys ...string) *Node {
	for _, k := range keys {
		n = n.Get(k)
	}
	return n
}

// Str returns the scalar text of n, or "" for nil and containers.
func (n *Node) Str() string {
	if n == nil || n.Kind == Object || n.Kind == Array {
		return ""
	}
	return n.Text
}

// IsTrue reports whether n is the boolean true (or the string "true").
func (n *Node) IsTrue() bool {
	return n != nil && (n.Kind == Bool || n.Kind == String) && n.Text == "true"
}

// Value converts a scalar node to a Value.
func (n *Node) Value() Value {
	if n == nil {
		return Value{}
	}
	return Value{Text: n.Str(), Pos: n.Pos, textAt: n.textAt, set: true}
}

// Value is a scalar from a config with its position.
type Value struct {
	Text string
	Pos  Pos

	textAt int
	set    bool
}

// IsSet reports whether the value was present in the file.
func (v Value) IsSet() bool { return v.set || v.Text != "" }

// TextRange is the byte range of Text in the file, when the file spells
// it literally (no escapes, one line): what an in-place edit replaces.
func (v Value) TextRange() (start, end int, ok bool) {
	if !v.set || v.textAt < 0 {
		return 0, 0, false
	}
	return v.textAt, v.textAt + len(v.Text), true
}

// Sub returns the position of Text[i:j]. When the source does not spell the
// text literally (escapes, block scalars), it returns the whole value's
// position: still the right line, never a wrong column.
func (v Value) Sub(i, j int) Pos {
	if v.textAt < 0 || i < 0 || j > len(v.Text) || i > j || !v.set {
		return v.Pos
	}
	p := v.Pos
	// Only ASCII quotes stand between the token start and the text.
	startCol := p.Col + v.textAt - p.Offset
	p.Offset = v.textAt + i
	p.End = v.textAt + j
	p.Col = startCol + utf8.RuneCountInString(v.Text[:i])
	p.EndLine = p.Line
	p.EndCol = startCol + utf8.RuneCountInString(v.Text[:j])
	return p
}

// Derived returns a Value with new text that points at v's position, for
// values split out of another (a word of a command string).
func (v Value) Derived(text string, i, j int) Value {
	d := Value{Text: text, Pos: v.Sub(i, j), textAt: -1, set: true}
	if v.textAt >= 0 && v.Text[i:j] == text {
		d.textAt = v.textAt + i
	}
	return d
}

// lines maps byte offsets to line and column.
type lines struct {
	src   []byte
	start []int // byte offset of each line start
}

func newLines(src []byte) *lines {
	l := &lines{src: src, start: []int{0}}
	for i, c := range src {
		if c == '\n' {
			l.start = append(l.start, i+1)
		}
	}
	return l
}

// at converts a byte offset to a 1-based line and code-point column.
func (l *lines) at(off int) (line, col int) {
	if off > len(l.src) {
		off = len(l.src)
	}
	i := sort.Search(len(l.start), func(i int) bool { return l.start[i] > off }) - 1
	seg := l.src[l.start[i]:off]
	seg = bytes.TrimSuffix(seg, []byte{'\r'})
	return i + 1, utf8.RuneCount(seg) + 1
}

// offset converts a 1-based line and code-point column back to a byte offset.
func (l *lines) offset(line, col int) int {
	if line < 1 {
		return 0
	}
	if line > len(l.start) {
		return len(l.src)
	}
	off := l.start[line-1]
	for c := 1; c < col && off < len(l.src) && l.src[off] != '\n'; c++ {
		_, n := utf8.DecodeRune(l.src[off:])
		off += n
	}
	return off
}

// pos builds a Pos for the byte range [off, end).
func (l *lines) pos(off, end int) Pos {
	p := Pos{Offset: off, End: end}
	p.Line, p.Col = l.at(off)
	p.EndLine, p.EndCol = l.at(end)
	return p
}
