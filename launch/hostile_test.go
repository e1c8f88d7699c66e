package launch

import (
	"strings"
	"testing"
)

// A million nested "(" in an sh -c argument (a 2 MB .mcp.json) ended the
// run in "fatal error: stack overflow". Now the script is not parsed and
// the server is marked unparsed, which config-parse-error reports.
func TestShellNestingIsBounded(t *testing.T) {
	for _, opener := range []string{"(", "((", "$(", "$((1+(", "${a:-", "if a; then ", "a[1+(", "! "} {
		refs := decodeLine(t, "sh", "-c", "npx -y evil-pkg; "+strings.Repeat(opener, 1<<20/len(opener)))
		if len(refs) != 1 || !refs[0].Unparsed || !strings.Contains(refs[0].Note, "nesting") {
			t.Errorf("%q: %s %+v", opener, brief(refs), refs)
		}
	}
	// A syntax error: sh runs the first line before it meets the second.
	refs := decodeLine(t, "bash", "-lc", "npx -y evil-pkg\nfi fi")
	if len(refs) != 1 || !refs[0].Unparsed || !strings.Contains(refs[0].Note, "syntax") {
		t.Errorf("syntax error: %+v", refs)
	}
	// Control: an ordinary script is decoded.
	refs = decodeLine(t, "sh", "-c", "cd /srv && (npx -y pkg@1.0.0 || exit 1)")
	if got := brief(refs); got != "package:npm:pkg@1.0.0!" || refs[0].Unparsed {
		t.Errorf("control: %s", got)
	}
}
