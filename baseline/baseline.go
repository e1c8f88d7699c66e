// Package baseline records the findings of a rollout's first scan so later
// scans report only what is new.
package baseline

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/mcptether/mcptether/checks"
)

// Version of the baseline file format.
const Version = 1

type file struct {
	Version  int     `json:"version"`
	Findings []entry `json:"findings"`
}

// entry keeps enough beside the fingerprint for a person to read the file.
type entry struct {
	Fingerprint string `json:"fingerprint"`
	Rule        string `json:"rule"`
	File        string `json:"file"`
	Message     string `json:"message"`
}

// Write records the unsuppressed findings.
func Write(w io.Writer, findings []checks.Finding) error {
	out := file{Version: Version, Findings: []entry{}}
	for _, f := range findings {
		if f.Suppression == nil {
			out.Findings = append(out.Findings, entry{f.Fingerprint, f.RuleID, f.File, f.Message})
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// Load reads a baseline file into a set of fingerprints.
func Load(path string) (map[string]bool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read the baseline: %w", err)
	}
	var b file
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("%s is not a baseline file: %w", path, err)
	}
	if b.Version != Version {
		return nil, fmt.Errorf("%s: baseline version %d, this mcptether reads version %d", path, b.Version, Version)
	}
	set := map[string]bool{}
	for _, e := range b.Findings {
		set[e.Fingerprint] = true
	}
	return set, nil
}
