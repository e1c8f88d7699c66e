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
	w.linked = map[string]bool{t.real: true}
	w.scanDir(".", 0)
}

// maxRepoDepth bounds nested repositories (submodules in submodules).
const maxRepoDepth = 8

// scanDir scans the folder rel of the tree. In a git work tree the index
// lists the files: every tracked file is judged whatever .gitignore says,
// since a host loads what is committed, and ignore rules only leave out
// untracked files. Outside git, the folder is walked and .gitignore files
// are honoured as git would.
func (w *walker) scanDir(rel string, depth int) {
	real := filepath.Join(w.t.real, rel)
	if gitTop(real) == "" {
		w.walk(rel, nil, nil, w.noIgnore)
		return
	}
	entries, err := gitList(real, !w.noIgnore)
	if err != nil {
		// Fail closed: without git's list, judge every file.
		w.warn("%s: git cannot list the files (%s); every file was scanned, whatever .gitignore says", w.display(filepath.Join(w.t.dir, rel)), err)
		w.walk(rel, nil, nil, true)
		return
	}
	if w.noIgnore {
		w.walk(rel, nil, nil, true) // untracked files, ignored ones too
	}
	for _, e := range entries {
		w.entry(rel, e, depth)
	}
}

// entry judges one path git listed in the folder dir.
func (w *walker) entry(dir string, e indexEntry, depth int) {
	p := strings.TrimSuffix(e.path, "/")
	rel := filepath.Join(dir, filepath.FromSlash(p))
	if e.mode == "160000" || strings.HasSuffix(e.path, "/") {
		// A submodule, or an untracked repository inside this one: its
		// own index lists its files.
		if fi, err := w.t.root.Lstat(rel); err == nil && fi.IsDir() && depth < maxRepoDepth {
			w.scanDir(rel, depth+1)
		}
		return
	}
	comps := strings.Split(p, "/")
	if !e.tracked && slices.ContainsFunc(comps[:len(comps)-1], func(c string) bool { return skipDirs[c] }) {
		return
	}
	w.res.Listed++
	if e.mode == "120000" || !e.tracked {
		if fi, err := w.t.root.Lstat(rel); err == nil && fi.Mode()&fs.ModeSymlink != 0 && w.linkedDir(rel) {
			return
		}
	}
	abs := filepath.Join(w.t.dir, rel)
	if !IsCandidate(filepath.ToSlash(filepath.Dir(abs)), comps[len(comps)-1]) {
		return
	}
	if fm := detect(filepath.ToSlash(abs)); fm != nil {
		w.read(fm, rel)
	}
}

// linkedDir walks the folder a symlink at rel leads to, when it is one: a
// host follows a linked .cursor as it follows a folder. A link out of the
// tree is not followed; when it has a host folder's name, the configs a
// host would find there are reported as not judged.
func (w *walker) linkedDir(rel string) bool {
	abs := filepath.Join(w.t.dir, rel)
	target, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return false
	}
	fi, err := os.Stat(target)
	if err != nil || !fi.IsDir() {
		return false
	}
	if !safefile.Within(w.t.real, target) {
		if fm := hostFolder(filepath.Base(rel)); fm != nil {
			w.addError(fm, abs, ReasonOutside, "a link to a folder outside the scanned tree, not followed; the host reads its configs, which were not checked")
		}
		return true
	}
	if w.linked[target] || len(w.linked) > maxLinkedDirs {
		return true
	}
	w.linked[target] = true
	w.walk(rel, nil, nil, true)
	return true
}

// maxLinkedDirs bounds the folders reached through links.
const maxLinkedDirs = 256

// hostFolder returns the first format with a folder of this name in its
// paths (".cursor", ".vscode"), or nil.
func hostFolder(name string) *format {
	name = fold(name)
	for _, f := range formats {
		for _, p := range f.paths {
			parts := strings.Split(fold(p), "/")
			if slices.Contains(parts[:len(parts)-1], name) {
				return f
			}
		}
	}
	return nil
}

