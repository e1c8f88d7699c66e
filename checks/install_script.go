package checks

import (
	"strings"

	"github.com/mcptether/mcptether/facts"
	"github.com/mcptether/mcptether/launch"
)

// InstallScript: the npm version runs code at install time.
var InstallScript = &Rule{
	ID:       "install-script",
	Severity: Medium,
	Summary:  "the npm version runs a preinstall, install or postinstall script",
	Tags:     []string{"security", "supply-chain"},
	Check:    checkInstallScript,
}

func checkInstallScript(r *Rule, in *Input) []Finding {
	var out []Finding
	eachPackage(in, func(s *launch.Server, ref launch.Ref, p *facts.Package) {
		if len(p.Scripts) == 0 {
			return
		}
		f := r.at(s, ref.Pos, ref.Name, "npm package %q %s runs %s at install time, before the server starts and with the user's rights; "+
			"review the script, or pin a version without one%s", ref.Name, judged(ref, p), strings.Join(p.Scripts, ", "), disabledNote(s))
		f.Package = ref.Name
		out = append(out, f)
	})
	return out
}
