package report

import (
	"testing"

	"github.com/mcptether/mcptether/checks"
)

func TestLevelsAndScores(t *testing.T) {
	for s, want := range map[checks.Severity][2]string{checks.Critical: {"error", "9.5"}, checks.High: {"error", "8.0"},
		checks.Medium: {"warning", "5.5"}, checks.Low: {"note", "3.0"}, checks.Note: {"note", "1.0"}} {
		if Level(s) != want[0] || Score(s) != want[1] {
			t.Errorf("%s: %s %s, want %v", s, Level(s), Score(s), want)
		}
	}
}
