package resolve

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/mcptether/mcptether/facts"
	"github.com/mcptether/mcptether/launch"
)

const manifestAccept = "application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, " +
	"application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json"

type ociManifest struct {
	MediaType string `json:"mediaType"`
	Manifests []struct {
		Digest   string `json:"digest"`
		Platform struct {
			OS           string `json:"os"`
			Architecture string `json:"architecture"`
		} `json:"platform"`
		Annotations map[string]string `json:"annotations"`
	} `json:"manifests"`
	Config struct {
		Digest string `json:"digest"`
	} `json:"config"`
	Annotations map[string]string `json:"annotations"`
}

// OCI annotation and label keys read for an image's provenance.
const (
	ociSource   = "org.opencontainers.image.source"
	ociRevision = "org.opencontainers.image.revision"
	ociMCPName  = "io.modelcontextprotocol.server.name"
	ociRefType  = "vnd.docker.reference.type"
)

// registryBase is where an image host's distribution API is reached.
func (r *Resolver) registryBase(host string) string {
	if m, ok := r.o.Mirrors[host]; ok {
		return strings.TrimRight(m, "/")
	}
	if host == "docker.io" {
		return "https://registry-1.docker.io"
	}
	return "https://" + host
}

// oci resolves an image: whether it exists, what its tag points at, and
// the source repository its org.opencontainers.image.source label names.
func (r *Resolver) oci(ctx context.Context, ref launch.Ref, p *facts.Package) {
	host := ref.Registry
	repo := strings.TrimPrefix(ref.Name, host+"/")
	if _, mirrored := r.o.Mirrors[host]; !mirrored && !publicHost(host) {
		// 127.0.0.1:5000/x, registry:5000/x: a registry on the user's
		// machine or network, which a config must not make us contact.
		p.Unknowns = append(p.Unknowns, "image "+ref.Name+": local image, not checked")
		return
	}
	base := r.registryBase(host)
	reference := ref.Digest
	if reference == "" {
		reference = ref.Tag
	}
	if reference == "" {
		reference = "latest"
	}
	reg := &registry{r: r, base: base, repo: repo}
	resp, err := reg.get(ctx, "/manifests/"+url.PathEscape(reference), manifestAccept)
	if err != nil {
		p.Unknowns = append(p.Unknowns, "image "+ref.Name+": "+err.Error())
		return
	}
	switch resp.Status {
	case http.StatusOK:
	case http.StatusNotFound:
		if ref.Digest != "" && registryError(resp.Body) == "MANIFEST_UNKNOWN" {
			// The digest is gone (deleted, or never pushed here); the name
			// may well exist, so it is not free to claim.
			p.Unknowns = append(p.Unknowns, "image "+ref.Name+": the digest "+ref.Digest+" is gone from the registry (MANIFEST_UNKNOWN): the image it pinned was deleted; pin a digest that exists")
			return
		}
		p.Exists = facts.No
		return
	case http.StatusUnauthorized, http.StatusForbidden:
		p.Unknowns = append(p.Unknowns, "image "+ref.Name+": the registry refused access (private or missing)")
		return
	default:
		p.Unknowns = append(p.Unknowns, "image "+ref.Name+": "+status(resp))
		return
	}
	p.Exists = facts.Yes
	p.Version = reference
	p.Digest = resp.Header.Get("Docker-Content-Digest")
	if p.Digest == "" {
		sum := sha256.Sum256(resp.Body)
		p.Digest = "sha256:" + hex.EncodeToString(sum[:])
	}
	var m ociManifest
	if json.Unmarshal(resp.Body, &m) != nil {
		p.Unknowns = append(p.Unknowns, "image "+ref.Name+": its manifest is unreadable, so its source repository was not learned")
		return
	}
	// Provenance, first found wins: the index's annotations, its entry
	// for the image, the image manifest's, then the config's labels.
	// Docker's official images carry it only as annotations.
	prov := provenance{}
	prov.add(m.Annotations, "image index annotation")
	if len(m.Manifests) > 0 {
		// An index: the linux/amd64 image (or the first that is no
		// attestation manifest).
		pick := -1
		for i, e := range m.Manifests {
			if e.Annotations[ociRefType] == "attestation-manifest" {
				continue
			}
			if pick < 0 || e.Platform.OS == "linux" && e.Platform.Architecture == "amd64" {
				pick = i
			}
			if e.Platform.OS == "linux" && e.Platform.Architecture == "amd64" {
				break
			}
		}
		if pick < 0 {
			p.Unknowns = append(p.Unknowns, "image "+ref.Name+": its index lists no image, only attestations")
			r.setProvenance(p, prov)
			return
		}
		prov.add(m.Manifests[pick].Annotations, "image index annotation")
		if r.imageDoc(ctx, reg, ref, p, "/manifests/"+m.Manifests[pick].Digest, manifestAccept, "image manifest", &m) {
			prov.add(m.Annotations, "image manifest annotation")
			r.imageConfig(ctx, reg, ref, p, m.Config.Digest, &prov)
		}
	} else {
		r.imageConfig(ctx, reg, ref, p, m.Config.Digest, &prov)
	}
	r.setProvenance(p, prov)
}

// imageConfig reads the config blob's labels into prov; a blob that
// cannot be read is said, not passed over.
func (r *Resolver) imageConfig(ctx context.Context, reg *registry, ref launch.Ref, p *facts.Package, digest string, prov *provenance) {
	if digest == "" {
		return
	}
	var cfg struct {
		Config struct {
			Labels map[string]string `json:"Labels"`
		} `json:"config"`
	}
	if r.imageDoc(ctx, reg, ref, p, "/blobs/"+digest, "", "config", &cfg) {
		prov.add(cfg.Config.Labels, "image label")
	}
}

