// Package resolve looks references up in their registries and follows
// them to their source repository and its owner. It is the only code that
// touches the network: every request goes through one fetcher with
// retries, rate-limit handling, a disk cache and a bounded pool.
package resolve

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mcptether/mcptether/facts"
	"github.com/mcptether/mcptether/launch"
)

// Default endpoints; each can be changed by flag and environment variable.
const (
	DefaultNPMRegistry = "https://registry.npmjs.org"
	DefaultPyPIURL     = "https://pypi.org"
	DefaultGitHubAPI   = "https://api.github.com"
	DefaultOSVURL      = "https://api.osv.dev"
	DefaultGoProxy     = "https://proxy.golang.org"
	DefaultNuGetURL    = "https://api.nuget.org/v3-flatcontainer"
)

// Options configure the resolver.
type Options struct {
	Version     string
	NPMRegistry string
	// TreeNPMRegistry is the registry a .npmrc in the scanned tree names:
	// npx installs from it, so lookups use it when NPMRegistry is empty,
	// but it is never a configured endpoint (a pull request wrote it).
	TreeNPMRegistry string
	PyPIURL         string
	GitHubAPI       string
	GitHubToken     string
	// GitHubREST keeps repository and owner lookups on REST even with a
	// token (GraphQL needs one; some Enterprise proxies allow only REST).
	GitHubREST bool
	OSVURL     string
	OSVDB      string // osv-scanner offline database folder; "" uses the API
	GoProxy    string // GOPROXY list
	NuGetURL   string
	// MCPRegistry is the MCP registry API that audit reads.
	MCPRegistry string
	// Mirrors maps an image registry host (docker.io, ghcr.io) to the base
	// URL to ask instead.
	Mirrors map[string]string

	Concurrency int // requests at once, overall
	// HostConcurrency bounds requests at once to one host (default three
	// quarters of Concurrency), so a slow host leaves room for the others.
	HostConcurrency int
	// BatchWait is the longest a lookup waits for others to join its OSV
	// or GraphQL batch (default 50 ms).
	BatchWait time.Duration
	MaxWait   time.Duration // longest rate-limit wait before giving up
	Timeout   time.Duration // per request
	// ConnectTimeout bounds opening a connection (default 10 s, at most
	// Timeout): a host that does not answer it is down for the run.
	ConnectTimeout time.Duration
	MaxBody        int64 // bytes per response
	Retries        int
	RetryWaitMin   time.Duration
	RetryWaitMax   time.Duration
	CacheDir       string // "" disables the disk cache
	Verbose        io.Writer
	Now            func() time.Time
}

// configured lists the endpoints the user chose (flags, environment,
// mirrors): the only ones allowed on a non-public address.
func (o *Options) configured() []string {
	out := []string{o.PyPIURL, o.GitHubAPI, o.OSVURL, o.NuGetURL, o.MCPRegistry}
	if o.NPMRegistry != o.TreeNPMRegistry {
		out = append(out, o.NPMRegistry)
	}
	for _, p := range strings.FieldsFunc(o.GoProxy, func(c rune) bool { return c == ',' || c == '|' }) {
		out = append(out, p)
	}
	for _, m := range o.Mirrors {
		out = append(out, m)
	}
	return out
}

func (o *Options) defaults() {
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&o.NPMRegistry, o.TreeNPMRegistry)
	def(&o.NPMRegistry, DefaultNPMRegistry)
	def(&o.PyPIURL, DefaultPyPIURL)
	def(&o.GitHubAPI, DefaultGitHubAPI)
	def(&o.OSVURL, DefaultOSVURL)
	def(&o.GoProxy, DefaultGoProxy)
	def(&o.NuGetURL, DefaultNuGetURL)
	def(&o.MCPRegistry, DefaultMCPRegistry)
	def(&o.Version, "dev")
	for _, s := range []*string{&o.NPMRegistry, &o.TreeNPMRegistry, &o.PyPIURL, &o.GitHubAPI, &o.OSVURL, &o.NuGetURL, &o.MCPRegistry} {
		*s = strings.TrimRight(*s, "/")
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 16
	}
	if o.HostConcurrency <= 0 || o.HostConcurrency > o.Concurrency {
		o.HostConcurrency = max(1, o.Concurrency-o.Concurrency/4)
	}
	if o.BatchWait <= 0 {
		o.BatchWait = 50 * time.Millisecond
	}
	if o.MaxWait == 0 {
		o.MaxWait = time.Minute
	}
	if o.Timeout == 0 {
		o.Timeout = 30 * time.Second
	}
	if o.ConnectTimeout <= 0 || o.ConnectTimeout > o.Timeout {
		o.ConnectTimeout = min(10*time.Second, o.Timeout)
	}
	if o.MaxBody == 0 {
		o.MaxBody = 32 << 20
	}
	if o.Retries == 0 {
		o.Retries = 3
	}
	if o.RetryWaitMin == 0 {
		o.RetryWaitMin = 500 * time.Millisecond
	}
	if o.RetryWaitMax == 0 {
		o.RetryWaitMax = 10 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
}

