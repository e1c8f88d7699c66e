package audit

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mcptether/mcptether/config"
	"github.com/mcptether/mcptether/launch"
)

var update = flag.Bool("update", false, "rewrite testdata/registry/seed_first_shape.json")

func collect(t *testing.T, o Options) (Summary, []Result) {
	t.Helper()
	var out []Result
	sum, err := Run(context.Background(), o, func(r Result) error { out = append(out, r); return nil })
	if err != nil {
		t.Fatal(err)
	}
	return sum, out
}

// The official registry's current seed, audited offline: every server,
// the older of airtable's two versions left out.
func TestAuditSeedCurrent(t *testing.T) {
	sum, results := collect(t, Options{From: "../testdata/registry/seed_current.json", Now: time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)})
	if sum.Servers != 4 || sum.OlderVersions != 1 || fmt.Sprint(sum.ByRule) != "map[mutable-image:1]" {
		t.Errorf("summary %+v", sum)
	}
	names := map[string]string{}
	for _, r := range results {
		names[r.Name] = r.Version
	}
	if names["io.github.domdomegg/airtable-mcp-server"] != "1.7.3" || len(names) != 4 {
		t.Errorf("results %v", names)
	}
	all, _ := collect(t, Options{From: "../testdata/registry/seed_current.json", AllVersions: true})
	if all.Servers != 5 || all.OlderVersions != 0 {
		t.Errorf("--all-versions: %+v", all)
	}
}

// firstSeed is a dump in the shape of the registry's first seed
// (2025-05-16): 471 entries, snake_case, version_detail, and registry_name
// written as npm, pypi, docker, unknown, or the package's own name beside
// a registry key.
func firstSeed() []byte {
	var entries []map[string]any
	for i := range 471 {
		name := fmt.Sprintf("server-%03d", i)
		pkg := map[string]any{"name": "@seed/" + name, "version": "1.0.0", "registry_name": "npm",
			"environment_variables": []any{map[string]any{"name": "API_KEY", "description": "key"}}}
		switch i % 6 {
		case 1:
			pkg = map[string]any{"name": "mcp-" + name, "version": "1.0.0", "registry_name": "pypi", "runtime_hint": "uvx"}
		case 2:
			pkg = map[string]any{"name": "seed/" + name, "version": "1.0.0", "registry_name": "docker"}
		case 3:
			pkg = map[string]any{"name": name, "version": "1.0.0", "registry_name": "unknown"}
		case 4:
			pkg = map[string]any{"name": "@seed/" + name, "version": "1.0.0", "registry_name": "@seed/" + name, "registry": "npm"}
		case 5:
			pkg = map[string]any{"name": "mcp-" + name, "version": "1.0.0", "registry_name": "mcp-" + name, "registry": "pypi"}
		}
		entries = append(entries, map[string]any{
			"id": fmt.Sprintf("00000000-0000-4000-8000-%012d", i), "name": "io.github.seed/" + name, "description": "seed entry",
			"repository":     map[string]any{"url": "https://github.com/seed/" + name, "source": "github", "id": fmt.Sprint(100000 + i)},
			"version_detail": map[string]any{"version": "0.0.1-seed", "release_date": "2025-05-16T19:13:21Z", "is_latest": true},
			"packages":       []any{pkg},
		})
	}
	data, _ := json.MarshalIndent(entries, "", "  ")
	return append(data, '\n')
}

func TestAuditFirstSeedShape(t *testing.T) {
	path := "../testdata/registry/seed_first_shape.json"
	if *update {
		if err := os.WriteFile(path, firstSeed(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(data, firstSeed()) {
		t.Fatalf("%s is missing or stale (go test ./audit -run FirstSeed -update): %v", path, err)
	}
	sum, results := collect(t, Options{From: path})
	if sum.Servers != 471 || len(results) != 471 || sum.ByRule["config-parse-error"] != 0 {
		t.Errorf("audited %d of 471: %+v", sum.Servers, sum)
	}
	// Every variant of registry_name decodes to the package it names.
	var docs []json.RawMessage
	json.Unmarshal(data, &docs)
	want := []string{"npm", "pypi", "oci", "unknown", "npm", "pypi"}
	for i, d := range docs {
		f := config.Parse("server.json", d)
		refs := launch.Decode(f.Servers[0])
		got := string(refs[0].Ecosystem)
		if refs[0].Kind == launch.Unknown {
			got = "unknown"
		}
		if len(refs) != 1 || got != want[i%6] {
			t.Fatalf("entry %d: %+v, want %s", i, refs, want[i%6])
		}
	}
}

// blankPlaceholder is the entry the registry's first seed holds seven
// times (at these indexes), in place of a server: every field empty.
const blankPlaceholder = `{"id": "", "name": "", "description": "", "repository": {"url": "", "source": "", "id": ""},
  "version_detail": {"version": "", "release_date": "", "is_latest": false}}`

var blankIndexes = []int{15, 25, 108, 132, 188, 207, 406}

// The first seed's blank placeholders are skipped and counted; the rest
// of the seed is audited.
func TestAuditFirstSeedBlanks(t *testing.T) {
	var docs []json.RawMessage
	data, err := os.ReadFile("../testdata/registry/seed_first_shape.json")
	if err != nil || json.Unmarshal(data, &docs) != nil {
		t.Fatalf("seed: %v", err)
	}
	for _, i := range blankIndexes {
		docs[i] = json.RawMessage(blankPlaceholder)
	}
	path := filepath.Join(t.TempDir(), "seed_2025_05_16.json")
	data, _ = json.MarshalIndent(docs, "", "  ")
	os.WriteFile(path, data, 0o644)
	sum, results := collect(t, Options{From: path})
	if sum.Servers != 464 || len(results) != 464 || sum.Blank != 7 || sum.Unreadable != 0 || sum.ByRule["config-parse-error"] != 0 {
		t.Errorf("audited %d of 464, %d blank: %+v", sum.Servers, sum.Blank, sum)
	}
	var text bytes.Buffer
	w, _ := NewWriter(&text, "text", 0)
	w.Close(sum)
	if !strings.Contains(text.String(), "464 servers audited") || !strings.Contains(text.String(), "7 blank entries skipped") {
		t.Errorf("text:\n%s", text.String())
	}
	// The same entries in JSON lines and as an API page.
	var lines bytes.Buffer
	for _, d := range docs {
		var c bytes.Buffer
		json.Compact(&c, d)
		lines.Write(append(c.Bytes(), '\n'))
	}
	jsonl := filepath.Join(t.TempDir(), "seed.jsonl")
	os.WriteFile(jsonl, lines.Bytes(), 0o644)
	page := filepath.Join(t.TempDir(), "page.json")
	data, _ = json.Marshal(map[string]any{"servers": docs, "metadata": map[string]any{"count": len(docs)}})
	os.WriteFile(page, data, 0o644)
	for _, p := range []string{jsonl, page} {
		if sum, _ := collect(t, Options{From: p}); sum.Servers != 464 || sum.Blank != 7 {
			t.Errorf("%s: %+v", filepath.Base(p), sum)
		}
	}
}
