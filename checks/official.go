package checks

import (
	_ "embed"
	"encoding/json"
	"strings"

	"github.com/mcptether/mcptether/launch"
)

// official is one well-known MCP server package and who publishes it.
type official struct {
	Ecosystem  launch.Ecosystem `json:"ecosystem"`
	Name       string           `json:"name"`
	Owners     []string         `json:"owners"`     // GitHub accounts of its source repository
	Scopes     []string         `json:"scopes"`     // npm scopes or image namespaces only they publish to
	Publishers []string         `json:"publishers"` // registry accounts
	// BrandOwners are the accounts of the brand the server is named after,
	// when someone else publishes it (redis for server-redis): the brand's
	// own package of a like name imitates nobody.
	BrandOwners []string `json:"brandOwners"`

	// The name's folded forms, worked out once (imitates compares every
	// reference against every official).
	scope, bare, seps, glyphs, core string
	// brand is what the name is known by (brandOf); named says the bare
	// name carries it, not only the scope.
	brand string
	named bool
}

//go:embed data/official-servers.json
var officialJSON []byte

// officials is the curated list (data/official-servers.json).
var officials = func() []official {
	var doc struct {
		Servers []official `json:"servers"`
	}
	if err := json.Unmarshal(officialJSON, &doc); err != nil {
		panic("checks: data/official-servers.json: " + err.Error())
	}
	for i := range doc.Servers {
		o := &doc.Servers[i]
		o.scope, o.bare = splitScope(o.Ecosystem, o.Name)
		o.seps, o.glyphs, o.core = separators(o.bare), homoglyphs(o.bare), core(o.bare)
		o.brand, o.named = brandOf(o.scope, o.bare)
	}
	return doc.Servers
}()

// splitScope separates a name's publisher-controlled part from the rest,
// as its ecosystem defines it (launch.Descriptor.Scope).
func splitScope(eco launch.Ecosystem, name string) (scope, bare string) {
	return launch.Describe(eco).Scope(strings.ToLower(name))
}
