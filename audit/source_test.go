package audit

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
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
	err := fromAPI(context.Background(), p, DefaultMaxPages, func(Item) error { return nil })
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

// endlessPager answers every cursor with a fresh one; same says whether
// its one server is the same on every page.
type endlessPager struct {
	calls int
	same  bool
}

func (p *endlessPager) page(ctx context.Context, cursor string) ([]json.RawMessage, string, error) {
	p.calls++
	name := fmt.Sprintf("x/y%d", p.calls)
	if p.same {
		name = "x/y"
	}
	return []json.RawMessage{json.RawMessage(`{"server":{"name":"` + name + `","version":"1"}}`)}, fmt.Sprintf("c%d", p.calls), nil
}

// A registry that never ends is read up to the bound, and says so.
func TestEndlessCursor(t *testing.T) {
	p := &endlessPager{}
	n := 0
	err := fromAPI(context.Background(), p, DefaultMaxPages, func(Item) error { n++; return nil })
	var stop *stopError
	if !errors.As(err, &stop) || !strings.Contains(stop.reason, "after 10000 pages") || p.calls != DefaultMaxPages || n != DefaultMaxPages {
		t.Errorf("err %v after %d pages, %d entries", err, p.calls, n)
	}
}

// A registry that serves the same server on every page is stopped at
// the first page that adds nothing, and the server is counted once.
func TestSameServerForever(t *testing.T) {
	p := &endlessPager{same: true}
	var repeats int
	err := fromAPI(context.Background(), p, DefaultMaxPages, func(it Item) error {
		if it.Repeat {
			repeats++
		}
		return nil
	})
	var stop *stopError
	if !errors.As(err, &stop) || !strings.Contains(stop.reason, "page 2: it added no new server") || p.calls != 2 || repeats != 1 {
		t.Errorf("err %v after %d pages, %d repeats", err, p.calls, repeats)
	}
}

// skips reads a dump and returns what it audits and what it skips.
func skips(t *testing.T, path string) (names, skipped []string, blanks int) {
	t.Helper()
	err := fromFile(path, func(it Item) error {
		switch {
		case it.Blank:
			blanks++
		case it.Skip != "":
			skipped = append(skipped, it.Where+": "+it.Skip)
		case it.Repeat:
			names = append(names, "repeat "+it.Name)
		default:
			names = append(names, it.Name)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return names, skipped, blanks
}

// An entry that is not a server.json is skipped with its place and
// reason; the entries around it are read. A file with nothing readable
// is not a dump.
func TestMalformedEntries(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "mixed.json")
	os.WriteFile(path, []byte(`[
{"name":"a/b","version":"1"},
{"version":"2","description":"no name"},
{"name":"c/d", oops},
42,
{"name":5},
{"id":"","name":"","repository":{"url":""},"version_detail":{"version":"","is_latest":false}},
{"name":"a/b","version":"1"},
{"name":"e/f","version":"1"}
]`), 0o644)
	names, skipped, blanks := skips(t, path)
	if strings.Join(names, ",") != "a/b,repeat a/b,e/f" || blanks != 1 {
		t.Errorf("read %v, %d blank", names, blanks)
	}
	want := []string{path + ":3: entry 2: an entry without a name", path + ":4: entry 3: invalid character 'o'", path + ":5: entry 4: json: cannot unmarshal number",
		path + ":6: entry 5: json: cannot unmarshal number"}
	if len(skipped) != len(want) {
		t.Fatalf("skipped %q", skipped)
	}
	for i := range want {
		if !strings.HasPrefix(skipped[i], want[i]) {
			t.Errorf("skipped %q, want %q…", skipped[i], want[i])
		}
	}
	for name, content := range map[string]string{"text.json": "hello world\n", "numbers.json": "[1, 2, 3]", "junk.jsonl": `{"a":1}` + "\n" + `{"b":2}`} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(content), 0o644)
		if err := fromFile(p, func(Item) error { return nil }); err == nil || !strings.Contains(err.Error(), "not a dump") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

const bigHead, bigTail = `{"server":{"name":"a/big","version":"1","description":"`, `"}}`

// oversized writes a dump in one of three shapes whose second entry is
// pad bytes long, between two small ones.
func oversized(t testing.TB, shape string, pad int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), shape)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	open, sep, end := "[\n", ",\n", "\n]\n"
	switch shape {
	case "page.json":
		open, end = `{"metadata":{"count":3},"servers":[`+"\n", "\n]}\n"
	case "lines.jsonl":
		open, sep, end = "", "\n", "\n"
	}
	w.WriteString(open + `{"name":"a/first","version":"1"}` + sep)
	w.WriteString(bigHead)
	chunk := strings.Repeat("x", 1<<16)
	for n := 0; n < pad; n += len(chunk) {
		w.WriteString(chunk[:min(len(chunk), pad-n)])
	}
	w.WriteString(bigTail + sep + `{"name":"a/last","version":"1"}` + end)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return path
}

// An entry over the bound is skipped, in every shape of dump, without
// being held: reading a dump with an entry of 80 MiB allocates little
// more than the 64 MiB bound.
func TestOversizedEntry(t *testing.T) {
	const pad = maxEntry + 16<<20
	for _, shape := range []string{"array.json", "page.json", "lines.jsonl"} {
		path := oversized(t, shape, pad)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		names, skipped, _ := skips(t, path)
		runtime.ReadMemStats(&after)
		want := path + ":3: entry 2: "
		switch shape {
		case "page.json":
			want = path + ":3: entry 1, server 2: "
		case "lines.jsonl":
			want = path + ":2: entry 2: "
		}
		if strings.Join(names, ",") != "a/first,a/last" || len(skipped) != 1 || skipped[0] != want+overBound(pad+int64(len(bigHead+bigTail))) {
			t.Errorf("%s: read %v, skipped %q", shape, names, skipped)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > maxEntry+8<<20 {
			t.Errorf("%s: reading a dump with a %d MiB entry allocated %d MiB", shape, pad>>20, alloc>>20)
		}
	}
	// Just under the bound, the entry is read.
	names, skipped, _ := skips(t, oversized(t, "array.json", maxEntry-100))
	if strings.Join(names, ",") != "a/first,a/big,a/last" || len(skipped) != 0 {
		t.Errorf("under the bound: read %v, skipped %q", names, skipped)
	}
}
