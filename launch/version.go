package launch

import (
	"regexp"
	"strings"
)

var (
	semverExact = regexp.MustCompile(`^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`)
	// PEP 440 public version without wildcards.
	pep440Exact = regexp.MustCompile(`^v?\d+(\.\d+)*((a|b|rc|c|alpha|beta|pre|preview)\d*)?(\.?post\d*)?(\.?dev\d*)?(\+[a-z0-9.]+)?$`)
	nugetExact  = regexp.MustCompile(`^\d+(\.\d+){1,3}(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`)
)

// isExactSemver: one exact version, not a tag or a range.
func isExactSemver(v string) bool { return semverExact.MatchString(v) }

func isExactPEP440(v string) bool { return pep440Exact.MatchString(strings.ToLower(v)) }

func isTemplate(s string) bool {
	return strings.Contains(s, "${") || strings.Contains(s, "{{")
}
