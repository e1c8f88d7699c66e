package audit

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func names(t *testing.T, path string) []string {
	t.Helper()
	var out []string
	if err := fromFile(path, func(it Item) error { out = append(out, it.Name+"@"+it.Version+":"+it.Status); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDumpShapes(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(content), 0o644)
		return p
	}
	doc := `{"name":"a/b","version":"1.0.0","packages":[]}`
	entry := `{"server":{"name":"c/d","version":"2.0.0"},"_meta":{"io.modelcontextprotocol.registry/official":{"status":"deleted","isLatest":true}}}`
	for name, c := range map[string]struct{ content, want string }{
		"array.json":      {"[" + doc + "," + entry + "]", "a/b@1.0.0:,c/d@2.0.0:deleted"},
		"bom.json":        {"\ufeff  [" + doc + "]", "a/b@1.0.0:"},
		"page.json":       {`{"servers":[` + entry + `],"metadata":{"count":1}}`, "c/d@2.0.0:deleted"},
		"lines.jsonl":     {doc + "\n" + entry + "\n\n", "a/b@1.0.0:,c/d@2.0.0:deleted"},
		"pages.jsonl":     {`{"servers":[` + doc + `]}` + "\n" + `{"servers":[` + entry + `]}`, "a/b@1.0.0:,c/d@2.0.0:deleted"},
		"snake.json":      {`[{"name":"e/f","version_detail":{"version":"0.0.1-seed"}}]`, "e/f@0.0.1-seed:"},
		"array-page.json": {`[{"servers":[` + doc + `]}]`, "a/b@1.0.0:"},
	} {
		if got := strings.Join(names(t, write(name, c.content)), ","); got != c.want {
			t.Errorf("%s: %s, want %s", name, got, c.want)
		}
	}
	for name, content := range map[string]string{"empty.json": "  \n", "noname.json": `[{"version":"1"}]`, "broken.json": `[{"name":"x"`} {
		if err := fromFile(write(name, content), func(Item) error { return nil }); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

type loopPager struct{ calls int }

func (p *loopPager) page(ctx context.Context, cursor string) ([]json.RawMessage, string, error) {
	p.calls++
	return []json.RawMessage{json.RawMessage(`{"server":{"name":"x/y","version":"1"}}`)}, "again", nil
}

// A registry whose cursor comes back is not followed forever.
func TestCursorLoop(t *testing.T) {
	p := &loopPager{}
	err := fromAPI(context.Background(), p, func(Item) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "came back") || p.calls != 2 {
		t.Errorf("err %v after %d pages", err, p.calls)
	}
}

// Shards are fixed by the name alone: the same name lands in the same
// shard whatever else the registry holds, and every name in exactly one.
func TestInShard(t *testing.T) {
	for _, name := range []string{"io.github.acme/server", "io.github.x/y", "com.example/z"} {
		n := 0
		for i := 1; i <= 5; i++ {
			if InShard(name, i, 5) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s is in %d of 5 shards", name, n)
		}
	}
	// FNV-1a 64 of the name, mod N: pinned, so a new release keeps shards.
	if !InShard("io.github.acme/server", 1+int(fnv64("io.github.acme/server")%7), 7) {
		t.Error("shard assignment changed")
	}
}

func fnv64(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}