// imageDoc fetches one of an image's documents into v; one that cannot be
// fetched or read is said in p, not passed over.
func (r *Resolver) imageDoc(ctx context.Context, reg *registry, ref launch.Ref, p *facts.Package, path, accept, what string, v any) bool {
	resp, err := reg.get(ctx, path, accept)
	switch {
	case err != nil:
		p.Unknowns = append(p.Unknowns, "image "+ref.Name+": its "+what+" could not be fetched: "+err.Error())
	case resp.Status != http.StatusOK:
		p.Unknowns = append(p.Unknowns, "image "+ref.Name+": its "+what+" could not be fetched: "+status(resp))
	case json.Unmarshal(resp.Body, v) != nil:
		p.Unknowns = append(p.Unknowns, "image "+ref.Name+": its "+what+" is unreadable")
	default:
		return true
	}
	return false
}

// provenance is what an image says of where it comes from.
type provenance struct {
	source, revision, mcpName, from string
}

func (pr *provenance) add(kv map[string]string, from string) {
	if pr.source == "" && facts.NormalizeRepo(kv[ociSource]) != "" {
		pr.source, pr.from = kv[ociSource], from
		pr.revision = kv[ociRevision]
	}
	if pr.mcpName == "" {
		pr.mcpName = kv[ociMCPName]
	}
}

func (r *Resolver) setProvenance(p *facts.Package, pr provenance) {
	if pr.source != "" {
		p.Repository, p.RepositoryFrom = facts.NormalizeRepo(pr.source), pr.from+" "+ociSource
		p.Revision = pr.revision
	}
	p.MCPName = pr.mcpName
}

// registryError is the first error code of a distribution API answer.
func registryError(body []byte) string {
	var e struct {
		Errors []struct {
			Code string `json:"code"`
		} `json:"errors"`
	}
	if json.Unmarshal(body, &e) != nil || len(e.Errors) == 0 {
		return ""
	}
	return e.Errors[0].Code
}

// registry speaks the distribution API with the anonymous bearer-token
// flow: a 401 names a token endpoint; a pull token from it opens the
// repository.
type registry struct {
	r     *Resolver
	base  string
	repo  string
	token string
}

var challengeParam = regexp.MustCompile(`(\w+)="([^"]*)"`)

// realm checks where the registry sends us for a token: the registry
// chooses it, so it must be https (or the registry's own origin, which
// covers a configured http mirror), never the GitHub API (whose token
// must not be asked for, nor its answer relayed), and the dialer still
// refuses a non-public address that no one configured.
func (g *registry) realm(s string) (*url.URL, error) {
	realm, err := url.Parse(s)
	base, _ := url.Parse(g.base)
	switch {
	case err != nil || realm.Host == "":
		return nil, fmt.Errorf("the registry named no usable token realm")
	case originOf(realm) == g.r.f.github:
		return nil, fmt.Errorf("the registry's token realm %s is the GitHub API; not asked", redactURL(s))
	case realm.Scheme != "https" && originOf(realm) != originOf(base):
		return nil, fmt.Errorf("the registry's token realm %s is not https; not asked", redactURL(s))
	}
	return realm, nil
}

func (g *registry) get(ctx context.Context, path, accept string) (*response, error) {
	u := g.base + "/v2/" + g.repo + path
	h := http.Header{}
	if accept != "" {
		h.Set("Accept", accept)
	}
	if g.token != "" {
		h.Set("Authorization", "Bearer "+g.token)
	}
	if g.token == "" {
		// A warm run: the answer fetched with last run's token is stored
		// (keyed without the token), so neither the challenge nor a new
		// token is needed.
		withAuth := h.Clone()
		withAuth.Set("Authorization", "Bearer")
		if resp := g.r.f.cached(request{url: u, header: withAuth}); resp != nil {
			return resp, nil
		}
	}
	resp, err := g.r.f.do(ctx, request{url: u, header: h})
	if err != nil || resp.Status != http.StatusUnauthorized || g.token != "" {
		return resp, err
	}
	chal := resp.Header.Get("Www-Authenticate")
	if !strings.HasPrefix(strings.ToLower(chal), "bearer ") {
		return resp, nil
	}
	params := map[string]string{}
	for _, m := range challengeParam.FindAllStringSubmatch(chal, -1) {
		params[strings.ToLower(m[1])] = m[2]
	}
	realm, err := g.realm(params["realm"])
	if err != nil {
		return nil, err
	}
	q := realm.Query()
	if s := params["service"]; s != "" {
		q.Set("service", s)
	}
	scope := params["scope"]
	if scope == "" {
		scope = "repository:" + g.repo + ":pull"
	}
	q.Set("scope", scope)
	realm.RawQuery = q.Encode()
	tr, err := g.r.f.do(ctx, request{url: realm.String(), kind: "token"})
	if err != nil {
		return nil, err
	}
	var tok struct {
		Token       string `json:"token"`
		AccessToken string `json:"access_token"`
	}
	if tr.Status != http.StatusOK || json.Unmarshal(tr.Body, &tok) != nil {
		return resp, nil
	}
	g.token = tok.Token
	if g.token == "" {
		g.token = tok.AccessToken
	}
	if g.token == "" {
		return resp, nil
	}
	return g.get(ctx, path, accept)
}
