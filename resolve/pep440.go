package resolve

import (
	"regexp"
	"strconv"
	"strings"
)

// A small PEP 440 subset: numeric release segments with an optional
// pre-release tag, enough to pick the highest release a range admits. It
// is only used to say which version an unpinned reference resolves to.

var pepVersion = regexp.MustCompile(`^v?(\d+(?:\.\d+)*)(?:[.-]?(a|b|rc|c|alpha|beta|pre|preview|dev)\.?(\d*))?(?:[.-]?post\.?\d*)?(?:\+.*)?$`)

func isPreRelease(v string) bool {
	m := pepVersion.FindStringSubmatch(strings.ToLower(v))
	return m == nil || m[2] != ""
}

// pepCompare compares two versions' release segments, then pre-release.
func pepCompare(a, b string) int {
	ma, mb := pepVersion.FindStringSubmatch(strings.ToLower(a)), pepVersion.FindStringSubmatch(strings.ToLower(b))
	if ma == nil || mb == nil {
		return strings.Compare(a, b)
	}
	sa, sb := strings.Split(ma[1], "."), strings.Split(mb[1], ".")
	for i := 0; i < max(len(sa), len(sb)); i++ {
		var x, y int
		if i < len(sa) {
			x, _ = strconv.Atoi(sa[i])
		}
		if i < len(sb) {
			y, _ = strconv.Atoi(sb[i])
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	switch {
	case ma[2] == "" && mb[2] != "":
		return 1
	case ma[2] != "" && mb[2] == "":
		return -1
	}
	return strings.Compare(ma[2]+ma[3], mb[2]+mb[3])
}

// pepSatisfies checks one clause: ==, !=, >=, <=, >, <, ~= (and == x.*).
func pepSatisfies(v, clause string) bool {
	for _, op := range []string{"~=", "==", "!=", ">=", "<=", ">", "<"} {
		if !strings.HasPrefix(clause, op) {
			continue
		}
		want := strings.TrimSpace(clause[len(op):])
		if strings.HasSuffix(want, ".*") && (op == "==" || op == "!=") {
			prefix := strings.TrimSuffix(want, ".*")
			match := v == prefix || strings.HasPrefix(v, prefix+".")
			return match == (op == "==")
		}
		c := pepCompare(v, want)
		switch op {
		case "~=":
			parts := strings.Split(want, ".")
			if len(parts) < 2 {
				return false
			}
			prefix := strings.Join(parts[:len(parts)-1], ".")
			return c >= 0 && (v == prefix || strings.HasPrefix(v, prefix+"."))
		case "==":
			return c == 0
		case "!=":
			return c != 0
		case ">=":
			return c >= 0
		case "<=":
			return c <= 0
		case ">":
			return c > 0
		case "<":
			return c < 0
		}
	}
	return false
}
