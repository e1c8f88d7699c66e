package checks

import (
	"strings"
	"testing"
	"time"

	"github.com/mcptether/mcptether/facts"
	"github.com/mcptether/mcptether/launch"
	"github.com/mcptether/mcptether/policy"
)

var hijackNow = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// fixture is one server and the facts the resolver would have found.
type fixture struct {
	name   string
	path   string // config path (default .mcp.json)
	src    string // config content
	pkg    *facts.Package
	repos  []*facts.Repo
	owners []*facts.Owner
	rule   *Rule
	want   int
	sev    Severity
	msg    string
	pol    *policy.Policy
	minAge time.Duration
}

func run1(t *testing.T, fx fixture) []Finding {
	t.Helper()
	path := fx.path
	if path == "" {
		path = ".mcp.json"
	}
	files := parsed(t, path, fx.src)
	servers := launch.DecodeAll(files)
	fs := facts.New()
	if fx.pkg != nil {
		for _, ref := range servers[0].Refs {
			if ref.Kind == launch.Package || ref.Kind == launch.Image {
				fs.Packages[facts.Key(ref)] = fx.pkg
				break
			}
		}
	}
	for _, r := range fx.repos {
		fs.Repos[strings.ToLower(r.Name)] = r
	}
	for _, o := range fx.owners {
		fs.Owners[strings.ToLower(o.Login)] = o
	}
	return ids(Run(All, &Input{Files: files, Servers: servers, Facts: fs, Now: hijackNow, Policy: fx.pol, MinReleaseAge: fx.minAge}), fx.rule.ID)
}

func runFixtures(t *testing.T, fxs []fixture) {
	t.Helper()
	for _, fx := range fxs {
		got := run1(t, fx)
		if len(got) != fx.want {
			t.Errorf("%s: %d %s findings, want %d: %+v", fx.name, len(got), fx.rule.ID, fx.want, got)
			continue
		}
		for _, f := range got {
			if fx.sev != 0 && f.Severity != fx.sev {
				t.Errorf("%s: severity %s, want %s", fx.name, f.Severity, fx.sev)
			}
			if fx.msg != "" && !strings.Contains(f.Message, fx.msg) {
				t.Errorf("%s: message %q lacks %q", fx.name, f.Message, fx.msg)
			}
		}
	}
}

func npx(spec string) string { return server("npx", "-y", spec) }

func healthy(repo string) *facts.Package {
	return &facts.Package{Exists: facts.Yes, Version: "1.2.0", Published: hijackNow.AddDate(0, -2, 0), Publisher: "alice", Repository: repo}
}

var (
	okRepo    = &facts.Repo{Name: "github.com/acme/server", Status: facts.RepoOK}
	acmeOwner = &facts.Owner{Login: "github.com/acme", Status: facts.OwnerExists}
)

func TestUnclaimedPackage(t *testing.T) {
	runFixtures(t, []fixture{
		{name: "npm 404", src: npx("nobody-has-this@1.0.0"), pkg: &facts.Package{Exists: facts.No}, rule: UnclaimedPackage, want: 1, sev: Critical, msg: "does not exist"},
		{name: "image 404", src: server("docker", "run", "ghost/img:1"), pkg: &facts.Package{Exists: facts.No}, rule: UnclaimedPackage, want: 1, msg: "image repository"},
		// A scope with an owner: only the owner can publish the name.
		{name: "owned scope", src: npx("@acme/serverr@1.0.0"), pkg: &facts.Package{Exists: facts.No, ScopeOwned: facts.Yes}, rule: UnclaimedPackage, want: 1, sev: Medium,
			msg: "the scope @acme has an owner (packages are published under it), and only that owner can publish it: the reference is broken or mistyped"},
		{name: "free-looking scope", src: npx("@nobody/tool@1.0.0"), pkg: &facts.Package{Exists: facts.No, ScopeOwned: facts.No}, rule: UnclaimedPackage, want: 1, sev: Critical,
			msg: "no package is published under the scope @nobody, so the scope looks free"},
		{name: "scope not checked", src: npx("@x/tool@1.0.0"), pkg: &facts.Package{Exists: facts.No}, rule: UnclaimedPackage, want: 1, sev: Critical, msg: "whether the scope @x has an owner could not be checked"},
		// PyPI refuses the standard library's names.
		{name: "pypi stdlib name", src: server("uvx", "asyncio==3.4.3"), pkg: &facts.Package{Exists: facts.No}, rule: UnclaimedPackage, want: 1, sev: Medium, msg: "PyPI refuses to register"},
		{name: "pypi stdlib name, other spelling", src: server("uvx", "XMLRPC==1.0"), pkg: &facts.Package{Exists: facts.No}, rule: UnclaimedPackage, want: 1, sev: Medium},
		{name: "pypi free name", src: server("uvx", "mcp-server-nobody==1.0"), pkg: &facts.Package{Exists: facts.No}, rule: UnclaimedPackage, want: 1, sev: Critical},
		{name: "could not check is not unclaimed", src: npx("x@1.0.0"), pkg: &facts.Package{Exists: facts.Unknown, Unknowns: []string{"timeout"}}, rule: UnclaimedPackage, want: 0},
		{name: "exists", src: npx("x@1.0.0"), pkg: healthy(""), rule: UnclaimedPackage, want: 0},
	})
}

