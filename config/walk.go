package config

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
	"github.com/mcptether/mcptether/internal/safefile"
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
	// Errors are paths given by name that could not be scanned (missing,
	// unreadable); the other paths are still scanned.
	Errors []string
}

// Discover walks opts.Paths and reads every MCP config in them. A path
// given by name is always read; directories are walked.
//
// Every open goes through an os.Root: a directory given by name is the
// root of its walk, and a file given by name is read inside the base
// directory when it lies there (else inside its own folder). No symlink or
// ".." leads out of a root, only regular files are read, and every read
// stops at MaxFileSize whatever stat says.
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
	var baseRoot *os.Root
	if r, err := os.OpenRoot(base); err == nil {
		baseRoot = r
		defer r.Close()
	}
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			w.fail(p, err)
			continue
		}
		t, err := w.open(baseRoot, abs)
		if err != nil {
			w.fail(p, err)
			continue
		}
		w.scan(t)
		t.root.Close()
	}
	return w.res, nil
}

// tree is one os.Root being read: a walked directory, or the folder a
// named file is read in.
type tree struct {
	root *os.Root
	dir  string // the root's absolute path, as named (for reported paths)
	real string // the root's real path (for pin, and links' targets)
	rel  string // what to read inside the root: "." or a file
}

// open finds the tree that holds abs.
func (w *walker) open(baseRoot *os.Root, abs string) (*tree, error) {
	inBase := baseRoot != nil && safefile.Within(w.base, abs)
	var fi fs.FileInfo
	var err error
	if inBase {
		rel, _ := filepath.Rel(w.base, abs)
		fi, err = baseRoot.Stat(rel)
	} else {
		fi, err = os.Stat(abs)
	}
	if err != nil {
		return nil, safefile.Explain(err)
	}
	dir, rel := abs, "."
	if !fi.IsDir() {
		dir, rel = filepath.Dir(abs), filepath.Base(abs)
		if inBase {
			dir = w.base
			rel, _ = filepath.Rel(w.base, abs)
		}
	}
	var r *os.Root
	if inBase {
		sub, _ := filepath.Rel(w.base, dir)
		r, err = baseRoot.OpenRoot(sub)
	} else {
		r, err = os.OpenRoot(dir)
	}
	if err != nil {
		return nil, safefile.Explain(err)
	}
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		r.Close()
		return nil, safefile.Explain(err)
	}
	return &tree{root: r, dir: dir, real: real, rel: rel}, nil
}

// readRegular reads a config-sized regular file through root; parseAs
// reports one over the limit.
func readRegular(root *os.Root, name string) ([]byte, error) {
	return safefile.Read(root, name, MaxFileSize)
}

func (w *walker) fail(p string, err error) {
	w.res.Errors = append(w.res.Errors, fmt.Sprintf("cannot scan %s: %v", p, err))
}

func (w *walker) scan(t *tree) {
	w.t = t
	if t.rel != "." {
		w.res.Listed++
		abs := filepath.Join(t.dir, t.rel)
		if fm := detect(filepath.ToSlash(abs)); fm != nil {
			w.read(fm, t.rel)
		} else {
			w.warn("%s: not an MCP config file name; skipped", w.display(abs))
		}
		return
	}
	ignRoot, pats := t.real, []gitignore.Pattern(nil)
	if !w.noIgnore {
		ignRoot, pats = parentIgnores(t.real)
	}
	rel, _ := filepath.Rel(ignRoot, t.real)
	w.walk(".", split(rel), pats)
}

type walker struct {
	base     string
	t        *tree
	noIgnore bool
	res      *Result
	seen     map[string]bool
}

func (w *walker) warn(format string, args ...any) {
	w.res.Warnings = append(w.res.Warnings, fmt.Sprintf(format, args...))
}

// display returns the path as reported: relative to base, slash-separated,
// and quoted when it holds control characters: git allows a newline in a
// file name, and a report line must not become a workflow command.
func (w *walker) display(abs string) string {
	p := filepath.ToSlash(abs)
	if rel, err := filepath.Rel(w.base, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		p = filepath.ToSlash(rel)
	}
	if strings.ContainsFunc(p, unicode.IsControl) {
		return strconv.Quote(p)
	}
	return p
}

