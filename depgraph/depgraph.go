// Package depgraph builds a snapshot for GitHub's dependency submission
// API: one manifest per config file, holding the packages its servers
// run, so the dependency graph, the organisation's SBOM export and
// Dependabot alerts cover MCP servers too.
package depgraph

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"time"

	"github.com/mcptether/mcptether/launch"
	"github.com/mcptether/mcptether/report"
)

// Job identifies the workflow run that submits (GitHub's environment).
type Job struct {
	Correlator string // workflow and job: snapshots with the same one replace each other
	ID         string // the run id
	HTMLURL    string
	SHA        string // the commit scanned
	Ref        string // refs/heads/main, refs/pull/1/merge
}

// JobFromEnv reads the job from a GitHub Actions environment.
func JobFromEnv(getenv func(string) string) Job {
	j := Job{
		Correlator: "mcptether " + getenv("GITHUB_WORKFLOW") + " " + getenv("GITHUB_JOB"),
		ID:         getenv("GITHUB_RUN_ID"),
		SHA:        getenv("GITHUB_SHA"),
		Ref:        getenv("GITHUB_REF"),
	}
	if s, r, id := getenv("GITHUB_SERVER_URL"), getenv("GITHUB_REPOSITORY"), getenv("GITHUB_RUN_ID"); s != "" && r != "" && id != "" {
		j.HTMLURL = strings.TrimRight(s, "/") + "/" + r + "/actions/runs/" + id
	}
	return j
}

type snapshot struct {
	Version   int                 `json:"version"`
	Job       job                 `json:"job"`
	SHA       string              `json:"sha"`
	Ref       string              `json:"ref"`
	Detector  detector            `json:"detector"`
	Scanned   string              `json:"scanned"`
	Manifests map[string]manifest `json:"manifests"`
}

type job struct {
	Correlator string `json:"correlator"`
	ID         string `json:"id"`
	HTMLURL    string `json:"html_url,omitempty"`
}

type detector struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	URL     string `json:"url"`
}

type manifest struct {
	Name     string              `json:"name"`
	File     file                `json:"file"`
	Resolved map[string]resolved `json:"resolved"`
}

type file struct {
	SourceLocation string `json:"source_location"`
}

type resolved struct {
	PackageURL   string `json:"package_url"`
	Relationship string `json:"relationship"`
	Scope        string `json:"scope"`
}

// Snapshot is the request body for POST
// /repos/{owner}/{repo}/dependency-graph/snapshots.
func Snapshot(r *report.Result, j Job) ([]byte, error) {
	s := snapshot{
		Job:       job{Correlator: j.Correlator, ID: j.ID, HTMLURL: j.HTMLURL},
		SHA:       j.SHA,
		Ref:       j.Ref,
		Detector:  detector{Name: "mcptether", Version: r.Version, URL: "https://github.com/mcptether/mcptether"},
		Scanned:   r.Generated.UTC().Format(time.RFC3339),
		Manifests: map[string]manifest{},
	}
	for _, srv := range r.Servers {
		path := repoPath(r, srv.File)
		for _, ref := range srv.Refs {
			if ref.PURL == "" || (ref.Kind != launch.Package && ref.Kind != launch.Image && ref.Kind != launch.Git) {
				continue
			}
			m, ok := s.Manifests[path]
			if !ok {
				m = manifest{Name: path, File: file{SourceLocation: path}, Resolved: map[string]resolved{}}
				s.Manifests[path] = m
			}
			version, _ := report.VersionOf(ref, r.Facts)
			purl := report.PURLAt(ref, version)
			if ref.Kind == launch.Image {
				// An image's version is its digest: as pinned, else what
				// the tag points at today.
				digest := ref.Digest
				if p := r.Facts.Package(ref); digest == "" && p != nil {
					digest = p.Digest
				}
				purl = report.PURLAt(ref, digest)
			}
			m.Resolved[report.PURLAt(ref, "")] = resolved{PackageURL: purl, Relationship: "direct", Scope: "runtime"}
		}
	}
	return json.Marshal(s)
}

// repoPath is a config's path from the repository root, as the
// dependency graph shows manifests.
func repoPath(r *report.Result, p string) string {
	abs := filepath.FromSlash(p)
	if !filepath.IsAbs(abs) && r.Base != "" {
		abs = filepath.Join(r.Base, abs)
	}
	if r.Root != "" {
		if rel, err := filepath.Rel(r.Root, abs); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(p)
}
