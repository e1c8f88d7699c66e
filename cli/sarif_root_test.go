package cli

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"testing"
)

type sarifURIs struct {
	Runs []struct {
		Bases   map[string]struct{ URI string } `json:"originalUriBaseIds"`
		Results []struct {
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI       string `json:"uri"`
						URIBaseID string `json:"uriBaseId"`
					} `json:"artifactLocation"`
				} `json:"physicalLocation"`
			} `json:"locations"`
		} `json:"results"`
	} `json:"runs"`
}

// A tree outside the working directory: URIs relative to its git root,
// which originalUriBaseIds names as an absolute file: URI; in Actions the
// root is GITHUB_WORKSPACE.
func TestSARIFURIsAreRelativeToTheRepositoryRoot(t *testing.T) {
	tree, elsewhere := t.TempDir(), t.TempDir()
	writeFiles(t, tree, map[string]string{".git/HEAD": "ref: refs/heads/main\n", "svc/.cursor/mcp.json": unpinnedAcme})
	t.Chdir(elsewhere)
	for _, c := range []struct {
		name, scan, workspace, wantURI, wantRoot string
	}{
		{"git root above the scanned folder", filepath.Join(tree, "svc"), "", "svc/.cursor/mcp.json", tree},
		{"the workspace in Actions", filepath.Join(tree, "svc"), filepath.Join(tree, "svc"), ".cursor/mcp.json", filepath.Join(tree, "svc")},
	} {
		env := map[string]string{"MCPTETHER_OFFLINE": "true", "GITHUB_WORKSPACE": c.workspace}
		stdout, stderr, code := runIn(t, env, "scan", "--format", "sarif", c.scan)
		if code != ExitFindings {
			t.Fatalf("%s: exit %d: %s", c.name, code, stderr)
		}
		var doc sarifURIs
		if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
			t.Fatal(err)
		}
		run := doc.Runs[0]
		loc := run.Results[0].Locations[0].PhysicalLocation.ArtifactLocation
		if loc.URI != c.wantURI || loc.URIBaseID != "%SRCROOT%" {
			t.Errorf("%s: uri %q base %q, want %q under %%SRCROOT%%", c.name, loc.URI, loc.URIBaseID, c.wantURI)
		}
		u, err := url.Parse(run.Bases["%SRCROOT%"].URI)
		if err != nil || u.Scheme != "file" || filepath.Clean(filepath.FromSlash(u.Path)) != filepath.Clean(c.wantRoot) {
			t.Errorf("%s: %%SRCROOT%% = %q, want %s", c.name, run.Bases["%SRCROOT%"].URI, c.wantRoot)
		}
		if _, err := os.Stat(filepath.Join(c.wantRoot, filepath.FromSlash(loc.URI))); err != nil {
			t.Errorf("%s: root + uri names no file: %v", c.name, err)
		}
	}
}