func TestRepoRules(t *testing.T) {
	moved := &facts.Repo{Name: "github.com/old/tool", Status: facts.RepoRedirected, RedirectedTo: "github.com/new/tool"}
	gone := &facts.Repo{Name: "github.com/acme/gone", Status: facts.RepoMissing}
	orphan := &facts.Repo{Name: "github.com/ghost/tool", Status: facts.RepoMissing}
	archived := &facts.Repo{Name: "github.com/acme/server", Status: facts.RepoArchived}
	free := func(login string) *facts.Owner {
		return &facts.Owner{Login: "github.com/" + login, Status: facts.OwnerFree}
	}
	sha := strings.Repeat("a", 40)
	manifest := func(repo string) string {
		return `{"name":"io.github.acme/server","repository":{"url":"` + repo + `"},"packages":[{"registryType":"npm","identifier":"@acme/server","version":"1.2.0"}]}`
	}
	runFixtures(t, []fixture{
		// repo-owner-claimable, for each kind of repository reference
		{name: "git source, owner deleted", src: npx("github:ghost/tool#" + sha), repos: []*facts.Repo{orphan}, owners: []*facts.Owner{free("ghost")}, rule: RepoOwnerClaimable, want: 1, sev: Critical, msg: `account "github.com/ghost"`},
		{name: "declared repository", src: npx("tool@1.0.0"), pkg: healthy("github.com/ghost/tool"), repos: []*facts.Repo{orphan}, owners: []*facts.Owner{free("ghost")}, rule: RepoOwnerClaimable, want: 1, msg: "repository declared by npm package"},
		{name: "manifest repository", path: "server.json", src: manifest("https://github.com/ghost/tool"), pkg: healthy("github.com/ghost/tool"), repos: []*facts.Repo{orphan}, owners: []*facts.Owner{free("ghost")}, rule: RepoOwnerClaimable, want: 2},
		{name: "renamed, old login free", src: npx("github:old/tool#" + sha), repos: []*facts.Repo{moved}, owners: []*facts.Owner{free("old")}, rule: RepoOwnerClaimable, want: 1},
		{name: "deleted repo, owner exists", src: npx("github:acme/gone#" + sha), repos: []*facts.Repo{gone}, owners: []*facts.Owner{acmeOwner}, rule: RepoOwnerClaimable, want: 0},
		{name: "archived repo of a pinned healthy package", src: npx("tool@1.2.0"), pkg: healthy("github.com/acme/server"), repos: []*facts.Repo{archived}, owners: []*facts.Owner{acmeOwner}, rule: RepoOwnerClaimable, want: 0},
		{name: "owner unknown", src: npx("github:ghost/tool#" + sha), repos: []*facts.Repo{orphan}, owners: []*facts.Owner{{Login: "github.com/ghost", Status: facts.OwnerUnknown}}, rule: RepoOwnerClaimable, want: 0},
		// repo-redirected
		{name: "redirected", src: npx("github:old/tool#" + sha), repos: []*facts.Repo{moved}, rule: RepoRedirected, want: 1, sev: High, msg: "moved to github.com/new/tool"},
		{name: "already updated", src: npx("github:new/tool#" + sha), repos: []*facts.Repo{{Name: "github.com/new/tool", Status: facts.RepoOK}}, rule: RepoRedirected, want: 0},
		// repo-missing
		{name: "missing, owner exists", src: npx("github:acme/gone#" + sha), repos: []*facts.Repo{gone}, owners: []*facts.Owner{acmeOwner}, rule: RepoMissing, want: 1, sev: Medium},
		{name: "missing, owner free is the other rule", src: npx("github:ghost/tool#" + sha), repos: []*facts.Repo{orphan}, owners: []*facts.Owner{free("ghost")}, rule: RepoMissing, want: 0},
		{name: "archived is not missing", src: npx("tool@1.2.0"), pkg: healthy("github.com/acme/server"), repos: []*facts.Repo{archived}, rule: RepoMissing, want: 0},
		// deprecated-package: archived repositories
		{name: "archived repo", src: npx("tool@1.2.0"), pkg: healthy("github.com/acme/server"), repos: []*facts.Repo{archived}, rule: DeprecatedPackage, want: 1, msg: "is archived"},
		{name: "healthy repo", src: npx("tool@1.2.0"), pkg: healthy("github.com/acme/server"), repos: []*facts.Repo{okRepo}, rule: DeprecatedPackage, want: 0},
	})
}

