package launch

import (
	"strings"

	"github.com/mcptether/mcptether/config"
)

// opt is one leading option of a launcher, with its value if it takes one.
type opt struct {
	name string
	val  config.Value
}

// options reads a launcher's leading options: "--name=value", "--name
// value" when takesValue(name), and flags. It stops at the first
// positional, or after "--", and returns the rest.
func options(args []config.Value, takesValue func(string) bool) ([]opt, []config.Value) {
	var opts []opt
	for i := 0; i < len(args); i++ {
		a := args[i].Text
		if a == "--" {
			return opts, args[i+1:]
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			return opts, args[i:]
		}
		name, val, hasVal := strings.Cut(a, "=")
		o := opt{name: name}
		switch {
		case hasVal:
			o.val = args[i].Derived(val, len(name)+1, len(a))
		case takesValue(name) && i+1 < len(args):
			i++
			o.val = args[i]
		}
		opts = append(opts, o)
	}
	return opts, nil
}
