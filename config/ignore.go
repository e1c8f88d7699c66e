package config

import (
	"bytes"
	"regexp"
	"strings"
)

// InlineIgnore is a "mcptether:ignore <rule-id> <reason>" comment. It
// covers findings on its own line and on the line below.
type InlineIgnore struct {
	Line   int
	Rule   string
	Reason string
}

var inlineIgnore = regexp.MustCompile(`(?:#|//|/\*)\s*mcptether:ignore\s+([a-z0-9-]+)[ \t]*(.*?)\s*(?:\*/\s*)?$`)

// inlineIgnores finds ignore comments. JSONC, YAML and TOML all have line
// comments; the marker is rare enough that a false match inside a string
// only hides a finding its author asked to hide.
func inlineIgnores(src []byte) []InlineIgnore {
	if !bytes.Contains(src, []byte("mcptether:ignore")) {
		return nil
	}
	var out []InlineIgnore
	for i, line := range strings.Split(string(src), "\n") {
		if m := inlineIgnore.FindStringSubmatch(strings.TrimRight(line, "\r")); m != nil {
			out = append(out, InlineIgnore{Line: i + 1, Rule: m[1], Reason: m[2]})
		}
	}
	return out
}

// IgnoreAt returns the inline ignore of rule covering line, if any.
func (f *File) IgnoreAt(rule string, line int) (InlineIgnore, bool) {
	for _, ig := range f.Ignores {
		if ig.Rule == rule && (ig.Line == line || ig.Line == line-1) {
			return ig, true
		}
	}
	return InlineIgnore{}, false
}