func TestProvenanceMismatch(t *testing.T) {
	manifest := func(name, repo string) string {
		return `{"name":"` + name + `","repository":{"url":"` + repo + `"},"packages":[{"registryType":"npm","identifier":"@acme/server","version":"1.2.0"}]}`
	}
	withName := healthy("github.com/acme/server")
	withName.MCPName = "io.github.acme/server"
	attested := healthy("github.com/acme/server")
	attested.ProvenanceRepo = "github.com/evil/fork"
	attestedOK := healthy("github.com/acme/server")
	attestedOK.ProvenanceRepo = "github.com/Acme/Server"
	image := &facts.Package{Exists: facts.Yes, Version: "1.0", Repository: "github.com/other/image-src", RepositoryFrom: "image label org.opencontainers.image.source"}
	runFixtures(t, []fixture{
		{name: "manifest vs package repository", path: "server.json", src: manifest("io.github.acme/server", "https://github.com/someone/else"), pkg: withName, rule: ProvenanceMismatch, want: 1, sev: High, msg: "declares github.com/acme/server"},
		{name: "manifest name vs mcpName", path: "server.json", src: manifest("io.github.other/server", "https://github.com/acme/server"), pkg: withName, rule: ProvenanceMismatch, want: 1, msg: `says it is "io.github.acme/server"`},
		{name: "attestation vs declared", src: npx("@acme/server@1.2.0"), pkg: attested, rule: ProvenanceMismatch, want: 1, msg: "built from github.com/evil/fork"},
		{name: "image label vs manifest", path: "server.json", src: `{"name":"n","repository":{"url":"https://github.com/acme/server"},"packages":[{"registryType":"oci","identifier":"ghcr.io/acme/server:1.0"}]}`, pkg: image, rule: ProvenanceMismatch, want: 1},
		// hard negatives
		{name: "same repository, other spelling", path: "server.json", src: manifest("io.github.acme/server", "git+https://www.github.com/ACME/server.git"), pkg: withName, rule: ProvenanceMismatch, want: 0},
		{name: "manifest names the repository's new home", path: "server.json", src: manifest("io.github.acme/server", "https://github.com/acme-corp/server"), pkg: withName,
			repos: []*facts.Repo{{Name: "github.com/acme/server", Status: facts.RepoRedirected, RedirectedTo: "github.com/acme-corp/server"}}, rule: ProvenanceMismatch, want: 0},
		{name: "attestation agrees", src: npx("@acme/server@1.2.0"), pkg: attestedOK, rule: ProvenanceMismatch, want: 0},
		{name: "no mcpName published", path: "server.json", src: manifest("io.github.acme/server", "https://github.com/acme/server"), pkg: healthy("github.com/acme/server"), rule: ProvenanceMismatch, want: 0},
	})
}

