package resolve

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/go-retryablehttp"
	"golang.org/x/sync/semaphore"
	"golang.org/x/sync/singleflight"
)

// response is a fetched (or cached) HTTP response, fully read.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

// kept are the response headers worth caching.
var kept = []string{"Etag", "Location", "Content-Type", "Docker-Content-Digest", "Www-Authenticate", "Retry-After"}

// ttl per kind of lookup: found, and not found.
var ttls = map[string][2]time.Duration{
	"osv":      {10 * time.Minute, 10 * time.Minute},
	"token":    {0, 0}, // registry tokens are never stored
	"batch":    {0, 0}, // a batch's answers are stored per item, or not at all
	"registry": {time.Hour, time.Hour},
	"default":  {24 * time.Hour, time.Hour},
}

// RateLimitError means a host asked us to wait longer than --max-wait.
type RateLimitError struct {
	Host  string
	Reset time.Time
}

func (e *RateLimitError) Error() string {
	if e.Reset.IsZero() {
		return fmt.Sprintf("rate limited by %s", e.Host)
	}
	return fmt.Sprintf("rate limited by %s until %s", e.Host, e.Reset.UTC().Format(time.RFC3339))
}

// fetcher is the one HTTP client of mcptether: every request goes through
// it, once per key per run, through the disk cache and a bounded pool.
type fetcher struct {
	rc          *retryablehttp.Client
	cache       *diskCache
	maxBody     int64
	maxWait     time.Duration
	userAgent   string
	github      origin // the GitHub API's origin: the only one the token goes to
	githubToken string
	// tokenID names the token in cache keys (a hash, never the token):
	// what one token may see, another may not.
	tokenID string
	guard   *dialGuard
	now     func() time.Time
	sem     chan struct{} // the overall bound
	// budget bounds the response bytes being read at once, across
	// lookups.
	budget    *semaphore.Weighted
	hostLimit int
	hostSems  sync.Map // host → chan struct{}: one slow host cannot hold the whole pool

	sf      singleflight.Group
	memo    sync.Map // key → *memoEntry
	limited sync.Map // host → *RateLimitError
	paused  sync.Map // host → *pause: a rate limit every lookup waits out
	down    sync.Map // host → *HostDownError
	slow    sync.Map // host → *atomic.Int64: attempts that timed out

	requests atomic.Int64 // requests sent to the network
	perKey   sync.Map     // key → *atomic.Int64, for benchmarks
}

type memoEntry struct {
	resp *response
	err  error
}

func newFetcher(o *Options) *fetcher {
	f := &fetcher{
		maxBody:     o.MaxBody,
		maxWait:     o.MaxWait,
		userAgent:   "mcptether/" + o.Version,
		githubToken: o.GitHubToken,
		now:         o.Now,
		sem:         make(chan struct{}, o.Concurrency),
		budget:      semaphore.NewWeighted(max(4*o.MaxBody, 64<<20)),
		hostLimit:   o.HostConcurrency,
	}
	f.github = parseOrigin(o.GitHubAPI)
	f.tokenID = tokenID(o.GitHubToken)
	f.guard = newDialGuard(o.configured(), o.ConnectTimeout)
	if o.CacheDir != "" {
		f.cache = &diskCache{dir: o.CacheDir}
	}
	hc := cleanhttp.DefaultPooledTransport()
	hc.DialContext = f.guard.DialContext
	rc := retryablehttp.NewClient()
	rc.HTTPClient = &http.Client{
		Transport: hc,
		Timeout:   o.Timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			// A GitHub 3xx is a fact for the caller (a renamed
			// repository), never a detour for the token.
			if originOf(via[0].URL) == f.github {
				return http.ErrUseLastResponse
			}
			// Credentials are bound to an origin: scheme, host and port
			// (Go's own rule keeps them for the same host on another port).
			if originOf(req.URL) != originOf(via[len(via)-1].URL) {
				req.Header.Del("Authorization")
			}
			if !f.guard.configured(req.URL) && !publicHost(req.URL.Host) {
				return &BlockedError{Addr: req.URL.Host}
			}
			if len(via) >= 10 {
				return fmt.Errorf("stopped after %d redirects", len(via))
			}
			return nil
		},
	}
	rc.RetryMax = o.Retries
	rc.RetryWaitMin = o.RetryWaitMin
	rc.RetryWaitMax = o.RetryWaitMax
	rc.CheckRetry = f.checkRetry
	rc.Backoff = f.backoff
	rc.ErrorHandler = f.gaveUp
	rc.PrepareRetry = func(req *http.Request) error {
		// The host went down while this lookup waited to retry.
		if d, ok := f.down.Load(req.URL.Host); ok {
			return d.(*HostDownError)
		}
		return nil
	}
	rc.Logger = nil
	if o.Verbose != nil {
		rc.Logger = log.New(o.Verbose, "mcptether: http: ", 0)
	}
	f.rc = rc
	return f
}

