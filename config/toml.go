package config

import (
	"errors"
	"fmt"

	"github.com/pelletier/go-toml/v2/unstable"
)

// parseTOML reads TOML into the shared tree, keeping positions from the
// go-toml AST (its decoder drops them).
func parseTOML(src []byte) (n *Node, err error) {
	l := newLines(src)
	defer func() {
		if r := recover(); r != nil {
			n, err = nil, &SyntaxError{Line: 1, Col: 1, Msg: fmt.Sprint("toml: ", r)}
		}
	}()
	root := &Node{Kind: Object, textAt: -1, Pos: l.pos(0, 0)}
	cur := root
	p := unstable.Parser{}
	p.Reset(src)
	t := &tomlReader{p: &p, l: l, src: src}
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table:
			cur, err = t.table(root, e.Key(), false)
		case unstable.ArrayTable:
			cur, err = t.table(root, e.Key(), true)
		case unstable.KeyValue:
			err = t.keyValue(cur, e)
		}
		if err != nil {
			return nil, err
		}
	}
	if err := p.Error(); err != nil {
		var pe *unstable.ParserError
		if errors.As(err, &pe) {
			line, col := l.at(len(src)) // an empty highlight: the document ended
			if len(pe.Highlight) > 0 {
				line, col = l.at(int(p.Range(pe.Highlight).Offset))
			}
			return nil, &SyntaxError{Line: line, Col: col, Msg: pe.Message}
		}
		return nil, &SyntaxError{Line: 1, Col: 1, Msg: err.Error()}
	}
	return root, nil
}

type tomlReader struct {
	p   *unstable.Parser
	l   *lines
	src []byte
}

func (t *tomlReader) rng(r unstable.Range) Pos {
	return t.l.pos(int(r.Offset), int(r.Offset+r.Length))
}

// descend walks (creating) the dotted key from n and returns the last
// object and the last key's name and position.
func (t *tomlReader) descend(n *Node, it unstable.Iterator) (*Node, string, Pos, error) {
	var keys []*unstable.Node
	for it.Next() {
		keys = append(keys, it.Node())
	}
	if len(keys) == 0 {
		return nil, "", Pos{}, &SyntaxError{Line: 1, Col: 1, Msg: "empty key"}
	}
	for _, k := range keys[:len(keys)-1] {
		name := string(k.Data)
		child := n.Get(name)
		if child == nil {
			child = &Node{Kind: Object, textAt: -1, Pos: t.rng(k.Raw)}
			n.Members = append(n.Members, Member{Key: name, KeyPos: t.rng(k.Raw), Value: child})
		}
		if child.Kind == Array && len(child.Items) > 0 {
			child = child.Items[len(child.Items)-1] // [[a]] then [a.b]
		}
		if child.Kind != Object {
			return nil, "", Pos{}, t.errAt(k.Raw, fmt.Sprintf("key %q is not a table", name))
		}
		n = child
	}
	last := keys[len(keys)-1]
	return n, string(last.Data), t.rng(last.Raw), nil
}

func (t *tomlReader) errAt(r unstable.Range, msg string) error {
	line, col := t.l.at(int(r.Offset))
	return &SyntaxError{Line: line, Col: col, Msg: msg}
}

func (t *tomlReader) table(root *Node, it unstable.Iterator, isArray bool) (*Node, error) {
	parent, name, pos, err := t.descend(root, it)
	if err != nil {
		return nil, err
	}
	existing := parent.Get(name)
	if isArray {
		if existing == nil {
			existing = &Node{Kind: Array, textAt: -1, Pos: pos}
			parent.Members = append(parent.Members, Member{Key: name, KeyPos: pos, Value: existing})
		}
		if existing.Kind != Array {
			return nil, &SyntaxError{Line: pos.Line, Col: pos.Col, Msg: fmt.Sprintf("key %q is not an array of tables", name)}
		}
		tbl := &Node{Kind: Object, textAt: -1, Pos: pos}
		existing.Items = append(existing.Items, tbl)
		return tbl, nil
	}
	if existing != nil {
		if existing.Kind != Object {
			return nil, &SyntaxError{Line: pos.Line, Col: pos.Col, Msg: fmt.Sprintf("key %q is not a table", name)}
		}
		return existing, nil
	}
	tbl := &Node{Kind: Object, textAt: -1, Pos: pos}
	parent.Members = append(parent.Members, Member{Key: name, KeyPos: pos, Value: tbl})
	return tbl, nil
}

func (t *tomlReader) keyValue(cur *Node, e *unstable.Node) error {
	parent, name, pos, err := t.descend(cur, e.Key())
	if err != nil {
		return err
	}
	if parent.Get(name) != nil {
		return &SyntaxError{Line: pos.Line, Col: pos.Col, Msg: fmt.Sprintf("key %q defined twice", name)}
	}
	v, err := t.value(e.Value())
	if err != nil {
		return err
	}
	parent.Members = append(parent.Members, Member{Key: name, KeyPos: pos, Value: v})
	return nil
}

func (t *tomlReader) value(v *unstable.Node) (*Node, error) {
	n := &Node{textAt: -1}
	if v.Raw.Length > 0 {
		n.Pos = t.rng(v.Raw)
	}
	switch v.Kind {
	case unstable.String:
		n.Kind, n.Text = String, string(v.Data)
		raw := t.p.Raw(v.Raw)
		if len(raw) >= 2 && string(raw[1:len(raw)-1]) == n.Text {
			n.textAt, n.l = int(v.Raw.Offset)+1, t.l
		}
	case unstable.Bool:
		n.Kind, n.Text = Bool, string(v.Data)
	case unstable.Integer, unstable.Float:
		n.Kind, n.Text = Number, string(v.Data)
	case unstable.LocalDate, unstable.LocalTime, unstable.LocalDateTime, unstable.DateTime:
		n.Kind, n.Text = String, string(v.Data)
	case unstable.Array:
		n.Kind = Array
		for c := v.Children(); c.Next(); {
			item, err := t.value(c.Node())
			if err != nil {
				return nil, err
			}
			n.Items = append(n.Items, item)
		}
		if len(n.Items) > 0 && v.Raw.Length == 0 {
			n.Pos = n.Items[0].Pos
		}
	case unstable.InlineTable:
		n.Kind = Object
		for c := v.Children(); c.Next(); {
			if err := t.keyValue(n, c.Node()); err != nil {
				return nil, err
			}
		}
	default:
		n.Kind = Null
	}
	return n, nil
}
