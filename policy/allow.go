package policy

import (
	"regexp"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"go.yaml.in/yaml/v3"
)

// Entry is one allow or deny entry. Exactly one matcher is set.
type Entry struct {
	// Package is a PURL glob, pkg:TYPE/NAME with an optional @VERSION: the
	// name is matched segment by segment (* stays within one), the version
	// only when given.
	Package string
	// Image is an image name glob without tag or digest; a name without a
	// registry host is on docker.io.
	Image string
	// URL is a remote endpoint glob; * matches any run of characters.
	URL string
	// Repo is a host/owner/repo glob, for git and plugin sources.
	Repo string
	// Command is a glob on a local program's or unknown launch's command
	// line; * matches any run of characters.
	Command string
	Reason  string

	File      string // the policy file the entry is written in
	Line, Col int
}

// What is the entry as written: "package pkg:npm/x".
func (e Entry) What() string {
	for _, kv := range [][2]string{{"package", e.Package}, {"image", e.Image}, {"url", e.URL}, {"repo", e.Repo}, {"command", e.Command}} {
		if kv[1] != "" {
			return kv[0] + " " + kv[1]
		}
	}
	return ""
}

// Target is one reference as the allow and deny lists see it; the fields
// that do not apply are empty.
type Target struct {
	PURLType, PURLName, Version string // a package (PURLName with its namespace, unescaped)
	Image                       string // registry host/repository
	URL                         string
	Repo                        string // host/owner/repo
	Command                     string // the whole command line
}

// Match reports whether the entry covers t.
func (e Entry) Match(t Target) bool {
	switch {
	case e.Package != "":
		typ, name, version := splitPURL(e.Package)
		if t.PURLType == "" || !strings.EqualFold(typ, t.PURLType) {
			return false
		}
		if !globMatchFold(normPkg(typ, name), normPkg(typ, t.PURLName)) {
			return false
		}
		return version == "" || globMatchFold(version, t.Version)
	case e.Image != "":
		return t.Image != "" && globMatchFold(NormImage(e.Image), NormImage(t.Image))
	case e.URL != "":
		return t.URL != "" && wildcard(e.URL, t.URL)
	case e.Repo != "":
		return t.Repo != "" && globMatchFold(strings.TrimSuffix(e.Repo, ".git"), t.Repo)
	case e.Command != "":
		return t.Command != "" && wildcard(e.Command, t.Command)
	}
	return false
}

// splitPURL reads pkg:TYPE/NAME[@VERSION]; an @ that starts a path
// segment is a scope (@modelcontextprotocol/x), not a version.
func splitPURL(s string) (typ, name, version string) {
	s = strings.TrimPrefix(s, "pkg:")
	typ, rest, _ := strings.Cut(s, "/")
	for i := len(rest) - 1; i > 0; i-- {
		if rest[i] == '@' && rest[i-1] != '/' {
			return typ, rest[:i], rest[i+1:]
		}
	}
	return typ, rest, ""
}

var pypiSep = regexp.MustCompile(`[-_.]+`)

// normPkg compares names as the ecosystem does: PyPI treats -, _ and .
// alike and ignores case.
func normPkg(typ, name string) string {
	if strings.EqualFold(typ, "pypi") {
		return pypiSep.ReplaceAllString(strings.ToLower(name), "-")
	}
	return name
}

// NormImage writes an image name as a registry sees it, without tag or
// digest: mcp/fetch is docker.io/mcp/fetch, ubuntu docker.io/library/ubuntu.
func NormImage(s string) string {
	s = strings.ToLower(s)
	if i := strings.Index(s, "@"); i >= 0 {
		s = s[:i]
	}
	if i := strings.LastIndex(s, ":"); i > strings.LastIndex(s, "/") {
		s = s[:i]
	}
	first, rest, ok := strings.Cut(s, "/")
	if !ok || (!strings.ContainsAny(first, ".:") && first != "localhost") {
		s, first, rest = "docker.io/"+s, "docker.io", s
	}
	if first == "index.docker.io" || first == "registry-1.docker.io" {
		s, first = "docker.io/"+rest, "docker.io"
	}
	if first == "docker.io" && !strings.Contains(strings.TrimPrefix(s, "docker.io/"), "/") {
		s = "docker.io/library/" + strings.TrimPrefix(s, "docker.io/")
	}
	return s
}

func globMatchFold(pattern, s string) bool {
	ok, _ := doublestar.Match(strings.ToLower(pattern), strings.ToLower(s))
	return ok
}

// wildcard matches * as any run of characters (slashes too) and ? as
// one, case-sensitively: for URLs and command lines, which are not paths.
func wildcard(pattern, s string) bool {
	var re strings.Builder
	re.WriteString("^")
	for _, part := range strings.SplitAfter(pattern, "") {
		switch part {
		case "*":
			re.WriteString(".*")
		case "?":
			re.WriteString(".")
		default:
			re.WriteString(regexp.QuoteMeta(part))
		}
	}
	re.WriteString("$")
	ok, _ := regexp.MatchString(re.String(), s)
	return ok
}

// entries reads an allow or deny list.
func (r *reader) entries(n *yaml.Node, key string) ([]Entry, error) {
	if n.Kind != yaml.SequenceNode {
		return nil, r.err(n, "%s must be a list", key)
	}
	article := map[string]string{"allow": "an", "deny": "a"}[key]
	var out []Entry
	for _, item := range n.Content {
		e := Entry{File: r.path, Line: item.Line, Col: item.Column}
		matchers := 0
		err := r.mapping(item, article+" "+key+" entry", func(k string, kn, v *yaml.Node) error {
			if v.Kind != yaml.ScalarNode || v.Value == "" {
				return r.err(v, "%s must be a non-empty value", k)
			}
			switch k {
			case "package":
				if !strings.HasPrefix(v.Value, "pkg:") || !strings.Contains(v.Value, "/") {
					return r.err(v, "package %q is not a package URL such as pkg:npm/@scope/* or pkg:pypi/mcp-server-*", v.Value)
				}
				e.Package = v.Value
			case "image":
				e.Image = v.Value
			case "url":
				e.URL = v.Value
			case "repo":
				e.Repo = v.Value
			case "command":
				e.Command = v.Value
			case "reason":
				e.Reason = strings.TrimSpace(v.Value)
				return nil
			default:
				return r.err(kn, "unknown key %q in %s %s entry: use package, image, url, repo or command, and reason", k, article, key)
			}
			if k != "url" && k != "command" {
				if _, err := doublestar.Match(v.Value, ""); err != nil {
					return r.err(v, "bad %s pattern %q: %v", k, v.Value, err)
				}
			}
			matchers++
			return nil
		})
		if err != nil {
			return nil, err
		}
		if matchers != 1 {
			return nil, r.err(item, "%s %s entry names exactly one of package, image, url, repo or command", article, key)
		}
		out = append(out, e)
	}
	return out, nil
}
