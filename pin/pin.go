// Package pin rewrites unpinned references to exact versions, image
// digests and commit SHAs, editing only the bytes of each value so every
// comment, indent, quote, BOM and line ending stays as it was.
package pin

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/mcptether/mcptether/config"
	"github.com/mcptether/mcptether/facts"
	"github.com/mcptether/mcptether/launch"
)

// Source is what pinning asks the registries (resolve.Resolver).
type Source interface {
	Candidates(ctx context.Context, ref launch.Ref) ([]facts.Release, error)
	AdvisoriesFor(ctx context.Context, ecosystem launch.Ecosystem, name string, versions []string) (map[string][]facts.Advisory, error)
	Lookup(ctx context.Context, ref launch.Ref) *facts.Package
	CommitSHA(ctx context.Context, repo, ref string) (string, error)
}

// Change is one in-place edit.
type Change struct {
	File       string
	Pos        config.Pos
	Start, End int    // byte range of Old in the file
	Old, New   string // text replaced, and its replacement
	// Comment is appended to the end of the line (the human ref of a
	// pinned git source), in the file's comment syntax; "" for none.
	Comment string
	// Note says what was passed over, e.g. a too fresh latest.
	Note string
}

// Skip is a reference left as it was, and why.
type Skip struct {
	File   string
	Pos    config.Pos
	Ref    string
	Reason string
	// Unresolved: a registry or GitHub lookup failed (down, rate
	// limited, no such package), so nothing could be chosen; a check
	// that everything is pinned must fail on it.
	Unresolved bool
}

// unresolved marks an error from a lookup, as against a choice pinning
// made (no version old enough, text not written literally).
type unresolved struct{ err error }

func (u unresolved) Error() string { return u.err.Error() }
func (u unresolved) Unwrap() error { return u.err }

// Options decide which versions are acceptable.
type Options struct {
	MinAge time.Duration
	Now    time.Time
}

// maxChecked bounds the versions whose advisories are asked for.
const maxChecked = 10

// Plan works out the edits that pin every reference of servers.
func Plan(ctx context.Context, src Source, servers []*launch.Server, o Options) ([]Change, []Skip) {
	var changes []Change
	var skips []Skip
	for _, s := range servers {
		for _, ref := range s.Refs {
			if ref.Pinned || (ref.Kind != launch.Package && ref.Kind != launch.Image && ref.Kind != launch.Git) {
				continue
			}
			skip := func(reason string) {
				skips = append(skips, Skip{File: s.File, Pos: ref.Pos, Ref: describe(ref), Reason: reason})
			}
			switch {
			case ref.Templated:
				continue // filled in at release time
			case !ref.SpecOK && s.Manifest:
				skip("only a manifest's package versions are rewritten; pin its " + string(ref.Kind) + " by hand")
				continue
			case !ref.SpecOK:
				skip("its text is not written literally here (escapes, a block or generated code); pin it by hand")
				continue
			}
			var c Change
			var err error
			switch ref.Kind {
			case launch.Package:
				if ref.Option == "source" {
					c, err = pinSourceVersion(ctx, src, ref, o)
				} else {
					c, err = pinPackage(ctx, src, ref, o)
				}
			case launch.Image:
				c, err = pinImage(ctx, src, ref)
			case launch.Git:
				if ref.Option == "source" {
					c, err = pinSource(ctx, src, ref)
				} else {
					c, err = pinGit(ctx, src, ref, commentSyntax(s.File, s.Format))
				}
			}
			if err != nil {
				skip(err.Error())
				skips[len(skips)-1].Unresolved = errors.As(err, new(unresolved))
				continue
			}
			c.File, c.Pos, c.Start, c.End, c.Old = s.File, ref.Pos, ref.SpecStart, ref.SpecEnd, ref.Spec
			if c.New != c.Old {
				changes = append(changes, c)
			}
		}
	}
	sort.SliceStable(changes, func(i, j int) bool { return before(changes[i].File, changes[i].Pos, changes[j].File, changes[j].Pos) })
	sort.SliceStable(skips, func(i, j int) bool { return before(skips[i].File, skips[i].Pos, skips[j].File, skips[j].Pos) })
	return changes, skips
}