// request is one lookup.
type request struct {
	method string
	url    string
	body   []byte
	header http.Header
	kind   string // TTL class
	github bool   // a GitHub API call: it carries the token
	// reduce, when set, streams a successful answer into the smaller
	// document the lookup needs (what is held and cached); reducer names
	// it in the key.
	reduce  func(io.Reader) ([]byte, error)
	reducer string
}

// key names a request in the memo and the disk cache: its method, full
// URL (so its origin), body and media type, and whose view it is. A
// GitHub answer is one token's view (private repositories, SAML), so it
// is keyed by the token's hash; a registry's anonymous pull token is not
// a view of its own.
func (r request) key(tokenID string) string {
	k := r.method + " " + r.url
	if len(r.body) > 0 {
		sum := sha256.Sum256(r.body)
		k += " body:" + hex.EncodeToString(sum[:8])
	}
	if a := r.header.Get("Accept"); a != "" {
		k += " accept:" + a
	}
	if r.reducer != "" {
		k += " reduced:" + r.reducer
	}
	switch {
	case tokenID != "":
		k += " +auth:" + tokenID
	case r.header.Get("Authorization") != "":
		k += " +auth" // never the credential itself
	}
	return k
}

// tokenID is a short hash that tells tokens apart in cache keys, or "".
func tokenID(token string) string {
	if token == "" {
		return ""
	}
	sum := sha256.Sum256([]byte("mcptether token\x00" + token))
	return hex.EncodeToString(sum[:8])
}

// cacheable: answers that stay true for a while. Auth challenges, rate
// limits and server errors are not stored.
func cacheable(status int) bool {
	return status < 500 && status != http.StatusUnauthorized && status != http.StatusForbidden && status != http.StatusTooManyRequests
}

// get fetches once per key per run: concurrent callers share one request.
func (f *fetcher) do(ctx context.Context, r request) (*response, error) {
	if r.method == "" {
		r.method = http.MethodGet
	}
	u, err := url.Parse(r.url)
	if err != nil {
		return nil, fmt.Errorf("bad URL %q: %w", r.url, err)
	}
	if !f.guard.configured(u) && !publicHost(u.Host) {
		return nil, &BlockedError{Addr: u.Host}
	}
	// The token goes to the GitHub API's exact origin, and only for the
	// GitHub client's own requests (never a registry's token realm).
	authed := f.githubToken != "" && r.github && originOf(u) == f.github
	id := ""
	if authed {
		id = f.tokenID
	}
	key := r.key(id)
	if m, ok := f.memo.Load(key); ok {
		e := m.(*memoEntry)
		return e.resp, e.err
	}
	v, _, _ := f.sf.Do(key, func() (any, error) {
		if m, ok := f.memo.Load(key); ok {
			return m, nil
		}
		resp, err := f.fetch(ctx, r, u, key, authed)
		e := &memoEntry{resp, err}
		if ctx.Err() == nil {
			f.memo.Store(key, e)
		}
		return e, nil
	})
	e := v.(*memoEntry)
	return e.resp, e.err
}

// cached is the answer this run or the disk cache already holds for r,
// without a request; nil when there is none.
func (f *fetcher) cached(r request) *response {
	if r.method == "" {
		r.method = http.MethodGet
	}
	key := r.key("")
	if m, ok := f.memo.Load(key); ok {
		if e := m.(*memoEntry); e.err == nil {
			return e.resp
		}
	}
	if f.cache == nil || r.kind == "token" {
		return nil
	}
	if e := f.cache.get(key); e != nil && e.fresh(f.now()) {
		return &response{Status: e.Status, Header: e.Header, Body: e.Body}
	}
	return nil
}

