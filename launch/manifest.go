package launch

import (
	"strings"

	"github.com/mcptether/mcptether/config"
)

// manifestRef reads a package a manifest declares (server.json packages[],
// package.json). The position is the version when there is one (that is
// what a fix changes), else the identifier.
func manifestRef(p config.Package) Ref {
	reg := strings.ToLower(p.Registry.Text)
	if alt := strings.ToLower(p.AltRegistry.Text); !manifestRegistries[reg] && manifestRegistries[alt] {
		reg = alt
	}
	id := p.Identifier
	ver := p.Version
	pos := id.Pos
	if ver.IsSet() {
		pos = ver.Pos
	}
	var ref Ref
	switch reg {
	case "npm":
		ref = Ref{Kind: Package, Ecosystem: "npm", Name: id.Text, Version: ver.Text, Pinned: isExactSemver(ver.Text), PURL: purl("npm", id.Text, ver.Text)}
	case "pypi":
		ref = pySpec(id, "manifest")
		ref.Version, ref.Pinned = ver.Text, isExactPEP440(ver.Text)
		ref.PURL = purl("pypi", strings.ToLower(pyNormRepl.ReplaceAllString(ref.Name, "-")), ver.Text)
	case "nuget":
		ref = Ref{Kind: Package, Ecosystem: "nuget", Name: id.Text, Version: ver.Text, Pinned: nugetExact.MatchString(ver.Text), PURL: purl("nuget", id.Text, ver.Text)}
	case "cargo":
		ref = Ref{Kind: Package, Ecosystem: "cargo", Name: id.Text, Version: ver.Text, Pinned: isExactSemver(ver.Text), PURL: purl("cargo", id.Text, ver.Text)}
	case "go":
		ref = Ref{Kind: Package, Ecosystem: "golang", Name: id.Text, Version: ver.Text, Pinned: isExactSemver(ver.Text), PURL: purl("golang", id.Text, ver.Text)}
	case "oci", "docker":
		img := id.Text
		if _, _, tag, digest := ParseImage(img); tag == "" && digest == "" && ver.Text != "" {
			img += ":" + ver.Text
		}
		ref = imageRef(config.Value{Text: img}, "manifest")
	case "mcpb":
		ref = Ref{Kind: Package, Ecosystem: "mcpb", Name: id.Text, URL: id.Text, Version: ver.Text,
			Pinned: len(p.FileSHA256.Text) == 64}
		if p.FileSHA256.IsSet() {
			pos = p.FileSHA256.Pos
		}
	default:
		ref = Ref{Kind: Unknown, Name: id.Text, Version: ver.Text, Note: "registry type " + quote(p.Registry.Text) + " is not one mcptether reads"}
	}
	ref.Launcher = "manifest"
	if p.RuntimeHint.Text != "" {
		ref.Launcher = p.RuntimeHint.Text
	}
	ref.Templated = ref.Templated || isTemplate(id.Text) || isTemplate(ver.Text)
	ref.Pos = pos
	// In a manifest, pinning rewrites the version field (when there is one).
	if ver.IsSet() {
		ref = ref.at(ver)
		ref.Option = "version"
	} else {
		ref.SpecOK = false
	}
	return ref
}

// manifestRegistries are the registry types manifestRef reads.
var manifestRegistries = map[string]bool{"npm": true, "pypi": true, "nuget": true, "cargo": true, "go": true, "oci": true, "docker": true, "mcpb": true}
