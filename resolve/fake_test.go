package resolve

import (
	"strings"
	"testing"
	"time"

	"github.com/mcptether/mcptether/internal/fakereg"
)

type world = fakereg.World

var (
	jsonBody     = fakereg.JSON
	rawBody      = fakereg.Raw
	npmPackument = fakereg.NPMPackument
	respondAfter = fakereg.FailFirst
)

func newWorld(t testing.TB) *world { return fakereg.New(t) }

// options points a resolver at the fake world.
func options(w *world) Options {
	return Options{
		Version:      "test",
		NPMRegistry:  w.Reg.URL + "/npm",
		PyPIURL:      w.Reg.URL + "/pypi-root",
		GitHubAPI:    w.GH.URL,
		GitHubToken:  "gh-secret-token",
		OSVURL:       w.Reg.URL + "/osv",
		GoProxy:      w.Reg.URL + "/goproxy,direct",
		NuGetURL:     w.Reg.URL + "/nuget",
		Mirrors:      map[string]string{"docker.io": w.Reg.URL + "/dockerhub", "ghcr.io": w.Reg.URL + "/ghcr"},
		Concurrency:  16,
		MaxWait:      2 * time.Second,
		Timeout:      2 * time.Second,
		Retries:      2,
		RetryWaitMin: 10 * time.Millisecond,
		RetryWaitMax: 50 * time.Millisecond,
	}
}

// restOptions keep GitHub lookups on REST with the token.
func restOptions(w *world) Options {
	o := options(w)
	o.GitHubREST = true
	return o
}

// githubModes runs a test against GitHub's GraphQL API (a token, the
// Actions default) and against REST (no token, or --github-rest).
func githubModes(t *testing.T, test func(t *testing.T, opts func(*world) Options, graphQL bool)) {
	t.Run("graphql", func(t *testing.T) { test(t, options, true) })
	t.Run("rest", func(t *testing.T) { test(t, restOptions, false) })
}

func contains(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