func (f *fetcher) fetch(ctx context.Context, r request, u *url.URL, key string, authed bool) (*response, error) {
	var stale *cacheEntry
	if f.cache != nil && r.kind != "token" {
		if e := f.cache.get(key); e != nil {
			if e.fresh(f.now()) {
				return &response{Status: e.Status, Header: e.Header, Body: e.Body}, nil
			}
			if e.Header.Get("Etag") != "" {
				stale = e
			}
		}
	}
	// One wait per lookup: for the host's pause now, or for the next
	// rate limit it answers.
	b := &waitBudget{}
	ctx = context.WithValue(ctx, waitBudgetKey{}, b)
	release, err := f.slots(ctx, u.Host, b)
	if err != nil {
		return nil, err
	}
	defer release()

	req, err := retryablehttp.NewRequestWithContext(ctx, r.method, r.url, r.body)
	if err != nil {
		return nil, err
	}
	for k, vs := range r.header {
		req.Header[k] = vs
	}
	req.Header.Set("User-Agent", f.userAgent)
	if authed {
		// The token goes to the GitHub API host and nowhere else.
		req.Header.Set("Authorization", "Bearer "+f.githubToken)
	}
	if stale != nil {
		req.Header.Set("If-None-Match", stale.Header.Get("Etag"))
	}
	f.requests.Add(1)
	c, _ := f.perKey.LoadOrStore(key, new(atomic.Int64))
	c.(*atomic.Int64).Add(1)

	hresp, err := f.rc.Do(req)
	if err != nil {
		var rl *RateLimitError
		var hd *HostDownError
		if errors.As(err, &hd) {
			hd.lookups.Add(1)
			return nil, hd
		}
		if errors.As(err, &rl) {
			f.limited.Store(u.Host, rl)
			return nil, rl
		}
		if class, ok := unreachable(err); ok && ctx.Err() == nil {
			e := &HostDownError{Host: failedHost(err, u.Host), Class: class}
			d, _ := f.down.LoadOrStore(e.Host, e)
			e = d.(*HostDownError)
			e.lookups.Add(1)
			return nil, e
		}
		return nil, fmt.Errorf("%s %s: %w", r.method, redactURL(r.url), unwrapURLError(err))
	}
	defer hresp.Body.Close()
	body, err := f.readBody(ctx, r, hresp)
	if err != nil {
		return nil, err
	}
	resp := &response{Status: hresp.StatusCode, Header: http.Header{}, Body: body}
	for _, h := range kept {
		if v := hresp.Header.Values(h); len(v) > 0 {
			resp.Header[h] = v
		}
	}
	if resp.Status == http.StatusNotModified && stale != nil {
		resp = &response{Status: stale.Status, Header: stale.Header, Body: stale.Body}
	}
	if f.cache != nil && cacheable(resp.Status) {
		t, ok := ttls[r.kind]
		if !ok {
			t = ttls["default"]
		}
		ttl := t[0]
		if resp.Status == http.StatusNotFound || resp.Status == http.StatusGone {
			ttl = t[1]
		}
		if ttl > 0 {
			f.cache.put(&cacheEntry{Key: key, Status: resp.Status, Header: resp.Header, Body: resp.Body, Stored: f.now(), TTL: int64(ttl / time.Second)})
		}
	}
	return resp, nil
}

// errTooLarge: a response over Options.MaxBody.
var errTooLarge = errors.New("response too large")

// readBody reads a response within MaxBody. Bytes being read count
// against one budget shared by every lookup (a response reserves its
// Content-Length, or MaxBody when it gives none), so concurrent large
// answers wait for each other instead of adding up. A request with a
// reducer streams a successful body through it, and only what the reducer
// keeps is held (and cached).
func (f *fetcher) readBody(ctx context.Context, r request, hresp *http.Response) ([]byte, error) {
	need := f.maxBody
	if cl := hresp.ContentLength; cl >= 0 && cl < need {
		need = cl
	}
	if err := f.budget.Acquire(ctx, need); err != nil {
		return nil, err
	}
	defer f.budget.Release(need)
	src := &boundedReader{r: hresp.Body, left: f.maxBody}
	var body []byte
	var err error
	if r.reduce != nil && hresp.StatusCode == http.StatusOK {
		body, err = r.reduce(src)
	} else {
		body, err = io.ReadAll(src)
	}
	switch {
	case errors.Is(err, errTooLarge):
		return nil, fmt.Errorf("%s %s: response larger than %d bytes", r.method, redactURL(r.url), f.maxBody)
	case err != nil && r.reduce != nil && hresp.StatusCode == http.StatusOK:
		return nil, fmt.Errorf("%s %s: unreadable answer: %w", r.method, redactURL(r.url), err)
	case err != nil:
		return nil, fmt.Errorf("%s %s: reading the response: %w", r.method, redactURL(r.url), err)
	}
	return body, nil
}

