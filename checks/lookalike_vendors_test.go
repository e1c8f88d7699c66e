package checks

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/mcptether/mcptether/config"
	"github.com/mcptether/mcptether/facts"
	"github.com/mcptether/mcptether/launch"
)

// vendor is a vendor's own MCP package and the account it publishes from.
type vendor struct {
	eco         launch.Ecosystem
	name, owner string
}

// vendorPackages are real vendors' MCP packages, from their docs, the
// corpora in ../../shared and the registry's first seed. None imitates
// another vendor: "@paypal/mcp" is PayPal's, not a copy of "@playwright/mcp".
var vendorPackages = []vendor{
	// Generic names under the vendor's own scope.
	{launch.NPM, "@paypal/mcp", "paypal"}, {launch.NPM, "@figma/mcp", "figma"}, {launch.NPM, "@linear/mcp", "linear"},
	{launch.NPM, "@atlassian/mcp", "atlassian"}, {launch.NPM, "@gitlab/mcp", "gitlab-org"}, {launch.NPM, "@grafana/mcp", "grafana"},
	{launch.NPM, "@railway/mcp-server", "railwayapp"}, {launch.NPM, "@gleanwork/mcp-server", "gleanwork"},
	{launch.NPM, "@makehq/mcp-server", "integromat"}, {launch.NPM, "@browserbasehq/mcp", "browserbase"},
	{launch.NPM, "@azure-devops/mcp", "microsoft"}, {launch.NPM, "@netlify/mcp", "netlify"}, {launch.NPM, "@twilio-alpha/mcp", "twilio-labs"},
	{launch.NPM, "@pulumi/mcp-server", "pulumi"}, {launch.NPM, "@launchdarkly/mcp-server", "launchdarkly"},
	{launch.NPM, "@mapbox/mcp-server", "mapbox"}, {launch.NPM, "@browserstack/mcp-server", "browserstack"},
	{launch.NPM, "@contentful/mcp-server", "contentful"}, {launch.NPM, "@mcpjam/inspector", "MCPJam"},
	{launch.NPM, "@magicuidesign/mcp", "magicuidesign"}, {launch.NPM, "@portone/mcp-server", "portone-io"}, {launch.NPM, "@webclaw/mcp", "0xMassi"},
	{launch.NPM, "@integration-app/mcp-server", "integration-app"}, {launch.NPM, "@ragieai/mcp-server", "ragieai"},
	{launch.NPM, "@getrember/mcp", "rember"}, {launch.NPM, "@horizondatawave/mcp", "horizondatawave"}, {launch.NPM, "@edubase/mcp", "EduBase"},
	{launch.NPM, "@gotohuman/mcp-server", "gotohuman"}, {launch.NPM, "@starwind-ui/mcp", "starwind-ui"}, {launch.NPM, "@hubspot/cli", "HubSpot"},
	// Brand-named packages, the official list's and others.
	{launch.NPM, "@notionhq/notion-mcp-server", "makenotion"}, {launch.NPM, "@stripe/mcp", "stripe"},
	{launch.NPM, "@supabase/mcp-server-supabase", "supabase-community"}, {launch.NPM, "@upstash/context7-mcp", "upstash"},
	{launch.NPM, "@cloudflare/mcp-server-cloudflare", "cloudflare"}, {launch.NPM, "@heroku/mcp-server", "heroku"},
	{launch.NPM, "@browserbasehq/mcp-server-browserbase", "browserbase"}, {launch.NPM, "@modelcontextprotocol/server-filesystem", "modelcontextprotocol"},
	{launch.NPM, "@playwright/mcp", "microsoft"}, {launch.NPM, "@sentry/mcp-server", "getsentry"}, {launch.NPM, "@eslint/mcp", "eslint"},
	{launch.NPM, "@google-cloud/gcloud-mcp", "googleapis"}, {launch.NPM, "@bytebase/dbhub", "bytebase"}, {launch.NPM, "@21st-dev/magic", "21st-dev"},
	{launch.NPM, "@brave/brave-search-mcp-server", "brave"}, {launch.NPM, "@auth0/auth0-mcp-server", "auth0"},
	{launch.NPM, "@apify/actors-mcp-server", "apify"}, {launch.NPM, "@circleci/mcp-server-circleci", "CircleCI-Public"},
	{launch.NPM, "@elastic/mcp-server-elasticsearch", "elastic"}, {launch.NPM, "@datastax/astra-db-mcp", "datastax"},
	{launch.NPM, "@codacy/codacy-mcp", "codacy"}, {launch.NPM, "@dynatrace-oss/dynatrace-mcp-server", "dynatrace-oss"},
	{launch.NPM, "@honeycombio/honeycomb-mcp", "honeycombio"}, {launch.NPM, "@jetbrains/mcp-proxy", "JetBrains"},
	{launch.NPM, "@vectorize-io/vectorize-mcp-server", "vectorize-io"}, {launch.NPM, "@xeroapi/xero-mcp-server", "XeroAPI"},
	{launch.NPM, "@translated/lara-mcp", "translated"}, {launch.NPM, "@bankless/onchain-mcp", "Bankless"},
	{launch.NPM, "@executeautomation/playwright-mcp-server", "executeautomation"}, {launch.NPM, "@marimo-team/codemirror-mcp", "marimo-team"},
	{launch.NPM, "mongodb-mcp-server", "mongodb-js"}, {launch.NPM, "@mongodb-js/mongodb-mcp-server", "mongodb-js"},
	{launch.NPM, "chrome-devtools-mcp", "ChromeDevTools"}, {launch.NPM, "exa-mcp-server", "exa-labs"}, {launch.NPM, "firecrawl-mcp", "mendableai"},
	{launch.NPM, "mcp-remote", "geelen"}, {launch.NPM, "tavily-mcp", "tavily-ai"}, {launch.NPM, "airtable-mcp-server", "domdomegg"},
	{launch.PyPI, "mcp-server-fetch", "modelcontextprotocol"}, {launch.PyPI, "redis-mcp-server", "redis"},
	{launch.PyPI, "mcp-clickhouse", "ClickHouse"}, {launch.PyPI, "mcp-atlassian", "sooperset"}, {launch.PyPI, "mcp-neo4j-cypher", "neo4j-contrib"},
	{launch.PyPI, "awslabs.aws-documentation-mcp-server", "awslabs"}, {launch.PyPI, "awslabs.finch-mcp-server", "awslabs"},
	{launch.PyPI, "mcp-server-qdrant", "qdrant"}, {launch.PyPI, "mcp-server-motherduck", "motherduckdb"}, {launch.PyPI, "mcp-aiven", "Aiven-Open"},
	{launch.PyPI, "iotdb-mcp-server", "apache"}, {launch.PyPI, "keboola-mcp-server", "keboola"}, {launch.PyPI, "uns_mcp", "Unstructured-IO"},
	{launch.OCI, "ghcr.io/github/github-mcp-server", "github"}, {launch.OCI, "docker.io/hashicorp/terraform-mcp-server", "hashicorp"},
	{launch.OCI, "docker.io/mcp/dockerhub", "docker"}, {launch.OCI, "docker.io/grafana/mcp-grafana", "grafana"},
}

