package checks

import (
	"fmt"
	"math"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/mcptether/mcptether/config"
	"github.com/mcptether/mcptether/launch"
)

// HardcodedSecret: a literal credential committed in a config.
var HardcodedSecret = &Rule{
	ID:       "hardcoded-secret",
	Severity: High,
	Summary:  "literal credential in env, headers, args or URL (reports show only a short prefix)",
	Tags:     []string{"security", "secrets"},
	Check:    checkHardcodedSecret,
}

// secretKinds are token formats with a recognisable shape. Each names the
// literals every match contains, so a long value is searched by the cheap
// strings.Contains and only rarely by the regexp.
var secretKinds = []struct {
	name  string
	hints []string
	re    *regexp.Regexp
}{
	{"GitHub token", []string{"gh", "github_pat_"}, regexp.MustCompile(`\b(gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{60,255})\b`)},
	{"Anthropic API key", []string{"sk-ant-"}, regexp.MustCompile(`\bsk-ant-[a-z0-9]+-[A-Za-z0-9_-]{32,}`)},
	{"OpenAI API key", []string{"sk-"}, regexp.MustCompile(`\bsk-(proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}|\bsk-(proj|svcacct|admin)-[A-Za-z0-9_-]{40,}|\bsk-[A-Za-z0-9]{48}\b`)},
	{"AWS access key ID", []string{"AKIA", "ASIA", "ABIA", "ACCA"}, regexp.MustCompile(`\b(AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b`)},
	{"Slack token", []string{"xox"}, regexp.MustCompile(`\bxox[abposr]-[0-9A-Za-z-]{10,}`)},
	{"Slack webhook", []string{"hooks.slack.com"}, regexp.MustCompile(`https://hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]{20,}`)},
	{"Stripe key", []string{"k_live_", "k_test_"}, regexp.MustCompile(`\b[rs]k_(live|test)_[0-9A-Za-z]{16,}`)},
	{"Google API key", []string{"AIza"}, regexp.MustCompile(`\bAIza[0-9A-Za-z_-]{35}\b`)},
	{"GitLab token", []string{"glpat-"}, regexp.MustCompile(`\bglpat-[0-9A-Za-z_-]{20,}`)},
	{"npm token", []string{"npm_"}, regexp.MustCompile(`\bnpm_[A-Za-z0-9]{36}\b`)},
	{"Hugging Face token", []string{"hf_"}, regexp.MustCompile(`\bhf_[A-Za-z]{34}\b`)},
	{"JWT", []string{"eyJ"}, regexp.MustCompile(`\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}`)},
}

var (
	secretKey   = regexp.MustCompile(`(?i)(token|secret|passw(or)?d|pwd|api[_-]?key|apikey|auth|credential|private[_-]?key|access[_-]?key|client[_-]?secret|session|cookie)`)
	notSecret   = regexp.MustCompile(`(?i)(_url|_uri|_host|_path|_file|_dir|_name|_id|_type|_mode|_header|_env|_region|_endpoint|_enabled|_timeout)$`)
	bearer      = regexp.MustCompile(`(?i)^(bearer|token|basic)\s+(\S+)$`)
	reference   = regexp.MustCompile(`\$\{[^}]*\}|\{env:[^}]*\}|\{\{[^}]*\}\}|^\$[A-Za-z_][A-Za-z0-9_]*$|%[A-Za-z_][A-Za-z0-9_]*%`)
	placeholder = regexp.MustCompile(`(?i)^<.*>$|your[_-]?|_here\b|\bhere$|xxx|\*\*\*|\.\.\.|…|changeme|change[_-]me|replace|placeholder|example|dummy|sample|redacted|insert|todo|fixme|\bfake\b|^test$|^secret$|^password$|^token$`)
)

func checkHardcodedSecret(r *Rule, in *Input) []Finding {
	var out []Finding
	for _, s := range in.Servers {
		eachSecret(s, func(v config.Value, i, j int, kind, where string) {
			secret := v.Text[i:j]
			out = append(out, r.at(s, v.Sub(i, j), where,
				"%s in %s of server %q: %s is committed in plain text; move it to an environment variable or secret store and reference it (${VAR}), then revoke the exposed value%s",
				kind, where, s.Name.Text, redact(secret), disabledNote(s)))
		})
	}
	return out
}

