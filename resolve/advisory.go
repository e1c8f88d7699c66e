package resolve

import (
	"slices"
	"strings"

	"github.com/mcptether/mcptether/facts"
)

// osvAffected is one affected entry of an OSV record, as both the API and
// the offline databases give it.
type osvAffected struct {
	Package struct {
		Ecosystem string `json:"ecosystem"`
		Name      string `json:"name"`
	} `json:"package"`
	Versions []string `json:"versions"`
	Ranges   []struct {
		Type   string              `json:"type"`
		Events []map[string]string `json:"events"`
	} `json:"ranges"`
}

// osvRecord is the part of an OSV record the rules read.
type osvRecord struct {
	ID        string   `json:"id"`
	Summary   string   `json:"summary"`
	Aliases   []string `json:"aliases"`
	Withdrawn string   `json:"withdrawn"`
	Severity  []struct {
		Type  string `json:"type"`
		Score string `json:"score"`
	} `json:"severity"`
	DatabaseSpecific struct {
		Severity any `json:"severity"`
	} `json:"database_specific"`
	Affected []osvAffected `json:"affected"`
}

// normName compares package names as the ecosystem does.
func normName(eco, s string) string {
	if eco == "PyPI" {
		return strings.ToLower(strings.NewReplacer("_", "-", ".", "-").Replace(s))
	}
	return s
}

// advisory is what a record says about one package version: Fixed is the
// lowest fixed version above it (else the lowest there is).
func (rec *osvRecord) advisory(eco, name, version string) facts.Advisory {
	a := facts.Advisory{ID: rec.ID, Summary: rec.Summary, Aliases: rec.Aliases, Malicious: strings.HasPrefix(rec.ID, "MAL-")}
	for _, s := range rec.Severity {
		if s.Type == "CVSS_V3" || s.Type == "CVSS_V4" {
			a.CVSS = append(a.CVSS, s.Score)
		}
	}
	if w, ok := rec.DatabaseSpecific.Severity.(string); ok {
		a.Severity = w
	}
	for _, af := range rec.Affected {
		if af.Package.Ecosystem != eco || normName(eco, af.Package.Name) != normName(eco, name) {
			continue
		}
		var fixed []string
		for _, r := range af.Ranges {
			for _, e := range r.Events {
				if f := e["fixed"]; f != "" {
					fixed = append(fixed, f)
				}
			}
		}
		slices.SortFunc(fixed, func(x, y string) int { return compareVersions(eco, x, y) })
		for _, f := range fixed {
			if a.Fixed == "" || compareVersions(eco, f, version) > 0 {
				a.Fixed = f
				if compareVersions(eco, f, version) > 0 {
					break
				}
			}
		}
		break
	}
	return a
}
