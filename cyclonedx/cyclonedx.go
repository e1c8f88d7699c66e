// Package cyclonedx writes the inventory of MCP servers as a CycloneDX 1.6
// JSON BOM: a component per package, image or git source, a service per
// remote endpoint, each with the config files, hosts and servers that use
// it.
package cyclonedx

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"
	"github.com/mcptether/mcptether/facts"
	"github.com/mcptether/mcptether/launch"
	"github.com/mcptether/mcptether/report"
)

// Property names.
const (
	propFile          = "mcptether:file"
	propHost          = "mcptether:host"
	propServer        = "mcptether:server"
	propVersionSource = "mcptether:version-source" // pinned, resolved or unpinned
)

// Write writes the result's inventory as a CycloneDX 1.6 JSON BOM.
func Write(w io.Writer, r *report.Result) error {
	bom := Build(r)
	enc := cdx.NewBOMEncoder(w, cdx.BOMFileFormatJSON)
	enc.SetPretty(true).SetEscapeHTML(false)
	// Built as 1.6, so encoded as it is: EncodeVersion's copy would drop
	// authenticated: false.
	return enc.Encode(bom)
}

// entry is one component or service with where it is used.
type entry struct {
	comp    *cdx.Component
	svc     *cdx.Service
	props   map[string]bool // "name\x00value"
	authed  bool
	ordered string
}

// Build makes the BOM: one component per distinct package, image or git
// reference, one service per remote endpoint.
func Build(r *report.Result) *cdx.BOM {
	bom := cdx.NewBOM()
	bom.SpecVersion = cdx.SpecVersion1_6
	bom.JSONSchema = "http://cyclonedx.org/schema/bom-1.6.schema.json"
	byRef := map[string]*entry{}
	use := func(ref string, make func() *entry, s *launch.Server) *entry {
		e, ok := byRef[ref]
		if !ok {
			e = make()
			e.props = map[string]bool{}
			e.ordered = ref
			byRef[ref] = e
		}
		e.props[propFile+"\x00"+s.File] = true
		e.props[propHost+"\x00"+s.Format] = true
		if s.Name.Text != "" {
			e.props[propServer+"\x00"+s.Name.Text] = true
		}
		return e
	}
	for _, s := range r.Servers {
		for _, ref := range s.Refs {
			switch ref.Kind {
			case launch.Package, launch.Image, launch.Git:
				c := component(ref, r.Facts)
				if c == nil {
					continue
				}
				use(c.BOMRef, func() *entry { return &entry{comp: c} }, s)
			case launch.Remote:
				u := launch.RedactURL(ref.URL)
				if u == "" {
					continue
				}
				e := use("service:"+u, func() *entry {
					return &entry{svc: &cdx.Service{BOMRef: "service:" + u, Name: serviceName(u), Endpoints: &[]string{u}}}
				}, s)
				e.authed = e.authed || authenticated(s)
			}
		}
	}
	refs := make([]string, 0, len(byRef))
	for k := range byRef {
		refs = append(refs, k)
	}
	sort.Strings(refs)
	var comps []cdx.Component
	var svcs []cdx.Service
	for _, k := range refs {
		e := byRef[k]
		props := properties(e.props)
		if e.comp != nil {
			e.comp.Properties = appendProps(e.comp.Properties, props)
			comps = append(comps, *e.comp)
			continue
		}
		e.svc.Authenticated = &e.authed
		e.svc.Properties = &props
		svcs = append(svcs, *e.svc)
	}
	bom.SerialNumber = serial(refs)
	bom.Metadata = &cdx.Metadata{
		Timestamp: r.Generated.UTC().Format(time.RFC3339),
		Tools: &cdx.ToolsChoice{Components: &[]cdx.Component{{
			Type: cdx.ComponentTypeApplication, Name: "mcptether", Version: r.Version,
			ExternalReferences: &[]cdx.ExternalReference{{Type: cdx.ERTypeWebsite, URL: "https://github.com/mcptether/mcptether"}},
		}}},
	}
	if r.Generated.IsZero() {
		bom.Metadata.Timestamp = ""
	}
	if len(comps) > 0 {
		bom.Components = &comps
	}
	if len(svcs) > 0 {
		bom.Services = &svcs
	}
	return bom
}