// launchOf is a config that launches a package of eco.
func launchOf(eco launch.Ecosystem, name string) string {
	switch eco {
	case launch.PyPI:
		return server("uvx", name+"==1.0.0")
	case launch.OCI:
		return server("docker", "run", "-i", "--rm", name+":1.0.0")
	}
	return npx(name + "@1.0.0")
}

// publishedBy is what the registry says of a package its owner publishes.
func publishedBy(owner string) *facts.Package {
	return &facts.Package{Exists: facts.Yes, Version: "1.0.0", Publisher: strings.ToLower(owner), Repository: "github.com/" + owner + "/mcp"}
}

// Vendors' own packages raise nothing, offline or online.
func TestLookalikeSparesVendors(t *testing.T) {
	var fxs []fixture
	for _, v := range vendorPackages {
		src := launchOf(v.eco, v.name)
		fxs = append(fxs,
			fixture{name: v.name + " offline", src: src, rule: LookalikePackage, want: 0},
			fixture{name: v.name + " by " + v.owner, src: src, pkg: publishedBy(v.owner), rule: LookalikePackage, want: 0})
	}
	runFixtures(t, fxs)
}

// Squats are still reported: by the name alone at medium (low for an
// affix variant), online at high unless the brand's own account publishes.
func TestLookalikeStillCatchesSquats(t *testing.T) {
	mallory := &facts.Package{Exists: facts.Yes, Version: "1.0.0", Publisher: "mallory", Repository: "github.com/mallory/x"}
	digest := "@sha256:" + strings.Repeat("a", 64)
	squats := []struct {
		src string
		sev Severity // offline
		msg string
	}{
		// a scope that imitates the official one, whatever the name
		{npx("@playwrigth/mcp@1.0.0"), Medium, `"@playwright/mcp" (the same name under @playwrigth instead of @playwright)`},
		{npx("@p1aywright/mcp@1.0.0"), Medium, "under @p1aywright instead of @playwright"},
		{npx("@sentyr/mcp-server@1.0.0"), Medium, "under @sentyr instead of @sentry"},
		{npx("@modelcontext-protocol/server-github@1.0.0"), Medium, "under @modelcontext-protocol instead of @modelcontextprotocol"},
		{npx("@model-context-protocol/sdk@1.0.0"), Medium, "under @model-context-protocol instead of @modelcontextprotocol"},
		{npx("@modelcontextprotoco1/inspector@1.0.0"), Medium, `"@modelcontextprotocol/inspector"`},
		// a name that carries the brand, under another scope or none
		{npx("@evil/server-filesystem@1.0.0"), Medium, "under @evil instead of @modelcontextprotocol"},
		{npx("server-filesystem@1.0.0"), Medium, "without its scope @modelcontextprotocol"},
		{npx("@evil/notion-mcp-server@1.0.0"), Medium, "under @evil instead of @notionhq"},
		{npx("@evil/context7-mcp@1.0.0"), Medium, "under @evil instead of @upstash"},
		{npx("@evil/firecrawl-mcp@1.0.0"), Medium, "under @evil instead of no scope"},
		{server("docker", "run", "mcpp/fetch:1"+digest), Medium, "under docker.io/mcpp instead of docker.io/mcp"},
		{server("docker", "run", "evil/github:1"+digest), Medium, "under docker.io/evil instead of docker.io/mcp"},
		// typos, separators, look-alike characters
		{npx("figma-developr-mcp@1.0.0"), Medium, "a typo of it"},
		{npx("mcp-remot@1.0.0"), Medium, "a typo of it"},
		{server("uvx", "mcp-server-fecth==1.0"), Medium, "a typo of it"},
		{npx("firecrawl_mcp@1.0.0"), Medium, "other separators"},
		{npx("chrorne-devtools-mcp@1.0.0"), Medium, "look-alike characters"},
		// mcp/server affixes around a brand
		{npx("github-mcp@1.0.0"), Low, `"@modelcontextprotocol/server-github" (the same name with mcp/server affixes added, removed or moved) but comes from someone else (judged by its name alone)`},
		{npx("redis-mcp-server@1.0.0"), Low, `"@modelcontextprotocol/server-redis"`},
		{npx("notion-mcp@1.0.0"), Low, `"@notionhq/notion-mcp-server"`},
		{npx("mcp-server-chrome-devtools@1.0.0"), Low, `"chrome-devtools-mcp"`},
		{server("uvx", "fetch-mcp-server==1.0"), Low, `"mcp-server-fetch"`},
		{npx("@acme-sentry/sentry-mcp-server@1.0.0"), Low, `"@sentry/mcp-server" (its brand sentry with mcp/server affixes, under @acme-sentry, a scope named after the brand too)`},
		{npx("@redis-cloud/redis-mcp@1.0.0"), Low, `"@modelcontextprotocol/server-redis"`},
	}
	var fxs []fixture
	for _, s := range squats {
		fxs = append(fxs,
			fixture{name: s.src + " offline", src: s.src, rule: LookalikePackage, want: 1, sev: s.sev, msg: s.msg},
			fixture{name: s.src + " by mallory", src: s.src, pkg: mallory, rule: LookalikePackage, want: 1, sev: High, msg: "mallory, not by"})
	}
	fxs = append(fxs,
		// The brand's own account publishes: no imitation.
		fixture{name: "redis's own", src: npx("redis-mcp-server@1.0.0"), pkg: publishedBy("redis"), rule: LookalikePackage, want: 0},
		fixture{name: "github's own", src: npx("github-mcp@1.0.0"), pkg: publishedBy("github"), rule: LookalikePackage, want: 0},
		fixture{name: "sentry's own", src: server("uvx", "sentry-mcp-server==1.0"), pkg: publishedBy("getsentry"), rule: LookalikePackage, want: 0},
		fixture{name: "another brand's account is no owner", src: npx("redis-mcp-server@1.0.0"), pkg: publishedBy("github"), rule: LookalikePackage, want: 1, sev: High,
			msg: "not by modelcontextprotocol or @modelcontextprotocol or redis"},
		// Generic names, and brand names in unrelated or own scopes.
		fixture{name: "generic unscoped", src: npx("mcp-server@1.0.0"), rule: LookalikePackage, want: 0},
		fixture{name: "generic unscoped, mcp", src: npx("mcp@1.0.0"), rule: LookalikePackage, want: 0},
		fixture{name: "generic sdk", src: npx("@acme/sdk@1.0.0"), rule: LookalikePackage, want: 0},
		fixture{name: "generic affix of a generic name", src: npx("dev-mcp-server@1.0.0"), rule: LookalikePackage, want: 0},
		fixture{name: "a personal scope, affixes", src: npx("@gongrzhe/server-redis-mcp@1.0.0"), rule: LookalikePackage, want: 0},
		fixture{name: "a scope named the brand alone", src: npx("@redis/redis-mcp@1.0.0"), rule: LookalikePackage, want: 0},
	)
	runFixtures(t, fxs)
}

