// Package policy reads the policy file (.mcptether.yml): per-rule settings,
// ignores with reasons and expiry dates, trusted publishers and the minimum
// release age. It knows nothing of rules beyond their ids.
package policy

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/mcptether/mcptether/internal/safefile"
	"github.com/mcptether/mcptether/internal/safetext"
	"go.yaml.in/yaml/v3"
)

// Names are the file names looked for when no --config is given.
var Names = []string{".mcptether.yml", ".mcptether.yaml"}

// Policy is a parsed policy file. The zero value applies no policy.
type Policy struct {
	// Path is the file it was read from, as given.
	Path string
	// Sources are the policies applied, in order, with where each came
	// from; Refused what a repository policy tried against a lock.
	Sources []Source
	Refused []Refusal
	// Dir is the absolute directory ignore paths are relative to.
	Dir string

	Rules   map[string]RuleConfig
	Ignores []Ignore
	Trusted Trusted
	// MinReleaseAge is how old a release must be; 0 means the default.
	MinReleaseAge time.Duration

	// Allows are allow lists: a server must match an entry of each (an
	// org policy's and a repository's narrow each other). Deny lists what
	// no server may use, checked first.
	Allows [][]Entry
	Deny   []Entry
	// Lock lists the rules a repository policy may not weaken (an org
	// policy's); LockAll locks every rule.
	Lock    []string
	LockAll bool

	keys map[string][2]int // top-level key → line, column
}

// RuleConfig overrides one rule.
type RuleConfig struct {
	Disabled bool
	Severity string // empty: the rule's own

	File      string // where it is written, for refusals
	Line, Col int
}

// Ignore suppresses matching findings until Expires.
type Ignore struct {
	Rule    string
	Path    string // glob, relative to the policy file's folder; "" matches all
	Server  string // glob; "" matches all
	Package string // glob; "" matches all
	Reason  string
	Expires time.Time // zero: never
	File    string    // the policy file it is written in
	Dir     string    // what Path is relative to; "" is the policy's Dir
	Line    int
	Col     int
}

// Expired reports whether the ignore no longer applies at now. An ignore
// expiring on a date lasts through that whole day (UTC).
func (ig Ignore) Expired(now time.Time) bool {
	return !ig.Expires.IsZero() && !now.Before(ig.Expires.AddDate(0, 0, 1))
}

// Trusted lists identities the lookalike rule treats as genuine.
type Trusted struct {
	Publishers []string
	Scopes     []string
	Owners     []string
}

// Error is a malformed policy file: where and what.
type Error struct {
	File      string
	Line, Col int
	Msg       string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// Find returns the policy file in dir, or "" when there is none.
func Find(dir string) string {
	for _, n := range Names {
		p := filepath.Join(dir, n)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p
		}
	}
	return ""
}

// MaxSize bounds a policy read: a policy is a page of YAML.
const MaxSize = 4 << 20

// Load reads and checks the policy file at path; knownRules are the valid
// rule ids. It is read as a config is: inside trees (the working
// directory, the scanned roots) through an os.Root, so a committed link
// cannot lead it to a device, a FIFO or a file outside; a regular file
// only, and bounded.
func Load(path string, knownRules []string, trees ...string) (*Policy, error) {
	data, err := safefile.ReadNamed(path, MaxSize, trees...)
	if err != nil {
		return nil, &Error{File: path, Msg: fmt.Sprintf("cannot read the policy file: %v", unwrap(err))}
	}
	p, err := Parse(path, data, knownRules)
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return nil, &Error{File: path, Msg: err.Error()}
	}
	p.Dir = abs
	return p, nil
}

