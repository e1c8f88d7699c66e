// Package facts is what the registries said about a scan's references:
// packages, repositories, owners and advisories. resolve fills it; rules
// read it. Anything not learnt is Unknown with a reason, never "fine".
package facts

import (
	"strings"
	"time"

	"github.com/mcptether/mcptether/launch"
)

// Tri is a fact that may be unknown.
type Tri int8

// Tri values.
const (
	Unknown Tri = iota
	Yes
	No
)

func (t Tri) String() string { return [...]string{"unknown", "yes", "no"}[t] }

// Facts is everything resolved in one run.
type Facts struct {
	Packages map[string]*Package // by Key(ref)
	Repos    map[string]*Repo    // by host/owner/repo, lower case
	Owners   map[string]*Owner   // by host/login, lower case
}

// New returns empty facts.
func New() *Facts {
	return &Facts{Packages: map[string]*Package{}, Repos: map[string]*Repo{}, Owners: map[string]*Owner{}}
}

// Package returns what is known of ref's package or image, or nil; nil
// facts (offline) know nothing.
func (f *Facts) Package(ref launch.Ref) *Package {
	if f == nil {
		return nil
	}
	return f.Packages[Key(ref)]
}

// Repo returns what is known of a host/owner/repo, in any case, or nil.
func (f *Facts) Repo(name string) *Repo {
	if f == nil {
		return nil
	}
	return f.Repos[strings.ToLower(name)]
}

// Owner returns what is known of a repository's owner account, or nil.
func (f *Facts) Owner(repo string) *Owner {
	if f == nil {
		return nil
	}
	host, path, _ := strings.Cut(repo, "/")
	login, _, _ := strings.Cut(path, "/")
	return f.Owners[strings.ToLower(host+"/"+login)]
}

// Key identifies a reference's lookup: ecosystem, name and version spec.
func Key(r launch.Ref) string {
	return string(r.Kind) + ":" + string(r.Ecosystem) + ":" + r.Name + "@" + r.Version
}

// Package is what a registry says about one reference.
type Package struct {
	Ecosystem launch.Ecosystem
	Name      string
	Spec      string // the version as written
	Exists    Tri
	// Version is what the spec resolves to today: the dist-tag's or
	// latest version for an unpinned reference, the highest match for a
	// range.
	Version   string
	Published time.Time // of Version
	// FirstPublished is when the package's first release was published
	// (npm's time.created or its earliest version, PyPI's first upload).
	FirstPublished time.Time
	Publisher      string // account that published Version, if known
	// Maintainers of Version (npm), and its integrity hash.
	Maintainers []string
	Integrity   string
	Provenance  Tri // Version carries a provenance attestation
	// ProvenanceRepo is the source repository the attestation names
	// (host/owner/repo); signatures are not verified.
	ProvenanceRepo string
	Scripts        []string // install-time scripts of Version (npm)
	Deprecated     string   // deprecation message of Version
	Yanked         bool
	YankedReason   string // PyPI's yanked_reason, "" when none was given
	// Repository is the declared source repository, normalised as
	// host/owner/repo, and RepositoryFrom says where it was read.
	Repository     string
	RepositoryFrom string
	MCPName        string
	Digest         string // images: what the tag points at
	// ScopeOwned says, for an unpublished scoped npm name, whether its
	// scope has an owner (a package is published under it): then only
	// that owner can publish the name.
	ScopeOwned Tri
	// Revision is the commit the image says it was built from
	// (org.opencontainers.image.revision), when it says.
	Revision   string
	History    []Release
	Advisories []Advisory
	// Unknowns are the facts that could not be learnt, with why.
	Unknowns []string
}

// Release is one published version.
type Release struct {
	Version    string
	Published  time.Time // zero when the registry does not say
	Publisher  string
	Provenance Tri
	Deprecated string
	Yanked     bool
}

