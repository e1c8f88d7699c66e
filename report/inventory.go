package report

import (
	"github.com/mcptether/mcptether/facts"
	"github.com/mcptether/mcptether/launch"
	"github.com/package-url/packageurl-go"
)

// VersionOf is the version an inventory records for a reference: as
// pinned, else as the registry resolved it today, else as written (a
// range or tag); source says which ("pinned", "resolved", "unpinned").
func VersionOf(ref launch.Ref, fs *facts.Facts) (version, source string) {
	switch {
	case ref.Pinned:
		return ref.Version, "pinned"
	}
	if p := fs.Package(ref); p != nil && p.Version != "" {
		return p.Version, "resolved"
	}
	return ref.Version, "unpinned"
}

// PURLAt is the reference's package URL with version set (none when
// version is "").
func PURLAt(ref launch.Ref, version string) string {
	pu, err := packageurl.FromString(ref.PURL)
	if err != nil {
		return ref.PURL
	}
	pu.Version = version
	return pu.ToString()
}
