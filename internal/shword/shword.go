// Package shword reads shell words parsed by mvdan.cc/sh without running
// anything: config (.crushrc) and launch (command lines) share it.
package shword

import (
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Text is a word's value with quotes removed; expansions stay as written,
// since nothing is expanded. src is the text the word was parsed from.
func Text[S ~string | ~[]byte](src S, w *syntax.Word) string {
	var b strings.Builder
	for _, p := range w.Parts {
		switch p := p.(type) {
		case *syntax.Lit:
			b.WriteString(p.Value)
		case *syntax.SglQuoted:
			b.WriteString(p.Value)
		case *syntax.DblQuoted:
			for _, q := range p.Parts {
				if l, ok := q.(*syntax.Lit); ok {
					b.WriteString(l.Value)
				} else {
					b.WriteString(string(src[q.Pos().Offset():q.End().Offset()]))
				}
			}
		default:
			b.WriteString(string(src[p.Pos().Offset():p.End().Offset()]))
		}
	}
	return b.String()
}
