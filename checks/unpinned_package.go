package checks

import (
	"regexp"
	"strings"

	"github.com/mcptether/mcptether/launch"
)

// UnpinnedPackage: a package launched or declared without one exact version.
var UnpinnedPackage = &Rule{
	ID:       "unpinned-package",
	Severity: High,
	Summary:  "package launched without an exact version: whatever is published next runs",
	Tags:     []string{"security", "supply-chain", "pinning"},
	Check:    checkUnpinnedPackage,
}

var distTag = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9._-]*$`)

func checkUnpinnedPackage(r *Rule, in *Input) []Finding {
	var out []Finding
	eachRef(in, launch.Package, func(s *launch.Server, ref launch.Ref) {
		if ref.Pinned || ref.Templated {
			return
		}
		var why string
		switch {
		case ref.Ecosystem == launch.URL:
			why = "is an archive fetched from a URL, which can serve anything tomorrow: nothing pins its content"
		case ref.Ecosystem == launch.Nix && ref.Version == "":
			why = "comes from the flake registry's " + q(strings.SplitN(ref.Name, "#", 2)[0]) + ", which moves with every update"
		case ref.Ecosystem == launch.MCPB:
			why = "has no fileSha256, so the bundle at that URL can change"
		case ref.Version == "":
			why = "has no version, so " + launcherName(ref) + " runs whatever is latest at launch"
		case distTag.MatchString(ref.Version):
			why = "uses the tag " + q(ref.Version) + ", which moves with every release"
		default:
			why = "uses the range " + q(ref.Version) + ", which admits future releases"
		}
		f := r.at(s, ref.Pos, string(ref.Ecosystem)+":"+ref.Name,
			"%s package %q %s; pin an exact version%s%s", ref.Ecosystem, ref.Name, why, pinHint(ref), disabledNote(s))
		f.Package = ref.Name
		out = append(out, f)
	})
	return out
}

// pinHint shows the pinned form, as the ecosystem's descriptor writes it;
// a manifest's version field needs none.
func pinHint(ref launch.Ref) string {
	hint := launch.Describe(ref.Ecosystem).Hint
	if hint == nil || (ref.Launcher == "manifest" && ref.Ecosystem != launch.Go) {
		return ""
	}
	return " (" + hint(ref) + ")"
}
