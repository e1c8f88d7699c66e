package pin

import (
	"bytes"
	"fmt"
	"sort"

	"github.com/rogpeppe/go-internal/diff"
)

// Result is a file's content before and after pinning.
type Result struct {
	File     string
	Old, New []byte
}

// Diff is the unified diff of the change.
func (r Result) Diff() []byte {
	return diff.Diff("a/"+r.File, r.Old, "b/"+r.File, r.New)
}

type edit struct {
	start, end int
	text       string
}

// Apply computes the new content of every file changes touch. Each edit
// replaces exactly its byte range, after checking the bytes are still what
// was read; nothing is re-serialised.
func Apply(changes []Change, read func(string) ([]byte, error)) ([]Result, error) {
	byFile := map[string][]Change{}
	var files []string
	for _, c := range changes {
		if _, ok := byFile[c.File]; !ok {
			files = append(files, c.File)
		}
		byFile[c.File] = append(byFile[c.File], c)
	}
	sort.Strings(files)
	var out []Result
	for _, f := range files {
		src, err := read(f)
		if err != nil {
			return nil, fmt.Errorf("failed to read %s: %w", f, err)
		}
		var edits []edit
		for _, c := range byFile[f] {
			if c.Start < 0 || c.End > len(src) || c.Start > c.End || string(src[c.Start:c.End]) != c.Old {
				return nil, fmt.Errorf("%s changed while pinning (expected %q at byte %d); run again", f, c.Old, c.Start)
			}
			edits = append(edits, edit{c.Start, c.End, c.New})
			if c.Comment != "" {
				eol := lineEnd(src, c.End)
				edits = append(edits, edit{eol, eol, c.Comment})
			}
		}
		// Apply from the end so earlier offsets stay valid; a comment at a
		// line end goes after any value edit on that line.
		sort.SliceStable(edits, func(i, j int) bool { return edits[i].start > edits[j].start })
		next := append([]byte(nil), src...)
		for _, e := range edits {
			next = append(next[:e.start], append([]byte(e.text), next[e.end:]...)...)
		}
		if !bytes.Equal(next, src) {
			out = append(out, Result{File: f, Old: src, New: next})
		}
	}
	return out, nil
}

// lineEnd is the offset of the end of the line holding off, before "\r\n"
// or "\n".
func lineEnd(src []byte, off int) int {
	i := bytes.IndexByte(src[off:], '\n')
	if i < 0 {
		return len(src)
	}
	end := off + i
	if end > 0 && src[end-1] == '\r' {
		end--
	}
	return end
}
