package resolve

import (
	"context"
	"errors"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/mcptether/mcptether/facts"
	"github.com/mcptether/mcptether/launch"
)

type pypiProject struct {
	Info struct {
		Version      string            `json:"version"`
		HomePage     string            `json:"home_page"`
		ProjectURLs  map[string]string `json:"project_urls"`
		Description  string            `json:"description"`
		Yanked       bool              `json:"yanked"`
		YankedReason *string           `json:"yanked_reason"`
	} `json:"info"`
	Releases map[string][]pypiFile `json:"releases"`
	URLs     []pypiFile            `json:"urls"`
}

type pypiFile struct {
	UploadTime   string  `json:"upload_time_iso_8601"`
	Yanked       bool    `json:"yanked"`
	YankedReason *string `json:"yanked_reason"`
}

var mcpNameMarker = regexp.MustCompile(`(?m)mcp-name:\s*([A-Za-z0-9._/-]+)`)

func (r *Resolver) pypi(ctx context.Context, ref launch.Ref, p *facts.Package) {
	name := url.PathEscape(ref.Name)
	var proj pypiProject
	if !r.document(ctx, p, "PyPI project "+ref.Name, request{url: r.o.PyPIURL + "/pypi/" + name + "/json"}, &proj) {
		return
	}
	v := pypiResolve(ref.Version, &proj)
	if v == "" {
		p.Unknowns = append(p.Unknowns, "PyPI project "+ref.Name+": no release matches "+quote(ref.Version))
		return
	}
	p.Version = v
	// The version's own document has its upload time, yanked flag, URLs
	// and description.
	var rel pypiProject
	found, err := r.getJSON(ctx, "PyPI release "+ref.Name+" "+v, request{url: r.o.PyPIURL + "/pypi/" + name + "/" + url.PathEscape(v) + "/json"}, &rel)
	if err != nil || !found {
		if err == nil {
			err = &unsupportedError{"PyPI release " + ref.Name + " " + v + ": not found"}
		}
		p.Unknowns = append(p.Unknowns, err.Error())
		return
	}
	p.Published = firstUpload(rel.URLs)
	for _, files := range proj.Releases {
		if t := firstUpload(files); !t.IsZero() && (p.FirstPublished.IsZero() || t.Before(p.FirstPublished)) {
			p.FirstPublished = t
		}
	}
	p.Yanked = rel.Info.Yanked
	if rel.Info.YankedReason != nil {
		p.YankedReason = *rel.Info.YankedReason
	}
	for _, f := range rel.URLs {
		p.Yanked = p.Yanked || f.Yanked
		if f.YankedReason != nil && p.YankedReason == "" {
			p.YankedReason = *f.YankedReason
		}
	}
	p.Repository, p.RepositoryFrom = pypiRepository(rel.Info.ProjectURLs, rel.Info.HomePage)
	if m := mcpNameMarker.FindStringSubmatch(rel.Info.Description); m != nil {
		p.MCPName = m[1]
	}
}

// pypiRepository prefers the links projects label as source code.
func pypiRepository(urls map[string]string, home string) (string, string) {
	keys := make([]string, 0, len(urls))
	for k := range urls {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	rank := func(k string) int {
		switch strings.ToLower(strings.ReplaceAll(k, " ", "")) {
		case "source", "sourcecode", "repository", "code", "github":
			return 0
		case "homepage", "home":
			return 1
		}
		return 2
	}
	sort.SliceStable(keys, func(i, j int) bool { return rank(keys[i]) < rank(keys[j]) })
	for _, k := range keys {
		if repo := facts.NormalizeRepo(urls[k]); repo != "" && knownHost(repo) {
			return repo, "project_urls." + k
		}
	}
	if repo := facts.NormalizeRepo(home); repo != "" && knownHost(repo) {
		return repo, "home_page"
	}
	return "", ""
}

func knownHost(repo string) bool {
	h, _, _ := strings.Cut(repo, "/")
	return h == "github.com" || h == "gitlab.com" || h == "bitbucket.org" || h == "codeberg.org"
}

// pypiResolve: "" and "latest" are the project's current version; "==x"
// and "x" exact; a range is the highest non-yanked final release in it.
func pypiResolve(spec string, proj *pypiProject) string {
	spec = strings.TrimSpace(spec)
	if spec == "" || spec == "latest" {
		return proj.Info.Version
	}
	if _, ok := proj.Releases[spec]; ok {
		return spec
	}
	best := ""
	for v, files := range proj.Releases {
		if len(files) == 0 || allYanked(files) || isPreRelease(v) || !pepAdmits(v, spec) {
			continue
		}
		if best == "" || pepCompare(v, best) > 0 {
			best = v
		}
	}
	return best
}

// pepAdmits: v satisfies every comma-separated clause of spec; none or
// "latest" admits any version.
func pepAdmits(v, spec string) bool {
	spec = strings.TrimSpace(spec)
	if spec == "" || spec == "latest" {
		return true
	}
	for _, c := range strings.Split(spec, ",") {
		if !pepSatisfies(v, strings.TrimSpace(c)) {
			return false
		}
	}
	return true
}

// firstUpload is when a release's earliest file was uploaded.
func firstUpload(files []pypiFile) time.Time {
	var first time.Time
	for _, f := range files {
		if t := parseTime(f.UploadTime); !t.IsZero() && (first.IsZero() || t.Before(first)) {
			first = t
		}
	}
	return first
}

func allYanked(files []pypiFile) bool {
	for _, f := range files {
		if !f.Yanked {
			return false
		}
	}
	return true
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

type pypiRegistry struct{}

func (pypiRegistry) lookup(ctx context.Context, r *Resolver, ref launch.Ref, p *facts.Package) {
	r.pypi(ctx, ref, p)
}
func (pypiRegistry) candidates(ctx context.Context, r *Resolver, ref launch.Ref) ([]facts.Release, error) {
	return r.pypiCandidates(ctx, ref)
}