// Advisory is an OSV record covering the resolved version.
type Advisory struct {
	ID        string
	Summary   string
	Aliases   []string
	Malicious bool // a MAL- record: the package is malware
	// CVSS are the record's CVSS v3 and v4 vectors; Severity is its
	// database_specific severity word (GitHub's CRITICAL, HIGH, MODERATE,
	// LOW), when it has one.
	CVSS     []string
	Severity string
	// Fixed is the first version that fixes it for this package, "" when
	// none is known.
	Fixed string
	// Unread says why the record could not be fetched: OSV said the
	// advisory covers the version, and nothing more is known of it.
	Unread string
}

// RepoStatus is what the code host said about a repository.
type RepoStatus string

// Repository states.
const (
	RepoUnknown    RepoStatus = "unknown"
	RepoOK         RepoStatus = "ok"
	RepoArchived   RepoStatus = "archived"
	RepoRedirected RepoStatus = "redirected"
	RepoMissing    RepoStatus = "missing"
)

// Repo is a source repository.
type Repo struct {
	Name         string // host/owner/repo as referenced
	ID           int64  // the code host's id for it (GitHub's databaseId), 0 when unknown
	Status       RepoStatus
	RedirectedTo string // host/owner/repo after a rename or transfer
	Fork         bool
	OwnerType    string // User or Organization
	Created      time.Time
	Pushed       time.Time
	Reason       string // why Status is unknown
}

// OwnerStatus says whether a login is taken.
type OwnerStatus string

// Owner states.
const (
	OwnerUnknown OwnerStatus = "unknown"
	OwnerExists  OwnerStatus = "exists"
	OwnerFree    OwnerStatus = "free" // anyone can register it
)

// Owner is an account on a code host.
type Owner struct {
	Login  string // host/login
	Status OwnerStatus
	Reason string
}

// NormalizeRepo reads the many ways a repository is written (URLs with
// git+, .git, www., a trailing slash or a /tree/ path, git@host:o/r,
// github:o/r, o/r) and returns host/owner/repo, or "" when s names none.
func NormalizeRepo(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	host := "github.com"
	switch {
	case strings.HasPrefix(s, "github:"):
		s = strings.TrimPrefix(s, "github:")
	case strings.HasPrefix(s, "gitlab:"):
		host, s = "gitlab.com", strings.TrimPrefix(s, "gitlab:")
	case strings.HasPrefix(s, "bitbucket:"):
		host, s = "bitbucket.org", strings.TrimPrefix(s, "bitbucket:")
	case strings.HasPrefix(s, "git@"):
		h, rest, ok := strings.Cut(strings.TrimPrefix(s, "git@"), ":")
		if !ok {
			return ""
		}
		host, s = h, rest
	case strings.Contains(s, "://"):
		s = strings.TrimPrefix(s, "git+")
		s = s[strings.Index(s, "://")+3:]
		if at := strings.Index(s, "@"); at >= 0 && at < strings.Index(s+"/", "/") {
			s = s[at+1:]
		}
		h, rest, ok := strings.Cut(s, "/")
		if !ok {
			return ""
		}
		host, s = h, rest
	default:
		if strings.ContainsAny(s, " :@") {
			return ""
		}
		// Already normalised: host/owner/repo, the host having a dot.
		if first, rest, _ := strings.Cut(s, "/"); strings.Contains(first, ".") && strings.Count(rest, "/") == 1 {
			host, s = first, rest
		} else if strings.Count(s, "/") != 1 {
			return ""
		}
	}
	host = strings.TrimPrefix(strings.ToLower(host), "www.")
	if i := strings.IndexByte(host, ':'); i >= 0 {
		host = host[:i]
	}
	s = strings.SplitN(s, "#", 2)[0]
	s = strings.SplitN(s, "?", 2)[0]
	parts := strings.Split(strings.Trim(s, "/"), "/")
	if len(parts) < 2 || parts[0] == "" || parts[1] == "" {
		return ""
	}
	repo := strings.TrimSuffix(parts[1], ".git")
	return host + "/" + parts[0] + "/" + repo
}

// SameRepo compares two normalised repositories, ignoring case.
func SameRepo(a, b string) bool {
	na, nb := NormalizeRepo(a), NormalizeRepo(b)
	return na != "" && strings.EqualFold(na, nb)
}
