package resolve

import (
	"context"
	"errors"

	"github.com/mcptether/mcptether/facts"
	"github.com/mcptether/mcptether/launch"
)

// maxCandidates bounds the versions considered when pinning.
const maxCandidates = 10

// Lookup resolves one reference (memoised with every other lookup).
func (r *Resolver) Lookup(ctx context.Context, ref launch.Ref) *facts.Package {
	return r.lookup(ctx, ref)
}

// Candidates lists the versions a reference may be pinned to, newest
// first: those its spec admits (all final releases for none or "latest",
// the range's members, a dist-tag's target), with their publish time,
// deprecation and yanking.
func (r *Resolver) Candidates(ctx context.Context, ref launch.Ref) ([]facts.Release, error) {
	if reg := registries[ref.Ecosystem]; reg != nil {
		return reg.candidates(ctx, r, ref)
	}
	return nil, errors.New("pinning " + string(ref.Ecosystem) + " packages is not supported")
}

// AdvisoriesFor asks OSV (or the offline database) which of versions of a
// package have advisories.
func (r *Resolver) AdvisoriesFor(ctx context.Context, ecosystem launch.Ecosystem, name string, versions []string) (map[string][]facts.Advisory, error) {
	eco := osvName(ecosystem)
	if eco == "" {
		return nil, errors.New("OSV has no " + string(ecosystem) + " ecosystem")
	}
	out := map[string][]facts.Advisory{}
	if r.o.OSVDB != "" {
		for _, v := range versions {
			a, err := r.osvDB().lookup(eco, name, v)
			if err != nil {
				return nil, err
			}
			out[v] = a
		}
		return out, nil
	}
	items := make([]*batchItem, len(versions))
	for i, v := range versions {
		items[i] = r.osv.add(ctx, eco+"\x00"+name+"\x00"+v, osvQuery{eco, name, v})
	}
	r.osv.poke()
	for i, v := range versions {
		a, err := r.readAdvisories(ctx, items[i], eco, name, v)
		if err != nil {
			return nil, err
		}
		out[v] = a
	}
	return out, nil
}
