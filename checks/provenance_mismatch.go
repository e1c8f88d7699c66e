package checks

import (
	"github.com/mcptether/mcptether/facts"
	"github.com/mcptether/mcptether/launch"
)

// ProvenanceMismatch: the identities a server claims disagree: its
// manifest, its package's metadata, its image's label, its attestation.
var ProvenanceMismatch = &Rule{
	ID:       "provenance-mismatch",
	Severity: High,
	Summary:  "the server's identities disagree: manifest repository or name vs the package's, the image label or the provenance attestation",
	Tags:     []string{"security", "supply-chain", "provenance"},
	Check:    checkProvenanceMismatch,
}

func checkProvenanceMismatch(r *Rule, in *Input) []Finding {
	var out []Finding
	eachPackage(in, func(s *launch.Server, ref launch.Ref, p *facts.Package) {
		add := func(subject, format string, args ...any) {
			f := r.at(s, ref.Pos, subject, format+disabledNote(s), args...)
			f.Package = ref.Name
			out = append(out, f)
		}
		manifest := facts.NormalizeRepo(s.Repository.Text)
		switch {
		case manifest != "" && p.Repository != "" && !sameRepo(in.Facts, manifest, p.Repository):
			add(ref.Name+" repository", "the manifest names the repository %s, but %s %q declares %s (%s): one of them is not who it claims to be; "+
				"make them agree before trusting either", manifest, ref.Ecosystem, ref.Name, p.Repository, p.RepositoryFrom)
		}
		if s.Manifest && p.MCPName != "" && p.MCPName != s.Name.Text {
			add(ref.Name+" name", "the manifest is named %q, but %s %q says it is %q: the package is not the server this manifest describes",
				s.Name.Text, ref.Ecosystem, ref.Name, p.MCPName)
		}
		if p.ProvenanceRepo != "" && p.Repository != "" && !sameRepo(in.Facts, p.ProvenanceRepo, p.Repository) {
			add(ref.Name+" attestation", "%s %q %s was built from %s according to its provenance attestation, but declares %s: "+
				"the published code did not come from the repository it points reviewers at", ref.Ecosystem, ref.Name, judged(ref, p), p.ProvenanceRepo, p.Repository)
		}
	})
	return out
}
