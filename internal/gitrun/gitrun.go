// Package gitrun runs git on a tree that a pull request (or an archive)
// may have written: with its file-system monitor off, so a .git/config
// cannot name a program for git to run; with no prompt; and with a bound
// on time and on what it prints.
package gitrun

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"
)

// Timeout bounds one git command.
const Timeout = 2 * time.Minute

// ErrTooLarge: git printed more than the bound.
var ErrTooLarge = errors.New("git printed more than the bound")

// Output runs git with args in dir and returns its standard output, at
// most max bytes. A failure carries the first line of git's message.
func Output(dir string, max int, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	args = append([]string{"-c", "core.fsmonitor=false", "-c", "core.untrackedCache=false"}, args...)
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "GIT_OPTIONAL_LOCKS=0")
	var stderr bytes.Buffer
	cmd.Stderr = &firstBytes{w: &stderr, n: 4096}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("cannot run git: %w", err)
	}
	data, rerr := io.ReadAll(io.LimitReader(stdout, int64(max)+1))
	if len(data) > max {
		cmd.Process.Kill()
		cmd.Wait()
		return nil, fmt.Errorf("%w of %d MiB", ErrTooLarge, max>>20)
	}
	if err := cmd.Wait(); err != nil || rerr != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("git %s took longer than %s", args[4], Timeout)
		}
		msg := strings.TrimSpace(strings.SplitN(stderr.String(), "\n", 2)[0])
		if msg == "" {
			msg = errors.Join(err, rerr).Error()
		}
		return nil, errors.New(msg)
	}
	return data, nil
}

// firstBytes keeps the first n bytes written to it.
type firstBytes struct {
	w io.Writer
	n int
}

func (l *firstBytes) Write(p []byte) (int, error) {
	if l.n > 0 {
		k := min(len(p), l.n)
		l.w.Write(p[:k])
		l.n -= k
	}
	return len(p), nil
}
