package scan

import (
	"os"
	"testing"
)

// Flags win over the environment, the environment over the working
// directory's .npmrc, which is only ever the tree's word.
func TestEndpointPrecedence(t *testing.T) {
	t.Chdir(t.TempDir())
	os.WriteFile(".npmrc", []byte("; comment\nregistry=https://npm.internal.example/\n"), 0o644)
	with := func(e Endpoints, env map[string]string) Options {
		return Options{Endpoints: e, Getenv: func(k string) string { return env[k] }}
	}
	o := with(Endpoints{Concurrency: 4}, nil)
	o.defaults()
	ro, err := o.resolveOptions()
	if err != nil || ro.NPMRegistry != "" || ro.TreeNPMRegistry != "https://npm.internal.example/" {
		t.Errorf(".npmrc: %q %q %v, want it as the tree's registry, not a configured one", ro.NPMRegistry, ro.TreeNPMRegistry, err)
	}
	o = with(Endpoints{}, map[string]string{"npm_config_registry": "https://b.example", "MCPTETHER_NPM_REGISTRY": "https://a.example"})
	if ro, _ = o.resolveOptions(); ro.NPMRegistry != "https://a.example" || ro.TreeNPMRegistry != "" {
		t.Errorf("MCPTETHER_NPM_REGISTRY should win: %q (tree %q)", ro.NPMRegistry, ro.TreeNPMRegistry)
	}
	o = with(Endpoints{NPMRegistry: "https://flag.example", Mirrors: map[string]string{"ghcr.io": "https://g.example"}},
		map[string]string{"MCPTETHER_NPM_REGISTRY": "https://a.example", "MCPTETHER_REGISTRY_MIRRORS": "docker.io=https://m.example,ghcr.io=https://env.example", "GITHUB_API_URL": "https://ghe.example/api/v3"})
	ro, _ = o.resolveOptions()
	if ro.NPMRegistry != "https://flag.example" || ro.Mirrors["docker.io"] != "https://m.example" || ro.Mirrors["ghcr.io"] != "https://g.example" || ro.GitHubAPI != "https://ghe.example/api/v3" {
		t.Errorf("flags and env: %+v", ro)
	}
	o = with(Endpoints{}, map[string]string{"MCPTETHER_REGISTRY_MIRRORS": "nonsense"})
	if _, err := o.resolveOptions(); err == nil {
		t.Error("bad mirror list accepted")
	}
}
