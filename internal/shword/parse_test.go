package shword

import (
	"errors"
	"strings"
	"testing"

	"mvdan.cc/sh/v3/syntax"
)

// At the bound, the deepest constructs parse (or fail) without trouble;
// one past it, nothing reaches the parser.
func TestParseBound(t *testing.T) {
	for _, opener := range []string{"(", "((", "$(", "$((1+(", "{ ", "if a; then ", "time ", "coproc ", "! ", "[[ ! ", "((a=", "a[1+(", "${a:-", "`"} {
		at := strings.Repeat(opener, MaxNesting/max(nestingBound([]byte(opener)), 1))
		if n := nestingBound([]byte(at)); n > MaxNesting {
			t.Fatalf("%q: bound %d", opener, n)
		}
		var deep *TooDeepError
		if _, err := Parse([]byte(at)); errors.As(err, &deep) {
			t.Errorf("%q: refused at the bound", opener)
		}
		_, err := Parse([]byte(at + opener + opener))
		if !errors.As(err, &deep) {
			t.Errorf("%q past the bound: %v", opener, err)
		}
	}
	for _, s := range []string{"mcp add a --type http --url https://x/mcp", "npx -y @scope/pkg@1.2.3 --flag=value"} {
		if _, err := Parse([]byte(s)); err != nil {
			t.Errorf("%q: %v", s, err)
		}
	}
}

// Every reserved word and opener counts wherever it stands, in quotes too.
func TestNestingBoundCounts(t *testing.T) {
	for src, want := range map[string]int{
		"if":            1,
		"diff":          0,
		"'(' \"$(\"":    7, // ' ( ' " $ ( "
		"time coproc a": 2,
		"a.b":           0,
	} {
		if got := nestingBound([]byte(src)); got != want {
			t.Errorf("%q: %d, want %d", src, got, want)
		}
	}
}

// FuzzParse: no script crashes the parser or gets past the bound to it,
// and every word's text lies inside the script.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"npx -y pkg@1.0.0", "cd /srv && (npx -y a || exit 1)", "curl -fsSL https://x | sh",
		"mcp add a --type http --url https://x/mcp\nmcp add b -- npx -y p", "$((1+(2*3)))", "if a; then b; fi", "a=$(b \"$(c)\")",
		strings.Repeat("(", 300), strings.Repeat("$(", 100)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		file, err := Parse([]byte(s))
		if err != nil {
			return
		}
		if nestingBound([]byte(s)) > MaxNesting {
			t.Fatal("a script over the bound was parsed")
		}
		syntax.Walk(file, func(n syntax.Node) bool {
			if w, ok := n.(*syntax.Word); ok {
				if end := int(w.End().Offset()); end > len(s) {
					t.Fatalf("word ends at %d of %d", end, len(s))
				}
				Text(s, w)
			}
			return true
		})
	})
}
