package config

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
)

// skipDirs are never config locations and can be huge.
var skipDirs = map[string]bool{".git": true, "node_modules": true, "vendor": true, ".venv": true}

// Options control discovery.
type Options struct {
	// Paths are files or directories; none means ".".
	Paths []string
	// NoIgnore also scans what .gitignore files exclude.
	NoIgnore bool
	// Base is the directory reported paths are relative to (default: the
	// working directory). Paths outside it are reported absolute.
	Base string
}

// Result is what discovery found.
type Result struct {
	Files []*File
	// Listed counts the files seen in directory listings.
	Listed int
	// Warnings are things passed over that a user may want to know.
	Warnings []string
}

// Discover walks opts.Paths and reads every MCP config in them. A path
// given by name is always read; directories are walked.
func Discover(opts Options) (*Result, error) {
	base := opts.Base
	if base == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, fmt.Errorf("failed to get the working directory: %w", err)
		}
		base = wd
	}
	base, _ = filepath.Abs(base)
	paths := opts.Paths
	if len(paths) == 0 {
		paths = []string{"."}
	}
	w := &walker{base: base, noIgnore: opts.NoIgnore, res: &Result{}, seen: map[string]bool{}}
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, fmt.Errorf("failed to resolve %s: %w", p, err)
		}
		fi, err := os.Stat(abs)
		if err != nil {
			return nil, fmt.Errorf("cannot scan %s: %w", p, err)
		}
		if !fi.IsDir() {
			w.res.Listed++
			if fm := detect(filepath.ToSlash(abs)); fm != nil {
				w.read(fm, abs, abs)
			} else {
				w.warn("%s: not an MCP config file name; skipped", w.display(abs))
			}
			continue
		}
		real, err := filepath.EvalSymlinks(abs)
		if err != nil {
			return nil, fmt.Errorf("cannot scan %s: %w", p, err)
		}
		w.root = real
		ignRoot, pats := real, []gitignore.Pattern(nil)
		if !w.noIgnore {
			ignRoot, pats = parentIgnores(real)
		}
		rel, _ := filepath.Rel(ignRoot, real)
		w.walk(abs, split(rel), pats)
	}
	return w.res, nil
}

type walker struct {
	base     string
	root     string // real path of the directory being walked
	noIgnore bool
	res      *Result
	seen     map[string]bool
}

func (w *walker) warn(format string, args ...any) {
	w.res.Warnings = append(w.res.Warnings, fmt.Sprintf(format, args...))
}

// display returns the path as reported: relative to base, slash-separated.
func (w *walker) display(abs string) string {
	if rel, err := filepath.Rel(w.base, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(abs)
}

// walk lists dir; rel is its path from the ignore root, as components.
func (w *walker) walk(dir string, rel []string, pats []gitignore.Pattern) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		w.warn("%s: cannot list directory: %v", w.display(dir), unwrapPath(err))
		return
	}
	if !w.noIgnore {
		for _, e := range entries {
			if e.Name() == ".gitignore" && e.Type().IsRegular() {
				pats = append(pats[:len(pats):len(pats)], readIgnore(filepath.Join(dir, ".gitignore"), rel)...)
			}
		}
	}
	m := gitignore.NewMatcher(pats)
	slashDir := filepath.ToSlash(dir)
	for _, e := range entries {
		name := e.Name()
		t := e.Type()
		switch {
		case t.IsDir():
			if skipDirs[name] {
				continue
			}
			sub := append(rel[:len(rel):len(rel)], name)
			if len(pats) > 0 && m.Match(sub, true) {
				continue
			}
			w.walk(filepath.Join(dir, name), sub, pats)
		case t.IsRegular() || t&fs.ModeSymlink != 0:
			w.res.Listed++
			if !IsCandidate(slashDir, name) {
				continue
			}
			if len(pats) > 0 && m.Match(append(rel[:len(rel):len(rel)], name), false) {
				continue
			}
			p := filepath.Join(dir, name)
			fm := detect(filepath.ToSlash(p))
			if fm == nil {
				continue
			}
			if t&fs.ModeSymlink != 0 {
				w.symlink(fm, p)
				continue
			}
			w.read(fm, p, p)
		}
	}
}

// symlink reads a linked config only when the link stays inside the
// scanned tree. Directory links are never followed: their targets inside
// the tree are walked anyway, and loops are impossible that way.
func (w *walker) symlink(fm *format, p string) {
	target, err := filepath.EvalSymlinks(p)
	if err != nil {
		if fm.marker == "" {
			w.addError(fm, p, fmt.Sprintf("cannot read: %v", unwrapPath(err)))
		}
		return
	}
	if rel, err := filepath.Rel(w.root, target); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		w.warn("%s: symlink to %s, outside the scanned tree; not followed", w.display(p), target)
		return
	}
	fi, err := os.Stat(target)
	if err != nil || !fi.Mode().IsRegular() {
		return
	}
	w.read(fm, p, target)
}

func (w *walker) addError(fm *format, p, msg string) {
	f := &File{Path: w.display(p), Format: fm.id}
	w.res.Files = append(w.res.Files, f.fail(1, 1, msg))
}

// read reads the config at p (content from target).
func (w *walker) read(fm *format, p, target string) {
	shown := w.display(p)
	if w.seen[shown] {
		return
	}
	w.seen[shown] = true
	fi, err := os.Stat(target)
	if err != nil {
		if fm.marker == "" {
			w.addError(fm, p, fmt.Sprintf("cannot read: %v", unwrapPath(err)))
		}
		return
	}
	if fi.Size() > MaxFileSize {
		if fm.marker == "" {
			w.addError(fm, p, fmt.Sprintf("file is %d bytes, over the %d-byte limit for a config", fi.Size(), MaxFileSize))
		}
		return
	}
	src, err := os.ReadFile(target)
	if err != nil {
		if fm.marker == "" {
			w.addError(fm, p, fmt.Sprintf("cannot read: %v", unwrapPath(err)))
		}
		return
	}
	if f := parseAs(fm, shown, filepath.ToSlash(p), src); f != nil {
		w.res.Files = append(w.res.Files, f)
	}
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func split(rel string) []string {
	rel = filepath.ToSlash(rel)
	if rel == "." || rel == "" {
		return nil
	}
	return strings.Split(rel, "/")
}

// readIgnore parses one .gitignore whose directory is domain.
func readIgnore(file string, domain []string) []gitignore.Pattern {
	data, err := os.ReadFile(file)
	if err != nil || len(data) > MaxFileSize {
		return nil
	}
	var ps []gitignore.Pattern
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		ps = append(ps, gitignore.ParsePattern(line, domain))
	}
	return ps
}

// parentIgnores finds the enclosing git work tree of dir and returns its
// root with the ignore patterns that apply above and at dir: a scan of a
// sub-folder honours the repository's .gitignore files as git does.
func parentIgnores(dir string) (string, []gitignore.Pattern) {
	top := dir
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			top = d
			break
		}
		if filepath.Dir(d) == d {
			return dir, nil
		}
	}
	pats := readIgnore(filepath.Join(top, ".git", "info", "exclude"), nil)
	// .gitignore files strictly above dir; dir's own is read by walk.
	rel, _ := filepath.Rel(top, dir)
	comps := split(rel)
	for i := range comps {
		d := filepath.Join(append([]string{top}, comps[:i]...)...)
		pats = append(pats, readIgnore(filepath.Join(d, ".gitignore"), comps[:i])...)
	}
	return top, pats
}
