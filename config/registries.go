package config

import "strings"

func (r *reader) registry(eco, setting, scope string, v *Node) {
	if v == nil {
		return
	}
	vals := []*Node{v}
	if v.Kind == Array {
		vals = v.Items
	}
	for _, n := range vals {
		if n.Kind == String && strings.TrimSpace(n.Text) != "" {
			r.f.Registries = append(r.f.Registries, Registry{Ecosystem: eco, Setting: setting, Scope: scope, URL: n.Value()})
		}
	}
}

// readNpmrc: registry=URL and @scope:registry=URL (npm's .npmrc).
func readNpmrc(r *reader, root *Node) {
	for _, m := range root.Members {
		switch {
		case m.Key == "registry":
			r.registry("npm", m.Key, "", m.Value)
			if n := len(r.f.Registries); n > 0 && r.f.Registries[n-1].Setting == "registry" {
				r.f.Registries[n-1].Lookups = true
			}
		case strings.HasPrefix(m.Key, "@") && strings.HasSuffix(m.Key, ":registry"):
			r.registry("npm", m.Key, strings.TrimSuffix(m.Key, ":registry"), m.Value)
		}
	}
}

// readYarnrc: npmRegistryServer, and per scope under npmScopes (Yarn Berry's
// .yarnrc.yml).
func readYarnrc(r *reader, root *Node) {
	r.registry("npm", "npmRegistryServer", "", root.Get("npmRegistryServer"))
	for _, m := range root.Get("npmScopes").objectMembers() {
		r.registry("npm", "npmScopes."+m.Key+".npmRegistryServer", "@"+strings.TrimPrefix(m.Key, "@"), m.Value.Get("npmRegistryServer"))
	}
}

// readPipConf: index-url and extra-index-url in any section of pip.conf.
func readPipConf(r *reader, root *Node) {
	for _, sec := range root.objectMembers() {
		for _, m := range sec.Value.objectMembers() {
			if m.Key == "index-url" || m.Key == "extra-index-url" {
				from := 0
				for _, u := range strings.Fields(m.Value.Text) {
					i := from + strings.Index(m.Value.Text[from:], u)
					from = i + len(u)
					r.f.Registries = append(r.f.Registries, Registry{Ecosystem: "pypi", Setting: sec.Key + "." + m.Key,
						URL: m.Value.Value().Derived(u, i, i+len(u))})
				}
			}
		}
	}
}

// uvIndexes reads uv's settings from t (uv.toml, or [tool.uv]): index-url,
// extra-index-url, [[index]] url, and the [pip] interface's index-url.
func uvIndexes(r *reader, t *Node, prefix string) {
	r.registry("pypi", prefix+"index-url", "", t.Get("index-url"))
	r.registry("pypi", prefix+"extra-index-url", "", t.Get("extra-index-url"))
	for _, ix := range t.Get("index").arrayItems() {
		r.registry("pypi", prefix+"index.url", "", ix.Get("url"))
	}
	r.registry("pypi", prefix+"pip.index-url", "", t.Path("pip", "index-url"))
	r.registry("pypi", prefix+"pip.extra-index-url", "", t.Path("pip", "extra-index-url"))
}

func readUV(r *reader, root *Node) { uvIndexes(r, root, "") }

func readPyproject(r *reader, root *Node) {
	if uv := root.Path("tool", "uv"); uv != nil {
		uvIndexes(r, uv, "tool.uv.")
	}
}

// objectMembers is n's members when n is an object, else none.
func (n *Node) objectMembers() []Member {
	if n == nil || n.Kind != Object {
		return nil
	}
	return n.Members
}