// boundedReader fails with errTooLarge past left bytes.
type boundedReader struct {
	r    io.Reader
	left int64
}

func (b *boundedReader) Read(p []byte) (int, error) {
	if b.left < 0 {
		return 0, errTooLarge
	}
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	if b.left < 0 {
		return n, errTooLarge
	}
	return n, err
}

// slots takes the host's slot and an overall one, after the host's
// pause if it has one. Everything that ends a lookup on this host without
// a request (down, rate limited) is checked again once the slots are
// held: lookups queued behind the first failure see it.
func (f *fetcher) slots(ctx context.Context, host string, b *waitBudget) (release func(), err error) {
	hs, _ := f.hostSems.LoadOrStore(host, make(chan struct{}, f.hostLimit))
	hostSem := hs.(chan struct{})
	for {
		if e := f.limitedNow(host); e != nil {
			return nil, e // the host asked for more than --max-wait
		}
		if err := f.awaitPause(ctx, host, b); err != nil {
			return nil, err
		}
		// The host's slot first, so requests queued for a busy host do
		// not hold overall slots that other hosts could use.
		select {
		case hostSem <- struct{}{}:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		select {
		case f.sem <- struct{}{}:
		case <-ctx.Done():
			<-hostSem
			return nil, ctx.Err()
		}
		release = func() { <-f.sem; <-hostSem }
		if d, ok := f.down.Load(host); ok {
			release()
			e := d.(*HostDownError)
			e.lookups.Add(1)
			return nil, e // no retries against a host that could not be reached
		}
		if f.limitedNow(host) == nil && f.pausedFor(host) <= 0 {
			return release, nil
		}
		release() // the host asked to wait while this lookup queued
	}
}

// limitedNow is the host's rate limit when it still holds.
func (f *fetcher) limitedNow(host string) *RateLimitError {
	if rl, ok := f.limited.Load(host); ok {
		if e := rl.(*RateLimitError); e.Reset.IsZero() || f.now().Before(e.Reset) {
			return e
		}
	}
	return nil
}

// pausedFor is how long the host's pause still runs.
func (f *fetcher) pausedFor(host string) time.Duration {
	p, ok := f.paused.Load(host)
	if !ok {
		return 0
	}
	pp := p.(*pause)
	pp.mu.Lock()
	defer pp.mu.Unlock()
	return pp.until.Sub(f.now())
}

// rateLimitWait reads rate-limit signals: 429, GitHub's 403 with
// X-RateLimit-Remaining: 0 (primary) or Retry-After (secondary), and 503
// with Retry-After. It returns how long the host asks us to wait, and
// whether it said so: GitHub's secondary limit often names no time, and
// then a short backoff is tried once before the host counts as limited.
func (f *fetcher) rateLimitWait(resp *http.Response, attempt int) (wait time.Duration, limited bool) {
	if resp == nil {
		return 0, false
	}
	retryAfter := resp.Header.Get("Retry-After")
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		limited = true
	case http.StatusForbidden:
		limited = resp.Header.Get("X-Ratelimit-Remaining") == "0" || retryAfter != "" || secondaryLimit(resp)
	case http.StatusServiceUnavailable:
		limited = retryAfter != ""
	}
	if !limited {
		return 0, false
	}
	if retryAfter != "" {
		if s, err := strconv.Atoi(retryAfter); err == nil && s >= 0 {
			return time.Duration(s) * time.Second, true
		}
		if t, err := http.ParseTime(retryAfter); err == nil {
			return max(t.Sub(f.now()), 0), true
		}
	}
	if reset := resp.Header.Get("X-Ratelimit-Reset"); reset != "" && resp.Header.Get("X-Ratelimit-Remaining") == "0" {
		if s, err := strconv.ParseInt(reset, 10, 64); err == nil {
			return max(time.Unix(s, 0).Sub(f.now())+time.Second, 0), true
		}
	}
	return f.rc.RetryWaitMin << min(attempt, 10), true // no hint: a short backoff
}

