package shword

import (
	"errors"
	"strings"
	"testing"
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
