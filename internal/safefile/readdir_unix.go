//go:build unix

package safefile

import (
	"io/fs"
	"os"
	"syscall"
)

// ReadDir lists a directory opened through root. A File opened in a Root
// stats every entry to fill in its type (the standard library cannot load
// it lazily there), which makes a walk several times slower; listing a
// duplicate of the same confined descriptor as a plain File takes the
// types from the directory entries, as os.ReadDir does.
func ReadDir(root *os.Root, name string) ([]fs.DirEntry, error) {
	d, err := root.Open(name)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	raw, err := d.SyscallConn()
	if err != nil {
		return d.ReadDir(-1)
	}
	var fd int
	var dupErr error
	if err := raw.Control(func(f uintptr) { fd, dupErr = syscall.Dup(int(f)) }); err != nil || dupErr != nil {
		return d.ReadDir(-1)
	}
	plain := os.NewFile(uintptr(fd), d.Name())
	defer plain.Close()
	return plain.ReadDir(-1)
}