// secondaryLimit reads GitHub's 403 body: a secondary rate limit may come
// with no header at all. The body was kept for the caller; it is peeked,
// not consumed.
func secondaryLimit(resp *http.Response) bool {
	if resp.Body == nil {
		return false
	}
	br, ok := resp.Body.(*peekBody)
	if !ok {
		br = &peekBody{ReadCloser: resp.Body}
		resp.Body = br
	}
	head := br.peek(2048)
	// Today's wording, and the one before 2021.
	return bytes.Contains(head, []byte("secondary rate limit")) || bytes.Contains(head, []byte("abuse detection mechanism"))
}

// peekBody lets the start of a body be read twice.
type peekBody struct {
	io.ReadCloser
	head []byte
	read bool
	pos  int
}

func (p *peekBody) peek(n int) []byte {
	if !p.read {
		p.read = true
		p.head, _ = io.ReadAll(io.LimitReader(p.ReadCloser, int64(n)))
	}
	return p.head
}

func (p *peekBody) Read(b []byte) (int, error) {
	if p.pos < len(p.head) {
		n := copy(b, p.head[p.pos:])
		p.pos += n
		return n, nil
	}
	return p.ReadCloser.Read(b)
}

// waitBudget is one lookup's allowance for rate limits: a single wait.
// A host that rate-limits a lookup again after it waited is limited for
// the rest of the run, and its other lookups stop waiting.
type waitBudget struct{ waited bool }

type waitBudgetKey struct{}

func budgetOf(ctx context.Context) *waitBudget {
	if b, ok := ctx.Value(waitBudgetKey{}).(*waitBudget); ok {
		return b
	}
	return &waitBudget{}
}

// pause is a host's rate limit: until then, no lookup sends it anything.
type pause struct {
	mu    sync.Mutex
	until time.Time
}

// pauseHost makes every lookup on host wait until at least until.
func (f *fetcher) pauseHost(host string, until time.Time) {
	p, _ := f.paused.LoadOrStore(host, &pause{})
	pp := p.(*pause)
	pp.mu.Lock()
	if until.After(pp.until) {
		pp.until = until
	}
	pp.mu.Unlock()
}

// awaitPause waits out the host's pause, once per lookup; a pause longer
// than --max-wait, or a second one, ends the lookup as rate limited.
func (f *fetcher) awaitPause(ctx context.Context, host string, b *waitBudget) error {
	wait := f.pausedFor(host)
	if wait <= 0 {
		return nil
	}
	switch {
	case wait > f.maxWait:
		return f.limit(host, f.now().Add(wait))
	case b.waited:
		return f.limit(host, time.Time{}) // limited again after a wait: for the run
	}
	b.waited = true
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// limit marks host rate limited until reset (zero, or a day or more
// away: for the run).
func (f *fetcher) limit(host string, reset time.Time) *RateLimitError {
	e := &RateLimitError{Host: host}
	if !reset.IsZero() && reset.Sub(f.now()) < 24*time.Hour {
		e.Reset = reset
	}
	v, _ := f.limited.LoadOrStore(host, e)
	return v.(*RateLimitError)
}

func (f *fetcher) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if err != nil {
		var blocked *BlockedError
		if strings.Contains(err.Error(), "stopped after") || errors.As(err, &blocked) {
			return false, err // a redirect loop or a refused address does not heal
		}
		if class, ok := unreachable(err); ok && class != classTimeout {
			return false, err // neither does a missing name, a closed port or a bad certificate
		}
		if class, _ := unreachable(err); class == classTimeout {
			// One timed-out attempt on a host is retried; the second,
			// in any lookup, marks the host down.
			c, _ := f.slow.LoadOrStore(failedHost(err, ""), new(atomic.Int64))
			if c.(*atomic.Int64).Add(1) >= 2 {
				return false, err
			}
		}
		return retryablehttp.DefaultRetryPolicy(ctx, resp, err)
	}
	b := budgetOf(ctx)
	if wait, limited := f.rateLimitWait(resp, 0); limited {
		host := resp.Request.URL.Host
		until := f.now().Add(wait)
		switch {
		case wait > f.maxWait:
			return false, f.limit(host, until)
		case b.waited:
			return false, f.limit(host, time.Time{}) // limited again after a wait: for the run
		}
		// The whole host waits, not just this lookup: queued lookups
		// wait out the same pause instead of each meeting its own.
		b.waited = true
		f.pauseHost(host, until)
		return true, nil
	}
	if resp.StatusCode == http.StatusTooManyRequests || (resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented) {
		return true, nil
	}
	return false, nil
}

