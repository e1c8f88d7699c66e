package policy

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	data, err := os.ReadFile("../docs/policy.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("policy.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("policy.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// asJSON turns YAML into the JSON value the schema sees.
func asJSON(t *testing.T, src []byte) any {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(plain(doc.Content[0]))
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return inst
}

// TestSchemaAgreesWithParser: the example policies (testdata and the
// README's) pass both the schema and the parser; malformed ones fail both.
func TestSchemaAgreesWithParser(t *testing.T) {
	schema := compileSchema(t)
	known := []string{"unpinned-package", "mutable-image", "auto-approved-tools", "hardcoded-secret", "repo-owner-claimable", "repo-resurrected", "unclaimed-package", "server-not-allowed"}
	good := map[string][]byte{}
	files, _ := filepath.Glob("../testdata/policy/*.yml")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		good[f] = data
	}
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)<!-- policy example -->\\s*```yaml\\n(.*?)```").FindSubmatch(readme)
	if m == nil {
		t.Fatal("README has no policy example")
	}
	good["README.md"] = m[1]
	for name, data := range good {
		if err := schema.Validate(asJSON(t, data)); err != nil {
			t.Errorf("%s: schema rejects it: %v", name, err)
		}
		if _, err := Parse(name, data, known); err != nil {
			t.Errorf("%s: parser rejects it: %v", name, err)
		}
	}
	for _, bad := range []string{
		"ignores: []\n",
		"ignore:\n  - rule: mutable-image\n",
		"ignore:\n  - rule: mutable-image\n    reason: x\n    expires: soon\n",
		"rules:\n  mutable-image:\n    severity: urgent\n",
		"min-release-age: soon\n",
		"trusted:\n  friends: [a]\n",
		"allow:\n  - package: npm/x\n",
		"allow:\n  - package: pkg:npm/x\n    image: x\n",
		"deny:\n  - reason: x\n",
		"allow: x\n",
		"lock: some\n",
	} {
		if err := schema.Validate(asJSON(t, []byte(bad))); err == nil {
			t.Errorf("schema accepts %q", bad)
		}
		if _, err := Parse("p.yml", []byte(bad), known); err == nil {
			t.Errorf("parser accepts %q", bad)
		}
	}
}

// plain converts YAML to JSON values, keeping dates as the strings they are
// written as (yaml.v3 would make them time.Time).
func plain(n *yaml.Node) any {
	switch n.Kind {
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			m[n.Content[i].Value] = plain(n.Content[i+1])
		}
		return m
	case yaml.SequenceNode:
		l := []any{}
		for _, c := range n.Content {
			l = append(l, plain(c))
		}
		return l
	case yaml.AliasNode:
		return plain(n.Alias)
	}
	var v any
	if n.Tag == "!!timestamp" || n.Decode(&v) != nil {
		return n.Value
	}
	return v
}
