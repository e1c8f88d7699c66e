package launch

import (
	"regexp"
	"strings"

	"github.com/mcptether/mcptether/config"
	"github.com/mcptether/mcptether/internal/shword"
	"mvdan.cc/sh/v3/syntax"
)

// shellCmd is one simple command found in a shell string.
type shellCmd struct {
	argv []config.Value
}

// parseShell splits a shell command string (sh -c "…", or a whole launch
// line in "command") into its simple commands, each word positioned inside
// v. It also reports downloaded code run by an interpreter. Nothing is run.
func parseShell(v config.Value) (cmds []shellCmd, scripts []config.Value, err error) {
	f, err := shword.Parse([]byte(v.Text))
	if err != nil {
		return nil, nil, err
	}
	word := func(w *syntax.Word) config.Value {
		i, j := int(w.Pos().Offset()), int(w.End().Offset())
		return v.Derived(shword.Text(v.Text, w), i, j)
	}
	syntax.Walk(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.CallExpr:
			var c shellCmd
			for _, w := range n.Args {
				c.argv = append(c.argv, word(w))
			}
			if len(c.argv) > 0 {
				cmds = append(cmds, c)
				// bash -c "$(curl …)", eval "$(wget …)", source <(curl …)
				if isInterpreter(c.argv[0].Text) || isEval(c.argv[0].Text) {
					for _, w := range n.Args[1:] {
						if u, found := fetchIn(v, w); found {
							scripts = append(scripts, u)
						}
					}
				}
			}
		case *syntax.BinaryCmd:
			// curl … | sh
			if n.Op == syntax.Pipe || n.Op == syntax.PipeAll {
				if c := firstCall(n.Y); c != nil && len(c.Args) > 0 && isInterpreter(c.Args[0].Lit()) {
					if u, found := fetchIn(v, n.X); found {
						scripts = append(scripts, u)
					}
				}
			}
		}
		return true
	})
	return cmds, scripts, nil
}

func firstCall(s *syntax.Stmt) *syntax.CallExpr {
	if s == nil {
		return nil
	}
	switch c := s.Cmd.(type) {
	case *syntax.CallExpr:
		return c
	case *syntax.BinaryCmd:
		return firstCall(c.X)
	}
	return nil
}

// fetchIn finds a downloader call (curl, wget…) under n and returns its URL
// argument, or the downloader word when no URL is literal.
func fetchIn(v config.Value, n syntax.Node) (config.Value, bool) {
	var out config.Value
	found := false
	syntax.Walk(n, func(n syntax.Node) bool {
		c, ok := n.(*syntax.CallExpr)
		if found || !ok || len(c.Args) == 0 || !isFetcher(c.Args[0].Lit()) {
			return !found
		}
		found = true
		w := c.Args[0]
		for _, a := range c.Args[1:] {
			if t := shword.Text(v.Text, a); strings.Contains(t, "://") {
				w = a
				break
			}
		}
		out = v.Derived(shword.Text(v.Text, w), int(w.Pos().Offset()), int(w.End().Offset()))
		return false
	})
	return out, found
}

func isFetcher(cmd string) bool {
	switch baseName(cmd) {
	case "curl", "wget", "fetch", "http", "https", "aria2c", "iwr", "irm", "invoke-webrequest", "invoke-restmethod":
		return true
	}
	return false
}

func isInterpreter(cmd string) bool {
	switch baseName(cmd) {
	case "sh", "bash", "zsh", "dash", "ash", "ksh", "fish", "python", "python3", "python2", "node", "perl", "ruby", "php", "iex", "invoke-expression", "pwsh", "powershell", "deno", "bun":
		return true
	}
	return false
}

func isEval(cmd string) bool {
	switch cmd {
	case "eval", "source", ".":
		return true
	}
	return false
}

var (
	psRunsDownload = regexp.MustCompile(`(?i)\b(iex|invoke-expression)\b`)
	psDownloads    = regexp.MustCompile(`(?i)\b(iwr|irm|invoke-webrequest|invoke-restmethod|downloadstring|curl|wget)\b`)
	urlPattern     = regexp.MustCompile(`https?://[^\s'"()|;]+`)
)

// powershellScript catches "iwr URL | iex" and "iex (irm URL)", which a
// POSIX shell parser does not read.
func powershellScript(v config.Value) (config.Value, bool) {
	if !psRunsDownload.MatchString(v.Text) || !psDownloads.MatchString(v.Text) {
		return config.Value{}, false
	}
	if m := urlPattern.FindStringIndex(v.Text); m != nil {
		return v.Derived(v.Text[m[0]:m[1]], m[0], m[1]), true
	}
	return v, true
}
