package resolve

import (
	"context"
	"encoding/xml"
	"errors"
	"net/http"
	"sort"
	"strings"

	"github.com/Masterminds/semver/v3"
	"github.com/mcptether/mcptether/facts"
	"github.com/mcptether/mcptether/launch"
)

// nuget reads the flat container: the version list, and the nuspec's
// repository for the resolved version.
func (r *Resolver) nuget(ctx context.Context, ref launch.Ref, p *facts.Package) {
	id := strings.ToLower(ref.Name)
	var idx struct {
		Versions []string `json:"versions"`
	}
	if !r.document(ctx, p, "NuGet package "+ref.Name, request{url: r.o.NuGetURL + "/" + id + "/index.json"}, &idx) {
		return
	}
	want := strings.ToLower(ref.Version)
	for _, v := range idx.Versions {
		if want != "" && strings.EqualFold(v, want) {
			p.Version = v
			break
		}
		if want == "" {
			sv, err := semver.NewVersion(v)
			if err != nil || sv.Prerelease() != "" {
				continue
			}
			if cur, err := semver.NewVersion(p.Version); p.Version == "" || err != nil || sv.GreaterThan(cur) {
				p.Version = v
			}
		}
	}
	if p.Version == "" {
		p.Unknowns = append(p.Unknowns, "NuGet package "+ref.Name+": no version matches "+quote(ref.Version))
		return
	}
	spec, err := r.f.do(ctx, request{url: r.o.NuGetURL + "/" + id + "/" + strings.ToLower(p.Version) + "/" + id + ".nuspec"})
	if err != nil || spec.Status != http.StatusOK {
		return
	}
	var nuspec struct {
		Metadata struct {
			Repository struct {
				URL string `xml:"url,attr"`
			} `xml:"repository"`
			ProjectURL string `xml:"projectUrl"`
		} `xml:"metadata"`
	}
	if xml.Unmarshal(spec.Body, &nuspec) != nil {
		return
	}
	for _, u := range []string{nuspec.Metadata.Repository.URL, nuspec.Metadata.ProjectURL} {
		if repo := facts.NormalizeRepo(u); repo != "" && knownHost(repo) {
			p.Repository, p.RepositoryFrom = repo, "nuspec"
			return
		}
	}
}

func (r *Resolver) nugetCandidates(ctx context.Context, ref launch.Ref) ([]facts.Release, error) {
	var idx struct {
		Versions []string `json:"versions"`
	}
	found, err := r.getJSON(ctx, "NuGet package "+ref.Name, request{url: r.o.NuGetURL + "/" + strings.ToLower(ref.Name) + "/index.json"}, &idx)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, errors.New("NuGet package " + ref.Name + " does not exist")
	}
	var vs []*semver.Version
	raw := map[*semver.Version]string{}
	for _, s := range idx.Versions {
		if v, err := semver.NewVersion(s); err == nil && v.Prerelease() == "" {
			vs = append(vs, v)
			raw[v] = s
		}
	}
	sort.Slice(vs, func(i, j int) bool { return vs[i].GreaterThan(vs[j]) })
	var out []facts.Release
	for _, v := range vs {
		out = append(out, facts.Release{Version: raw[v]}) // the flat container has no dates
	}
	return out, nil
}

type nugetRegistry struct{}

func (nugetRegistry) lookup(ctx context.Context, r *Resolver, ref launch.Ref, p *facts.Package) {
	r.nuget(ctx, ref, p)
}
func (nugetRegistry) candidates(ctx context.Context, r *Resolver, ref launch.Ref) ([]facts.Release, error) {
	return r.nugetCandidates(ctx, ref)
}