func TestLookalikePackage(t *testing.T) {
	mallory := &facts.Package{Exists: facts.Yes, Version: "1.0.0", Publisher: "mallory", Repository: "github.com/mallory/x"}
	official := &facts.Package{Exists: facts.Yes, Version: "1.0.0", Publisher: "someone", Repository: "github.com/modelcontextprotocol/servers"}
	cases := []fixture{
		{name: "scope changed", src: npx("@modelcontext-protocol/server-github@1.0.0"), pkg: mallory, want: 1, sev: High, msg: "under @modelcontext-protocol instead of @modelcontextprotocol"},
		{name: "scope dropped", src: npx("server-filesystem@1.0.0"), pkg: mallory, want: 1, msg: "without its scope"},
		{name: "affix moved", src: npx("github-mcp@1.0.0"), pkg: mallory, want: 1, msg: "affixes"},
		{name: "typo", src: npx("@modelcontextprotocol/server-githb@1.0.0"), want: 0}, // official scope: only its owner publishes there
		{name: "typo unscoped", src: npx("figma-developr-mcp@1.0.0"), pkg: mallory, want: 1, msg: "typo"},
		{name: "separator swap pypi", src: server("uvx", "mcp_server.fetch==1.0"), want: 0}, // same normalised PyPI name
		{name: "typo pypi", src: server("uvx", "mcp-server-fecth==1.0"), pkg: mallory, want: 1, msg: "typo"},
		{name: "homoglyph", src: npx("chrorne-devtools-mcp@1.0.0"), pkg: mallory, want: 1, msg: "look-alike"},
		{name: "image namespace", src: server("docker", "run", "mcpp/fetch:1@sha256:"+strings.Repeat("a", 64)), pkg: mallory, want: 1},
		{name: "offline: name alone, medium", src: npx("@modelcontext-protocol/server-github@1.0.0"), want: 1, sev: Medium, msg: "name alone"},
		{name: "offline: an affix variant by name alone, low", src: npx("github-mcp@1.0.0"), want: 1, sev: Low, msg: "name alone"},
		// hard negatives
		{name: "the official package itself", src: npx("@modelcontextprotocol/server-github@2025.4.8"), pkg: official, want: 0},
		{name: "an official name in another ecosystem", src: server("uvx", "chrome-devtools-mcp==1.0"), pkg: mallory, want: 0},
		{name: "lookalike by the expected owner", src: npx("github-mcp@1.0.0"), pkg: official, want: 0},
		{name: "unrelated name", src: npx("weather-forecast-mcp@1.0.0"), pkg: mallory, want: 0},
		{name: "unclaimed lookalike is reported as unclaimed", src: npx("github-mcp@1.0.0"), pkg: &facts.Package{Exists: facts.No}, want: 0},
		{name: "trusted scope", src: npx("@acme/server-github@1.0.0"), pkg: mallory, pol: &policy.Policy{Trusted: policy.Trusted{Scopes: []string{"@acme"}}}, want: 0},
		{name: "trusted owner", src: npx("github-mcp@1.0.0"), pkg: mallory, pol: &policy.Policy{Trusted: policy.Trusted{Owners: []string{"mallory"}}}, want: 0},
	}
	for i := range cases {
		cases[i].rule = LookalikePackage
	}
	runFixtures(t, cases)
	if len(officials) < 60 {
		t.Errorf("the curated list has %d entries, want at least 60", len(officials))
	}
	for _, o := range officials {
		if got, how, _ := imitates(o.Ecosystem, o.Name); got != nil {
			t.Errorf("official %s is reported as imitating %s (%s)", o.Name, got.Name, how)
		}
		if len(o.Owners) == 0 {
			t.Errorf("official %s has no owners", o.Name)
		}
	}
}