// walk lists dir (relative to the tree's root); rel is its path from the
// ignore root, as components.
func (w *walker) walk(dir string, rel []string, pats []gitignore.Pattern) {
	abs := filepath.Join(w.t.dir, dir)
	entries, err := safefile.ReadDir(w.t.root, dir)
	if err != nil {
		w.warn("%s: cannot list directory: %v", w.display(abs), safefile.Explain(err))
		return
	}
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	if !w.noIgnore {
		for _, e := range entries {
			if e.Name() == ".gitignore" && e.Type().IsRegular() {
				data, _ := readRegular(w.t.root, filepath.Join(dir, ".gitignore"))
				pats = append(pats[:len(pats):len(pats)], parseIgnore(data, rel)...)
			}
		}
	}
	m := gitignore.NewMatcher(pats)
	slashDir := filepath.ToSlash(abs)
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
			p := filepath.Join(abs, name)
			fm := detect(filepath.ToSlash(p))
			if fm == nil {
				continue
			}
			if len(pats) > 0 && m.Match(append(rel[:len(rel):len(rel)], name), false) {
				w.ignored(fm, p)
				continue
			}
			w.read(fm, filepath.Join(dir, name))
		}
	}
}

// ignored notes a config .gitignore hides: a committed file can match a
// pattern the same pull request adds, so skipping it is never silent.
func (w *walker) ignored(fm *format, p string) {
	if fm.marker == "" {
		w.warn("%s: excluded by .gitignore; not scanned (--no-ignore scans it)", w.display(p))
	}
}

func (w *walker) addError(fm *format, p, msg string) {
	f := &File{Path: w.display(p), Format: fm.id}
	w.res.Files = append(w.res.Files, f.fail(1, 1, msg))
}

// read reads the config at rel in the current tree. A symlink is read
// when its target is inside the tree (os.Root refuses any other), and
// the file's real place is kept for pin.
func (w *walker) read(fm *format, rel string) {
	p := filepath.Join(w.t.dir, rel)
	shown := w.display(p)
	if w.seen[shown] {
		return
	}
	w.seen[shown] = true
	real := rel
	if fi, err := w.t.root.Lstat(rel); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		target, err := filepath.EvalSymlinks(p)
		switch {
		case err != nil:
			if fm.marker == "" {
				w.addError(fm, p, fmt.Sprintf("cannot read: %v", unwrapPath(err)))
			}
			return
		case !safefile.Within(w.t.real, target):
			w.warn("%s: symlink to a file outside the scanned tree; not followed", shown)
			return
		}
		real, _ = filepath.Rel(w.t.real, target)
	}
	src, err := readRegular(w.t.root, real)
	if err != nil {
		if fm.marker == "" {
			w.addError(fm, p, "cannot read: "+safefile.Explain(err).Error())
		}
		return
	}
	if f := parseAs(fm, shown, filepath.ToSlash(p), src); f != nil {
		f.Root, f.Real = w.t.real, filepath.ToSlash(real)
		w.res.Files = append(w.res.Files, f)
		for _, target := range f.Follow {
			// Inside the same tree only: the root refuses anything else.
			if rel, err := filepath.Rel(w.t.dir, filepath.FromSlash(target)); err == nil && safefile.Within(w.t.dir, filepath.FromSlash(target)) {
				w.read(pluginMCP, rel)
			}
		}
	}
}

// pluginMCP reads the MCP config a plugin manifest points to.
var pluginMCP = &format{id: "claude-code-plugin", host: "Claude Code", marker: "mcpServers", read: readMCPServers}

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

// parseIgnore parses one .gitignore whose directory is domain.
func parseIgnore(data []byte, domain []string) []gitignore.Pattern {
	var ps []gitignore.Pattern
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, MaxFileSize+1)
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
// sub-folder honours the repository's .gitignore files as git does. They
// are read through an os.Root at the work tree, like every other file.
func parentIgnores(dir string) (string, []gitignore.Pattern) {
	top := dir
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			top = d
			break
		}
		if filepath.Dir(d) == d {
			return dir, nil
		}
	}
	root, err := os.OpenRoot(top)
	if err != nil {
		return dir, nil
	}
	defer root.Close()
	read := func(name string, domain []string) []gitignore.Pattern {
		data, err := readRegular(root, name)
		if err != nil || len(data) > MaxFileSize {
			return nil
		}
		return parseIgnore(data, domain)
	}
	pats := read(filepath.Join(".git", "info", "exclude"), nil)
	// .gitignore files strictly above dir; dir's own is read by walk.
	rel, _ := filepath.Rel(top, dir)
	comps := split(rel)
	for i := range comps {
		pats = append(pats, read(filepath.Join(append(comps[:i:i], ".gitignore")...), comps[:i])...)
	}
	return top, pats
}
