package resolve

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/Masterminds/semver/v3"
	"github.com/mcptether/mcptether/facts"
	"github.com/mcptether/mcptether/launch"
	"golang.org/x/mod/module"
	gosemver "golang.org/x/mod/semver"
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
	switch ref.Ecosystem {
	case "npm":
		return r.npmCandidates(ctx, ref)
	case "pypi":
		return r.pypiCandidates(ctx, ref)
	case "golang":
		return r.goCandidates(ctx, ref)
	case "nuget":
		return r.nugetCandidates(ctx, ref)
	}
	return nil, errors.New("pinning " + string(ref.Ecosystem) + " packages is not supported")
}

func (r *Resolver) npmCandidates(ctx context.Context, ref launch.Ref) ([]facts.Release, error) {
	var doc packument
	found, err := r.getJSON(ctx, "npm package "+ref.Name, request{url: r.o.NPMRegistry + "/" + npmPath(ref.Name), header: http.Header{"Accept": {"application/json"}}}, &doc)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, errors.New("npm package " + ref.Name + " does not exist")
	}
	spec := ref.Version
	var admits func(v *semver.Version, raw string) bool
	switch {
	case spec == "" || spec == "latest":
		admits = func(v *semver.Version, _ string) bool { return v.Prerelease() == "" }
	case doc.DistTags[spec] != "":
		target := doc.DistTags[spec]
		admits = func(_ *semver.Version, raw string) bool { return raw == target }
	default:
		c, err := semver.NewConstraint(spec)
		if err != nil {
			return nil, errors.New("cannot read the npm range " + quote(spec))
		}
		admits = func(v *semver.Version, _ string) bool { return c.Check(v) }
	}
	type cand struct {
		v   *semver.Version
		rel facts.Release
	}
	var cs []cand
	for raw, ver := range doc.Versions {
		v, err := semver.NewVersion(raw)
		if err != nil || !admits(v, raw) {
			continue
		}
		rel := facts.Release{Version: raw, Published: parseTime(doc.Time[raw]), Provenance: npmProvenance(ver)}
		var dep string
		if json.Unmarshal(ver.Deprecated, &dep) == nil {
			rel.Deprecated = dep
		}
		cs = append(cs, cand{v, rel})
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].v.GreaterThan(cs[j].v) })
	out := make([]facts.Release, len(cs))
	for i, c := range cs {
		out[i] = c.rel
	}
	return out, nil
}

func (r *Resolver) pypiCandidates(ctx context.Context, ref launch.Ref) ([]facts.Release, error) {
	var proj pypiProject
	found, err := r.getJSON(ctx, "PyPI project "+ref.Name, request{url: r.o.PyPIURL + "/pypi/" + url.PathEscape(ref.Name) + "/json"}, &proj)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, errors.New("PyPI project " + ref.Name + " does not exist")
	}
	var out []facts.Release
	for v, files := range proj.Releases {
		if len(files) == 0 || isPreRelease(v) || !pepAdmits(v, ref.Version) {
			continue
		}
		out = append(out, facts.Release{Version: v, Yanked: allYanked(files), Published: firstUpload(files)})
	}
	sort.Slice(out, func(i, j int) bool { return pepCompare(out[i].Version, out[j].Version) > 0 })
	return out, nil
}

func (r *Resolver) goCandidates(ctx context.Context, ref launch.Ref) ([]facts.Release, error) {
	proxies := r.proxies()
	if len(proxies) == 0 {
		return nil, errors.New("GOPROXY names no proxy")
	}
	base := proxies[0]
	path := ref.Name
	var versions []string
	for {
		esc, err := module.EscapePath(path)
		if err != nil {
			return nil, err
		}
		resp, err := r.f.do(ctx, request{url: base + "/" + esc + "/@v/list"})
		if err != nil {
			return nil, err
		}
		if resp.Status == http.StatusOK {
			for _, v := range strings.Fields(string(resp.Body)) {
				if gosemver.IsValid(v) && gosemver.Prerelease(v) == "" {
					versions = append(versions, v)
				}
			}
			break
		}
		i := strings.LastIndex(path, "/")
		if i < 0 || !strings.Contains(path[:i], "/") {
			return nil, errors.New("Go module " + ref.Name + " lists no versions")
		}
		path = path[:i]
	}
	sort.Slice(versions, func(i, j int) bool { return gosemver.Compare(versions[i], versions[j]) > 0 })
	if len(versions) > maxCandidates {
		versions = versions[:maxCandidates]
	}
	var out []facts.Release
	esc, _ := module.EscapePath(path)
	for _, v := range versions {
		var info struct{ Version, Time string }
		ev, _ := module.EscapeVersion(v)
		found, err := r.getJSON(ctx, "Go module "+path+" "+v, request{url: base + "/" + esc + "/@v/" + ev + ".info"}, &info)
		if err != nil || !found {
			continue
		}
		out = append(out, facts.Release{Version: v, Published: parseTime(info.Time)})
	}
	return out, nil
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

// AdvisoriesFor asks OSV (or the offline database) which of versions of a
// package have advisories.
func (r *Resolver) AdvisoriesFor(ctx context.Context, ecosystem launch.Ecosystem, name string, versions []string) (map[string][]facts.Advisory, error) {
	eco := osvName(ecosystem)
	if eco == "" {
		return nil, errors.New("OSV has no " + string(ecosystem) + " ecosystem")
	}
	out := map[string][]facts.Advisory{}
	if r.o.OSVDB != "" {
		db := newOSVDB(r.o.OSVDB)
		for _, v := range versions {
			a, err := db.lookup(eco, name, v)
			if err != nil {
				return nil, err
			}
			out[v] = a
		}
		return out, nil
	}
	pkgs := make([]*facts.Package, len(versions))
	for i, v := range versions {
		pkgs[i] = &facts.Package{Ecosystem: ecosystem, Name: name, Version: v, Exists: facts.Yes}
	}
	if err := r.queryOSV(ctx, pkgs); err != nil {
		return nil, err
	}
	for _, p := range pkgs {
		out[p.Version] = p.Advisories
	}
	return out, nil
}
