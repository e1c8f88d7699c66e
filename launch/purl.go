package launch

import (
	"strings"

	"github.com/package-url/packageurl-go"
)

// purl builds a package URL; name may carry a namespace ("@scope/x",
// "github.com/o/r", "owner/repo").
func purl(typ, name, version string) string {
	if name == "" || isTemplate(name) {
		return ""
	}
	ns := ""
	if i := strings.LastIndex(name, "/"); i >= 0 {
		ns, name = name[:i], name[i+1:]
	}
	return packageurl.NewPackageURL(typ, ns, name, version, nil, "").ToString()
}

func imagePURL(host, repo, tag, digest string) string {
	if isTemplate(repo) {
		return ""
	}
	name := repo[strings.LastIndex(repo, "/")+1:]
	q := packageurl.Qualifiers{{Key: "repository_url", Value: host + "/" + repo}}
	if tag != "" && !isTemplate(tag) {
		q = append(q, packageurl.Qualifier{Key: "tag", Value: tag})
	}
	return packageurl.NewPackageURL("oci", "", strings.ToLower(name), digest, q, "").ToString()
}
