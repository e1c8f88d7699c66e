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

func TestCorpus(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(corpusDir, "manifest.json"))
	if err != nil {
		t.Skipf("corpus not found beside the checkout (%v); it ships in shared/corpus", err)
	}
	var entries []struct {
		Dir, Path string
		Servers   []string
		Decoy     bool
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
			if !slices.Equal(names, want) {
				t.Errorf("servers = %q, want %q", names, want)
			}
			if !e.Decoy && len(res.Files) != 1 {
				t.Errorf("found %d files, want 1", len(res.Files))
			}
		})
	}
}