// component describes a package, image or git reference, with what the
// registry said when the scan was online.
func component(ref launch.Ref, fs *facts.Facts) *cdx.Component {
	if ref.PURL == "" {
		return nil // a release-time placeholder, or a name mcptether cannot spell as a PURL
	}
	var p *facts.Package
	if fs != nil {
		p = fs.Package(ref)
	}
	c := &cdx.Component{Type: cdx.ComponentTypeApplication, Name: ref.Name, PackageURL: ref.PURL}
	if ref.Kind == launch.Package {
		if i := strings.LastIndex(ref.Name, "/"); i > 0 && ref.Ecosystem == launch.NPM {
			c.Group, c.Name = ref.Name[:i], ref.Name[i+1:]
		}
	}
	version, source := report.VersionOf(ref, fs)
	c.Version = version
	if ref.Kind == launch.Image && ref.Pinned && ref.Tag != "" {
		c.Version = ref.Tag // the digest is in the hashes
	}
	var hashes []cdx.Hash
	add := func(alg cdx.HashAlgorithm, hexValue string) {
		if hexValue != "" && !slices.ContainsFunc(hashes, func(h cdx.Hash) bool { return h.Algorithm == alg }) {
			hashes = append(hashes, cdx.Hash{Algorithm: alg, Value: hexValue})
		}
	}
	switch ref.Kind {
	case launch.Image:
		digest := ref.Digest
		if digest == "" && p != nil {
			digest = p.Digest
		}
		if v, ok := strings.CutPrefix(digest, "sha256:"); ok && hexDigest.MatchString(v) {
			add(cdx.HashAlgoSHA256, v)
		}
	case launch.Git:
		if ref.Pinned && hexDigest.MatchString(ref.Version) {
			alg := cdx.HashAlgoSHA1
			if len(ref.Version) == 64 {
				alg = cdx.HashAlgoSHA256
			}
			add(alg, ref.Version)
		}
	case launch.Package:
		if p != nil && (source != "unpinned") {
			alg, v := integrity(p.Integrity)
			add(alg, v)
		}
	}
	if len(hashes) > 0 {
		c.Hashes = &hashes
	}
	repo := ""
	switch {
	case ref.Kind == launch.Git:
		repo = ref.Name
	case p != nil:
		repo = p.Repository
	}
	if repo != "" {
		c.ExternalReferences = &[]cdx.ExternalReference{{Type: cdx.ERTypeVCS, URL: "https://" + repo}}
	}
	c.BOMRef = ref.PURL
	if c.Version != "" && !strings.Contains(ref.PURL, "@") {
		c.BOMRef = ref.PURL + "#" + c.Version
	}
	c.Properties = &[]cdx.Property{{Name: propVersionSource, Value: source}}
	return c
}

var hexDigest = regexp.MustCompile(`^[0-9a-f]{40}$|^[0-9a-f]{64}$`)

// integrity reads npm's dist.integrity (sha512-BASE64) as a CycloneDX hash.
func integrity(s string) (cdx.HashAlgorithm, string) {
	fields := strings.Fields(s) // several hashes: the first; none: no hash
	if len(fields) == 0 {
		return "", ""
	}
	alg, b64, ok := strings.Cut(fields[0], "-")
	if !ok {
		return "", ""
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return "", ""
	}
	switch {
	case alg == "sha512" && len(raw) == 64:
		return cdx.HashAlgoSHA512, hex.EncodeToString(raw)
	case alg == "sha384" && len(raw) == 48:
		return cdx.HashAlgoSHA384, hex.EncodeToString(raw)
	case alg == "sha256" && len(raw) == 32:
		return cdx.HashAlgoSHA256, hex.EncodeToString(raw)
	case alg == "sha1" && len(raw) == 20:
		return cdx.HashAlgoSHA1, hex.EncodeToString(raw)
	}
	return "", ""
}

// credentialHeader names headers that carry a credential.
var credentialHeader = regexp.MustCompile(`(?i)^(authorization|proxy-authorization|cookie)$|(token|secret|api[_-]?key|apikey|auth|credential|session)`)

// authenticated: the server sends a credential header (its value, literal
// or a reference to one, is never written).
func authenticated(s *launch.Server) bool {
	for _, h := range s.Headers {
		if credentialHeader.MatchString(h.Key.Text) {
			return true
		}
	}
	return false
}

func serviceName(u string) string {
	rest := u
	if i := strings.Index(rest, "://"); i >= 0 {
		rest = rest[i+3:]
	}
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	if rest == "" {
		return u
	}
	return rest
}

func properties(set map[string]bool) []cdx.Property {
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]cdx.Property, 0, len(keys))
	for _, k := range keys {
		name, value, _ := strings.Cut(k, "\x00")
		out = append(out, cdx.Property{Name: name, Value: value})
	}
	return out
}

func appendProps(p *[]cdx.Property, more []cdx.Property) *[]cdx.Property {
	var out []cdx.Property
	if p != nil {
		out = append(out, *p...)
	}
	out = append(out, more...)
	return &out
}

// serial is a URN UUID derived from the inventory, so the same configs
// give the same BOM (in the form of a version 4 UUID).
func serial(refs []string) string {
	sum := sha256.Sum256([]byte(strings.Join(refs, "\n")))
	b := sum[:16]
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("urn:uuid:%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
