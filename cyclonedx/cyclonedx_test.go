package cyclonedx

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mcptether/mcptether/config"
	"github.com/mcptether/mcptether/facts"
	"github.com/mcptether/mcptether/launch"
	"github.com/mcptether/mcptether/report"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// schema compiles the vendored official CycloneDX 1.6 schema, formats
// asserted, with no network.
func schema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	for _, name := range []string{"bom-1.6.schema.json", "spdx.schema.json", "jsf-0.82.schema.json"} {
		data, err := os.ReadFile(filepath.Join("..", "testdata", "cyclonedx", name))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if err := c.AddResource("http://cyclonedx.org/schema/"+name, doc); err != nil {
			t.Fatal(err)
		}
	}
	s, err := c.Compile("http://cyclonedx.org/schema/bom-1.6.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func result(t *testing.T, files map[string]string, fs *facts.Facts) *report.Result {
	t.Helper()
	var parsed []*config.File
	for path, src := range files {
		parsed = append(parsed, config.Parse(path, []byte(src)))
	}
	return &report.Result{Version: "1.2.3", Files: parsed, Servers: launch.DecodeAll(parsed), Facts: fs,
		Generated: time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)}
}

const sha = "5f3c2a1b9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a"

var inventory = map[string]string{
	".mcp.json": `{"mcpServers": {
  "fs": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem@2025.8.21", "."]},
  "latest": {"command": "npx", "args": ["-y", "@acme/server"]},
  "fetch": {"command": "docker", "args": ["run", "-i", "mcp/fetch:1.0@sha256:` + strings.Repeat("f", 64) + `"]},
  "git": {"command": "npx", "args": ["github:acme/tool#` + sha + `"]},
  "sentry": {"type": "http", "url": "https://mcp.sentry.dev/mcp?team=x", "headers": {"Authorization": "Bearer ${SENTRY_TOKEN}"}},
  "open": {"type": "http", "url": "https://mcp.example.com/mcp"},
  "local": {"command": "node", "args": ["./server.js"]}
}}`,
	".cursor/mcp.json": `{"mcpServers": {"fs2": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem@2025.8.21"]}}}`,
}

