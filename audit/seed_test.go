package audit

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
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
