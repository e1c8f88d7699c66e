// Package report renders a scan's results as text, JSON or GitHub
// workflow annotations. SARIF lives in package sarif.
package report

import (
	"github.com/mcptether/mcptether/checks"
	"github.com/mcptether/mcptether/config"
	"github.com/mcptether/mcptether/launch"
)

// Result is everything a scan produced; every reporter renders this one
// model.
type Result struct {
	Version  string
	Offline  bool
	Files    []*config.File
	Servers  []*launch.Server
	Findings []checks.Finding
	Warnings []string
	Listed   int // files seen while walking
}

// Counts returns the number of findings per severity.
func (r *Result) Counts() map[checks.Severity]int {
	c := map[checks.Severity]int{}
	for _, f := range r.Findings {
		c[f.Severity]++
	}
	return c
}