// Resolver resolves references to facts.
type Resolver struct {
	o Options
	f *fetcher

	mu    sync.Mutex
	facts *facts.Facts
	repos map[string]bool // asked this run

	inflight atomic.Int64 // package lookups running: they may add to a batch
	osv      *batcher
	gh       *batcher // GraphQL, with a token
	ghLimit  graphQLLimit
	dbOnce   sync.Once
	db       *osvDB
}

// New returns a resolver.
func New(o Options) *Resolver {
	o.defaults()
	r := &Resolver{o: o, f: newFetcher(&o)}
	r.osv = &batcher{f: r.f, kind: "osv", scope: o.OSVURL, max: 1000, wait: o.BatchWait, busy: r.busy, send: r.sendOSV}
	if o.GitHubToken != "" && !o.GitHubREST {
		// GitHub's answers end a chain, while OSV's lead to advisory
		// fetches: a GitHub batch can wait for the last package lookup
		// without lengthening the run, and so stays full.
		r.gh = &batcher{f: r.f, kind: "github", scope: graphQLURL(o.GitHubAPI) + " +auth:" + r.f.tokenID, max: 100, wait: 10 * o.BatchWait, busy: r.busy, send: r.sendGraphQL}
	}
	return r
}

func (r *Resolver) busy() bool { return r.inflight.Load() > 0 }

func (r *Resolver) osvDB() *osvDB {
	r.dbOnce.Do(func() { r.db = newOSVDB(r.o.OSVDB) })
	return r.db
}

// Requests is how many requests reached the network so far.
func (r *Resolver) Requests() int64 { return r.f.requests.Load() }

// MaxRequestsPerKey is the most requests any one key caused: 1 when
// deduplication works.
func (r *Resolver) MaxRequestsPerKey() int64 {
	var m int64
	r.f.perKey.Range(func(_, v any) bool {
		m = max(m, v.(interface{ Load() int64 }).Load())
		return true
	})
	return m
}

// Down says, once per host that could not be reached, what went wrong and
// how many lookups it left unanswered.
func (r *Resolver) Down() []string {
	var out []string
	r.f.down.Range(func(_, v any) bool {
		e := v.(*HostDownError)
		n := e.Lookups()
		word := "lookups"
		if n == 1 {
			word = "lookup"
		}
		out = append(out, fmt.Sprintf("%s: %d %s could not be checked", e.Error(), n, word))
		return true
	})
	sort.Strings(out)
	return out
}