// Secrets returns every literal credential in the servers' values: what
// reports mask wherever it would appear, whatever field carries it.
func Secrets(servers []*launch.Server) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range servers {
		eachSecret(s, func(v config.Value, i, j int, _, _ string) {
			if sec := v.Text[i:j]; !seen[sec] {
				seen[sec] = true
				out = append(out, sec)
			}
		})
	}
	return out
}

// Mask is how a secret is shown: a short prefix, so a user can tell which
// credential it is, and never more than a quarter of it.
func Mask(s string) string {
	return s[:min(4, len(s)/4)] + fmt.Sprintf("…(%d characters)", len([]rune(s)))
}

// eachSecret reports every secret in a server's env, headers, args, URLs,
// command line and generated code, once per secret and position.
func eachSecret(s *launch.Server, report reporter) {
	type at struct {
		secret string
		off    int
	}
	seen := map[at]bool{}
	found := map[string]bool{}
	once := func(v config.Value, i, j int, kind, where string) {
		k := at{v.Text[i:j], v.Sub(i, j).Offset}
		if seen[k] {
			return
		}
		seen[k], found[k.secret] = true, true
		report(v, i, j, kind, where)
	}
	for _, kv := range s.Env {
		scanValue(kv.Value, kv.Key.Text, "env "+kv.Key.Text, once)
		scanURL(kv.Value, "env "+kv.Key.Text, once)
	}
	headers := s.Headers
	for _, r := range s.Remotes {
		headers = append(headers, r.Headers...)
	}
	for _, kv := range headers {
		scanValue(kv.Value, kv.Key.Text, "header "+kv.Key.Text, once)
		scanURL(kv.Value, "header "+kv.Key.Text, once)
	}
	for i, a := range s.Args {
		key := ""
		if name, _, ok := strings.Cut(a.Text, "="); ok && strings.HasPrefix(name, "-") {
			key = name
		} else if i > 0 && strings.HasPrefix(s.Args[i-1].Text, "-") {
			key = s.Args[i-1].Text
		}
		scanValue(a, key, fmt.Sprintf("args[%d]", i), once)
		scanURL(a, fmt.Sprintf("args[%d]", i), once)
	}
	for _, u := range append([]config.Value{s.URL}, remoteURLs(s)...) {
		scanURL(u, "url", once)
	}
	if s.Command.IsSet() && strings.ContainsAny(s.Command.Text, " \t") {
		scanValue(s.Command, "", "command", once)
	}
	// Generated code (a Smithery commandFunction): what its literals did
	// not already show.
	if s.Code.IsSet() {
		scanValue(s.Code, "", "commandFunction", func(v config.Value, i, j int, kind, where string) {
			if !found[v.Text[i:j]] {
				once(v, i, j, kind, where)
			}
		})
	}
}

func remoteURLs(s *launch.Server) []config.Value {
	var out []config.Value
	for _, r := range s.Remotes {
		out = append(out, r.URL)
	}
	return out
}

// minSecretLen is the length of the shortest value any detector reports (a
// password); shorter values, most of a config, skip the regexps.
const minSecretLen = 8

type reporter func(v config.Value, i, j int, kind, where string)

