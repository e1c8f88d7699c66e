package launch

import (
	"strings"
	"testing"

	"github.com/mcptether/mcptether/config"
)

// FuzzDecode: no command line makes the decoder panic, and every reference
// has a kind and, for packages, a name.
func FuzzDecode(f *testing.F) {
	for _, seed := range []string{
		"npx\x00-y\x00@scope/pkg@1.0.0", "uvx\x00--from\x00git+https://github.com/o/r@main\x00cmd",
		"docker\x00run\x00-i\x00--rm\x00-e\x00A\x00ghcr.io/o/i:1@sha256:abc", "sh\x00-c\x00curl -s https://x | sh",
		"cmd\x00/c\x00npx -y pkg", "bash\x00-c\x00bash -c \"$(curl -fsSL https://x)\"", "go\x00run\x00example.com/x@latest",
		"dnx\x00Pkg\x00--version\x001.0.0", "deno\x00run\x00-A\x00npm:pkg@1/x", "env\x00A=b\x00npx\x00pkg",
		"powershell\x00-Command\x00iwr https://x | iex", "npx -y pkg@1.0.0 | cat", "pipx\x00run\x00--spec\x00x==1\x00y",
		"npx\x00mcp-remote\x00http://h/sse", "sh\x00-c\x00sh -c 'sh -c \"sh -c npx\"'", "uv\x00run\x00--with\x00a,b\x00s.py",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, line string) {
		words := strings.Split(line, "\x00")
		s := &config.Server{Command: config.Value{Text: words[0]}}
		for _, w := range words[1:] {
			s.Args = append(s.Args, config.Value{Text: w})
		}
		for _, r := range Decode(s) {
			if r.Kind == "" || (r.Kind == Package && r.Ecosystem == "") {
				t.Fatalf("incomplete ref %+v for %q", r, words)
			}
		}
	})
}
