package resolve

import (
	"context"
	"sync"
	"time"
)

// batcher gathers lookups for an endpoint that answers many at once (OSV's
// querybatch, GitHub's GraphQL). It sends what is ready when the batch is
// full, when no running lookup can add to it, or when the oldest item has
// waited wait: no stage waits for every package.
//
// Answers are kept per item, in memory and in the disk cache, so a batch's
// make-up (which varies with timing) never decides what a warm run finds.
type batcher struct {
	f    *fetcher
	kind string // TTL class of the stored answers
	// scope is whose answers these are: the endpoint, and for GitHub the
	// token's hash. Stored answers are keyed by it, so one endpoint's or
	// token's view never answers for another's.
	scope string
	max   int
	wait  time.Duration
	busy  func() bool // could a running lookup still add items?
	// send answers every item: body or err.
	send func(ctx context.Context, items []*batchItem)

	sent sync.WaitGroup // batches on the wire

	mu      sync.Mutex
	items   map[string]*batchItem // by key, for the run
	pending []*batchItem
	timer   *time.Timer
}

// batchItem is one query in a batch.
type batchItem struct {
	ctx  context.Context // the first asker's
	key  string
	q    any
	body []byte
	err  error
	done chan struct{}
}

// Wait blocks until the item is answered.
func (it *batchItem) Wait(ctx context.Context) ([]byte, error) {
	select {
	case <-it.done:
		return it.body, it.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (b *batcher) cacheKey(key string) string { return "batch " + b.kind + " " + b.scope + " " + key }

// add queues q under key (once per run) and returns its item; a stored
// answer is given at once. Adding is synchronous, so a lookup that adds
// its items before it ends never lets the batch leave without them.
func (b *batcher) add(ctx context.Context, key string, q any) *batchItem {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.items == nil {
		b.items = map[string]*batchItem{}
	}
	if it, ok := b.items[key]; ok {
		return it
	}
	it := &batchItem{ctx: ctx, key: key, q: q, done: make(chan struct{})}
	b.items[key] = it
	if b.f.cache != nil {
		if e := b.f.cache.get(b.cacheKey(key)); e != nil && e.fresh(b.f.now()) {
			it.body = e.Body
			close(it.done)
			return it
		}
	}
	b.pending = append(b.pending, it)
	if len(b.pending) >= b.max {
		b.flushLocked()
	} else if b.timer == nil {
		b.timer = time.AfterFunc(b.wait, b.expire)
	}
	return it
}

// poke sends what is pending once no running lookup can add to it.
func (b *batcher) poke() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.pending) > 0 && !b.busy() {
		b.flushLocked()
	}
}

// expire sends what is pending: its oldest item has waited long enough.
func (b *batcher) expire() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.timer = nil
	b.flushLocked()
}

func (b *batcher) flushLocked() {
	if b.timer != nil {
		b.timer.Stop()
		b.timer = nil
	}
	for len(b.pending) > 0 {
		n := min(len(b.pending), b.max)
		chunk := b.pending[:n:n]
		b.pending = b.pending[n:]
		b.sent.Go(func() { b.run(chunk) })
	}
	b.pending = nil
}

// reset forgets the run's items (after drain).
func (b *batcher) reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.items = nil
}

// drain sends what is left and waits until every answer is stored, so
// the questions no lookup waited for (an owner whose repository exists)
// are in the cache for the next run too.
func (b *batcher) drain() {
	b.mu.Lock()
	b.flushLocked()
	b.mu.Unlock()
	b.sent.Wait()
}

func (b *batcher) run(items []*batchItem) {
	ctx := items[0].ctx
	b.send(ctx, items)
	for _, it := range items {
		if it.err == nil && b.f.cache != nil && ctx.Err() == nil {
			t, ok := ttls[b.kind]
			if !ok {
				t = ttls["default"]
			}
			ttl := t[0]
			if string(it.body) == "null" {
				ttl = t[1] // not found
			}
			b.f.cache.put(&cacheEntry{Key: b.cacheKey(it.key), Status: 200, Body: it.body, Stored: b.f.now(), TTL: int64(ttl / time.Second)})
		}
	}
	for _, it := range items {
		close(it.done)
	}
}