func (f *fetcher) backoff(lo, hi time.Duration, attempt int, resp *http.Response) time.Duration {
	if _, limited := f.rateLimitWait(resp, attempt); limited {
		return max(f.pausedFor(resp.Request.URL.Host), 0)
	}
	d := lo << attempt
	if d > hi || d <= 0 {
		d = hi
	}
	return d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
}

// gaveUp ends a lookup whose retries ran out, or that a check stopped:
// retries that ran out on rate limits leave the host rate limited.
func (f *fetcher) gaveUp(resp *http.Response, err error, tries int) (*http.Response, error) {
	if resp != nil {
		if _, limited := f.rateLimitWait(resp, tries); limited && err == nil {
			err = f.limit(resp.Request.URL.Host, time.Time{})
		}
		io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
		resp.Body.Close()
	}
	var rl *RateLimitError
	if errors.As(err, &rl) {
		return nil, rl
	}
	if err == nil {
		return nil, fmt.Errorf("giving up after %d attempt(s)", tries)
	}
	return nil, fmt.Errorf("giving up after %d attempt(s): %w", tries, err)
}

// HostDownError means a host could not be reached: after its first such
// failure every later lookup on it fails at once, without retries.
type HostDownError struct {
	Host    string
	Class   string // what went wrong, without the URL
	lookups atomic.Int64
}

func (e *HostDownError) Error() string {
	return fmt.Sprintf("%s could not be reached (%s)", e.Host, e.Class)
}

// Lookups is how many lookups the host being down left unanswered.
func (e *HostDownError) Lookups() int64 { return e.lookups.Load() }

const classTimeout = "timed out"

// unreachable classifies a transport error that says the host is not
// there for us: these do not heal within a run. A connection that timed
// out counts at once; a request that timed out after connecting is
// retried once per host, then counts too.
func unreachable(err error) (string, bool) {
	var (
		dns     *net.DNSError
		verify  *tls.CertificateVerificationError
		header  tls.RecordHeaderError
		alert   tls.AlertError
		unknown x509.UnknownAuthorityError
		name    x509.HostnameError
		invalid x509.CertificateInvalidError
		ne      net.Error
		op      *net.OpError
	)
	switch {
	case errors.As(err, &dns):
		return "DNS lookup failed", true
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused", true
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return "no route to host", true
	case errors.As(err, &verify), errors.As(err, &header), errors.As(err, &alert),
		errors.As(err, &unknown), errors.As(err, &name), errors.As(err, &invalid):
		return "TLS handshake failed", true
	case errors.As(err, &op) && op.Op == "dial" && op.Timeout():
		return "connection timed out", true // no answer to the connection at all
	case errors.As(err, &ne) && ne.Timeout():
		return classTimeout, true
	}
	return "", false
}

// failedHost is the host a transport error came from: after a redirect,
// that is the redirect's target, not the host first asked.
func failedHost(err error, asked string) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		if v, perr := url.Parse(ue.URL); perr == nil && v.Host != "" {
			return v.Host
		}
	}
	return asked
}

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// redactURL keeps credentials out of error messages: query values, and a
// user or password in a configured endpoint (https://user:pass@mirror).
func redactURL(s string) string {
	if i := strings.IndexByte(s, '?'); i >= 0 {
		s = s[:i] + "?…"
	}
	if u, err := url.Parse(s); err == nil && u.User != nil {
		u.User = nil
		return strings.Replace(u.String(), "://", "://…@", 1)
	}
	return s
}
