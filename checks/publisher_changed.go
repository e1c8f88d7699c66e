package checks

import (
	"slices"
	"strconv"
	"strings"

	"github.com/mcptether/mcptether/facts"
	"github.com/mcptether/mcptether/launch"
)

// PublisherChanged: the version was published by a new account, or lost
// the provenance earlier versions had.
var PublisherChanged = &Rule{
	ID:       "publisher-changed",
	Severity: High,
	Summary:  "the version was published by an account that published none of the previous 5, or lost the provenance they had",
	Tags:     []string{"security", "supply-chain", "hijack"},
	Check:    checkPublisherChanged,
}

func checkPublisherChanged(r *Rule, in *Input) []Finding {
	var out []Finding
	eachPackage(in, func(s *launch.Server, ref launch.Ref, p *facts.Package) {
		if len(p.History) == 0 {
			return
		}
		var earlier []string
		attested := false
		for _, h := range p.History {
			if h.Publisher != "" && !slices.Contains(earlier, h.Publisher) {
				earlier = append(earlier, h.Publisher)
			}
			attested = attested || h.Provenance == facts.Yes
		}
		var why string
		switch {
		case p.Publisher != "" && len(earlier) > 0 && !slices.Contains(earlier, p.Publisher):
			why = "was published by " + q(p.Publisher) + ", who published none of the previous " + strconv.Itoa(len(p.History)) +
				" versions (" + strings.Join(earlier, ", ") + ")"
			if attested && p.Provenance == facts.No {
				why += ", and without the provenance they carried"
			}
		case attested && p.Provenance == facts.No:
			why = "has no provenance attestation, though earlier versions were built and attested in CI"
		default:
			return
		}
		f := r.at(s, ref.Pos, ref.Name, "%s package %q %s %s: a hijacked account or token publishes exactly like this; "+
			"pin the last version you trust and check the change%s", ref.Ecosystem, ref.Name, judged(ref, p), why, disabledNote(s))
		f.Package = ref.Name
		out = append(out, f)
	})
	return out
}
