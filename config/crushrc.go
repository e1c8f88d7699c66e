package config

import (
	"strings"

	"github.com/mcptether/mcptether/internal/shword"
	sh "mvdan.cc/sh/v3/syntax"
)

// readCrushrc reads Crush's shell-script config: each "mcp add NAME
// [--type T] [--url U] [--header 'K: V']… [--env K=V]… [-- COMMAND ARGS…]"
// is a server. The script is parsed as shell, never run; other commands
// are passed over.
func readCrushrc(r *reader, src []byte) error {
	file, err := shword.Parse(src)
	if err != nil {
		if pe, ok := err.(sh.ParseError); ok {
			return &SyntaxError{Line: int(pe.Pos.Line()), Col: int(pe.Pos.Col()), Msg: pe.Text}
		}
		reason := ReasonSyntax
		if _, deep := err.(*shword.TooDeepError); deep {
			reason = ReasonDepth
		}
		return &SyntaxError{Line: 1, Col: 1, Msg: err.Error(), Reason: reason}
	}
	word := func(w *sh.Word) Value {
		start, end := int(w.Pos().Offset()), int(w.End().Offset())
		if lit := w.Lit(); lit != "" {
			return Value{Text: lit, Pos: r.l.pos(start, end), textAt: start, l: r.l, set: true}
		}
		// Quoted or expanded: the text without quotes, positioned at the word.
		return Value{Text: shword.Text(src, w), Pos: r.l.pos(start, end), textAt: -1, set: true}
	}
	sh.Walk(file, func(n sh.Node) bool {
		call, ok := n.(*sh.CallExpr)
		if !ok || len(call.Args) < 3 || call.Args[0].Lit() != "mcp" || call.Args[1].Lit() != "add" {
			return true
		}
		args := make([]Value, len(call.Args))
		for i, w := range call.Args {
			args[i] = word(w)
		}
		s := &Server{File: r.f.Path, Format: r.f.Format, Name: args[2]}
		for i := 3; i < len(args); i++ {
			flag, val, inline := strings.Cut(args[i].Text, "=")
			next := func() (Value, bool) {
				if inline {
					return args[i].Derived(val, len(flag)+1, len(args[i].Text)), true
				}
				if i+1 < len(args) {
					i++
					return args[i], true
				}
				return Value{}, false
			}
			switch flag {
			case "--":
				if i+1 < len(args) {
					s.Command, s.Args = args[i+1], args[i+2:]
				}
				i = len(args)
			case "--type", "-t":
				if v, ok := next(); ok {
					s.Transport = v.Text
				}
			case "--url", "-u":
				if v, ok := next(); ok {
					s.URL = v
				}
			case "--command", "-c":
				if v, ok := next(); ok {
					s.Command = v
				}
			case "--header", "-H":
				if v, ok := next(); ok {
					k, hv, _ := strings.Cut(v.Text, ":")
					s.Headers = append(s.Headers, KV{Key: Value{Text: strings.TrimSpace(k), Pos: v.Pos, textAt: -1, set: true},
						Value: v.Derived(strings.TrimSpace(hv), len(v.Text)-len(strings.TrimLeft(hv, " ")), len(v.Text))})
				}
			case "--env", "-e":
				if v, ok := next(); ok {
					k, ev, _ := strings.Cut(v.Text, "=")
					s.Env = append(s.Env, KV{Key: Value{Text: k, Pos: v.Pos, textAt: -1, set: true}, Value: v.Derived(ev, len(k)+1, len(v.Text))})
				}
			case "--timeout", "--arg":
				next()
			}
		}
		r.f.Servers = append(r.f.Servers, s)
		return true
	})
	return nil
}
