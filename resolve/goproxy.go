package resolve

import (
	"context"
	"errors"
	"net/http"
	"sort"
	"strings"

	"github.com/mcptether/mcptether/facts"
	"github.com/mcptether/mcptether/launch"
	"golang.org/x/mod/module"
	gosemver "golang.org/x/mod/semver"
)

// proxies returns the GOPROXY list's URLs ("direct" and "off" are skipped:
// mcptether fetches no code).
func (r *Resolver) proxies() []string {
	var out []string
	for _, p := range strings.FieldsFunc(r.o.GoProxy, func(c rune) bool { return c == ',' || c == '|' }) {
		if p = strings.TrimSpace(p); p != "" && p != "direct" && p != "off" {
			out = append(out, strings.TrimRight(p, "/"))
		}
	}
	return out
}

// goModule finds the module that provides a "go run" package path (the
// longest prefix the proxy knows) and the version a spec resolves to.
func (r *Resolver) goModule(ctx context.Context, ref launch.Ref, p *facts.Package) {
	proxies := r.proxies()
	if len(proxies) == 0 {
		p.Unknowns = append(p.Unknowns, "Go module "+ref.Name+": GOPROXY names no proxy")
		return
	}
	base := proxies[0]
	path := ref.Name
	for {
		esc, err := module.EscapePath(path)
		if err != nil {
			p.Unknowns = append(p.Unknowns, "Go module "+ref.Name+": "+err.Error())
			return
		}
		version := ref.Version
		endpoint := "/@latest"
		if version != "" && version != "latest" {
			ev, err := module.EscapeVersion(version)
			if err != nil {
				p.Unknowns = append(p.Unknowns, "Go module "+ref.Name+": "+err.Error())
				return
			}
			endpoint = "/@v/" + ev + ".info"
		}
		var info struct{ Version, Time string }
		found, err := r.getJSON(ctx, "Go module "+path, request{url: base + "/" + esc + endpoint}, &info)
		if err != nil {
			p.Unknowns = append(p.Unknowns, err.Error())
			return
		}
		if found {
			p.Exists, p.Version, p.Published = facts.Yes, info.Version, parseTime(info.Time)
			if strings.HasPrefix(path, "github.com/") {
				if repo := facts.NormalizeRepo("https://" + path); repo != "" {
					p.Repository, p.RepositoryFrom = repo, "module path"
				}
			}
			return
		}
		// Not found: try the next shorter prefix of the path.
		i := strings.LastIndex(path, "/")
		if i < 0 || !strings.Contains(path[:i], "/") {
			p.Exists = facts.No // no prefix of the path is a module
			return
		}
		path = path[:i]
	}
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

type goRegistry struct{}

func (goRegistry) lookup(ctx context.Context, r *Resolver, ref launch.Ref, p *facts.Package) {
	r.goModule(ctx, ref, p)
}
func (goRegistry) candidates(ctx context.Context, r *Resolver, ref launch.Ref) ([]facts.Release, error) {
	return r.goCandidates(ctx, ref)
}