// The brand is what a name is known by, from its words or its scope.
func TestBrandOf(t *testing.T) {
	for _, c := range []struct {
		eco         launch.Ecosystem
		name, brand string
	}{
		{launch.NPM, "@sentry/mcp-server", "sentry"}, {launch.NPM, "@modelcontextprotocol/server-redis", "redis"},
		{launch.NPM, "@playwright/mcp", "playwright"}, {launch.NPM, "@notionhq/notion-mcp-server", "notion"},
		{launch.NPM, "@modelcontextprotocol/server-brave-search", "brave-search"}, {launch.NPM, "@shopify/dev-mcp", "shopify"},
		{launch.NPM, "@modelcontextprotocol/sdk", ""}, {launch.OCI, "docker.io/mcp/fetch", "fetch"},
		{launch.OCI, "ghcr.io/github/github-mcp-server", "github"}, {launch.PyPI, "mcp-server-fetch", "fetch"},
	} {
		if got, _ := brandOf(splitScope(c.eco, c.name)); got != c.brand {
			t.Errorf("brandOf(%s) = %q, want %q", c.name, got, c.brand)
		}
	}
}

// seedLookalikes runs the rule offline over server.json documents, one at
// a time, as audit --from does.
func seedLookalikes(t *testing.T, docs []json.RawMessage) (packages int, found []Finding) {
	t.Helper()
	for _, d := range docs {
		f := config.Parse("server.json", d)
		if f == nil || f.Err != nil {
			t.Fatalf("%s: %+v", d, f)
		}
		files := []*config.File{f}
		servers := launch.DecodeAll(files)
		for _, s := range servers {
			for _, r := range s.Refs {
				if r.Kind == launch.Package && (r.Ecosystem == launch.NPM || r.Ecosystem == launch.PyPI) {
					packages++
				}
			}
		}
		found = append(found, ids(Run(All, &Input{Files: files, Servers: servers}), LookalikePackage.ID)...)
	}
	return packages, found
}

