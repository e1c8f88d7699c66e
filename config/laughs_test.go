package config

import (
	"strings"
	"testing"
)

// TestYAMLAliasBomb: nested aliases are bounded, not expanded to 10^8
// values.
func TestYAMLAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("a0: &a0 [x,x,x,x,x,x,x,x,x,x]\n")
	for i := 1; i <= 8; i++ {
		prev := "*a" + string(rune('0'+i-1))
		b.WriteString("a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [" + strings.Repeat(prev+",", 9) + prev + "]\n")
	}
	b.WriteString("mcpServers: *a8\n")
	f := Parse("librechat.yaml", []byte(b.String()))
	if f == nil || f.Err == nil || !strings.Contains(f.Err.Msg, "aliases expand") {
		t.Fatalf("got %+v", f)
	}
	// Ordinary aliases still work.
	f = Parse("librechat.yaml", []byte("base: &base\n  command: npx\nmcpServers:\n  a:\n    <<: *base\n    args: [x]\n"))
	if f == nil || f.Err != nil || len(f.Servers) != 1 || f.Servers[0].Command.Text != "npx" {
		t.Fatalf("merge alias: %+v", f)
	}
}
