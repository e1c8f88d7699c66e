package checks

import (
	"github.com/mcptether/mcptether/facts"
	"github.com/mcptether/mcptether/launch"
)

// MaliciousPackage: an OSV MAL- advisory covers the package or version.
var MaliciousPackage = &Rule{
	ID:       "malicious-package",
	Severity: Critical,
	Summary:  "an OSV malicious-package advisory (MAL-*) covers the package or version",
	Tags:     []string{"security", "supply-chain", "malware"},
	Check:    checkMaliciousPackage,
}

func checkMaliciousPackage(r *Rule, in *Input) []Finding {
	var out []Finding
	eachPackage(in, func(s *launch.Server, ref launch.Ref, p *facts.Package) {
		for _, a := range p.Advisories {
			if !a.Malicious {
				continue
			}
			summary := a.Summary
			if summary == "" {
				summary = "malicious code"
			}
			f := r.at(s, ref.Pos, ref.Name+" "+a.ID, "%s package %q %s is malware according to %s (%s): remove the server now, "+
				"and treat machines that ran it as compromised (rotate the credentials they held)%s",
				ref.Ecosystem, ref.Name, judged(ref, p), a.ID, summary, disabledNote(s))
			f.Package = ref.Name
			out = append(out, f)
		}
	})
	return out
}
