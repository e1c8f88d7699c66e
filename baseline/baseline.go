// Package baseline records the findings of a rollout's first scan so later
// scans report only what is new.
package baseline

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/mcptether/mcptether/checks"
	"github.com/mcptether/mcptether/internal/safefile"
	"github.com/mcptether/mcptether/internal/safetext"
)

// Version of the baseline file format.
const Version = 1

// MaxSize bounds a baseline read: a finding takes a few hundred bytes.
const MaxSize = 64 << 20

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

// Load reads the baseline file at path as a config is read (inside
// trees, a regular file, bounded) into a set of fingerprints.
func Load(path string, trees ...string) (map[string]bool, error) {
	data, err := safefile.ReadNamed(path, MaxSize, trees...)
	if err != nil {
		return nil, fmt.Errorf("cannot read the baseline %s: %w", path, err)
	}
	return Parse(path, data)
}

// Parse reads a baseline's content into a set of fingerprints. Errors
// never quote the content.
func Parse(path string, data []byte) (map[string]bool, error) {
	b, err := decode(path, data)
	if err != nil {
		return nil, err
	}
	set := map[string]bool{}
	for _, e := range b.Findings {
		set[e.Fingerprint] = true
	}
	return set, nil
}

func decode(path string, data []byte) (*file, error) {
	var b file
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("%s is not a baseline file: %s", path, safetext.ContentFree(err.Error()))
	}
	if b.Version != Version {
		return nil, fmt.Errorf("%s: baseline version %d, this mcptether reads version %d", path, b.Version, Version)
	}
	return &b, nil
}

// Added lists the entries of data (a baseline as a change left it) that
// are not in trusted (the baseline at a trusted revision), each with the
// line its fingerprint is written on.
func Added(path string, data []byte, trusted map[string]bool) ([]checks.AddedSuppression, error) {
	b, err := decode(path, data)
	if err != nil {
		return nil, err
	}
	var out []checks.AddedSuppression
	for _, e := range b.Findings {
		if trusted[e.Fingerprint] || e.Fingerprint == "" {
			continue
		}
		line := 1
		if i := bytes.Index(data, []byte(`"`+e.Fingerprint+`"`)); i >= 0 {
			line += bytes.Count(data[:i], []byte("\n"))
		}
		out = append(out, checks.AddedSuppression{File: path, Line: line, Rule: e.Rule, Subject: e.Fingerprint, In: "baseline"})
	}
	return out, nil
}
