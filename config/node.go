package config

import (
	"sort"
	"strings"
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
	l      *lines // the source's line index, with textAt
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
	return Value{Text: n.Str(), Pos: n.Pos, textAt: n.textAt, l: n.l, set: true}
}

// Value is a scalar from a config with its position.
type Value struct {
	Text string
	Pos  Pos

	textAt int
	l      *lines
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
	if v.textAt < 0 || v.l == nil || i < 0 || j > len(v.Text) || i > j || !v.set {
		return v.Pos
	}
	return v.l.pos(v.textAt+i, v.textAt+j)
}

// expand applies rep to the text; a value that changes is no longer
// spelt literally in the file (an edit cannot replace it in place).
func (v Value) expand(rep *strings.Replacer) Value {
	if t := rep.Replace(v.Text); t != v.Text {
		v.Text, v.textAt = t, -1
	}
	return v
}

// Derived returns a Value with new text that points at v's position, for
// values split out of another (a word of a command string).
func (v Value) Derived(text string, i, j int) Value {
	d := Value{Text: text, Pos: v.Sub(i, j), textAt: -1, set: true}
	if v.textAt >= 0 && v.Text[i:j] == text {
		d.textAt, d.l = v.textAt+i, v.l
	}
	return d
}

// runeStep is the spacing of the code-point checkpoints in lines: a column
// costs at most this many bytes of counting, whatever the line's length.
const runeStep = 64

// lines maps byte offsets to line and column in time independent of the
// line's length, so a one-line file of megabytes is read in linear time.
type lines struct {
	src   []byte
	start []int   // byte offset of each line start
	first []int   // code points before each line start
	runes []int32 // runes[k]: code points in src[:k*runeStep]
	ascii bool    // every byte is ASCII: columns are byte counts
}

func newLines(src []byte) *lines {
	l := &lines{src: src, start: []int{0}, first: []int{0}, runes: make([]int32, 0, len(src)/runeStep+1)}
	n := int32(0)
	for i, c := range src {
		if i%runeStep == 0 {
			l.runes = append(l.runes, n)
		}
		if c&0xC0 != 0x80 {
			n++
		}
		if c == '\n' {
			l.start = append(l.start, i+1)
			l.first = append(l.first, int(n))
		}
	}
	if len(src)%runeStep == 0 {
		l.runes = append(l.runes, n) // runeIndex(len(src)) reads it
	}
	l.ascii = int(n) == len(src)
	return l
}

// runeIndex counts the code points in src[:off]. A code point is counted at
// its lead byte, so counts stay exact across checkpoints that fall inside a
// multi-byte character.
func (l *lines) runeIndex(off int) int {
	if l.ascii {
		return off
	}
	k := off / runeStep
	n := int(l.runes[k])
	for _, c := range l.src[k*runeStep : off] {
		if c&0xC0 != 0x80 {
			n++
		}
	}
	return n
}

// at converts a byte offset to a 1-based line and code-point column.
func (l *lines) at(off int) (line, col int) {
	off = min(max(off, 0), len(l.src))
	i := sort.Search(len(l.start), func(i int) bool { return l.start[i] > off }) - 1
	end := off
	if end > l.start[i] && l.src[end-1] == '\r' {
		end--
	}
	return i + 1, l.runeIndex(end) - l.first[i] + 1
}

// offset converts a 1-based line and code-point column back to a byte
// offset, never past the end of that line.
func (l *lines) offset(line, col int) int {
	if line < 1 {
		return 0
	}
	if line > len(l.start) {
		return len(l.src)
	}
	off := l.start[line-1]
	end := len(l.src)
	if line < len(l.start) {
		end = l.start[line] - 1 // the newline
	}
	if col <= 1 {
		return off
	}
	if l.ascii {
		return min(off+col-1, end)
	}
	target := l.first[line-1] + col - 1
	// Start from the last checkpoint before the target, inside the line.
	k := sort.Search(len(l.runes), func(k int) bool { return int(l.runes[k]) > target }) - 1
	p := min(max(k*runeStep, off), end)
	n := l.runeIndex(p)
	for p < end && l.src[p]&0xC0 == 0x80 {
		p++
	}
	for p < end && n < target {
		p++
		for p < end && l.src[p]&0xC0 == 0x80 {
			p++
		}
		n++
	}
	return p
}

// pos builds a Pos for the byte range [off, end).
func (l *lines) pos(off, end int) Pos {
	p := Pos{Offset: off, End: end}
	p.Line, p.Col = l.at(off)
	p.EndLine, p.EndCol = l.at(end)
	return p
}
