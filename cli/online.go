package cli

import (
	"flag"
	"fmt"
	"time"

	"github.com/mcptether/mcptether/scan"
)

// onlineFlags configure registry lookups. Every endpoint has a flag and an
// environment variable; scan resolves which wins.
type onlineFlags struct {
	strict  bool
	verbose bool
	ep      scan.Endpoints
}

type mirrorFlag map[string]string

func (m mirrorFlag) String() string     { return "" }
func (m mirrorFlag) Set(v string) error { return scan.ParseMirrors(v, m) }

func (o *onlineFlags) register(fs *flag.FlagSet) {
	o.ep.Mirrors = map[string]string{}
	e := &o.ep
	fs.BoolVar(&o.strict, "strict", false, "report lookups that could not be made (unverifiable) at high severity")
	fs.IntVar(&e.Concurrency, "concurrency", 16, "lookups in flight at once")
	fs.DurationVar(&e.MaxWait, "max-wait", time.Minute, "longest wait for a rate limit before its lookups become unverifiable")
	fs.DurationVar(&e.Timeout, "timeout", 30*time.Second, "timeout of one request")
	fs.StringVar(&e.CacheDir, "cache-dir", "", "HTTP cache `DIR` (env MCPTETHER_CACHE_DIR; default: the user cache dir)")
	fs.BoolVar(&e.NoCache, "no-cache", false, "neither read nor write the HTTP cache")
	fs.BoolVar(&o.verbose, "verbose", false, "log HTTP retries to standard error")
	fs.StringVar(&e.GitHubToken, "github-token", "", "GitHub token (env GITHUB_TOKEN, which is safer: a command line is visible to other processes), sent only to the GitHub API")
	fs.BoolVar(&e.GitHubREST, "github-rest", false, "look repositories up through GitHub's REST API even with a token (env MCPTETHER_GITHUB_REST=1; default: GraphQL batches when there is a token)")
	fs.StringVar(&e.GitHubAPI, "github-api-url", "", "GitHub API `URL` (env GITHUB_API_URL; default https://api.github.com)")
	fs.StringVar(&e.NPMRegistry, "npm-registry", "", "npm registry `URL` (env MCPTETHER_NPM_REGISTRY, npm_config_registry, .npmrc; default https://registry.npmjs.org)")
	fs.StringVar(&e.PyPIURL, "pypi-url", "", "PyPI `URL` (env MCPTETHER_PYPI_URL; default https://pypi.org)")
	fs.StringVar(&e.OSVURL, "osv-url", "", "OSV API `URL` (env MCPTETHER_OSV_URL; default https://api.osv.dev)")
	fs.StringVar(&e.OSVDB, "osv-db", "", "read osv-scanner's offline databases from `DIR` instead of the OSV API (\"default\": $OSV_SCALIBR_LOCAL_DB_CACHE_DIRECTORY or the user cache dir)")
	fs.StringVar(&e.GoProxy, "goproxy", "", "Go module proxies (env GOPROXY; default https://proxy.golang.org)")
	fs.StringVar(&e.NuGetURL, "nuget-url", "", "NuGet flat container `URL` (env MCPTETHER_NUGET_URL; default https://api.nuget.org/v3-flatcontainer)")
	fs.Var(mirrorFlag(e.Mirrors), "registry-mirror", "image registry mirror `HOST=URL`, repeatable (env MCPTETHER_REGISTRY_MIRRORS, comma-separated)")
}

// endpoints are the online flags, with the verbose log wired to stderr.
func (o *onlineFlags) endpoints(env Env) (scan.Endpoints, error) {
	e := o.ep
	if e.Concurrency < 1 {
		return e, fmt.Errorf("--concurrency must be at least 1")
	}
	if o.verbose {
		e.Verbose = env.Stderr
	}
	return e, nil
}
