package cli

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/mcptether/mcptether/config"
	"github.com/mcptether/mcptether/internal/safefile"
	"github.com/mcptether/mcptether/resolve"
)

// onlineFlags configure registry lookups. Every endpoint has a flag and an
// environment variable; the flag wins.
type onlineFlags struct {
	strict      bool
	concurrency int
	maxWait     time.Duration
	timeout     time.Duration
	cacheDir    string
	noCache     bool
	verbose     bool
	githubToken string
	githubAPI   string
	npm         string
	pypi        string
	osv         string
	osvDB       string
	goproxy     string
	nuget       string
	mirrors     mirrorFlag
}

type mirrorFlag map[string]string

func (m mirrorFlag) String() string { return "" }

func (m mirrorFlag) Set(v string) error {
	for _, pair := range strings.Split(v, ",") {
		host, u, ok := strings.Cut(strings.TrimSpace(pair), "=")
		if !ok || host == "" || u == "" {
			return fmt.Errorf("want HOST=URL, got %q", pair)
		}
		m[host] = u
	}
	return nil
}

func (o *onlineFlags) register(fs *flag.FlagSet) {
	o.mirrors = mirrorFlag{}
	fs.BoolVar(&o.strict, "strict", false, "report lookups that could not be made (unverifiable) at high severity")
	fs.IntVar(&o.concurrency, "concurrency", 16, "lookups in flight at once")
	fs.DurationVar(&o.maxWait, "max-wait", time.Minute, "longest wait for a rate limit before its lookups become unverifiable")
	fs.DurationVar(&o.timeout, "timeout", 30*time.Second, "timeout of one request")
	fs.StringVar(&o.cacheDir, "cache-dir", "", "HTTP cache `DIR` (env MCPTETHER_CACHE_DIR; default: the user cache dir)")
	fs.BoolVar(&o.noCache, "no-cache", false, "neither read nor write the HTTP cache")
	fs.BoolVar(&o.verbose, "verbose", false, "log HTTP retries to standard error")
	fs.StringVar(&o.githubToken, "github-token", "", "GitHub token (env GITHUB_TOKEN), sent only to the GitHub API host")
	fs.StringVar(&o.githubAPI, "github-api-url", "", "GitHub API `URL` (env GITHUB_API_URL; default "+resolve.DefaultGitHubAPI+")")
	fs.StringVar(&o.npm, "npm-registry", "", "npm registry `URL` (env MCPTETHER_NPM_REGISTRY, npm_config_registry, .npmrc; default "+resolve.DefaultNPMRegistry+")")
	fs.StringVar(&o.pypi, "pypi-url", "", "PyPI `URL` (env MCPTETHER_PYPI_URL; default "+resolve.DefaultPyPIURL+")")
	fs.StringVar(&o.osv, "osv-url", "", "OSV API `URL` (env MCPTETHER_OSV_URL; default "+resolve.DefaultOSVURL+")")
	fs.StringVar(&o.osvDB, "osv-db", "", "read osv-scanner's offline databases from `DIR` instead of the OSV API (\"default\": $OSV_SCALIBR_LOCAL_DB_CACHE_DIRECTORY or the user cache dir)")
	fs.StringVar(&o.goproxy, "goproxy", "", "Go module proxies (env GOPROXY; default "+resolve.DefaultGoProxy+")")
	fs.StringVar(&o.nuget, "nuget-url", "", "NuGet flat container `URL` (env MCPTETHER_NUGET_URL; default "+resolve.DefaultNuGetURL+")")
	fs.Var(o.mirrors, "registry-mirror", "image registry mirror `HOST=URL`, repeatable (env MCPTETHER_REGISTRY_MIRRORS, comma-separated)")
}

// first returns the first non-empty value.
func first(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// options builds the resolver's options from flags, then the environment.
func (o *onlineFlags) options(env Env) (resolve.Options, error) {
	get := env.Getenv
	opts := resolve.Options{
		Version:     version(),
		GitHubToken: first(o.githubToken, get("GITHUB_TOKEN")),
		GitHubAPI:   first(o.githubAPI, get("GITHUB_API_URL")),
		NPMRegistry: first(o.npm, get("MCPTETHER_NPM_REGISTRY"), get("npm_config_registry"), get("NPM_CONFIG_REGISTRY")),
		PyPIURL:     first(o.pypi, get("MCPTETHER_PYPI_URL")),
		OSVURL:      first(o.osv, get("MCPTETHER_OSV_URL")),
		GoProxy:     first(o.goproxy, get("GOPROXY")),
		NuGetURL:    first(o.nuget, get("MCPTETHER_NUGET_URL")),
		Mirrors:     map[string]string{},
		Concurrency: o.concurrency,
		MaxWait:     o.maxWait,
		Timeout:     o.timeout,
		Now:         env.Now,
	}
	if opts.NPMRegistry == "" {
		// What npx would install from: used for lookups, but as the tree's
		// word, never as a configured endpoint (see registry-override).
		opts.TreeNPMRegistry = npmrcRegistry(".npmrc")
	}
	if v := get("MCPTETHER_REGISTRY_MIRRORS"); v != "" {
		if err := mirrorFlag(opts.Mirrors).Set(v); err != nil {
			return opts, fmt.Errorf("MCPTETHER_REGISTRY_MIRRORS: %w", err)
		}
	}
	for h, u := range o.mirrors {
		opts.Mirrors[h] = u
	}
	if o.concurrency < 1 {
		return opts, fmt.Errorf("--concurrency must be at least 1")
	}
	if o.verbose {
		opts.Verbose = env.Stderr
	}
	switch o.osvDB {
	case "":
	case "default":
		dir := get("OSV_SCALIBR_LOCAL_DB_CACHE_DIRECTORY")
		if dir == "" {
			ucd, err := os.UserCacheDir()
			if err != nil {
				return opts, fmt.Errorf("--osv-db default: %w", err)
			}
			dir = ucd
		}
		opts.OSVDB = dir
	default:
		opts.OSVDB = o.osvDB
	}
	if !o.noCache {
		dir := first(o.cacheDir, get("MCPTETHER_CACHE_DIR"))
		if dir == "" {
			if ucd, err := os.UserCacheDir(); err == nil {
				dir = filepath.Join(ucd, "mcptether")
			}
		}
		opts.CacheDir = dir
	}
	return opts, nil
}

// npmrcRegistry reads the working directory's .npmrc "registry=" line, as
// config reads it (a regular file inside the directory, bounded).
func npmrcRegistry(name string) string {
	root, err := os.OpenRoot(".")
	if err != nil {
		return ""
	}
	defer root.Close()
	src, err := safefile.Read(root, name, config.MaxFileSize)
	if err != nil || len(src) > config.MaxFileSize {
		return ""
	}
	if f := config.Parse(".npmrc", src); f != nil {
		for _, r := range f.Registries {
			if r.Setting == "registry" {
				return r.URL.Text
			}
		}
	}
	return ""
}

// truthy reads boolean environment variables.
func truthy(s string) bool {
	b, err := strconv.ParseBool(s)
	return err == nil && b
}
