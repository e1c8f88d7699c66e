package config

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// parseYAML reads the first YAML document of src.
func parseYAML(src []byte) (n *Node, err error) {
	l := newLines(src)
	defer func() {
		// The YAML library has panicked on hostile input before; a file must
		// never take the run down.
		if r := recover(); r != nil {
			n, err = nil, &SyntaxError{Line: 1, Col: 1, Msg: fmt.Sprint("yaml: ", r)}
		}
	}()
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, yamlError(err)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return &Node{Kind: Null, textAt: -1}, nil
	}
	c := &yamlConv{l: l, src: src, budget: maxYAMLNodes}
	n = c.node(doc.Content[0], 0)
	if c.budget < 0 {
		return nil, &SyntaxError{Line: 1, Col: 1, Msg: fmt.Sprintf("aliases expand to more than %d values", maxYAMLNodes), Reason: ReasonSize}
	}
	if c.deep != nil {
		return nil, &SyntaxError{Line: max(c.deep.Line, 1), Col: max(c.deep.Column, 1), Reason: ReasonDepth,
			Msg: fmt.Sprintf("nesting (aliases included) deeper than %d levels", maxYAMLDepth)}
	}
	return n, nil
}

// maxYAMLNodes bounds the values built from one file: aliases are expanded
// in place, and nested aliases ("billion laughs") grow exponentially.
const maxYAMLNodes = 200_000

type yamlConv struct {
	l      *lines
	src    []byte
	budget int
	// deep is the first node past maxYAMLDepth: the tree is not built
	// past it, so the file is reported, not judged in part.
	deep *yaml.Node
}

var yamlLine = regexp.MustCompile(`^yaml: (?:line (\d+): )?(.*)$`)

func yamlError(err error) *SyntaxError {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		reason := ""
		if strings.Contains(m[2], "exceeded max depth") {
			reason = ReasonDepth
		}
		return &SyntaxError{Line: max(line, 1), Col: 1, Msg: m[2], Reason: reason}
	}
	return &SyntaxError{Line: 1, Col: 1, Msg: msg}
}

// maxYAMLDepth bounds alias expansion and nesting.
const maxYAMLDepth = 64

func (c *yamlConv) node(y *yaml.Node, depth int) *Node {
	l, src := c.l, c.src
	c.budget--
	if c.budget < 0 {
		return &Node{Kind: Null, textAt: -1}
	}
	if depth >= maxYAMLDepth && (len(y.Content) > 0 || y.Kind == yaml.AliasNode) {
		if c.deep == nil {
			c.deep = y
		}
		return &Node{Kind: Null, textAt: -1}
	}
	if y.Kind == yaml.AliasNode && y.Alias != nil {
		return c.node(y.Alias, depth+1)
	}
	off := l.offset(y.Line, y.Column)
	n := &Node{textAt: -1}
	switch y.Kind {
	case yaml.MappingNode:
		n.Kind = Object
		for i := 0; i+1 < len(y.Content); i += 2 {
			k, v := y.Content[i], y.Content[i+1]
			if k.Tag == "!!merge" {
				// "<<: *base" merges the aliased map's keys.
				if m := c.node(v, depth+1); m.Kind == Object {
					n.Members = append(n.Members, m.Members...)
				}
				continue
			}
			kn := c.node(k, depth+1)
			n.Members = append(n.Members, Member{Key: kn.Text, KeyPos: kn.Pos, Value: c.node(v, depth+1)})
		}
		n.Pos = l.pos(off, off)
	case yaml.SequenceNode:
		n.Kind = Array
		for _, item := range y.Content {
			n.Items = append(n.Items, c.node(item, depth+1))
		}
		n.Pos = l.pos(off, off)
	case yaml.ScalarNode:
		n.Text = y.Value
		switch y.Tag {
		case "!!null":
			n.Kind = Null
		case "!!bool":
			n.Kind = Bool
			if b, err := strconv.ParseBool(strings.ToLower(y.Value)); err == nil {
				n.Text = strconv.FormatBool(b)
			}
		case "!!int", "!!float":
			n.Kind = Number
		default:
			n.Kind = String
		}
		end := off + scalarLen(src[off:], y)
		n.Pos = l.pos(off, end)
		if y.Style&(yaml.LiteralStyle|yaml.FoldedStyle) == 0 && !strings.ContainsAny(y.Value, "\r\n") {
			lead := 0
			if y.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
				lead = 1
			}
			if bytes.HasPrefix(src[off+lead:], []byte(y.Value)) {
				n.textAt, n.l = off+lead, l
			}
		}
	default:
		n.Kind = Null
		n.Pos = l.pos(off, off)
	}
	return n
}

// scalarLen returns the length in bytes of a scalar's source text.
func scalarLen(rest []byte, y *yaml.Node) int {
	switch {
	case y.Style&yaml.DoubleQuotedStyle != 0:
		for i := 1; i < len(rest); i++ {
			if rest[i] == '\\' {
				i++
			} else if rest[i] == '"' {
				return i + 1
			}
		}
	case y.Style&yaml.SingleQuotedStyle != 0:
		for i := 1; i < len(rest); i++ {
			if rest[i] == '\'' {
				if i+1 < len(rest) && rest[i+1] == '\'' {
					i++
					continue
				}
				return i + 1
			}
		}
	case y.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		// A block scalar runs from its indicator to the end of its last line.
		return 0
	default:
		if bytes.HasPrefix(rest, []byte(y.Value)) {
			return len(y.Value)
		}
		if i := bytes.IndexAny(rest, "\n#"); i >= 0 {
			return len(bytes.TrimRight(rest[:i], " \t\r"))
		}
	}
	return len(rest)
}