// The registry's current seed (three npm and PyPI packages): nothing to
// report, before and after generic names were told from brands.
func TestLookalikeRegistrySeed(t *testing.T) {
	var docs []json.RawMessage
	data, err := os.ReadFile("../testdata/registry/seed_current.json")
	if err != nil || json.Unmarshal(data, &docs) != nil {
		t.Fatalf("seed: %v", err)
	}
	if n, found := seedLookalikes(t, docs); n != 3 || len(found) != 0 {
		t.Errorf("%d npm and PyPI packages, lookalikes %+v", n, found)
	}
}

// firstSeed holds the npm and PyPI packages of the official MCP registry's
// first seed (data/seed_2025_05_16.json of
// https://github.com/modelcontextprotocol/registry at commit
// 81e5174a593a7488715b0bf0ae77a4dc466b4d35; MIT licence, "Copyright (c)
// 2025 GitHub"): registry, name and the owner of the entry's repository.
const firstSeed = `
npm @21st-dev/magic 21st-dev, pypi adfinmcp Adfin-Engineering, npm agentrpc/agentrpc agentrpc
pypi mcp-aiven Aiven-Open, pypi adb-mysql-mcp-server aliyun, pypi iotdb-mcp-server apache
npm @apify/actors-mcp-server apify, npm mcp-audiense-insights AudienseCo
npm @bankless/onchain-mcp Bankless, pypi mcp-server-box box-community
npm @circleci/mcp-server-circleci CircleCI-Public, pypi mcp-clickhouse ClickHouse
npm @cloudflare/mcp-server-cloudflare cloudflare, pypi mcp-couchbase Couchbase-Ecosystem
npm @edgee/mcp-server-edgee edgee-cloud, npm exa-mcp-server exa-labs, pypi fibery-mcp-server Fibery-inc
npm @gleanwork/mcp-server gleanwork, npm graphlit-mcp-server graphlit
pypi greptimedb-mcp-server GreptimeTeam, npm hyperbrowser-mcp hyperbrowserai, pypi inkeep-mcp-server inkeep
npm @integration-app/mcp-server integration-app, pypi kagimcp kagisearch, pypi keboola-mcp-server keboola
npm @makehq/mcp-server integromat, npm @gomomento/mcp-momento momentohq, npm mongodb-mcp-server mongodb-js
pypi mcp-server-motherduck motherduckdb, pypi needle-mcp needle-ai, npm octagon-mcp OctagonAI
pypi oxylabs-mcp oxylabs, npm ppl-ai/modelcontextprotocol ppl-ai, npm @ragieai/mcp-server ragieai
npm redis-mcp-server redis, pypi ramp-mcp ramp-public, npm @getrember/mcp rember
npm riza-io/riza-mcp riza-io, npm search1api-mcp fatwang2, npm tavily-mcp tavily-ai
pypi uns_mcp Unstructured-IO, pypi zenml-io/mcp-zenml zenml-io, pypi ableton-live-mcp-server Simon-Kansara
npm @openbnb/mcp-server-airbnb openbnb-org, pypi ai-agent-marketplace-index-mcp AI-Agent-Hub
pypi mcp-server-apache-airflow yangkyeongmo, npm airtable-mcp-server domdomegg
pypi mcp-server-gravitino datastrato, pypi mcp-ical Omar-V2, npm mcp-server-applescript peakmojo
pypi aws-cost-explorer-mcp aarora79, npm baidubce/app-builder baidubce
npm @magnetai/free-usdc-transfer magnetai, pypi cfbd-mcp-server lenwood, pypi chess_mcp pab1it0
pypi chroma privetin, pypi email_client ZilongXue, npm @taazkareem/clickup-mcp-server taazkareem
npm @ivotoby/contentful-management-mcp-server ivo-toby, npm crypto-sentiment-mcp kukapay
npm datadog-mcp-server GeLi2001, pypi samuelgursky/davinci-resolve-mcp samuelgursky
pypi dataset-viewer privetin, npm deepseek-mcp-server DMontgomery40, pypi dicom-mcp ChristianHinge
pypi dify-mcp-server YanxingLiu, npm SaseQ/discord-mcp SaseQ, npm @ashdev/discourse-mcp-server AshDevFr
pypi elevenlabs-mcp-server mamertofabian, pypi mcp-server-everything-search mamertofabian
npm @fanyangmeng/ghost-mcp MFYDev, npm @ddukbg/github-enterprise-mcp containerelic
pypi mcp-google-sheets xing5, npm mcp-graphql-schema hannesj, npm @horizondatawave/mcp horizondatawave
npm heurist-agent-framework heurist-network, npm holaspirit-mcp-server syucream
npm @llmindset/mcp-hfspace evalstate, npm @mektigboy/server-hyperliquid mektigboy
pypi stefanoamorelli/hyprmcp stefanoamorelli, npm iterm-mcp ferrislucas, npm iterm_mcp_server rishabkoul
pypi lamaalrajih/kicad-mcp lamaalrajih, npm lightdash-mcp-server syucream
npm @tacticlaunch/mcp-linear tacticlaunch, npm linear-mcp-server jerhadf
npm @llamaindex/mcp-server-llamacloud run-llama, npm @anaisbetts/mcp-installer anaisbetts
pypi mcp-local-rag nkapila6, npm TBXark/mcp-proxy TBXark, pypi membase-mcp unibaseio
pypi mssql_mcp_server JexinSam, npm mcp-teams-server InditexTech, npm @mobilenext/mobile-mcp mobile-next
npm mcp-mongo-server kiliczsh, npm mcp-server-nationalparks KyrieTangSheng
npm @alanse/mcp-neo4j-server da-okazaki, npm mcp-neovim-server bigcodegen, npm mcp-obsidian smithery-ai
pypi oceanbase_mcp_server yuanoOo, npm mcp-openapi-schema hannesj, npm openrpc-mcp-server shanejonas
pypi pancakeswap-poolspy-mcp kukapay, npm @executeautomation/playwright-mcp-server executeautomation
npm productboard-mcp kenjihikmatullah, npm pushover-mcp AshikNesin, pypi qgis-mcp jjsantos01
npm @gongrzhe/quickchart-mcp-server GongRzhe, pypi mcp-server-rabbitmq kenliao94
pypi servicenow-mcp osomai, npm shopify-mcp GeLi2001, npm mcp-server-siri-shortcuts dvcrn
pypi spotify-mcp varunneal, pypi wilsonchenghy/ShaderToy-MCP wilsonchenghy, npm mcp-server-tft GeLi2001
pypi thegraph-mcp kukapay, npm @delorenj/mcp-server-ticketmaster delorenj
npm @abhiz123/todoist-mcp-server abhiz123, npm typesense-mcp-server suhail-ak-s
pypi uniswap-poolspy-mcp kukapay, pypi video-editor-mcp burningion, pypi videocapture-mcp 13rac1
npm wanaku-ai/wanaku wanaku-ai, npm whale-tracker-mcp kukapay, npm @bharathvaj/whois-mcp bharathvaj-ganesan
pypi world_bank_mcp_server anshumax, npm @enescinar/twitter-mcp EnesCinr, pypi x-mcp vidhupv
npm xero-mcp john-zhang-dev, npm @41px/mcp-xmind apeyroux, npm zubeid-youtube-mcp-server ZubeidHendricks
npm @prathamesh0901/zoom-mcp-server Prathamesh0901, npm fastmcp punkpeye
npm @marimo-team/codemirror-mcp marimo-team, npm jaw9c/awesome-remote-mcp-servers jaw9c
npm my-docs-site mcp-router
`