// Resolve looks up every package, image and git reference of servers,
// their repositories and owners, and the advisories of the resolved
// versions. There are no stages: each reference moves on as soon as its
// previous step answers, and each key is fetched once.
func (r *Resolver) Resolve(ctx context.Context, servers []*launch.Server) *facts.Facts {
	r.facts = facts.New()
	r.repos = map[string]bool{}
	refs := map[string]launch.Ref{}
	var repoNames []string
	for _, s := range servers {
		for _, ref := range s.Refs {
			switch ref.Kind {
			case launch.Package, launch.Image:
				refs[facts.Key(ref)] = ref
			case launch.Git:
				repoNames = append(repoNames, ref.Name)
			}
		}
		if s.Repository.Text != "" {
			if n := facts.NormalizeRepo(s.Repository.Text); n != "" {
				repoNames = append(repoNames, n)
			}
		}
	}
	keys := make([]string, 0, len(refs))
	for k := range refs {
		keys = append(keys, k)
	}
	sort.Strings(keys)

	var wg sync.WaitGroup
	r.inflight.Add(int64(len(keys)))
	for _, n := range repoNames {
		r.repoChain(ctx, n, &wg)
	}
	for _, k := range keys {
		ref := refs[k]
		wg.Go(func() {
			p := r.lookup(ctx, ref)
			r.mu.Lock()
			r.facts.Packages[k] = p
			r.mu.Unlock()
			if p.Repository != "" {
				r.repoChain(ctx, p.Repository, &wg)
			}
			advisories := r.queueAdvisories(ctx, p)
			// Its questions are queued: a batch need not wait for it.
			r.inflight.Add(-1)
			r.pokeBatches()
			advisories()
		})
	}
	r.pokeBatches()
	wg.Wait()
	r.osv.drain()
	if r.gh != nil {
		r.gh.drain()
	}
	return r.facts
}

// pokeBatches lets each batch leave if no running lookup can join it.
func (r *Resolver) pokeBatches() {
	r.osv.poke()
	if r.gh != nil {
		r.gh.poke()
	}
}

// lookup asks the reference's registry.
func (r *Resolver) lookup(ctx context.Context, ref launch.Ref) *facts.Package {
	p := &facts.Package{Ecosystem: ref.Ecosystem, Name: ref.Name, Spec: ref.Version}
	switch {
	case ref.Templated:
		p.Unknowns = append(p.Unknowns, "the version is a release-time placeholder")
	case ref.Kind == launch.Image && ref.LocalBuild:
		// Built on the machine: nothing to look up, and no one can claim
		// the name on Docker Hub.
	case ref.Kind == launch.Image:
		r.oci(ctx, ref, p)
	case registries[ref.Ecosystem] != nil:
		registries[ref.Ecosystem].lookup(ctx, r, ref, p)
	case ref.Ecosystem == launch.URL:
		p.Unknowns = append(p.Unknowns, "fetched from a URL: there is no registry to ask")
	default:
		p.Unknowns = append(p.Unknowns, "the "+string(ref.Ecosystem)+" ecosystem is not supported")
	}
	return p
}

// repoChain checks a repository and, when it matters, its owner, once per
// repository per run.
func (r *Resolver) repoChain(ctx context.Context, name string, wg *sync.WaitGroup) {
	key := strings.ToLower(name)
	r.mu.Lock()
	seen := r.repos[key]
	r.repos[key] = true
	r.mu.Unlock()
	if seen {
		return
	}
	if wait := r.queueRepo(ctx, name); wait != nil {
		wg.Go(wait)
		return
	}
	wg.Go(func() { r.repository(ctx, name) })
}

// getJSON fetches a registry document and decodes a 200 into v. A 404 or
// 410 is found=false: the registry says it does not exist. Anything else
// is an error naming what could not be learnt.
func (r *Resolver) getJSON(ctx context.Context, what string, req request, v any) (found bool, err error) {
	resp, err := r.f.do(ctx, req)
	if err != nil {
		return false, fmt.Errorf("%s: %w", what, err)
	}
	switch resp.Status {
	case http.StatusOK:
	case http.StatusNotFound, http.StatusGone:
		return false, nil
	default:
		return false, fmt.Errorf("%s: %s", what, status(resp))
	}
	if err := json.Unmarshal(resp.Body, v); err != nil {
		return false, fmt.Errorf("%s: unreadable answer: %w", what, err)
	}
	return true, nil
}

// document fetches a package's registry document into v: a failure is
// recorded as unknown, a 404 as "does not exist". It reports whether v was
// filled.
func (r *Resolver) document(ctx context.Context, p *facts.Package, what string, req request, v any) bool {
	found, err := r.getJSON(ctx, what, req, v)
	switch {
	case err != nil:
		p.Unknowns = append(p.Unknowns, err.Error())
		return false
	case !found:
		p.Exists = facts.No
		return false
	}
	p.Exists = facts.Yes
	return true
}

// status describes an unexpected answer.
func status(resp *response) string {
	return "unexpected HTTP " + strconv.Itoa(resp.Status) + " " + http.StatusText(resp.Status)
}
