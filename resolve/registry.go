package resolve

import (
	"context"

	"github.com/mcptether/mcptether/facts"
	"github.com/mcptether/mcptether/launch"
)

// packageRegistry is one ecosystem's registry: what it says of a reference's
// package, and which versions pinning may choose. Each lives in its own
// file (npm.go, pypi.go, goproxy.go, nuget.go); what an ecosystem is apart
// from its registry is launch.Descriptor.
type packageRegistry interface {
	lookup(ctx context.Context, r *Resolver, ref launch.Ref, p *facts.Package)
	candidates(ctx context.Context, r *Resolver, ref launch.Ref) ([]facts.Release, error)
}

// registries are the ecosystems resolve looks up.
var registries = map[launch.Ecosystem]packageRegistry{
	launch.NPM:   npmRegistry{},
	launch.PyPI:  pypiRegistry{},
	launch.Go:    goRegistry{},
	launch.NuGet: nugetRegistry{},
}
