package config

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// The README's host table lists every row of formats: each host with each
// of its path patterns, and no host the table does not have.
func TestReadmeHostTableMatchesFormats(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(readme)
	start := strings.Index(text, "| host | files |")
	if start < 0 {
		t.Fatal("README has no host table")
	}
	end := strings.Index(text[start:], "\n\n")
	rows := map[string]string{} // host → files cell
	for _, line := range strings.Split(text[start:start+end], "\n")[2:] {
		cells := strings.Split(strings.Trim(line, "|"), " | ")
		if len(cells) != 2 {
			t.Fatalf("odd table row %q", line)
		}
		rows[strings.TrimSpace(cells[0])] = cells[1]
	}
	hosts := map[string]bool{}
	for _, f := range formats {
		hosts[f.host] = true
		cell, ok := rows[f.host]
		if !ok {
			t.Errorf("format %s: host %q has no README row", f.id, f.host)
			continue
		}
		for _, p := range f.paths {
			if !strings.Contains(cell, "`"+p+"`") {
				t.Errorf("format %s: README row %q does not list `%s`", f.id, f.host, p)
			}
		}
	}
	for h := range rows {
		if !hosts[h] {
			t.Errorf("README host %q is no format's host", h)
		}
	}
}

// Every path pattern is one the walker can select by name, and a row's
// patterns are recognised as that row (no earlier row shadows them).
func TestFormatRowsAreReachable(t *testing.T) {
	example := regexp.MustCompile(`\*`)
	for _, f := range formats {
		for _, p := range f.paths {
			concrete := example.ReplaceAllString(p, "x")
			dir, name := "", concrete
			if i := strings.LastIndex(concrete, "/"); i >= 0 {
				dir, name = concrete[:i], concrete[i+1:]
			}
			if !IsCandidate("repo/"+dir, name) {
				t.Errorf("%s: %s is not a walker candidate", f.id, concrete)
			}
			if got := detect("repo/" + concrete); got != f {
				t.Errorf("%s: repo/%s is detected as %v", f.id, concrete, got)
			}
		}
	}
}
