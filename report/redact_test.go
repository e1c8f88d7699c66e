package report

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestRedactEveryForm(t *testing.T) {
	secret := "p<a|s:s%w>rd&1234567890"
	r := &Result{Secrets: []string{secret, "p<a|s"}}
	quoted, _ := json.Marshal(secret)
	doc := strings.Join([]string{secret, string(quoted), cell(secret), strings.NewReplacer("%", "%25", ":", "%3A").Replace(secret)}, "\n")
	out := r.RedactString(doc)
	for _, form := range strings.Split(doc, "\n") {
		if strings.Contains(out, strings.Trim(form, `"`)) {
			t.Errorf("%q survives in %q", form, out)
		}
	}
	if !strings.Contains(out, "p<a|…(23 characters)") {
		t.Errorf("the longer secret was not masked whole: %q", out)
	}
	if got := (&Result{}).RedactString("x"); got != "x" {
		t.Errorf("no secrets: %q", got)
	}
}
