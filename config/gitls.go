package config

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"

	"github.com/mcptether/mcptether/internal/gitrun"
)

// gitTop returns the work tree holding dir (its real path), or "" when no
// folder from dir up has a .git. A .git that is a file is a worktree's or
// a submodule's.
func gitTop(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// indexEntry is one path git lists under the scanned folder.
type indexEntry struct {
	path    string // slash-separated, relative to the folder
	tracked bool
	mode    string // the index's mode for tracked entries: 100644, 120000 (link), 160000 (submodule)
}

// maxListing bounds what git may print: 200,000 paths take about 12 MB.
const maxListing = 256 << 20

// gitList lists the files under dir as git sees them: every tracked file
// whatever the ignore rules say, then the untracked files the ignore rules
// leave (all of them with noIgnore false only). Paths are relative to
// dir. git runs with its file system monitor off, so a .git/config the
// scanned tree may have written runs no program.
func gitList(dir string, untracked bool) ([]indexEntry, error) {
	var out []indexEntry
	tracked, err := gitrun.Output(dir, maxListing, "ls-files", "-z", "--cached", "--stage")
	if err != nil {
		return nil, err
	}
	for _, rec := range bytes.Split(tracked, []byte{0}) {
		// "<mode> <object> <stage>\t<path>"
		meta, p, ok := bytes.Cut(rec, []byte{'\t'})
		if !ok {
			continue
		}
		mode, _, _ := bytes.Cut(meta, []byte{' '})
		if n := len(out); n > 0 && out[n-1].path == string(p) {
			continue // a conflict lists one path at several stages
		}
		out = append(out, indexEntry{path: string(p), tracked: true, mode: string(mode)})
	}
	if !untracked {
		return out, nil
	}
	others, err := gitrun.Output(dir, maxListing, "ls-files", "-z", "--others", "--exclude-standard")
	if err != nil {
		return nil, err
	}
	for _, p := range bytes.Split(others, []byte{0}) {
		if len(p) > 0 {
			out = append(out, indexEntry{path: string(p)})
		}
	}
	// One order whatever is committed yet, and the walk's: by component.
	slices.SortStableFunc(out, func(a, b indexEntry) int { return comparePaths(a.path, b.path) })
	return out, nil
}

// comparePaths orders slash paths component by component ("a/b" before
// "a.b"), as a walk meets them, without splitting them.
func comparePaths(a, b string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		switch {
		case a[i] == b[i]:
		case a[i] == '/':
			return -1
		case b[i] == '/':
			return 1
		case a[i] < b[i]:
			return -1
		default:
			return 1
		}
	}
	return len(a) - len(b)
}
