// Package checks holds the rules. Each rule is one file named after its id,
// a pure function of the parsed configs and decoded launches.
package checks

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/mcptether/mcptether/config"
	"github.com/mcptether/mcptether/facts"
	"github.com/mcptether/mcptether/internal/safetext"
	"github.com/mcptether/mcptether/launch"
	"github.com/mcptether/mcptether/policy"
)

// Severity of a finding.
type Severity int

// Severities, lowest first.
const (
	Note Severity = iota
	Low
	Medium
	High
	Critical
)

var severityNames = []string{"note", "low", "medium", "high", "critical"}

func (s Severity) String() string {
	if s < Note || s > Critical {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return severityNames[s]
}

// ParseSeverity reads a severity name.
func ParseSeverity(name string) (Severity, error) {
	for i, n := range severityNames {
		if strings.EqualFold(name, n) {
			return Severity(i), nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q: use one of %s", name, strings.Join(severityNames, ", "))
}

// DocsBase is where rule docs are published; a rule's doc is DocsBase +
// id + ".md", so every rule has a help URL by construction.
const DocsBase = "https://github.com/mcptether/mcptether/blob/main/docs/rules/"

// Rule is one check.
type Rule struct {
	ID string
	// Name is the rule's PascalCase name for SARIF; empty derives it from
	// the id ("unpinned-package" → "UnpinnedPackage"). A one-word id needs
	// one of its own: SARIF wants a name that differs from the id.
	Name     string
	Severity Severity // default; a finding may raise or lower it
	Summary  string   // one line, for `mcptether rules` and SARIF
	Tags     []string
	Check    func(r *Rule, in *Input) []Finding
}

// PascalName is the rule's name for SARIF.
func (r *Rule) PascalName() string {
	if r.Name != "" {
		return r.Name
	}
	var b strings.Builder
	for _, part := range strings.Split(r.ID, "-") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

// DocURL is the rule's documentation page.
func (r *Rule) DocURL() string { return DocsBase + r.ID + ".md" }

// Input is what rules judge.
type Input struct {
	Files   []*config.File
	Servers []*launch.Server
	// Facts are what the registries said; nil when offline, and rules
	// that need them then find nothing.
	Facts *facts.Facts
	// Policy is the policy file in force, if any; Now is the clock it is
	// judged by.
	Policy *policy.Policy
	Now    time.Time
	// MinReleaseAge is how old a release must be (fresh-release); 0 means
	// DefaultMinReleaseAge.
	MinReleaseAge time.Duration
	// TrustedRev is the revision suppressions are judged against
	// (--policy-rev), "" for none; AddedSuppressions are the baseline
	// entries the change added.
	TrustedRev        string
	AddedSuppressions []AddedSuppression
}

// Finding is one problem at one place.
type Finding struct {
	RuleID   string     `json:"rule"`
	Severity Severity   `json:"-"`
	Message  string     `json:"message"`
	File     string     `json:"file"`
	Pos      config.Pos `json:"-"`
	Server   string     `json:"server,omitempty"`
	// Subject names what the finding is about (a package, an env key), for
	// fingerprints; never a secret.
	Subject string `json:"subject,omitempty"`
	// Package is the package, image or repository concerned, if any: what
	// a policy ignore's "package" matches.
	Package     string `json:"package,omitempty"`
	Fingerprint string `json:"fingerprint"`
	// Suppression is set when an ignore covers the finding.
	Suppression *Suppression `json:"-"`
	// Baseline is the state against a baseline file, when one was given.
	Baseline BaselineState `json:"-"`
}

// at builds a finding for rule r at pos in server s.
func (r *Rule) at(s *launch.Server, pos config.Pos, subject, format string, args ...any) Finding {
	return Finding{RuleID: r.ID, Severity: r.Severity, Message: fmt.Sprintf(format, args...),
		File: s.File, Pos: pos, Server: s.Name.Text, Subject: subject}
}

// Run applies rules and returns their findings sorted by place, each with
// a fingerprint that survives unrelated edits (it names the rule, file,
// server and subject, not the line).
func Run(rules []*Rule, in *Input) []Finding {
	var out []Finding
	for _, r := range rules {
		out = append(out, r.Check(r, in)...)
	}
	for i := range out {
		// Server names and the values quoted in messages come from the
		// config or a registry: they may be megabytes long, and may hold
		// a newline and a workflow command meant for a CI log.
		out[i].Server = safetext.Line(launch.Clip(out[i].Server))
		// Every report gives 1-based places; a file-level finding may have
		// none, and gets the file's start.
		out[i].Pos.Line, out[i].Pos.Col = max(out[i].Pos.Line, 1), max(out[i].Pos.Col, 1)
		out[i].Message = safetext.Line(launch.ClipTo(out[i].Message, maxMessage))
	}
	slices.SortStableFunc(out, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Pos.Line, b.Pos.Line),
			cmp.Compare(a.Pos.Col, b.Pos.Col), cmp.Compare(a.RuleID, b.RuleID), cmp.Compare(a.Message, b.Message))
	})
	seen := map[string]int{}
	for i := range out {
		f := &out[i]
		key := strings.Join([]string{f.RuleID, f.File, f.Server, f.Subject}, "\x00")
		n := seen[key]
		seen[key]++
		sum := sha256.Sum256(fmt.Appendf(nil, "%s\x00%d", key, n))
		f.Fingerprint = hex.EncodeToString(sum[:16])
	}
	return out
}

// maxMessage bounds a finding's message; messages are a sentence or two.
const maxMessage = 2000

// Lookup returns the rule with id, or nil.
func Lookup(id string) *Rule {
	for _, r := range All {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// disabledNote marks findings in entries the host will not start today.
func disabledNote(s *launch.Server) string {
	if s.Disabled {
		return " (the entry is disabled, but one click enables it)"
	}
	return ""
}

// q quotes a name for a message.
func q(s string) string { return `"` + s + `"` }

// launcherName is what installs a reference, for messages.
func launcherName(ref launch.Ref) string {
	if ref.Launcher == "" || ref.Launcher == "manifest" {
		return "the installer"
	}
	return ref.Launcher
}
