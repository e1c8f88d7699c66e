package safetext

import (
	"strings"
	"testing"
)

func TestLine(t *testing.T) {
	for in, want := range map[string]string{
		"plain text, with: colons":       "plain text, with: colons",
		"a\n::error::x":                  `a\n::error::x`,
		"::error::x":                     `\::error::x`,
		"  ::warning::x":                 `  \::warning::x`,
		"a ::not a command":              "a ::not a command",
		"x ##[add-mask]y":                `x ##\[add-mask]y`,
		"red \x1b[31m":                   `red \x1b[31m`,
		"cr\rlf":                         `cr\rlf`,
		"c1 \u0085 nel":                  `c1 \x85 nel`,
		"sep \u2028 bidi \u202e":         `sep \u2028 bidi \u202e`,
		"tab\tstays":                     "tab\tstays",
		"bad \xff byte":                  `bad \xff byte`,
		"unicode é 漢 \uFFFD replacement": "unicode é 漢 \uFFFD replacement",
	} {
		if got := Line(in); got != want {
			t.Errorf("Line(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMarkdownCell(t *testing.T) {
	for in, want := range map[string]string{
		"[click](https://evil.example)": `\[click\](https://evil.example)`,
		"![x](https://evil/p.png)":      `!\[x\](https://evil/p.png)`,
		"<img src=x> & a|b":             `&lt;img src=x&gt; &amp; a\|b`,
		"`code` *em* _u_ ~s~":           "\\`code\\` \\*em\\* \\_u\\_ \\~s\\~",
		"# heading":                     `\# heading`,
		"two\nlines":                    `two\\nlines`,
	} {
		if got := MarkdownCell(in); got != want {
			t.Errorf("MarkdownCell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRenderedAndContentFree(t *testing.T) {
	if got := string(Rendered([]byte(`{"m": "x ##[add-mask]y"}`))); got != `{"m": "x ##\u005badd-mask]y"}` {
		t.Errorf("Rendered: %s", got)
	}
	got := ContentFree(`unknown key "ghp_Tw4Qe8Rn2Mb6Vc1Xz9Lk3Jh7Gf5Ds0Ap4Ou8": expected ',' or '}'`)
	if strings.Contains(got, "ghp_") || !strings.Contains(got, "expected ',' or '}'") {
		t.Errorf("ContentFree: %q", got)
	}
}
