package launch

import (
	"fmt"
	"regexp"
	"strings"
)

// Ecosystem names where a package comes from.
type Ecosystem string

// The ecosystems references name.
const (
	NPM    Ecosystem = "npm"
	PyPI   Ecosystem = "pypi"
	Go     Ecosystem = "golang"
	NuGet  Ecosystem = "nuget"
	Cargo  Ecosystem = "cargo"
	JSR    Ecosystem = "jsr"
	OCI    Ecosystem = "oci"
	MCPB   Ecosystem = "mcpb"
	Nix    Ecosystem = "nix"
	URL    Ecosystem = "url"
	GitHub Ecosystem = "github"
	GitAny Ecosystem = "git" // a git host other than GitHub
)

// Descriptor is what is known of an ecosystem apart from its registry
// (resolve has one lookup per registry): its name in OSV, which part of a
// name its publisher controls, and how a pinned version is written.
type Descriptor struct {
	// OSV is the ecosystem's name in OSV; "" when OSV has none.
	OSV string
	// Scope splits a lower-cased name into the part only its publisher can
	// publish under (an npm scope, an image namespace, a Go module's
	// host/owner) and the rest.
	Scope func(name string) (scope, bare string)
	// Spec writes version into the reference's spec as its launcher reads
	// it; nil when pin does not rewrite this ecosystem.
	Spec func(ref Ref, version string) (string, error)
	// Hint shows the pinned form in messages ("pkg@X.Y.Z"); "" for none.
	Hint func(ref Ref) string
}

// Ecosystems describes each ecosystem; an unknown one has none.
var Ecosystems = map[Ecosystem]*Descriptor{
	NPM: {OSV: "npm", Scope: npmScope, Spec: npmPinned, Hint: func(r Ref) string { return r.Name + "@X.Y.Z" }},
	PyPI: {OSV: "PyPI", Scope: func(n string) (string, string) { return "", NormalizePyPI(n) }, Spec: pypiPinned,
		Hint: func(r Ref) string { return r.Name + "==X.Y.Z" }},
	Go:    {OSV: "Go", Scope: lastSlash, Spec: namePinned, Hint: func(r Ref) string { return r.Name + "@vX.Y.Z" }},
	NuGet: {OSV: "NuGet", Scope: noScope, Spec: namePinned},
	Cargo: {OSV: "crates.io", Scope: noScope},
	OCI:   {Scope: lastSlash},
	URL:   {Scope: noScope, Hint: urlHint},
	Nix:   {Scope: noScope, Hint: func(Ref) string { return "a flake reference with ?rev=<commit>, or a pinned nixpkgs input" }},
}

// urlHint: uv and pip check a #sha256= fragment; npm checks nothing.
func urlHint(r Ref) string {
	if strings.HasPrefix(r.Launcher, "uv") || strings.HasPrefix(r.Launcher, "pipx") {
		return "append #sha256=<the archive's hash>, which uv and pip check, or install a registry release"
	}
	return "install a registry release instead: npm does not check a tarball URL's content"
}

// Describe returns the ecosystem's descriptor, or one that knows nothing.
func Describe(e Ecosystem) *Descriptor {
	if d := Ecosystems[e]; d != nil {
		return d
	}
	return &Descriptor{Scope: noScope}
}

func noScope(name string) (string, string) { return "", name }

func npmScope(name string) (string, string) {
	if strings.HasPrefix(name, "@") {
		if s, b, ok := strings.Cut(name, "/"); ok {
			return s, b
		}
	}
	return "", name
}

// lastSlash: an image's host/namespace, a Go module's host/owner/….
func lastSlash(name string) (string, string) {
	if i := strings.LastIndex(name, "/"); i >= 0 {
		return name[:i], name[i+1:]
	}
	return "", name
}

// NormalizePyPI folds a PyPI name as the index does (PEP 503).
func NormalizePyPI(name string) string {
	return strings.ToLower(strings.NewReplacer("_", "-", ".", "-").Replace(name))
}

// A manifest's version field, or dnx's --version value, holds the version
// alone.
func bareVersion(ref Ref) bool { return ref.Option == "version" || ref.Option == "--version" }

func npmPinned(ref Ref, v string) (string, error) {
	if bareVersion(ref) {
		return v, nil
	}
	spec := ref.Spec
	if ref.Version != "" {
		spec = strings.TrimSuffix(spec, "@"+ref.Version)
	}
	return spec + "@" + v, nil
}

var pyRequirementName = regexp.MustCompile(`^\s*([A-Za-z0-9][A-Za-z0-9._-]*(\[[^\]]*\])?)`)

func pypiPinned(ref Ref, v string) (string, error) {
	if bareVersion(ref) {
		return v, nil
	}
	m := pyRequirementName.FindStringSubmatch(ref.Spec)
	if m == nil {
		return "", fmt.Errorf("cannot read the requirement %q", ref.Spec)
	}
	op := "=="
	if (ref.Launcher == "uvx" || ref.Launcher == "uv tool run") && ref.Option == "" {
		op = "@" // uvx documents pkg@version for the command's package
	}
	return m[1] + op + v, nil
}

func namePinned(ref Ref, v string) (string, error) {
	if bareVersion(ref) {
		return v, nil
	}
	return ref.Name + "@" + v, nil
}
