package cli

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/mcptether/mcptether/report"
	"github.com/sethvargo/go-githubactions"
)

// actionsOutputs sets the step outputs and writes the step summary when
// running in GitHub Actions. Outside Actions (no GITHUB_OUTPUT or
// GITHUB_STEP_SUMMARY) it does nothing: annotations alone are printed.
func actionsOutputs(env Env, res *report.Result, sarifFile string) (err error) {
	// go-githubactions panics when it cannot write those files.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("failed to write GitHub Actions outputs: %v", r)
		}
	}()
	a := githubactions.New(githubactions.WithGetenv(env.Getenv), githubactions.WithWriter(env.Stdout))
	if env.Getenv("GITHUB_OUTPUT") != "" {
		highest := "none"
		if sev, any := res.Highest(); any {
			highest = sev.String()
		}
		a.SetOutput("findings", fmt.Sprint(len(res.Reported())))
		a.SetOutput("highest-severity", highest)
		a.SetOutput("sarif-file", res.RedactString(sarifFile))
	}
	if env.Getenv("GITHUB_STEP_SUMMARY") != "" {
		a.AddStepSummary(res.RedactString(report.StepSummary(res, lineLink(env))))
	}
	return nil
}

// lineLink links a file line at the commit being checked:
// $GITHUB_SERVER_URL/$GITHUB_REPOSITORY/blob/$GITHUB_SHA/path#Lline.
func lineLink(env Env) func(string, int) string {
	server, repo, sha := env.Getenv("GITHUB_SERVER_URL"), env.Getenv("GITHUB_REPOSITORY"), env.Getenv("GITHUB_SHA")
	workspace := env.Getenv("GITHUB_WORKSPACE")
	return func(file string, line int) string {
		if server == "" || repo == "" || sha == "" {
			return ""
		}
		rel := file
		if workspace != "" {
			abs, err := filepath.Abs(file)
			if err != nil {
				return ""
			}
			r, err := filepath.Rel(workspace, abs)
			if err != nil || strings.HasPrefix(r, "..") {
				return "" // outside the repository
			}
			rel = filepath.ToSlash(r)
		}
		u := url.URL{Path: "/" + repo + "/blob/" + sha + "/" + rel}
		return strings.TrimSuffix(server, "/") + u.EscapedPath() + fmt.Sprintf("#L%d", line)
	}
}