type walker struct {
	base     string
	t        *tree
	noIgnore bool
	res      *Result
	seen     map[string]bool
	linked   map[string]bool // real folders walked, against link loops
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
// ignore root, as components. all: .gitignore files are not read.
func (w *walker) walk(dir string, rel []string, pats []gitignore.Pattern, all bool) {
	abs := filepath.Join(w.t.dir, dir)
	entries, err := safefile.ReadDir(w.t.root, dir)
	if err != nil {
		w.warn("%s: cannot list directory: %v", w.display(abs), safefile.Explain(err))
		return
	}
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	if !all {
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
			w.walk(filepath.Join(dir, name), sub, pats, all)
		case t.IsRegular() || t&fs.ModeSymlink != 0:
			w.res.Listed++
			if t&fs.ModeSymlink != 0 && w.linkedDir(filepath.Join(dir, name)) {
				continue
			}
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

// ignored notes a config .gitignore hides outside git, where nothing
// says whether it is committed.
func (w *walker) ignored(fm *format, p string) {
	if fm.marker == "" {
		w.warn("%s: excluded by .gitignore; not scanned (--no-ignore scans it)", w.display(p))
	}
}

func (w *walker) addError(fm *format, p, reason, msg string) {
	f := &File{Path: w.display(p), Format: fm.id}
	w.res.Files = append(w.res.Files, f.fail(1, 1, reason, msg))
}

// read reads the config at rel in the current tree, and reports a config
// it cannot read: its servers are not judged. A listed file that is gone
// is passed over (a host cannot load it either); a generic name
// (server.json) that cannot be read may be no config at all, and is
// reported only when it leads out of the tree.
func (w *walker) read(fm *format, rel string) {
	fe := w.load(fm, rel)
	switch {
	case fe == nil || fe.Reason == ReasonMissing:
	case fm.marker == "":
		w.addError(fm, filepath.Join(w.t.dir, rel), fe.Reason, fe.Msg)
	case fe.Reason == ReasonOutside:
		w.warn("%s: %s", w.display(filepath.Join(w.t.dir, rel)), fe.Msg)
	}
}

// load reads and parses the config at rel, then the configs it names. A
// symlink is read when its target is inside the tree (os.Root refuses any
// other), and the file's real place is kept for pin. It returns why the
// file could not be read, or nil.
func (w *walker) load(fm *format, rel string) *FileError {
	p := filepath.Join(w.t.dir, rel)
	shown := w.display(p)
	if w.seen[shown] {
		return nil
	}
	fi, err := w.t.root.Lstat(rel)
	if errors.Is(err, fs.ErrNotExist) {
		return &FileError{Reason: ReasonMissing, Msg: "there is no such file"}
	}
	w.seen[shown] = true
	real := rel
	if err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		target, err := filepath.EvalSymlinks(p)
		switch {
		case err != nil:
			return &FileError{Reason: ReasonUnreadable, Msg: fmt.Sprintf("cannot read: %v", unwrapPath(err))}
		case !safefile.Within(w.t.real, target):
			return &FileError{Reason: ReasonOutside, Msg: "a symlink to a file outside the scanned tree; not followed"}
		}
		real, _ = filepath.Rel(w.t.real, target)
	}
	src, err := readRegular(w.t.root, real)
	if err != nil {
		reason := ReasonUnreadable
		if safefile.IsEscape(err) {
			reason = ReasonOutside
		}
		return &FileError{Reason: reason, Msg: "cannot read: " + safefile.Explain(err).Error()}
	}
	f := parseAs(fm, shown, filepath.ToSlash(p), src)
	if f == nil {
		return nil
	}
	f.Root, f.Real = w.t.real, filepath.ToSlash(real)
	w.res.Files = append(w.res.Files, f)
	for _, warning := range f.Warnings {
		w.warn("%s: %s", shown, warning)
	}
	for _, fl := range f.Follow {
		target := filepath.FromSlash(fl.Path)
		var fe *FileError
		if rel, err := filepath.Rel(w.t.dir, target); err != nil || !safefile.Within(w.t.dir, target) {
			fe = &FileError{Reason: ReasonOutside, Msg: "it is outside the scanned tree, so it was not read"}
		} else {
			fe = w.load(pluginMCP, rel)
		}
		if fe != nil {
			fe.Line, fe.Col = fl.At.Line, fl.At.Col
			fe.Msg = "the MCP config this file names (" + w.display(target) + ") cannot be judged: " + fe.Msg
			f.Unjudged = append(f.Unjudged, *fe)
		}
	}
	return nil
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
