package checks

import (
	"strings"
	"testing"

	"github.com/mcptether/mcptether/facts"
	"github.com/mcptether/mcptether/launch"
)

func TestUnverifiable(t *testing.T) {
	files := parsed(t, ".mcp.json", `{"mcpServers":{
	  "a":{"command":"npx","args":["-y","pkg-a@1.0.0"]},
	  "b":{"command":"npx","args":["github:o/b#`+strings.Repeat("a", 40)+`"]},
	  "c":{"command":"npx","args":["-y","pkg-c@1.0.0"]},
	  "d":{"url":"https://example.com/mcp"}}}`)
	servers := launch.DecodeAll(files)
	fs := facts.New()
	fs.Packages[facts.Key(servers[0].Refs[0])] = &facts.Package{Exists: facts.Unknown, Unknowns: []string{"npm package pkg-a: rate limited by registry.npmjs.org"}}
	fs.Repos["github.com/o/b"] = &facts.Repo{Name: "github.com/o/b", Status: facts.RepoMissing}
	fs.Owners["github.com/o"] = &facts.Owner{Login: "github.com/o", Status: facts.OwnerUnknown, Reason: "rate limited by api.github.com"}
	fs.Packages[facts.Key(servers[2].Refs[0])] = &facts.Package{Exists: facts.Yes, Version: "1.0.0", Repository: "github.com/o/c"}
	fs.Repos["github.com/o/c"] = &facts.Repo{Name: "github.com/o/c", Status: facts.RepoOK}

	got := ids(Run(All, &Input{Files: files, Servers: servers, Facts: fs}), Unverifiable.ID)
	if len(got) != 2 {
		t.Fatalf("findings: %+v", got)
	}
	if got[0].Server != "a" || !strings.Contains(got[0].Message, "rate limited by registry.npmjs.org") || got[0].Severity != Note {
		t.Errorf("a: %+v", got[0])
	}
	if got[1].Server != "b" || !strings.Contains(got[1].Message, "owner github.com/o: rate limited") {
		t.Errorf("b: %+v", got[1])
	}
	if got[0].Pos != servers[0].Name.Pos {
		t.Errorf("not at the server name: %+v", got[0].Pos)
	}
	// Offline: no facts, no findings (the report says offline once).
	if off := ids(Run(All, &Input{Files: files, Servers: servers}), Unverifiable.ID); len(off) != 0 {
		t.Errorf("offline: %+v", off)
	}
}