func before(fa string, pa config.Pos, fb string, pb config.Pos) bool {
	return cmp.Or(cmp.Compare(fa, fb), cmp.Compare(pa.Line, pb.Line), cmp.Compare(pa.Col, pb.Col)) < 0
}

func describe(ref launch.Ref) string {
	if ref.Version == "" {
		return ref.Name
	}
	return ref.Name + " " + ref.Version
}

// choose picks the newest candidate that is old enough, neither deprecated
// nor yanked, and free of advisories; it says why newer ones were passed.
func choose(ctx context.Context, src Source, ref launch.Ref, o Options) (string, string, error) {
	cands, err := src.Candidates(ctx, ref)
	if err != nil {
		return "", "", unresolved{err}
	}
	var passed []string
	var ok []facts.Release
	for _, c := range cands {
		switch {
		case c.Deprecated != "":
			passed = append(passed, c.Version+": deprecated ("+c.Deprecated+")")
		case c.Yanked:
			passed = append(passed, c.Version+": yanked")
		case !c.Published.IsZero() && o.Now.Sub(c.Published) < o.MinAge:
			passed = append(passed, fmt.Sprintf("%s: published %s ago, less than %s", c.Version, age(o.Now.Sub(c.Published)), age(o.MinAge)))
		default:
			ok = append(ok, c)
		}
		if len(ok) == maxChecked {
			break
		}
	}
	if len(ok) == 0 {
		return "", "", fmt.Errorf("no version passes: %s", orNone(passed))
	}
	versions := make([]string, len(ok))
	for i, c := range ok {
		versions[i] = c.Version
	}
	advs, err := src.AdvisoriesFor(ctx, ref.Ecosystem, ref.Name, versions)
	if err != nil {
		return "", "", unresolved{fmt.Errorf("could not check advisories, so nothing was chosen: %v", err)}
	}
	for _, c := range ok {
		if a := advs[c.Version]; len(a) > 0 {
			ids := make([]string, len(a))
			for i := range a {
				ids[i] = a[i].ID
			}
			passed = append(passed, c.Version+": advisories "+strings.Join(ids, ", "))
			continue
		}
		note := ""
		if len(passed) > 0 {
			note = "passed over " + strings.Join(passed, "; ")
		}
		if c.Published.IsZero() {
			note = strings.TrimPrefix(note+"; the registry gives no release date, so its age is unchecked", "; ")
		}
		return c.Version, note, nil
	}
	return "", "", fmt.Errorf("no version passes: %s", strings.Join(passed, "; "))
}

func orNone(list []string) string {
	if len(list) == 0 {
		return "none is published"
	}
	return strings.Join(list, "; ")
}

func age(d time.Duration) string {
	if d < 48*time.Hour {
		return fmt.Sprintf("%d hours", int(d.Hours()))
	}
	return fmt.Sprintf("%d days", int(d.Hours()/24))
}

// pinPackage writes the chosen version in the launcher's own syntax, as
// the ecosystem's descriptor does.
func pinPackage(ctx context.Context, src Source, ref launch.Ref, o Options) (Change, error) {
	spec := launch.Describe(ref.Ecosystem).Spec
	if spec == nil {
		return Change{}, fmt.Errorf("pinning %s packages is not supported", ref.Ecosystem)
	}
	v, note, err := choose(ctx, src, ref, o)
	if err != nil {
		return Change{}, err
	}
	c := Change{Note: note}
	if c.New, err = spec(ref, v); err != nil {
		return Change{}, err
	}
	return c, nil
}

