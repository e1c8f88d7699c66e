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
	// Server is the entry it belongs to ("" for none): with the rule and
	// the file, what makes two ignores in two versions of a file the same
	// ignore.
	Server string
	// Unapproved: judging a change against a trusted revision, the
	// comment is not in that revision's version of the file, so it does
	// not suppress (a change cannot approve itself).
	Unapproved bool
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

// IgnoreAt returns the inline ignore of rule covering line, if any; an
// unapproved one does not count.
func (f *File) IgnoreAt(rule string, line int) (InlineIgnore, bool) {
	for _, ig := range f.Ignores {
		if ig.Rule == rule && !ig.Unapproved && (ig.Line == line || ig.Line == line-1) {
			return ig, true
		}
	}
	return InlineIgnore{}, false
}

// coverServers records the entry each ignore belongs to: the one whose
// name is on the line below it (a comment above an entry), else the one
// whose lines it stands in (from its name to the next entry's name).
func (f *File) coverServers() {
	for i := range f.Ignores {
		ig := &f.Ignores[i]
		ig.Server = ""
		for _, s := range f.Servers {
			switch l := s.Name.Pos.Line; {
			case l == ig.Line+1:
				ig.Server = s.Name.Text
				goto next
			case l > 0 && l <= ig.Line:
				ig.Server = s.Name.Text
			}
		}
	next:
	}
}

// Approve marks the ignores that base, the same file at a trusted
// revision (nil when it has no such file), does not hold: the same rule
// for the same entry. They no longer suppress, and say so.
func (f *File) Approve(base *File) {
	approved := map[[2]string]bool{}
	if base != nil {
		for _, ig := range base.Ignores {
			approved[[2]string{ig.Rule, ig.Server}] = true
		}
	}
	for i := range f.Ignores {
		ig := &f.Ignores[i]
		ig.Unapproved = !approved[[2]string{ig.Rule, ig.Server}]
	}
}

// Reparse reads src, another version of the file, in the file's format.
func (f *File) Reparse(src []byte) *File {
	if f.fm == nil {
		return nil
	}
	return parseAs(f.fm, f.Path, f.abs, src)
}
