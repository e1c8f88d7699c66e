// Package launch decodes a server entry's launch command into the package
// references it would fetch and run. It never runs anything.
package launch

import (
	"net/url"

	"github.com/mcptether/mcptether/config"
)

// Kind is what a reference points at.
type Kind string

// Reference kinds.
const (
	Package Kind = "package" // a registry package (npm, PyPI, Go, NuGet…)
	Image   Kind = "image"   // a container image
	Git     Kind = "git"     // a git repository at a ref
	Remote  Kind = "remote"  // a remote MCP endpoint
	Script  Kind = "script"  // code downloaded and piped into an interpreter
	Local   Kind = "local"   // a program or file on the user's machine
	Unknown Kind = "unknown" // a command that cannot be decoded
)

// Ref is one thing a server fetches or runs.
type Ref struct {
	Kind      Kind      `json:"kind"`
	Ecosystem Ecosystem `json:"ecosystem,omitempty"` // npm, pypi, oci, golang, nuget, cargo, jsr, mcpb, nix, url, github, git
	Name      string    `json:"name,omitempty"`
	Version   string    `json:"version,omitempty"` // as written; empty when none
	// Pinned: the version names one immutable artifact (exact version,
	// image digest, full commit).
	Pinned bool `json:"pinned"`
	// Templated: the version is a placeholder filled in at release time.
	Templated bool   `json:"templated,omitempty"`
	PURL      string `json:"purl,omitempty"`
	Launcher  string `json:"launcher,omitempty"` // npx, uvx, docker, manifest…
	URL       string `json:"url,omitempty"`
	Registry  string `json:"registry,omitempty"` // image registry host
	Tag       string `json:"tag,omitempty"`
	Digest    string `json:"digest,omitempty"`
	// LocalBuild: an image name under docker.io/library/ that is no
	// official image, so it is built on the user's machine; no registry
	// holds it and no one else can publish it.
	LocalBuild bool   `json:"localBuild,omitempty"`
	Note       string `json:"note,omitempty"` // why local or unknown
	// Unparsed: a shell script that cannot be parsed (a syntax error, or
	// nesting past the bound), so what it runs is not known; a shell may
	// still run the commands before the error.
	Unparsed bool `json:"unparsed,omitempty"`
	// Via names the package that carries this reference, e.g. the
	// mcp-remote proxy for the URL it connects to.
	Via string `json:"via,omitempty"`
	// Option is the launcher flag that named it ("--from", "--with",
	// "--version"), or "version" when Spec is a manifest's version field.
	Option string     `json:"-"`
	Pos    config.Pos `json:"-"`
	// Spec is the reference's text as written and the byte range it has
	// in the file; SpecOK is false when the file does not spell it
	// literally (escapes, block scalars), so it cannot be edited in place.
	Spec      string `json:"-"`
	SpecStart int    `json:"-"`
	SpecEnd   int    `json:"-"`
	SpecOK    bool   `json:"-"`
}

// at records v as the text the reference was read from.
func (r Ref) at(v config.Value) Ref {
	r.Spec = v.Text
	r.SpecStart, r.SpecEnd, r.SpecOK = v.TextRange()
	return r
}

// Server is a config entry with its decoded references.
type Server struct {
	*config.Server
	Refs []Ref
}

// DecodeAll decodes every server of every file.
func DecodeAll(files []*config.File) []*Server {
	var out []*Server
	for _, f := range files {
		for _, s := range f.Servers {
			out = append(out, &Server{Server: s, Refs: Decode(s)})
		}
	}
	return out
}

// RedactURL drops what a URL may carry as a credential (a password, query
// values) so reports can show where a server points without leaking.
func RedactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return s
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "REDACTED")
	}
	if u.RawQuery != "" {
		q := u.Query()
		for k := range q {
			q.Set(k, "REDACTED")
		}
		u.RawQuery = q.Encode()
	}
	return u.String()
}
