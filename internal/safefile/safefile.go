// Package safefile reads and writes files in a tree that a pull request
// may have written: through an os.Root, so no symlink or ".." leads out of
// it, reading only regular files and never more than a bound, and writing
// by a fresh temporary file renamed into place, so a planted link is
// replaced rather than followed.
package safefile

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ErrNotRegular: devices, pipes and sockets are never read (a FIFO would
// block, /dev/zero never ends).
var ErrNotRegular = errors.New("not a regular file")

// Read reads a regular file through root, at most max+1 bytes, so a caller
// can tell a file over the bound. The open does not block on a FIFO.
func Read(root *os.Root, name string, max int64) ([]byte, error) {
	f, err := root.OpenFile(name, os.O_RDONLY|openNonblock, 0)
	return readOpened(f, err, max)
}

// readOpened reads a file just opened when it is a regular one, at most
// max+1 bytes.
func readOpened(f *os.File, err error, max int64) ([]byte, error) {
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, ErrNotRegular
	}
	var buf bytes.Buffer
	_, err = buf.ReadFrom(io.LimitReader(f, max+1))
	return buf.Bytes(), err
}

// Write writes data to name. When name lies inside one of trees (the
// working directory, the scanned roots), the write is confined to the
// innermost such tree by an os.Root. A name that exists and is not a
// regular file (/dev/null, /dev/stdout, a pipe) is written to directly and
// never replaced; anything else gets a temporary file in name's folder,
// renamed over it, so a symlink at name is replaced, not followed.
func Write(name string, data []byte, trees ...string) error {
	abs, err := filepath.Abs(name)
	if err != nil {
		return fmt.Errorf("failed to write %s: %w", name, err)
	}
	tree := ""
	for _, t := range trees {
		if t, err := filepath.Abs(t); err == nil && Within(t, abs) && len(t) > len(tree) {
			tree = t
		}
	}
	if tree == "" {
		err = writeOutside(abs, data)
	} else {
		var root *os.Root
		if root, err = os.OpenRoot(tree); err == nil {
			rel, _ := filepath.Rel(tree, abs)
			err = WriteIn(root, rel, data)
			root.Close()
		}
	}
	if err != nil {
		return fmt.Errorf("failed to write %s: %w", name, Explain(err))
	}
	return nil
}

// WriteIn writes data to name inside root, keeping the mode of a regular
// file it replaces.
func WriteIn(root *os.Root, name string, data []byte) error {
	mode := fs.FileMode(0o644)
	if fi, err := root.Lstat(name); err == nil {
		switch {
		case fi.Mode().IsRegular():
			mode = fi.Mode().Perm()
		case fi.Mode()&fs.ModeSymlink == 0 && !fi.IsDir():
			return writeDirect(root.OpenFile(name, os.O_WRONLY|os.O_TRUNC, 0))(data)
		}
	}
	dir, base := filepath.Split(name)
	var tmp string
	var f *os.File
	for range 10 {
		tmp = filepath.Join(dir, "."+base+"."+random()+".tmp")
		var err error
		// O_EXCL: fails on anything already there, a planted link included.
		if f, err = root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode); err == nil {
			break
		} else if !errors.Is(err, fs.ErrExist) {
			return err
		}
	}
	if f == nil {
		return errors.New("cannot create a temporary file")
	}
	_, err := f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = root.Chmod(tmp, mode) // the umask may have narrowed it
	}
	if err == nil {
		err = root.Rename(tmp, name)
	}
	if err != nil {
		root.Remove(tmp)
	}
	return err
}

// writeOutside writes a path the user named outside every tree: links are
// theirs to follow (/dev/stdout is one).
func writeOutside(abs string, data []byte) error {
	if fi, err := os.Stat(abs); err == nil && !fi.Mode().IsRegular() && !fi.IsDir() {
		return writeDirect(os.OpenFile(abs, os.O_WRONLY|os.O_TRUNC, 0))(data)
	}
	mode := fs.FileMode(0o644)
	if fi, err := os.Stat(abs); err == nil {
		mode = fi.Mode().Perm()
	}
	f, err := os.CreateTemp(filepath.Dir(abs), "."+filepath.Base(abs)+".*.tmp")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), mode)
	}
	if err == nil {
		err = os.Rename(f.Name(), abs)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

func writeDirect(f *os.File, err error) func([]byte) error {
	return func(data []byte) error {
		if err != nil {
			return err
		}
		_, err := f.Write(data)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	}
}

func random() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Within reports whether p is dir or below it (both absolute and clean).
func Within(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// Explain turns os.Root's refusal into words, and drops the path a
// PathError repeats.
func Explain(err error) error {
	if IsEscape(err) {
		return errors.New("the path leads out of the tree through a symlink; not followed")
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// IsEscape reports whether err is os.Root refusing a path that leaves it
// (the standard library does not export that error).
func IsEscape(err error) bool {
	return err != nil && strings.Contains(err.Error(), "path escapes from parent")
}

// ReadNamed reads a file the user named (a policy, a baseline) as
// carefully as a config: inside one of trees (the working directory, the
// scanned roots) through an os.Root at the innermost, so no link leads
// out of it; only a regular file, and never more than max bytes. A path
// outside every tree is the user's own choice: its links are followed, the
// other rules hold.
func ReadNamed(name string, max int64, trees ...string) ([]byte, error) {
	abs, err := filepath.Abs(name)
	if err != nil {
		return nil, err
	}
	tree := ""
	for _, t := range trees {
		if t, err := filepath.Abs(t); err == nil && Within(t, abs) && len(t) > len(tree) {
			tree = t
		}
	}
	var data []byte
	if tree == "" {
		data, err = readOutside(abs, max)
	} else {
		var root *os.Root
		if root, err = os.OpenRoot(tree); err == nil {
			rel, _ := filepath.Rel(tree, abs)
			data, err = Read(root, rel, max)
			root.Close()
		}
	}
	if err != nil {
		return nil, Explain(err)
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("larger than %d bytes", max)
	}
	return data, nil
}

func readOutside(abs string, max int64) ([]byte, error) {
	f, err := os.OpenFile(abs, os.O_RDONLY|openNonblock, 0)
	return readOpened(f, err, max)
}
