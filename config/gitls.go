package config

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
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

// gitTimeout bounds one listing; a hostile .git must not stall the run.
const gitTimeout = 2 * time.Minute

// gitList lists the files under dir as git sees them: every tracked file
// whatever the ignore rules say, then the untracked files the ignore rules
// leave (all of them with noIgnore false only). Paths are relative to
// dir. git runs with its file system monitor off, so a .git/config the
// scanned tree may have written runs no program.
func gitList(dir string, untracked bool) ([]indexEntry, error) {
	var out []indexEntry
	tracked, err := runGit(dir, "ls-files", "-z", "--cached", "--stage")
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
	others, err := runGit(dir, "ls-files", "-z", "--others", "--exclude-standard")
	if err != nil {
		return nil, err
	}
	for _, p := range bytes.Split(others, []byte{0}) {
		if len(p) > 0 {
			out = append(out, indexEntry{path: string(p)})
		}
	}
	return out, nil
}

func runGit(dir string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), gitTimeout)
	defer cancel()
	args = append([]string{"-c", "core.fsmonitor=false", "-c", "core.untrackedCache=false"}, args...)
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "GIT_OPTIONAL_LOCKS=0")
	var stderr bytes.Buffer
	cmd.Stderr = &limited{w: &stderr, n: 4096}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("cannot run git: %w", err)
	}
	data, rerr := io.ReadAll(io.LimitReader(stdout, maxListing+1))
	if len(data) > maxListing {
		cmd.Process.Kill()
		cmd.Wait()
		return nil, fmt.Errorf("git ls-files printed more than %d MiB", maxListing>>20)
	}
	if err := cmd.Wait(); err != nil || rerr != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("git ls-files took longer than %s", gitTimeout)
		}
		msg := strings.TrimSpace(strings.SplitN(stderr.String(), "\n", 2)[0])
		if msg == "" {
			msg = errors.Join(err, rerr).Error()
		}
		return nil, errors.New(msg)
	}
	return data, nil
}

// limited keeps the first n bytes written to it.
type limited struct {
	w io.Writer
	n int
}

func (l *limited) Write(p []byte) (int, error) {
	if l.n > 0 {
		k := min(len(p), l.n)
		l.w.Write(p[:k])
		l.n -= k
	}
	return len(p), nil
}
