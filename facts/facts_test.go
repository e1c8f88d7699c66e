package facts

import "testing"

func TestNormalizeRepo(t *testing.T) {
	for in, want := range map[string]string{
		"https://github.com/o/r":                      "github.com/o/r",
		"git+https://github.com/o/r.git":              "github.com/o/r",
		"git://github.com/o/r.git":                    "github.com/o/r",
		"git+ssh://git@github.com/o/r.git":            "github.com/o/r",
		"git@github.com:o/r.git":                      "github.com/o/r",
		"https://www.github.com/O/R/":                 "github.com/O/R",
		"https://github.com/o/r/tree/main/packages/x": "github.com/o/r",
		"https://github.com/o/r#readme":               "github.com/o/r",
		"github:o/r":                                  "github.com/o/r",
		"o/r":                                         "github.com/o/r",
		"gitlab:g/p":                                  "gitlab.com/g/p",
		"https://gitlab.com/g/p.git":                  "gitlab.com/g/p",
		"http://github.com:443/o/r":                   "github.com/o/r",
		"":                                            "",
		"https://example.com":                         "",
		"not a repo":                                  "",
		"@scope/pkg":                                  "",
	} {
		if got := NormalizeRepo(in); got != want {
			t.Errorf("NormalizeRepo(%q) = %q, want %q", in, got, want)
		}
	}
	if !SameRepo("git+https://github.com/O/R.git", "https://www.github.com/o/r/") || SameRepo("", "") ||
		!SameRepo("github.com/o/r", "https://github.com/O/r") || SameRepo("github.com/a/x", "github.com/b/x") || SameRepo("not a repo", "nor this") {
		t.Error("SameRepo")
	}
}
