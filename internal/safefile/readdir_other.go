//go:build !unix

package safefile

import (
	"io/fs"
	"os"
)

// ReadDir lists a directory opened through root.
func ReadDir(root *os.Root, name string) ([]fs.DirEntry, error) {
	d, err := root.Open(name)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	return d.ReadDir(-1)
}
