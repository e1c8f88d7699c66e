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

func contains(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
