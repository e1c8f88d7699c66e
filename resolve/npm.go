package resolve

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/Masterminds/semver/v3"
	"github.com/mcptether/mcptether/facts"
	"github.com/mcptether/mcptether/launch"
)

// packument is the part of npm's full package document read here.
// Registry mirrors strip some fields; pointers and RawMessage tell
// "absent" from "empty".
type packument struct {
	DistTags   map[string]string     `json:"dist-tags"`
	Versions   map[string]npmVersion `json:"versions"`
	Time       map[string]string     `json:"time"`
	Repository json.RawMessage       `json:"repository"`
}

type npmVersion struct {
	NPMUser *struct {
		Name string `json:"name"`
	} `json:"_npmUser"`
	Maintainers []struct {
		Name string `json:"name"`
	} `json:"maintainers"`
	Dist struct {
		Integrity    string          `json:"integrity"`
		Attestations json.RawMessage `json:"attestations"`
	} `json:"dist"`
	Scripts    map[string]string `json:"scripts"`
	Deprecated json.RawMessage   `json:"deprecated"`
	Repository json.RawMessage   `json:"repository"`
	MCPName    string            `json:"mcpName"`
}

// npmScope learns whether an unpublished scoped name's scope has an
// owner: only a scope's owner (a user or an org) can publish under it, so
// a missing @scope/name is claimable only when the scope is. The search
// API lists what is published under a scope; a scope with a package has
// an owner. A scope with none may still have one (an org that publishes
// nothing), which the finding says.
func (r *Resolver) npmScope(ctx context.Context, scope string, p *facts.Package) {
	var res struct {
		Objects []struct {
			Package struct {
				Name string `json:"name"`
			} `json:"package"`
		} `json:"objects"`
		Total int `json:"total"`
	}
	q := url.Values{"text": {"scope:" + strings.TrimPrefix(scope, "@")}, "size": {"20"}}
	found, err := r.getJSON(ctx, "npm search for the scope "+scope, request{url: r.o.NPMRegistry + "/-/v1/search?" + q.Encode()}, &res)
	if err != nil || !found {
		if err == nil {
			err = errors.New("npm search for the scope " + scope + ": the registry has no search API")
		}
		p.Unknowns = append(p.Unknowns, err.Error()+"; whether anyone but the scope's owner can publish "+p.Name+" is unknown")
		return
	}
	p.ScopeOwned = facts.No
	for _, o := range res.Objects {
		if strings.HasPrefix(strings.ToLower(o.Package.Name), strings.ToLower(scope)+"/") {
			p.ScopeOwned = facts.Yes
			return
		}
	}
}

// packumentRequest asks for a package's full document, reduced as it
// streams in to what the rules read.
func (r *Resolver) packumentRequest(name string) request {
	return request{url: r.o.NPMRegistry + "/" + npmPath(name), header: http.Header{"Accept": {"application/json"}},
		reduce: reducePackument, reducer: "npm-packument-1"}
}

