package scan

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/mcptether/mcptether/checks"
	"github.com/mcptether/mcptether/internal/gitrun"
	"github.com/mcptether/mcptether/policy"
)

// loadPolicies reads the org policies, then the repository's (from the
// working tree, or from --policy-rev), and layers them.
func loadPolicies(o *Options) (*policy.Policy, error) {
	ids := make([]string, 0, len(checks.All))
	for _, r := range checks.All {
		ids = append(ids, r.ID)
	}
	var orgs []*policy.Policy
	for _, path := range o.OrgPolicies {
		p, err := policy.Load(path, ids, o.trees()...)
		if err != nil {
			return nil, err
		}
		orgs = append(orgs, p)
	}
	repo, err := repoPolicy(o, ids)
	if err != nil {
		return nil, err
	}
	defaultSeverity := func(id string) string {
		for _, r := range checks.All {
			if r.ID == id {
				return r.Severity.String()
			}
		}
		return ""
	}
	rank := func(s string) int {
		sev, _ := checks.ParseSeverity(s)
		return int(sev)
	}
	return policy.Layer(orgs, repo, defaultSeverity, rank), nil
}

// policyCandidates are where the repository's policy may be: the named
// file, or .mcptether.yml in the working directory or the first scanned
// directory.
func policyCandidates(explicit string, paths []string) []string {
	if explicit != "" {
		return []string{explicit}
	}
	dirs := []string{"."}
	if len(paths) > 0 {
		if fi, err := os.Stat(paths[0]); err == nil && fi.IsDir() && filepath.Clean(paths[0]) != "." {
			dirs = append(dirs, paths[0])
		}
	}
	var out []string
	for _, d := range dirs {
		for _, n := range policy.Names {
			out = append(out, filepath.Join(d, n))
		}
	}
	return out
}

func repoPolicy(o *Options, ids []string) (*policy.Policy, error) {
	if o.PolicyRev != "" {
		return policyAtRev(o.PolicyRev, policyCandidates(o.Policy, o.Paths), o.Policy != "", ids)
	}
	path := o.Policy
	if path == "" {
		path = policy.Find(".")
		if path == "" && len(o.Paths) > 0 {
			if fi, err := os.Stat(o.Paths[0]); err == nil && fi.IsDir() {
				path = policy.Find(o.Paths[0])
			}
		}
	}
	if path == "" {
		return nil, nil
	}
	return policy.Load(path, ids, o.trees()...)
}

// maxBlob bounds a file read from git, as every other read is bounded.
const maxBlob = 32 << 20

// policyAtRev reads the first candidate that exists at rev. A revision
// without a policy file means no repository policy: the working tree's,
// which the pull request may have written, is not used.
func policyAtRev(rev string, candidates []string, explicit bool, ids []string) (*policy.Policy, error) {
	r, err := openRev(rev)
	if err != nil {
		return nil, err
	}
	for _, c := range candidates {
		data, ok, err := r.blob(c)
		if err != nil {
			return nil, fmt.Errorf("--policy-rev: the policy file %s: %w", c, err)
		}
		if !ok {
			continue
		}
		p, err := policy.Parse(c, data, ids)
		if err != nil {
			return nil, err
		}
		abs, _ := filepath.Abs(c)
		p.Dir = filepath.Dir(abs)
		p.Sources[0].Rev = rev
		return p, nil
	}
	if explicit {
		return nil, fmt.Errorf("--policy-rev %s: %s does not exist at that revision", rev, candidates[0])
	}
	return nil, nil
}

// revision reads files as a trusted git revision holds them, through git
// itself (git cat-file: the blob as committed, no filters).
type revision struct {
	rev, top string
}

func openRev(rev string) (*revision, error) {
	if rev == "" || strings.HasPrefix(rev, "-") || strings.ContainsAny(rev, " \t\r\n:\x00") {
		return nil, fmt.Errorf("--policy-rev %q is not a revision", rev)
	}
	top, err := git("", "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, fmt.Errorf("--policy-rev needs a git work tree: %w", err)
	}
	root := strings.TrimSpace(string(top))
	if _, err := git(root, "rev-parse", "--verify", "--quiet", rev+"^{commit}"); err != nil {
		return nil, fmt.Errorf("--policy-rev %s: not a commit in this repository (fetch it first)", rev)
	}
	return &revision{rev: rev, top: root}, nil
}

// blob is the file at path (absolute, or relative to the working
// directory) as rev holds it; ok is false when rev has no such file.
func (r *revision) blob(path string) (data []byte, ok bool, err error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, false, err
	}
	if real, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		abs = filepath.Join(real, filepath.Base(abs))
	}
	rel, err := filepath.Rel(r.top, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return nil, false, errors.New("it is outside the repository")
	}
	data, err = git(r.top, "cat-file", "blob", r.rev+":"+filepath.ToSlash(rel))
	if errors.Is(err, gitrun.ErrTooLarge) {
		return nil, false, err
	}
	if err != nil {
		return nil, false, nil // not there at rev
	}
	return data, true, nil
}

// git runs git with args in dir and returns its standard output, at most
// maxBlob bytes.
func git(dir string, args ...string) ([]byte, error) {
	return gitrun.Output(dir, maxBlob, args...)
}

// hasRev: a policy was read from a git revision.
func hasRev(p *policy.Policy) bool {
	if p == nil {
		return false
	}
	for _, s := range p.Sources {
		if s.Rev != "" {
			return true
		}
	}
	return false
}
