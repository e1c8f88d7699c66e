package config

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// corpusDir holds real configs from public repositories (shared/ beside the
// checkout), with the server names each must yield.
const corpusDir = "../../shared/corpus"

// corpus2Dir: plugin catalogs and newer host formats, with the same
// fields (and more, see its README).
const corpus2Dir = "../../shared/corpus2"

// corpus2NotRead are corpus2 files mcptether does not read yet (the
// .crushrc script): their servers are reported as skipped, not passed.
var corpus2NotRead = map[string]bool{".crushrc": true}

func TestCorpus(t *testing.T) { testCorpus(t, corpusDir, false) }

// TestCorpus2 checks the servers every file yields; plugins,
// marketplaces and their sources are not read yet.
func TestCorpus2(t *testing.T) { testCorpus(t, corpus2Dir, true) }

// testCorpus checks each entry's servers. With emptyOK, a file that
// defines no server may yield no file at all (a plugin.json whose
// mcpServers is a path, a marketplace).
func testCorpus(t *testing.T, corpusDir string, emptyOK bool) {
	data, err := os.ReadFile(filepath.Join(corpusDir, "manifest.json"))
	if err != nil {
		t.Skipf("corpus not found beside the checkout (%v); it ships in shared/corpus", err)
	}
	var entries []struct {
		Dir, Path, Host string
		Servers         []string
		Decoy           bool
	}
	if err := json.Unmarshal(data, &entries); err != nil {
		t.Fatal(err)
	}
	if len(entries) == 0 {
		t.Fatal("empty corpus manifest")
	}
	for _, e := range entries {
		t.Run(filepath.Base(e.Dir), func(t *testing.T) {
			dir := filepath.Join(corpusDir, e.Dir)
			res, err := Discover(Options{Paths: []string{dir}, Base: dir})
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, f := range res.Files {
				if f.Err != nil {
					t.Errorf("%s: %d:%d: %s", f.Path, f.Err.Line, f.Err.Col, f.Err.Msg)
				}
				if f.Path != e.Path {
					t.Errorf("found %s, want only %s", f.Path, e.Path)
				}
				for _, s := range f.Servers {
					names = append(names, s.Name.Text)
				}
			}
			want := e.Servers
			if want == nil {
				want = []string{}
			}
			if names == nil {
				names = []string{}
			}
			if len(names) == 0 && len(want) > 0 && corpus2NotRead[filepath.Base(e.Path)] {
				t.Skipf("%s is not read yet: %q go unchecked", e.Path, want)
			}
			if !slices.Equal(names, want) {
				t.Errorf("servers = %q, want %q", names, want)
			}
			if !e.Decoy && len(res.Files) != 1 && !(emptyOK && len(want) == 0) {
				t.Errorf("found %d files, want 1", len(res.Files))
			}
		})
	}
}
