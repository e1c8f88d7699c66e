// Package docs embeds the rule documentation, so SARIF help text and the
// published pages are one source.
package docs

import (
	"embed"
	"io/fs"
	"strings"
)

//go:embed rules/*.md
var rules embed.FS

// Rule returns the Markdown documentation of rule id.
func Rule(id string) (string, bool) {
	b, err := fs.ReadFile(rules, "rules/"+id+".md")
	if err != nil {
		return "", false
	}
	return string(b), true
}

// RuleIDs lists the documented rules.
func RuleIDs() []string {
	entries, _ := fs.ReadDir(rules, "rules")
	var ids []string
	for _, e := range entries {
		ids = append(ids, strings.TrimSuffix(e.Name(), ".md"))
	}
	return ids
}
