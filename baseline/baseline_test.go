package baseline

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mcptether/mcptether/checks"
)

func TestRoundTrip(t *testing.T) {
	fs := []checks.Finding{
		{RuleID: "unpinned-package", File: ".mcp.json", Message: "m", Fingerprint: "aa"},
		{RuleID: "mutable-image", File: ".mcp.json", Message: "m", Fingerprint: "bb", Suppression: &checks.Suppression{Kind: "external"}},
	}
	var buf bytes.Buffer
	if err := Write(&buf, fs); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "b.json")
	os.WriteFile(p, buf.Bytes(), 0o644)
	known, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if !known["aa"] || known["bb"] {
		t.Errorf("known = %v: suppressed findings are not recorded", known)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{"garbage.json": "not json", "future.json": `{"version": 2, "findings": []}`} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(content), 0o644)
		if _, err := Load(p); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	if _, err := Load(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("missing file accepted")
	}
}