// reducePackument streams npm's package document and keeps what the rules
// read. A popular package's document repeats every version's readme and
// dependencies, tens of megabytes of which nothing is needed; held whole
// by every concurrent lookup, they added up to gigabytes.
func reducePackument(rd io.Reader) ([]byte, error) {
	dec := json.NewDecoder(rd)
	var doc packument
	if err := expectDelim(dec, '{'); err != nil {
		return nil, err
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		switch t {
		case "dist-tags":
			err = dec.Decode(&doc.DistTags)
		case "time":
			err = dec.Decode(&doc.Time)
		case "repository":
			err = dec.Decode(&doc.Repository)
		case "versions":
			err = reduceVersions(dec, &doc)
		default:
			err = dec.Decode(new(json.RawMessage)) // read through, not kept
		}
		if err != nil {
			return nil, err
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return nil, err
	}
	return json.Marshal(&doc)
}

// reduceVersions reads the versions object one version at a time, keeping
// npmVersion's fields and, of the scripts, the install-time ones.
func reduceVersions(dec *json.Decoder, doc *packument) error {
	if err := expectDelim(dec, '{'); err != nil {
		return err
	}
	doc.Versions = map[string]npmVersion{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		var v npmVersion
		if err := dec.Decode(&v); err != nil {
			return err
		}
		for s := range v.Scripts {
			if s != "preinstall" && s != "install" && s != "postinstall" {
				delete(v.Scripts, s)
			}
		}
		doc.Versions[t.(string)] = v
	}
	return expectDelim(dec, '}')
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	t, err := dec.Token()
	if err != nil {
		return err
	}
	if t != want {
		return fmt.Errorf("want %q, found %v", want, t)
	}
	return nil
}

// npmPath escapes a package name for the registry as npm does:
// "@scope/name" becomes "@scope%2fname".
func npmPath(name string) string {
	scope, rest, scoped := strings.Cut(name, "/")
	if scoped && strings.HasPrefix(scope, "@") {
		return url.PathEscape(scope) + "%2f" + url.PathEscape(rest)
	}
	return url.PathEscape(name)
}

func (r *Resolver) npm(ctx context.Context, ref launch.Ref, p *facts.Package) {
	var doc packument
	if !r.document(ctx, p, "npm package "+ref.Name, r.packumentRequest(ref.Name), &doc) {
		if scope, _, scoped := strings.Cut(ref.Name, "/"); scoped && p.Exists == facts.No && strings.HasPrefix(scope, "@") {
			r.npmScope(ctx, scope, p)
		}
		return
	}
	v := npmResolve(ref.Version, &doc)
	if v == "" {
		p.Unknowns = append(p.Unknowns, "npm package "+ref.Name+": no published version matches "+quote(ref.Version))
		return
	}
	p.Version = v
	ver := doc.Versions[v]
	p.Published = parseTime(doc.Time[v])
	if ver.NPMUser != nil {
		p.Publisher = ver.NPMUser.Name
	}
	p.Provenance = npmProvenance(ver)
	p.Integrity = ver.Dist.Integrity
	for _, m := range ver.Maintainers {
		p.Maintainers = append(p.Maintainers, m.Name)
	}
	for _, s := range []string{"preinstall", "install", "postinstall"} {
		if ver.Scripts[s] != "" {
			p.Scripts = append(p.Scripts, s)
		}
	}
	var dep string
	if json.Unmarshal(ver.Deprecated, &dep) == nil {
		p.Deprecated = dep
	}
	p.MCPName = ver.MCPName
	for _, raw := range []json.RawMessage{ver.Repository, doc.Repository} {
		if repo := npmRepository(raw); repo != "" {
			p.Repository, p.RepositoryFrom = repo, "npm repository field"
			break
		}
	}
	p.History = npmHistory(&doc, v)
	p.FirstPublished = parseTime(doc.Time["created"])
	for k, t := range doc.Time {
		if k == "created" || k == "modified" {
			continue
		}
		if pt := parseTime(t); !pt.IsZero() && (p.FirstPublished.IsZero() || pt.Before(p.FirstPublished)) {
			p.FirstPublished = pt
		}
	}
	// An abbreviated or mirrored document lacks what fresh-release and
	// publisher-changed judge by: said, not taken as "nothing to see".
	var missing []string
	if p.Published.IsZero() {
		missing = append(missing, "no publish time")
	}
	if ver.NPMUser == nil {
		missing = append(missing, "no publisher")
	}
	if len(missing) > 0 {
		p.Unknowns = append(p.Unknowns, "npm package "+ref.Name+" "+v+": the registry's document has "+strings.Join(missing, " and ")+
			" (an abbreviated or mirrored document), so its release age and publisher could not be judged")
	}
	if p.Provenance == facts.Yes {
		repo, err := r.attestedRepo(ctx, ver)
		if err != nil {
			p.Unknowns = append(p.Unknowns, "npm package "+ref.Name+" "+v+": its provenance attestation could not be read ("+err.Error()+"), so the repository it attests is unknown")
		}
		p.ProvenanceRepo = repo
	}
}

// attestedRepo reads the source repository an npm provenance attestation
// claims: the SLSA statement inside the DSSE envelope. The signature is
// not verified; this compares claims, it does not prove them.
func (r *Resolver) attestedRepo(ctx context.Context, v npmVersion) (string, error) {
	var att struct {
		URL string `json:"url"`
	}
	if json.Unmarshal(v.Dist.Attestations, &att) != nil || att.URL == "" {
		return "", errors.New("the packument names no attestation URL")
	}
	u, err := url.Parse(att.URL)
	if err != nil {
		return "", errors.New("the attestation URL is unreadable")
	}
	// Ask the configured registry (a mirror, or a test's fake), not the
	// host written in the packument.
	target := r.o.NPMRegistry + u.EscapedPath()
	var doc struct {
		Attestations []struct {
			PredicateType string `json:"predicateType"`
			Bundle        struct {
				DSSE struct {
					Payload string `json:"payload"`
				} `json:"dsseEnvelope"`
			} `json:"bundle"`
		} `json:"attestations"`
	}
	found, err := r.getJSON(ctx, "npm attestations", request{url: target}, &doc)
	switch {
	case err != nil:
		return "", err
	case !found:
		return "", errors.New("the registry has no attestations for it")
	}
	for _, a := range doc.Attestations {
		if !strings.HasPrefix(a.PredicateType, "https://slsa.dev/provenance/") {
			continue
		}
		payload, err := base64.StdEncoding.DecodeString(a.Bundle.DSSE.Payload)
		if err != nil {
			continue
		}
		var stmt struct {
			Predicate struct {
				// SLSA provenance v1 (npm since 2023).
				BuildDefinition struct {
					ExternalParameters struct {
						Workflow struct {
							Repository string `json:"repository"`
						} `json:"workflow"`
					} `json:"externalParameters"`
				} `json:"buildDefinition"`
				// SLSA provenance v0.2 (npm's first attestations):
				// git+https://github.com/o/r@refs/heads/main.
				Invocation struct {
					ConfigSource struct {
						URI string `json:"uri"`
					} `json:"configSource"`
				} `json:"invocation"`
			} `json:"predicate"`
		}
		if json.Unmarshal(payload, &stmt) != nil {
			continue
		}
		if repo := facts.NormalizeRepo(stmt.Predicate.BuildDefinition.ExternalParameters.Workflow.Repository); repo != "" {
			return repo, nil
		}
		uri, _, _ := strings.Cut(strings.TrimPrefix(stmt.Predicate.Invocation.ConfigSource.URI, "git+"), "@")
		if repo := facts.NormalizeRepo(uri); repo != "" {
			return repo, nil
		}
	}
	return "", errors.New("no SLSA provenance in it names a repository")
}

// npmProvenance: an attestation means yes; its absence means no only when
// the document was not stripped by a mirror (_npmUser is present).
func npmProvenance(v npmVersion) facts.Tri {
	switch {
	case len(v.Dist.Attestations) > 0 && string(v.Dist.Attestations) != "null":
		return facts.Yes
	case v.NPMUser != nil:
		return facts.No
	}
	return facts.Unknown
}

// npmResolve picks the version a spec installs today: a dist-tag's target,
// the exact version, or the highest version a range admits.
func npmResolve(spec string, doc *packument) string {
	if spec == "" {
		spec = "latest"
	}
	if v, ok := doc.DistTags[spec]; ok {
		return v
	}
	if _, ok := doc.Versions[spec]; ok {
		return spec
	}
	c, err := semver.NewConstraint(spec)
	if err != nil {
		return ""
	}
	var best *semver.Version
	bestRaw := ""
	for raw := range doc.Versions {
		v, err := semver.NewVersion(raw)
		if err != nil || !c.Check(v) {
			continue
		}
		if best == nil || v.GreaterThan(best) {
			best, bestRaw = v, raw
		}
	}
	return bestRaw
}

// npmRepository reads every form of the repository field: an object with
// url, "github:o/r", "o/r", or a URL string.
func npmRepository(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return facts.NormalizeRepo(s)
	}
	var o struct {
		URL string `json:"url"`
	}
	if json.Unmarshal(raw, &o) == nil {
		return facts.NormalizeRepo(o.URL)
	}
	return ""
}