func TestVersionRules(t *testing.T) {
	dep := healthy("")
	dep.Deprecated = "moved to github/github-mcp-server"
	yanked := healthy("")
	yanked.Yanked = true
	yankedWhy := healthy("")
	yankedWhy.Yanked, yankedWhy.YankedReason = true, "Broken regex dependency. Use 21.11b1 instead."
	script := healthy("")
	script.Scripts = []string{"postinstall"}
	fresh := healthy("")
	fresh.Published = hijackNow.Add(-48 * time.Hour)
	handover := healthy("")
	handover.Publisher, handover.Provenance = "mallory", facts.No
	handover.History = []facts.Release{{Version: "1.1.0", Publisher: "alice", Provenance: facts.Yes}, {Version: "1.0.0", Publisher: "bob", Provenance: facts.Yes}}
	lostProvenance := healthy("")
	lostProvenance.Provenance = facts.No
	lostProvenance.History = []facts.Release{{Version: "1.1.0", Publisher: "alice", Provenance: facts.Yes}}
	sameTeam := healthy("")
	sameTeam.Publisher = "bob"
	sameTeam.History = []facts.Release{{Version: "1.1.0", Publisher: "alice"}, {Version: "1.0.0", Publisher: "bob"}}
	evil := healthy("")
	evil.Advisories = []facts.Advisory{{ID: "MAL-2025-1", Summary: "Malicious code in x", Malicious: true}, {ID: "GHSA-1", Summary: "ReDoS"}}
	vuln := healthy("")
	vuln.Advisories = []facts.Advisory{{ID: "GHSA-1", Summary: "ReDoS"}}
	unread := healthy("")
	unread.Advisories = []facts.Advisory{{ID: "GHSA-2", Unread: "api.osv.dev could not be reached (connection refused)"}}
	runFixtures(t, []fixture{
		{name: "deprecated", src: npx("x@1.2.0"), pkg: dep, rule: DeprecatedPackage, want: 1, sev: Medium, msg: `"moved to github/github-mcp-server"`},
		{name: "yanked", src: server("uvx", "x==1.2.0"), pkg: yanked, rule: DeprecatedPackage, want: 1, msg: "is yanked from PyPI, with no reason given; pin a release that is not yanked"},
		{name: "advisory record unread", src: npx("x@1.2.0"), pkg: unread, rule: KnownVulnerability, want: 1, sev: Medium, msg: "is affected by GHSA-2, whose record could not be fetched: its severity and fixed version are unknown, so it is reported at medium"},
		{name: "yanked, with a reason", src: server("uvx", "x==1.2.0"), pkg: yankedWhy, rule: DeprecatedPackage, want: 1, msg: `is yanked from PyPI: "Broken regex dependency. Use 21.11b1 instead."; move to what the reason names`},
		{name: "install script", src: npx("x@1.2.0"), pkg: script, rule: InstallScript, want: 1, sev: Medium, msg: "runs postinstall"},
		{name: "no install script", src: npx("x@1.2.0"), pkg: healthy(""), rule: InstallScript, want: 0},
		{name: "fresh, unpinned", src: npx("x"), pkg: fresh, rule: FreshRelease, want: 1, sev: Medium, msg: "1.2.0 (unpinned: the version npx installs today) was published 2 days ago"},
		{name: "fresh under a policy of 1 day", src: npx("x"), pkg: fresh, rule: FreshRelease, minAge: 24 * time.Hour, want: 0},
		{name: "old enough", src: npx("x@1.2.0"), pkg: healthy(""), rule: FreshRelease, want: 0},
		{name: "new publisher, provenance lost", src: npx("x"), pkg: handover, rule: PublisherChanged, want: 1, sev: High, msg: `published by "mallory", who published none of the previous 2 versions (alice, bob), and without the provenance`},
		{name: "provenance lost", src: npx("x@1.2.0"), pkg: lostProvenance, rule: PublisherChanged, want: 1, msg: "no provenance attestation"},
		{name: "a publisher of earlier versions", src: npx("x@1.2.0"), pkg: sameTeam, rule: PublisherChanged, want: 0},
		{name: "first release", src: npx("x@1.2.0"), pkg: healthy(""), rule: PublisherChanged, want: 0},
		{name: "publisher unknown (mirror)", src: npx("x@1.2.0"), pkg: &facts.Package{Exists: facts.Yes, Version: "1.2.0", History: []facts.Release{{Publisher: "alice"}}}, rule: PublisherChanged, want: 0},
		{name: "malware", src: npx("x@1.2.0"), pkg: evil, rule: MaliciousPackage, want: 1, sev: Critical, msg: "MAL-2025-1 (Malicious code in x)"},
		{name: "a vulnerability is not malware", src: npx("x@1.2.0"), pkg: vuln, rule: MaliciousPackage, want: 0},
	})
}