func TestBOMValidatesAndSaysWhatIsUsed(t *testing.T) {
	fs := facts.New()
	res := result(t, inventory, fs)
	for _, s := range res.Servers {
		for _, ref := range s.Refs {
			if ref.Ecosystem == launch.NPM && ref.Name == "@acme/server" {
				fs.Packages[facts.Key(ref)] = &facts.Package{Exists: facts.Yes, Version: "1.2.0",
					Integrity: "sha512-" + strings.Repeat("A", 86) + "==", Repository: "github.com/acme/server"}
			}
		}
	}
	var buf bytes.Buffer
	if err := Write(&buf, res); err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if err := schema(t).Validate(inst); err != nil {
		t.Fatalf("BOM is not valid CycloneDX 1.6: %v\n%s", err, buf.String())
	}
	var bom struct {
		SpecVersion string
		Components  []struct {
			Name, Group, Version, Purl string
			Hashes                     []struct{ Alg, Content string }
			ExternalReferences         []struct{ Type, URL string }
			Properties                 []struct{ Name, Value string }
		}
		Services []struct {
			Name          string
			Endpoints     []string
			Authenticated *bool
			Properties    []struct{ Name, Value string }
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &bom); err != nil {
		t.Fatal(err)
	}
	if bom.SpecVersion != "1.6" || len(bom.Components) != 4 || len(bom.Services) != 2 {
		t.Fatalf("spec %s, %d components, %d services:\n%s", bom.SpecVersion, len(bom.Components), len(bom.Services), buf.String())
	}
	props := func(ps []struct{ Name, Value string }) string {
		var out []string
		for _, p := range ps {
			out = append(out, p.Name+"="+p.Value)
		}
		return strings.Join(out, " ")
	}
	byName := map[string]int{}
	for i, c := range bom.Components {
		byName[c.Group+"/"+c.Name] = i
	}
	fsc := bom.Components[byName["@modelcontextprotocol/server-filesystem"]]
	if fsc.Version != "2025.8.21" || props(fsc.Properties) != "mcptether:version-source=pinned mcptether:file=.cursor/mcp.json mcptether:file=.mcp.json mcptether:host=claude-code mcptether:host=cursor mcptether:server=fs mcptether:server=fs2" {
		t.Errorf("filesystem: %+v", fsc)
	}
	acme := bom.Components[byName["@acme/server"]]
	if acme.Version != "1.2.0" || !strings.Contains(props(acme.Properties), "version-source=resolved") || len(acme.Hashes) != 1 || acme.Hashes[0].Alg != "SHA-512" ||
		len(acme.Hashes[0].Content) != 128 || len(acme.ExternalReferences) != 1 || acme.ExternalReferences[0].URL != "https://github.com/acme/server" {
		t.Errorf("resolved npm package: %+v", acme)
	}
	img := bom.Components[byName["/docker.io/mcp/fetch"]]
	if len(img.Hashes) != 1 || img.Hashes[0].Alg != "SHA-256" || img.Hashes[0].Content != strings.Repeat("f", 64) || img.Version != "1.0" {
		t.Errorf("image: %+v", img)
	}
	git := bom.Components[byName["/github.com/acme/tool"]]
	if len(git.Hashes) != 1 || git.Hashes[0].Alg != "SHA-1" || git.Hashes[0].Content != sha || git.ExternalReferences[0].Type != "vcs" {
		t.Errorf("git: %+v", git)
	}
	for _, s := range bom.Services {
		switch s.Name {
		case "mcp.sentry.dev":
			if s.Authenticated == nil || !*s.Authenticated || strings.Contains(s.Endpoints[0], "team=x") {
				t.Errorf("sentry: %+v", s)
			}
		case "mcp.example.com":
			if s.Authenticated == nil || *s.Authenticated {
				t.Errorf("open endpoint: %+v", s)
			}
		default:
			t.Errorf("service %+v", s)
		}
	}
	if strings.Contains(buf.String(), "SENTRY_TOKEN") || strings.Contains(buf.String(), "Bearer") {
		t.Error("the BOM carries a credential")
	}
	// The same configs give the same BOM.
	var again bytes.Buffer
	Write(&again, result(t, inventory, fs))
	if again.String() != buf.String() {
		t.Error("the BOM is not deterministic")
	}
}

// Offline, unpinned references say so and carry no invented version.
func TestBOMOffline(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, result(t, map[string]string{".mcp.json": `{"mcpServers": {"a": {"command": "npx", "args": ["-y", "@acme/server"]}, "b": {"command": "uvx", "args": ["mcp-server-fetch>=1.0"]}}}`}, nil)); err != nil {
		t.Fatal(err)
	}
	inst, _ := jsonschema.UnmarshalJSON(bytes.NewReader(buf.Bytes()))
	if err := schema(t).Validate(inst); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"value": "unpinned"`) || strings.Contains(buf.String(), `"value": "resolved"`) {
		t.Errorf("offline BOM:\n%s", buf.String())
	}
}

// The schema test is not vacuous: a BOM without a component name fails.
func TestSchemaRejects(t *testing.T) {
	inst, _ := jsonschema.UnmarshalJSON(strings.NewReader(`{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"application"}]}`))
	if err := schema(t).Validate(inst); err == nil {
		t.Error("schema accepts a component without a name")
	}
}

// The golden BOM of the example repository (every host format) is valid.
func TestGoldenBOMValidates(t *testing.T) {
	data, err := os.ReadFile("../testdata/golden/example.cdx.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if err := schema(t).Validate(inst); err != nil {
		t.Fatal(err)
	}
}

// A pinned PyPI package (PyPI gives no integrity) and an old npm version
// whose dist has only a shasum crashed the inventory.
func TestBOMWithoutIntegrity(t *testing.T) {
	fs := facts.New()
	res := result(t, map[string]string{".mcp.json": `{"mcpServers": {
  "py": {"command": "uvx", "args": ["mcp-server-fetch==2025.4.7"]},
  "old": {"command": "npx", "args": ["-y", "left-pad@1.0.0"]}
}}`}, fs)
	for _, s := range res.Servers {
		for _, ref := range s.Refs {
			fs.Packages[facts.Key(ref)] = &facts.Package{Exists: facts.Yes, Version: ref.Version}
		}
	}
	fs.Packages[facts.Key(res.Servers[1].Refs[0])].Integrity = "  "
	var buf bytes.Buffer
	if err := Write(&buf, res); err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if err := schema(t).Validate(inst); err != nil {
		t.Fatalf("not valid CycloneDX: %v", err)
	}
	if strings.Contains(buf.String(), `"hashes"`) {
		t.Errorf("a hash appeared from nothing:\n%s", buf.String())
	}
}
