package checks

// BaselineState is a finding's state against a baseline file, in SARIF's
// terms; empty when no baseline was given.
type BaselineState string

// Baseline states.
const (
	BaselineNew       BaselineState = "new"
	BaselineUnchanged BaselineState = "unchanged"
)

// Suppression says why a finding is not reported, in SARIF's terms.
type Suppression struct {
	Kind          string // "inSource" (a comment in the config) or "external" (the policy file)
	Justification string
	// File and Line locate the ignore: the comment, or the policy entry.
	File string
	Line int
}