// scanValue looks for a known token shape anywhere in v, then for a bearer
// token, then for a long random value under a secret-like key.
func scanValue(v config.Value, key, where string, report reporter) {
	text := v.Text
	if len(text) < minSecretLen {
		return
	}
	for _, k := range secretKinds {
		if !slices.ContainsFunc(k.hints, func(h string) bool { return strings.Contains(text, h) }) {
			continue
		}
		for _, m := range k.re.FindAllStringIndex(text, -1) {
			if !isPlaceholder(text[m[0]:m[1]]) {
				report(v, m[0], m[1], k.name, where)
				return
			}
		}
	}
	if strings.ContainsAny(text, "${%") && reference.MatchString(text) {
		return
	}
	if m := bearer.FindStringSubmatchIndex(text); m != nil {
		tok := text[m[4]:m[5]]
		if len(tok) >= 16 && !isPlaceholder(tok) {
			report(v, m[4], m[5], "bearer token", where)
		}
		return
	}
	if m := dsnPassword.FindStringSubmatchIndex(text); m != nil && isPassword(text[m[2]:m[3]]) {
		report(v, m[2], m[3], "password in a connection string", where)
		return
	}
	if key != "" && (secretKey.MatchString(key) || passwordKey.MatchString(key)) && !notSecret.MatchString(key) {
		val := text
		off := 0
		if name, rest, ok := strings.Cut(text, "="); ok && strings.HasPrefix(name, "-") {
			val, off = rest, len(name)+1
		}
		switch {
		case passwordKey.MatchString(key) && isPassword(val):
			report(v, off, off+len(val), "password", where)
		case looksRandom(val):
			report(v, off, off+len(val), "secret-like value", where)
		}
	}
}

var (
	// passwordKey: *_PASSWORD, *_PASS, *_PWD, PASSWD, --password.
	passwordKey = regexp.MustCompile(`(?i)(passw(or)?d|pwd|[_-]pass|^pass)$`)
	// dsnPassword: Password=…; or password=… in a key=value connection
	// string (ADO.NET, ODBC, libpq).
	dsnPassword = regexp.MustCompile(`(?i)(?:^|[;\s])(?:password|pwd)\s*=\s*([^;\s'"]+)`)
	pathLike    = regexp.MustCompile(`^(/|\./|\.\./|~/|[A-Za-z]:\\)`)
)

// isPassword: a literal password under a password-like key, from 8
// characters on; not a placeholder, a reference or a path to a file.
func isPassword(s string) bool {
	return len(s) >= 8 && !strings.ContainsAny(s, " \t") && !isPlaceholder(s) && !reference.MatchString(s) && !pathLike.MatchString(s)
}

// scanURL checks userinfo passwords and secret-like query parameters.
func scanURL(v config.Value, where string, report reporter) {
	if !v.IsSet() || !strings.Contains(v.Text, "://") {
		return
	}
	u, err := url.Parse(strings.TrimSpace(v.Text))
	if err != nil {
		return
	}
	if p, ok := u.User.Password(); ok && p != "" && !reference.MatchString(p) && !isPlaceholder(p) {
		if i := strings.Index(v.Text, ":"+p+"@"); i >= 0 {
			report(v, i+1, i+1+len(p), "password", where)
			return
		}
	}
	for key, vals := range u.Query() {
		for _, val := range vals {
			i := strings.Index(v.Text, key+"="+val)
			if i < 0 {
				continue
			}
			sub := v.Derived(val, i+len(key)+1, i+len(key)+1+len(val))
			scanValue(sub, key, where+" parameter "+key, func(_ config.Value, a, b int, kind, where string) {
				report(v, i+len(key)+1+a, i+len(key)+1+b, kind, where)
			})
		}
	}
}

func isPlaceholder(s string) bool {
	if placeholder.MatchString(s) {
		return true
	}
	// One repeated character: "aaaaaaaa", "00000000".
	return strings.Count(s, s[:1]) == len(s)
}

// looksRandom: long, no spaces, not a path or URL, high entropy.
func looksRandom(s string) bool {
	if len(s) < 16 || strings.ContainsAny(s, " \t/\\") || strings.Contains(s, "://") || isPlaceholder(s) {
		return false
	}
	return entropy(s) >= 3.5
}

// entropy is the Shannon entropy in bits per character.
func entropy(s string) float64 {
	counts := map[rune]int{}
	n := 0
	for _, r := range s {
		counts[r]++
		n++
	}
	h := 0.0
	for _, c := range counts {
		p := float64(c) / float64(n)
		h -= p * math.Log2(p)
	}
	return h
}

// redact keeps a short prefix so a user can tell which credential it is,
// and never more than a quarter of it.
func redact(s string) string {
	keep := min(4, len(s)/4)
	return fmt.Sprintf("%q (%d characters)", s[:keep]+"…", len([]rune(s)))
}
