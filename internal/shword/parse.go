package shword

import (
	"bytes"
	"fmt"

	"mvdan.cc/sh/v3/syntax"
)

// MaxNesting bounds what Parse hands to the shell parser. mvdan.cc/sh
// descends recursively with no limit of its own: a megabyte of "((" or
// "$((1+(" overflows the goroutine stack, which no recover catches.
const MaxNesting = 4096

// TooDeepError is a script Parse refused without parsing.
type TooDeepError struct{ Count int }

func (e *TooDeepError) Error() string {
	return fmt.Sprintf("the shell script has %d tokens that can open a nested construct, over the %d that are parsed", e.Count, MaxNesting)
}

// Parse parses src as bash, after checking that it cannot nest deeper than
// MaxNesting levels.
func Parse(src []byte) (*syntax.File, error) {
	if n := nestingBound(src); n > MaxNesting {
		return nil, &TooDeepError{Count: n}
	}
	return syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(bytes.NewReader(src), "")
}

// nestingBound is an upper bound on how deep the parser can recurse in
// src: it counts every byte and reserved word that can open a level
// (subshells, groups, substitutions, arithmetic and test operators,
// compound commands, "time" and "coproc"), wherever they stand, in quotes
// or comments too. Counting instead of tracking quotes cannot be fooled
// by quoting rules the parser reads differently; it overcounts, which
// matters only for scripts far longer than any launch line or .crushrc.
func nestingBound(src []byte) int {
	n := 0
	word := -1 // start of the current word, -1 outside one
	for i := 0; i <= len(src); i++ {
		c := byte(' ')
		if i < len(src) {
			c = src[i]
		}
		if isWordByte(c) {
			if word < 0 {
				word = i
			}
			continue
		}
		if word >= 0 {
			if reserved[string(src[word:i])] {
				n++
			}
			word = -1
		}
		if opener[c] {
			n++
		}
	}
	return n
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// opener: bytes that can open a nesting level in bash's grammar, its
// arithmetic (assignment, ternary, unary operators) and [[ ]] tests.
var opener = func() (o [256]bool) {
	for _, c := range []byte("(){}[]`!~?&|=<>+-*/%^,;:$\"'\\#@") {
		o[c] = true
	}
	return o
}()

var reserved = map[string]bool{
	"if": true, "then": true, "elif": true, "else": true, "fi": true, "case": true, "esac": true,
	"for": true, "select": true, "while": true, "until": true, "do": true, "done": true, "in": true,
	"function": true, "time": true, "coproc": true,
}
