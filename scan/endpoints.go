package scan

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mcptether/mcptether/config"
	"github.com/mcptether/mcptether/internal/safefile"
	"github.com/mcptether/mcptether/resolve"
)

// Endpoints are the online settings as flags give them; an empty value
// falls back to the environment, then to the default.
type Endpoints struct {
	GitHubToken string
	GitHubAPI   string
	GitHubREST  bool // no GraphQL batches, even with a token
	NPMRegistry string
	PyPIURL     string
	OSVURL      string
	OSVDB       string // "default": osv-scanner's cache directory
	GoProxy     string
	NuGetURL    string
	MCPRegistry string // the MCP registry API (audit)
	// Mirrors maps image registry hosts to base URLs (flags win over
	// MCPTETHER_REGISTRY_MIRRORS).
	Mirrors     map[string]string
	Concurrency int
	MaxWait     time.Duration
	Timeout     time.Duration
	CacheDir    string
	NoCache     bool
	Verbose     io.Writer // HTTP retries are logged here
}

// ParseMirrors reads HOST=URL pairs, comma-separated, into m.
func ParseMirrors(v string, m map[string]string) error {
	for _, pair := range strings.Split(v, ",") {
		host, u, ok := strings.Cut(strings.TrimSpace(pair), "=")
		if !ok || host == "" || u == "" {
			return fmt.Errorf("want HOST=URL, got %q", pair)
		}
		m[host] = u
	}
	return nil
}

func first(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// resolveOptions works out every endpoint: the flag, then the
// environment, then the default (resolve's).
func (o *Options) resolveOptions() (resolve.Options, error) {
	e, get := o.Endpoints, o.Getenv
	ro := resolve.Options{
		Version:     o.Version,
		GitHubToken: first(e.GitHubToken, get("GITHUB_TOKEN")),
		GitHubAPI:   first(e.GitHubAPI, get("GITHUB_API_URL")),
		GitHubREST:  e.GitHubREST || get("MCPTETHER_GITHUB_REST") == "1",
		NPMRegistry: first(e.NPMRegistry, get("MCPTETHER_NPM_REGISTRY"), get("npm_config_registry"), get("NPM_CONFIG_REGISTRY")),
		PyPIURL:     first(e.PyPIURL, get("MCPTETHER_PYPI_URL")),
		OSVURL:      first(e.OSVURL, get("MCPTETHER_OSV_URL")),
		GoProxy:     first(e.GoProxy, get("GOPROXY")),
		NuGetURL:    first(e.NuGetURL, get("MCPTETHER_NUGET_URL")),
		MCPRegistry: first(e.MCPRegistry, get("MCPTETHER_REGISTRY_URL")),
		Mirrors:     map[string]string{},
		Concurrency: e.Concurrency,
		MaxWait:     e.MaxWait,
		Timeout:     e.Timeout,
		Verbose:     e.Verbose,
		Now:         o.Now,
	}
	if ro.NPMRegistry == "" {
		// What npx would install from: used for lookups, but as the tree's
		// word, never as a configured endpoint (see registry-override).
		ro.TreeNPMRegistry = npmrcRegistry(".npmrc")
	}
	if v := get("MCPTETHER_REGISTRY_MIRRORS"); v != "" {
		if err := ParseMirrors(v, ro.Mirrors); err != nil {
			return ro, fmt.Errorf("MCPTETHER_REGISTRY_MIRRORS: %w", err)
		}
	}
	for h, u := range e.Mirrors {
		ro.Mirrors[h] = u
	}
	if e.Concurrency < 0 {
		return ro, fmt.Errorf("--concurrency must be at least 1")
	}
	switch e.OSVDB {
	case "":
	case "default":
		dir := get("OSV_SCALIBR_LOCAL_DB_CACHE_DIRECTORY")
		if dir == "" {
			ucd, err := os.UserCacheDir()
			if err != nil {
				return ro, fmt.Errorf("--osv-db default: %w", err)
			}
			dir = ucd
		}
		ro.OSVDB = dir
	default:
		ro.OSVDB = e.OSVDB
	}
	if !e.NoCache {
		dir := first(e.CacheDir, get("MCPTETHER_CACHE_DIR"))
		if dir == "" {
			if ucd, err := os.UserCacheDir(); err == nil {
				dir = filepath.Join(ucd, "mcptether")
			}
		}
		ro.CacheDir = dir
	}
	return ro, nil
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
