package checks

import (
	"fmt"
	"time"

	"github.com/mcptether/mcptether/facts"
	"github.com/mcptether/mcptether/launch"
)

// DefaultMinReleaseAge is how old a release must be unless the policy
// file or --min-release-age says otherwise.
const DefaultMinReleaseAge = 7 * 24 * time.Hour

// FreshRelease: the version is younger than the minimum release age, too
// new for malware scanners and the community to have looked at it.
var FreshRelease = &Rule{
	ID:       "fresh-release",
	Severity: Medium,
	Summary:  "the version was published less than min-release-age ago (default 7 days)",
	Tags:     []string{"security", "supply-chain"},
	Check:    checkFreshRelease,
}

func checkFreshRelease(r *Rule, in *Input) []Finding {
	minAge := in.MinReleaseAge
	if minAge <= 0 {
		minAge = DefaultMinReleaseAge
	}
	var out []Finding
	eachPackage(in, func(s *launch.Server, ref launch.Ref, p *facts.Package) {
		if p.Published.IsZero() || in.Now.IsZero() {
			return
		}
		age := in.Now.Sub(p.Published)
		if age >= minAge {
			return
		}
		f := r.at(s, ref.Pos, ref.Name, "%s package %q %s was published %s ago, less than the minimum release age of %s: "+
			"most malicious releases are caught within days; wait, or pin the previous version%s",
			ref.Ecosystem, ref.Name, judged(ref, p), humanAge(age), humanAge(minAge), disabledNote(s))
		f.Package = ref.Name
		out = append(out, f)
	})
	return out
}

func humanAge(d time.Duration) string {
	switch {
	case d < 0:
		return "0 hours"
	case d < 48*time.Hour:
		return fmt.Sprintf("%d hours", int(d.Hours()))
	}
	return fmt.Sprintf("%d days", int(d.Hours()/24))
}