func TestRepoResurrected(t *testing.T) {
	withID := func(url, id string) string {
		return `{"name":"io.github.acme/server","repository":{"url":"` + url + `","source":"github","id":"` + id + `"},` +
			`"packages":[{"registryType":"npm","identifier":"@acme/server","version":"1.2.0"}]}`
	}
	repo := func(name string, id int64, created time.Time, status facts.RepoStatus) *facts.Repo {
		return &facts.Repo{Name: name, ID: id, Created: created, Status: status}
	}
	published := hijackNow.AddDate(-1, 0, 0)
	pkgFirst := func(first time.Time) *facts.Package {
		p := healthy("github.com/acme/tool")
		p.FirstPublished = first
		return p
	}
	acme := func(id int64) []*facts.Repo {
		return []*facts.Repo{repo("github.com/acme/server", id, published.AddDate(-1, 0, 0), facts.RepoOK)}
	}
	runFixtures(t, []fixture{
		// server.json's repository.id
		{name: "id differs", path: "server.json", src: withID("https://github.com/acme/server", "830366456"), pkg: healthy("github.com/acme/server"), repos: acme(1),
			rule: RepoResurrected, want: 1, sev: Critical, msg: "records repository id 830366456 for github.com/acme/server, but GitHub's repository at that path has id 1"},
		{name: "same id", path: "server.json", src: withID("https://github.com/acme/server", "1"), pkg: healthy("github.com/acme/server"), repos: acme(1), rule: RepoResurrected, want: 0},
		{name: "a renamed repository keeps its id", path: "server.json", src: withID("https://github.com/old/server", "1"), pkg: healthy("github.com/old/server"),
			repos: []*facts.Repo{{Name: "github.com/old/server", ID: 1, Status: facts.RepoRedirected, RedirectedTo: "github.com/acme/server"}}, rule: RepoResurrected, want: 0},
		{name: "not a GitHub id", path: "server.json", src: withID("https://github.com/acme/server", "b94b5f7e-c7c6-d760-2c78-a5e9b8a5b8c9"), pkg: healthy("github.com/acme/server"), repos: acme(1), rule: RepoResurrected, want: 0},
		{name: "repository gone: no id to compare", path: "server.json", src: withID("https://github.com/acme/server", "5"), pkg: healthy("github.com/acme/server"),
			repos: []*facts.Repo{{Name: "github.com/acme/server", Status: facts.RepoMissing}}, rule: RepoResurrected, want: 0},
		{name: "id unknown (lookup failed)", path: "server.json", src: withID("https://github.com/acme/server", "5"), pkg: healthy("github.com/acme/server"),
			repos: []*facts.Repo{{Name: "github.com/acme/server", Status: facts.RepoUnknown}}, rule: RepoResurrected, want: 0},
		{name: "another host", path: "server.json", src: withID("https://gitlab.com/acme/server", "5"), pkg: healthy("gitlab.com/acme/server"),
			repos: []*facts.Repo{repo("gitlab.com/acme/server", 9, published, facts.RepoOK)}, rule: RepoResurrected, want: 0},
		// a repository younger than its package
		{name: "repository created after the first release", src: npx("tool@1.2.0"), pkg: pkgFirst(published),
			repos: []*facts.Repo{repo("github.com/acme/tool", 7, published.AddDate(0, 3, 0), facts.RepoOK)},
			rule:  RepoResurrected, want: 1, sev: High, msg: "first published on 2025-06-01, but its repository github.com/acme/tool was created on 2025-09-01"},
		{name: "archived and younger", src: npx("tool@1.2.0"), pkg: pkgFirst(published),
			repos: []*facts.Repo{repo("github.com/acme/tool", 7, published.AddDate(0, 3, 0), facts.RepoArchived)}, rule: RepoResurrected, want: 1, sev: High},
		{name: "repository older than the package", src: npx("tool@1.2.0"), pkg: pkgFirst(published),
			repos: []*facts.Repo{repo("github.com/acme/tool", 7, published.AddDate(0, -3, 0), facts.RepoOK)}, rule: RepoResurrected, want: 0},
		{name: "created the same day", src: npx("tool@1.2.0"), pkg: pkgFirst(published),
			repos: []*facts.Repo{repo("github.com/acme/tool", 7, published.Add(20*time.Hour), facts.RepoOK)}, rule: RepoResurrected, want: 0},
		{name: "renamed is repo-redirected", src: npx("tool@1.2.0"), pkg: pkgFirst(published),
			repos: []*facts.Repo{{Name: "github.com/acme/tool", Created: published.AddDate(0, 3, 0), Status: facts.RepoRedirected, RedirectedTo: "github.com/new/tool"}}, rule: RepoResurrected, want: 0},
		{name: "first release unknown", src: npx("tool@1.2.0"), pkg: pkgFirst(time.Time{}),
			repos: []*facts.Repo{repo("github.com/acme/tool", 7, published.AddDate(0, 3, 0), facts.RepoOK)}, rule: RepoResurrected, want: 0},
	})
}