// pinImage adds the digest the tag points at today, keeping the tag.
func pinImage(ctx context.Context, src Source, ref launch.Ref) (Change, error) {
	if ref.Digest != "" {
		return Change{}, fmt.Errorf("it has a digest %q that is not a full sha256; fix it by hand", ref.Digest)
	}
	p := src.Lookup(ctx, ref)
	if p.Exists != facts.Yes || !strings.HasPrefix(p.Digest, "sha256:") {
		why := "the registry did not say"
		if len(p.Unknowns) > 0 {
			why = p.Unknowns[0]
		} else if p.Exists == facts.No {
			why = "the image does not exist"
		}
		return Change{}, unresolved{fmt.Errorf("could not learn its digest: %s", why)}
	}
	img := ref.Spec
	if ref.Tag == "" {
		img += ":latest"
	}
	return Change{New: img + "@" + p.Digest}, nil
}

var gitRefPart = regexp.MustCompile(`^(.*?)(#|@)([^/#@]*)$`)

// pinGit replaces a git source's branch or tag with its commit, and keeps
// the human ref in a comment where the format allows one.
func pinGit(ctx context.Context, src Source, ref launch.Ref, comment func(string) string) (Change, error) {
	if strings.Contains(ref.Spec, "egg=") || strings.Contains(ref.Spec, "subdirectory=") {
		return Change{}, fmt.Errorf("git URLs with #egg= or #subdirectory= are pinned by hand")
	}
	sha, human, err := commitOf(ctx, src, ref)
	if err != nil {
		return Change{}, err
	}
	c := Change{}
	switch m := gitRefPart.FindStringSubmatch(ref.Spec); {
	case ref.Version != "" && m != nil && m[3] == ref.Version:
		c.New = m[1] + m[2] + sha
	case ref.Version == "" && strings.HasPrefix(ref.Spec, "git+") && !strings.Contains(ref.Spec, "#"):
		c.New = ref.Spec + "@" + sha // pip and uv: git+https://host/o/r@sha
		if ref.Launcher == "npx" || strings.Contains(ref.Launcher, "npm") {
			c.New = ref.Spec + "#" + sha
		}
	case ref.Version == "":
		c.New = ref.Spec + "#" + sha
	default:
		return Change{}, fmt.Errorf("cannot find the ref %q in %q", ref.Version, ref.Spec)
	}
	c.Comment = comment("mcptether pin: was " + human)
	return c, nil
}

// commitOf is the commit a git reference's ref (or the default branch)
// points at today, and how to name that ref to a reader.
func commitOf(ctx context.Context, src Source, ref launch.Ref) (sha, human string, err error) {
	human = ref.Version
	if human == "" {
		human = "HEAD"
	}
	if sha, err = src.CommitSHA(ctx, ref.Name, human); err != nil {
		return "", "", unresolved{err}
	}
	if human == "HEAD" {
		human = "the default branch"
	}
	return sha, human, nil
}

// pinSourceVersion adds the chosen version to an npm plugin source that
// names none.
func pinSourceVersion(ctx context.Context, src Source, ref launch.Ref, o Options) (Change, error) {
	v, note, err := choose(ctx, src, ref, o)
	if err != nil {
		return Change{}, err
	}
	return Change{New: `, "version": "` + v + `"`, Note: note}, nil
}

// pinSource adds the commit a plugin or marketplace source's ref (or
// default branch) points at today, as its "sha": the host then fetches
// that commit, and the ref stays for readers.
func pinSource(ctx context.Context, src Source, ref launch.Ref) (Change, error) {
	sha, human, err := commitOf(ctx, src, ref)
	if err != nil {
		return Change{}, err
	}
	return Change{New: `, "sha": "` + sha + `"`, Note: "the commit " + human + " points at"}, nil
}

// commentSyntax writes a trailing comment in the file's syntax, or
// nothing where the host reads strict JSON.
func commentSyntax(file, format string) func(string) string {
	prefix := config.CommentPrefix(file, format)
	return func(s string) string {
		if prefix == "" {
			return ""
		}
		return " " + prefix + " " + s
	}
}