func unwrap(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

var severities = []string{"critical", "high", "medium", "low", "note"}

// Parse checks a policy document strictly: unknown keys, unknown rule ids,
// bad dates and durations are errors with their line.
func Parse(path string, data []byte, knownRules []string) (*Policy, error) {
	p := &Policy{Path: path, Rules: map[string]RuleConfig{}, Sources: []Source{{Path: path}}, keys: map[string][2]int{}}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		line := 0
		if m := regexp.MustCompile(`^line (\d+): (.*)$`).FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = m[2]
		}
		return nil, &Error{File: path, Line: line, Col: 1, Msg: safetext.ContentFree(msg)}
	}
	if len(doc.Content) == 0 {
		return p, nil // empty file: no policy
	}
	r := &reader{path: path, known: knownRules}
	root := doc.Content[0]
	if err := r.mapping(root, "the policy", func(key string, k, v *yaml.Node) error {
		p.keys[key] = [2]int{k.Line, k.Column}
		switch key {
		case "rules":
			return r.rules(v, p)
		case "ignore":
			return r.ignores(v, p)
		case "trusted":
			return r.trusted(v, p)
		case "allow":
			allow, err := r.entries(v, "allow")
			if allow == nil {
				allow = []Entry{} // present and empty: nothing is allowed
			}
			p.Allows = append(p.Allows, allow)
			return err
		case "deny":
			var err error
			p.Deny, err = r.entries(v, "deny")
			return err
		case "lock":
			return r.lock(v, p)
		case "min-release-age":
			d, err := ParseAge(v.Value)
			if err != nil || v.Kind != yaml.ScalarNode {
				return r.err(v, "min-release-age %q is not a duration such as 7d, 48h or 2w", v.Value)
			}
			p.MinReleaseAge = d
			return nil
		}
		return r.err(k, "unknown key %q: use rules, ignore, trusted, min-release-age, allow, deny or lock", key)
	}); err != nil {
		return nil, err
	}
	return p, nil
}

type reader struct {
	path  string
	known []string
}

// err builds an error at n. A string quoted in it is the file's text: it
// is shown only when it looks like a policy's own words, so a file that
// holds something else (a credential) never reaches the log.
func (r *reader) err(n *yaml.Node, format string, args ...any) error {
	for i, a := range args {
		if s, ok := a.(string); ok && !policyWord.MatchString(s) {
			args[i] = fmt.Sprintf("(a value of %d characters)", len(s))
		}
	}
	msg := strings.ReplaceAll(fmt.Sprintf(format, args...), `"(a value of`, `(a value of`)
	msg = strings.ReplaceAll(msg, ` characters)"`, ` characters)`)
	return &Error{File: r.path, Line: n.Line, Col: n.Column, Msg: safetext.Line(msg)}
}

// policyWord: rule ids, keys, severities, durations, dates, globs.
var policyWord = regexp.MustCompile(`^[a-z0-9@/*?._:~^<>=!+, -]{0,40}$`)

func (r *reader) mapping(n *yaml.Node, what string, each func(key string, k, v *yaml.Node) error) error {
	if n.Kind != yaml.MappingNode {
		return r.err(n, "%s must be a mapping", what)
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if seen[k.Value] {
			return r.err(k, "%q is set twice", k.Value)
		}
		seen[k.Value] = true
		if err := each(k.Value, k, v); err != nil {
			return err
		}
	}
	return nil
}

func (r *reader) rule(n *yaml.Node) error {
	if !slices.Contains(r.known, n.Value) {
		return r.err(n, "unknown rule %q: run `mcptether rules` for the list", n.Value)
	}
	return nil
}

func (r *reader) rules(n *yaml.Node, p *Policy) error {
	return r.mapping(n, "rules", func(id string, k, v *yaml.Node) error {
		if err := r.rule(k); err != nil {
			return err
		}
		rc := RuleConfig{File: r.path, Line: k.Line, Col: k.Column}
		err := r.mapping(v, "rules."+id, func(key string, k, v *yaml.Node) error {
			switch key {
			case "disabled":
				b, err := strconv.ParseBool(v.Value)
				if err != nil || v.Kind != yaml.ScalarNode {
					return r.err(v, "disabled must be true or false")
				}
				rc.Disabled = b
			case "severity":
				if !slices.Contains(severities, v.Value) {
					return r.err(v, "unknown severity %q: use one of %s", v.Value, strings.Join(severities, ", "))
				}
				rc.Severity = v.Value
			default:
				return r.err(k, "unknown key %q in rules.%s: use disabled or severity", key, id)
			}
			return nil
		})
		p.Rules[id] = rc
		return err
	})
}