// npmHistory returns up to five releases published before v, newest first.
func npmHistory(doc *packument, v string) []facts.Release {
	at := parseTime(doc.Time[v])
	var out []facts.Release
	for raw, ver := range doc.Versions {
		t := parseTime(doc.Time[raw])
		if raw == v || t.IsZero() || !t.Before(at) {
			continue
		}
		rel := facts.Release{Version: raw, Published: t, Provenance: npmProvenance(ver)}
		if ver.NPMUser != nil {
			rel.Publisher = ver.NPMUser.Name
		}
		out = append(out, rel)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Published.After(out[j].Published) })
	if len(out) > 5 {
		out = out[:5]
	}
	return out
}

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339, s)
	return t
}

func quote(s string) string { return `"` + s + `"` }

func (r *Resolver) npmCandidates(ctx context.Context, ref launch.Ref) ([]facts.Release, error) {
	var doc packument
	found, err := r.getJSON(ctx, "npm package "+ref.Name, r.packumentRequest(ref.Name), &doc)
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

type npmRegistry struct{}

func (npmRegistry) lookup(ctx context.Context, r *Resolver, ref launch.Ref, p *facts.Package) {
	r.npm(ctx, ref, p)
}
func (npmRegistry) candidates(ctx context.Context, r *Resolver, ref launch.Ref) ([]facts.Release, error) {
	return r.npmCandidates(ctx, ref)
}