func TestServerNotAllowed(t *testing.T) {
	pol := func(src string) *policy.Policy {
		p, err := policy.Parse(".mcptether.yml", []byte(src), ruleIDs())
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	std := pol(`
allow:
  - package: "pkg:npm/@modelcontextprotocol/*"
  - image: ghcr.io/github/github-mcp-server
  - url: "https://mcp.sentry.dev/*"
  - repo: github.com/acme-corp/*
  - command: "node ./tools/*"
deny:
  - package: pkg:npm/mcp-remote
    reason: use the host's native remote support
  - package: "pkg:npm/@modelcontextprotocol/server-everything"
`)
	both := pol("allow:\n  - package: \"pkg:npm/@modelcontextprotocol/*\"\n")
	both.Allows = append(both.Allows, []policy.Entry{{Package: "pkg:npm/@modelcontextprotocol/server-filesystem", File: "repo.yml", Line: 2}})
	remote := `{"mcpServers":{"s":{"type":"http","url":"https://mcp.sentry.dev/mcp"}}}`
	otherRemote := `{"mcpServers":{"s":{"type":"http","url":"https://mcp.evil.example/mcp"}}}`
	hook := `{"hooks":{"PreToolUse":[{"matcher":"*","hooks":[{"type":"command","command":"npx -y some-hook@1.0.0"}]}]}}`
	runFixtures(t, []fixture{
		{name: "allowed package", src: npx("@modelcontextprotocol/server-filesystem@2025.8.21"), pol: std, rule: ServerNotAllowed, want: 0},
		{name: "not on the allow list", src: npx("some-unvetted-mcp@1.0.0"), pol: std, rule: ServerNotAllowed, want: 1, sev: High,
			msg: `server "s" matches no entry of the allow list at .mcptether.yml:3 (it uses pkg:npm/some-unvetted-mcp@1.0.0)`},
		{name: "denied, reason quoted", src: server("npx", "-y", "mcp-remote@0.1.18", "https://mcp.sentry.dev/sse"), pol: std, rule: ServerNotAllowed, want: 1,
			msg: `which the policy denies (package pkg:npm/mcp-remote at .mcptether.yml:9): "use the host's native remote support"`},
		{name: "deny wins over allow", src: npx("@modelcontextprotocol/server-everything@1.0.0"), pol: std, rule: ServerNotAllowed, want: 1, msg: "denies"},
		{name: "allowed image", src: server("docker", "run", "-i", "--rm", "ghcr.io/github/github-mcp-server:v0.1.0"), pol: std, rule: ServerNotAllowed, want: 0},
		{name: "image not allowed", src: server("docker", "run", "-i", "mcp/fetch:1.0"), pol: std, rule: ServerNotAllowed, want: 1, msg: "docker.io/mcp/fetch"},
		{name: "allowed remote", path: ".vscode/mcp.json", src: strings.Replace(remote, "mcpServers", "servers", 1), pol: std, rule: ServerNotAllowed, want: 0},
		{name: "remote not allowed", path: ".vscode/mcp.json", src: strings.Replace(otherRemote, "mcpServers", "servers", 1), pol: std, rule: ServerNotAllowed, want: 1},
		{name: "allowed repository", src: npx("github:acme-corp/tools#" + strings.Repeat("a", 40)), pol: std, rule: ServerNotAllowed, want: 0},
		{name: "allowed local program", src: server("node", "./tools/lint/index.js"), pol: std, rule: ServerNotAllowed, want: 0},
		{name: "a local program matches no package entry", src: server("node", "./server.js"), pol: both, rule: ServerNotAllowed, want: 1},
		{name: "both allow lists must match", src: npx("@modelcontextprotocol/server-memory@1.0.0"), pol: both, rule: ServerNotAllowed, want: 1, msg: "repo.yml:2"},
		{name: "matches both allow lists", src: npx("@modelcontextprotocol/server-filesystem@1.0.0"), pol: both, rule: ServerNotAllowed, want: 0},
		{name: "an empty allow list allows nothing", src: npx("@modelcontextprotocol/server-filesystem@1.0.0"), pol: pol("allow: []\n"), rule: ServerNotAllowed, want: 1, msg: "its allow list"},
		{name: "no lists, no findings", src: npx("anything@1.0.0"), pol: pol("rules: {}\n"), rule: ServerNotAllowed, want: 0},
		{name: "hooks are not servers", path: ".claude/settings.json", src: hook, pol: std, rule: ServerNotAllowed, want: 0},
	})
}