func (r *reader) ignores(n *yaml.Node, p *Policy) error {
	if n.Kind != yaml.SequenceNode {
		return r.err(n, "ignore must be a list")
	}
	for _, item := range n.Content {
		ig := Ignore{File: r.path, Line: item.Line, Col: item.Column}
		err := r.mapping(item, "an ignore", func(key string, k, v *yaml.Node) error {
			if v.Kind != yaml.ScalarNode {
				return r.err(v, "%s must be a single value", key)
			}
			switch key {
			case "rule":
				ig.Rule = v.Value
				return r.rule(v)
			case "path", "server", "package":
				if _, err := doublestar.Match(v.Value, ""); err != nil {
					return r.err(v, "bad %s pattern %q: %v", key, v.Value, err)
				}
				switch key {
				case "path":
					ig.Path = v.Value
				case "server":
					ig.Server = v.Value
				default:
					ig.Package = v.Value
				}
			case "reason":
				ig.Reason = strings.TrimSpace(v.Value)
			case "expires":
				t, err := time.Parse(time.DateOnly, v.Value)
				if err != nil {
					return r.err(v, "expires %q is not a date (YYYY-MM-DD)", v.Value)
				}
				ig.Expires = t
			default:
				return r.err(k, "unknown key %q in an ignore: use rule, path, server, package, reason or expires", key)
			}
			return nil
		})
		if err != nil {
			return err
		}
		if ig.Rule == "" {
			return r.err(item, "an ignore needs a rule")
		}
		if ig.Reason == "" {
			return r.err(item, "the ignore of %s needs a reason: say why it is safe", ig.Rule)
		}
		p.Ignores = append(p.Ignores, ig)
	}
	return nil
}

func (r *reader) lock(n *yaml.Node, p *Policy) error {
	if n.Kind == yaml.ScalarNode && n.Value == "all" {
		p.LockAll = true
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		return r.err(n, "lock must be all or a list of rule ids")
	}
	for _, it := range n.Content {
		if it.Kind != yaml.ScalarNode {
			return r.err(it, "lock holds rule ids")
		}
		if err := r.rule(it); err != nil {
			return err
		}
		p.Lock = append(p.Lock, it.Value)
	}
	return nil
}

func (r *reader) trusted(n *yaml.Node, p *Policy) error {
	return r.mapping(n, "trusted", func(key string, k, v *yaml.Node) error {
		var list []string
		if v.Kind != yaml.SequenceNode {
			return r.err(v, "trusted.%s must be a list", key)
		}
		for _, it := range v.Content {
			if it.Kind != yaml.ScalarNode || it.Value == "" {
				return r.err(it, "trusted.%s holds names", key)
			}
			list = append(list, it.Value)
		}
		switch key {
		case "publishers":
			p.Trusted.Publishers = list
		case "scopes":
			p.Trusted.Scopes = list
		case "owners":
			p.Trusted.Owners = list
		default:
			return r.err(k, "unknown key %q in trusted: use publishers, scopes or owners", key)
		}
		return nil
	})
}

var ageRe = regexp.MustCompile(`^(\d+)([hdw])$`)

// ParseAge reads "48h", "7d" or "2w" (Go durations such as "36h30m" too).
func ParseAge(s string) (time.Duration, error) {
	if m := ageRe.FindStringSubmatch(strings.TrimSpace(s)); m != nil {
		n, _ := strconv.Atoi(m[1])
		unit := map[string]time.Duration{"h": time.Hour, "d": 24 * time.Hour, "w": 7 * 24 * time.Hour}[m[2]]
		return time.Duration(n) * unit, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("bad duration %q", s)
	}
	return d, nil
}

// Match returns the ignore that covers a finding, or nil. file is the
// finding's path relative to cwd; expired ignores never match.
func (p *Policy) Match(rule, file, server, pkg, cwd string, now time.Time) *Ignore {
	if p == nil {
		return nil
	}
	// Reported paths are relative to the working directory, or absolute
	// for a tree outside it; ignore paths are relative to the policy's
	// folder either way.
	abs := filepath.FromSlash(file)
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(cwd, abs)
	}
	for i := range p.Ignores {
		ig := &p.Ignores[i]
		if ig.Rule != rule || ig.Expired(now) {
			continue
		}
		rel := file
		if dir := cmp.Or(ig.Dir, p.Dir); dir != "" {
			if r, err := filepath.Rel(dir, abs); err == nil {
				rel = filepath.ToSlash(r)
			}
		}
		if ig.Path != "" && !globMatch(ig.Path, rel) {
			continue
		}
		if ig.Server != "" && !globMatch(ig.Server, server) {
			continue
		}
		if ig.Package != "" && (pkg == "" || !globMatch(ig.Package, pkg)) {
			continue
		}
		return ig
	}
	return nil
}

// globMatch matches a glob; a pattern with no slash also matches the base
// name, as in .gitignore.
func globMatch(pattern, s string) bool {
	if ok, _ := doublestar.Match(pattern, s); ok {
		return true
	}
	if !strings.Contains(pattern, "/") {
		ok, _ := doublestar.Match(pattern, s[strings.LastIndex(s, "/")+1:])
		return ok
	}
	return false
}