// The registry's first seed, offline: 136 npm and PyPI packages, which
// raised 8 lookalikes before generic names were told from brands (six
// scope swaps of "@sentry/mcp-server" and "@playwright/mcp", MongoDB's
// unscoped name, redis-mcp-server at medium) and raise one now:
// "redis-mcp-server" on npm, where the name is no package of Redis's (it
// publishes it on PyPI), low. Online, each published by its entry's
// repository owner, none.
func TestLookalikeRegistryFirstSeed(t *testing.T) {
	var docs []json.RawMessage
	var online []fixture
	for _, e := range strings.FieldsFunc(firstSeed, func(r rune) bool { return r == ',' || r == '\n' }) {
		f := strings.Fields(e)
		if len(f) != 3 {
			t.Fatalf("entry %q", e)
		}
		d, _ := json.Marshal(map[string]any{
			"name":           "io.github." + f[2] + "/server",
			"repository":     map[string]any{"url": "https://github.com/" + f[2] + "/server", "source": "github"},
			"version_detail": map[string]any{"version": "0.0.1-seed"},
			"packages":       []any{map[string]any{"registry_name": f[0], "name": f[1], "version": "1.0.0"}},
		})
		docs = append(docs, d)
		online = append(online, fixture{name: f[1] + " by " + f[2], path: "server.json", src: string(d), pkg: publishedBy(f[2]), rule: LookalikePackage, want: 0})
	}
	n, found := seedLookalikes(t, docs)
	if len(docs) != 136 || n != 136 {
		t.Errorf("%d entries, %d decoded as npm or PyPI packages", len(docs), n)
	}
	if len(found) != 1 || found[0].Package != "redis-mcp-server" || found[0].Severity != Low || !strings.Contains(found[0].Message, "judged by its name alone") {
		for _, f := range found {
			t.Errorf("%s: %s", f.Severity, f.Message)
		}
		t.Errorf("%d lookalikes, want only redis-mcp-server at low", len(found))
	}
	runFixtures(t, online)
}

// The real configs of ../../shared/corpus and corpus2, offline: five
// lookalikes before generic names were told from brands (four vendors'
// "@…/mcp" and "@…/mcp-server"), one now: a personal rebuild of Docker's
// sequentialthinking image under the same name.
func TestLookalikeCorpora(t *testing.T) {
	var found []string
	for _, dir := range []string{"../../shared/corpus/files", "../../shared/corpus2/files"} {
		if _, err := os.Stat(dir); err != nil {
			t.Skipf("corpus not found beside the checkout (%v); it ships in shared/", err)
		}
		res, err := config.Discover(config.Options{Paths: []string{dir}, Base: dir, NoIgnore: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range ids(Run(All, &Input{Files: res.Files, Servers: launch.DecodeAll(res.Files)}), LookalikePackage.ID) {
			found = append(found, f.Severity.String()+" "+f.Package)
		}
	}
	if strings.Join(found, ", ") != "medium docker.io/danielapatin/sequentialthinking" {
		t.Errorf("lookalikes %q", found)
	}
}
