package config

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

const (
	benchFiles   = 100_000
	benchConfigs = 50
)

var (
	benchOnce sync.Once
	benchRoot string
	benchErr  error
)

// benchTree builds, once per process, a monorepo-like tree: 1,000 folders
// of source files, 500 ordinary package.json files (read and rejected by
// content), and 50 MCP configs of several formats: 100,000 files in all.
func benchTree(b *testing.B) string {
	benchOnce.Do(func() {
		benchRoot, benchErr = os.MkdirTemp("", "mcptether-bench-")
		if benchErr != nil {
			return
		}
		configs := []struct{ rel, content string }{
			{".mcp.json", `{"mcpServers":{"a":{"command":"npx","args":["-y","pkg"]}}}`},
			{".cursor/mcp.json", `{"mcpServers":{"a":{"command":"docker","args":["run","img:1"]}}}`},
			{".vscode/mcp.json", `{"servers":{"a":{"type":"stdio","command":"uvx","args":["tool"]}}}`},
			{".codex/config.toml", "[mcp_servers.a]\ncommand = \"npx\"\nargs = [\"pkg@1.0.0\"]\n"},
			{"server.json", `{"$schema":"https://static.modelcontextprotocol.io/schemas/2025-10-17/server.schema.json","name":"io.github.o/a","packages":[{"registryType":"npm","identifier":"a","version":"1.0.0"}]}`},
		}
		n := 0
		write := func(rel, content string) {
			p := filepath.Join(benchRoot, rel)
			if benchErr == nil {
				benchErr = os.MkdirAll(filepath.Dir(p), 0o755)
			}
			if benchErr == nil {
				benchErr = os.WriteFile(p, []byte(content), 0o644)
			}
			n++
		}
		for i := 0; i < benchConfigs; i++ {
			c := configs[i%len(configs)]
			write(fmt.Sprintf("svc%03d/%s", i, c.rel), c.content)
		}
		for i := 0; i < 500; i++ {
			write(fmt.Sprintf("pkg/p%03d/package.json", i), `{"name":"p","version":"1.0.0","dependencies":{"left-pad":"1.3.0"}}`)
		}
		for d := 0; n < benchFiles; d++ {
			for j := 0; j < 100 && n < benchFiles; j++ {
				write(fmt.Sprintf("src/m%02d/d%03d/f%03d.go", d/100, d%100, j), "package x\n")
			}
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchRoot
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchRoot != "" {
		os.RemoveAll(benchRoot)
	}
	os.Exit(code)
}

// BenchmarkDiscover walks the 100,000-file tree and reads its configs.
func BenchmarkDiscover(b *testing.B) {
	root := benchTree(b)
	b.ReportAllocs()
	b.ResetTimer()
	var res *Result
	for b.Loop() {
		var err error
		res, err = Discover(Options{Paths: []string{root}, Base: root})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if res.Listed != benchFiles || len(res.Files) != benchConfigs {
		b.Fatalf("listed %d files and found %d configs, want %d and %d", res.Listed, len(res.Files), benchFiles, benchConfigs)
	}
	b.ReportMetric(float64(res.Listed)*float64(b.N)/b.Elapsed().Seconds(), "files/s")
	b.ReportMetric(float64(len(res.Files)), "configs")
}

// BenchmarkListOnly is the floor Discover is measured against: listing
// every directory of the same tree and doing nothing else.
func BenchmarkListOnly(b *testing.B) {
	root := benchTree(b)
	b.ReportAllocs()
	b.ResetTimer()
	files := 0
	var list func(string)
	list = func(dir string) {
		entries, err := os.ReadDir(dir)
		if err != nil {
			b.Fatal(err)
		}
		for _, e := range entries {
			if e.IsDir() {
				list(filepath.Join(dir, e.Name()))
			} else {
				files++
			}
		}
	}
	for b.Loop() {
		files = 0
		list(root)
	}
	b.StopTimer()
	b.ReportMetric(float64(files)*float64(b.N)/b.Elapsed().Seconds(), "files/s")
}
