package audit

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"os"
	"strings"

	"golang.org/x/mod/semver"
)

// Item is one registry entry: a server.json document and what the
// registry says of it in its official _meta.
type Item struct {
	Doc      json.RawMessage
	Name     string
	Version  string
	Status   string // active, deprecated, deleted; "" when not said
	IsLatest *bool  // nil when not said
	// Where is the entry's place in its dump or page, for messages.
	Where string
	// Skip says why the entry cannot be audited ("" when it can).
	Skip string
	// Blank marks a placeholder whose every field is empty (the first
	// seed has seven); it is skipped, and counted apart from Skip.
	Blank bool
	// Repeat marks an entry whose name and version came before.
	Repeat bool
}

const officialMeta = "io.modelcontextprotocol.registry/official"

// maxEntry bounds one entry of a dump or an API page. A larger one is
// skipped, and a dump's is never held in memory.
const maxEntry = 64 << 20

// DefaultMaxPages bounds the registry API's pages: ten times what the
// official registry needs today.
const DefaultMaxPages = 10000

var errBlank = errors.New("a blank entry")

// item reads a server.json document or an API entry ({"server": …,
// "_meta": …}).
func item(raw json.RawMessage) (Item, error) {
	var probe struct {
		Server json.RawMessage `json:"server"`
		Meta   map[string]struct {
			Status   string `json:"status"`
			IsLatest *bool  `json:"isLatest"`
		} `json:"_meta"`
		Name    string `json:"name"`
		Version string `json:"version"`
		Detail  struct {
			Version string `json:"version"`
		} `json:"version_detail"`
	}
	if err := json.Unmarshal(raw, &probe); err != nil {
		return Item{}, err
	}
	it := Item{Doc: raw}
	if len(probe.Server) > 0 && probe.Server[0] == '{' {
		it.Doc = probe.Server
		if m, ok := probe.Meta[officialMeta]; ok {
			it.Status, it.IsLatest = m.Status, m.IsLatest
		}
		if err := json.Unmarshal(probe.Server, &probe); err != nil {
			return Item{}, err
		}
	}
	it.Name = probe.Name
	it.Version = probe.Version
	if it.Version == "" {
		it.Version = probe.Detail.Version // the first, snake_case schema
	}
	if it.Name == "" {
		if blank(it.Doc) {
			return Item{}, errBlank
		}
		return Item{}, errors.New("an entry without a name")
	}
	return it, nil
}

// entry is item for a source: an entry that cannot be read comes back
// marked, so the rest of the source is still audited.
func entry(raw json.RawMessage, where string) Item {
	if len(raw) > maxEntry {
		return Item{Where: where, Skip: overBound(int64(len(raw)))}
	}
	it, err := item(raw)
	switch {
	case errors.Is(err, errBlank):
		return Item{Where: where, Blank: true}
	case err != nil:
		return Item{Where: where, Skip: err.Error()}
	}
	it.Where = where
	return it
}

func overBound(size int64) string {
	return fmt.Sprintf("%d bytes, over the bound of %d for one entry", size, maxEntry)
}

// blank reports whether every value in a JSON document is empty: "",
// false, 0, null, {} or [].
func blank(raw json.RawMessage) bool {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return false
	}
	var empty func(any) bool
	empty = func(v any) bool {
		switch v := v.(type) {
		case map[string]any:
			for _, e := range v {
				if !empty(e) {
					return false
				}
			}
			return true
		case []any:
			for _, e := range v {
				if !empty(e) {
					return false
				}
			}
			return true
		case string:
			return v == ""
		case float64:
			return v == 0
		case bool:
			return !v
		}
		return v == nil
	}
	return empty(v)
}

// seenSet remembers strings by a 64-bit hash (8 bytes each, however long
// the string), keyed per run so a registry cannot forge a collision.
type seenSet struct {
	seed maphash.Seed
	m    map[uint64]struct{}
}

func newSeenSet() *seenSet { return &seenSet{seed: maphash.MakeSeed(), m: map[uint64]struct{}{}} }

// add reports whether key is new, and remembers it.
func (s *seenSet) add(key string) bool {
	h := maphash.String(s.seed, key)
	if _, ok := s.m[h]; ok {
		return false
	}
	s.m[h] = struct{}{}
	return true
}

// serverKey identifies a server: its name and version.
func serverKey(name, version string) string { return name + "\x00" + version }

// dedupe marks an entry whose name and version came before, and reports
// whether it is a new server.
func (s *seenSet) dedupe(it *Item) bool {
	if it.Skip != "" || it.Blank {
		return false
	}
	if !s.add(serverKey(it.Name, it.Version)) {
		it.Repeat = true
		return false
	}
	return true
}

// stopError ends the registry's pages early: the audit goes on with what
// it read, and says it is incomplete.
type stopError struct{ reason string }

func (e *stopError) Error() string { return "MCP registry: " + e.reason }

type pager interface {
	page(ctx context.Context, cursor string) (items []json.RawMessage, next string, err error)
}

// fromAPI reads the registry API's pages, following metadata.nextCursor
// until it is empty. A registry that loops, stuffs pages with servers it
// already gave, or never ends is stopped with a *stopError.
func fromAPI(ctx context.Context, p pager, maxPages int, each func(Item) error) error {
	cursor := ""
	servers, cursors := newSeenSet(), newSeenSet()
	for n := 1; ; n++ {
		raws, next, err := p.page(ctx, cursor)
		if err != nil {
			return err
		}
		fresh := 0
		for i, raw := range raws {
			it := entry(raw, fmt.Sprintf("MCP registry page %d: entry %d", n, i+1))
			if servers.dedupe(&it) {
				fresh++
			}
			if err := each(it); err != nil {
				return err
			}
		}
		switch {
		case next == "":
			return nil
		case !cursors.add(next):
			return &stopError{fmt.Sprintf("pagination stopped at page %d: the cursor %q came back", n, short(next))}
		case fresh == 0:
			return &stopError{fmt.Sprintf("pagination stopped at page %d: it added no new server", n)}
		case n >= maxPages:
			return &stopError{fmt.Sprintf("pagination stopped after %d pages (--max-pages): the registry has more", n)}
		}
		cursor = next
	}
}

// short cuts a registry's text down for a message.
func short(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}

// fromFile reads a dump: a JSON array of server.json documents (or API
// entries, or saved pages), a saved API page ({"servers": […]}), or JSON
// lines of any of these. It streams, and holds at most maxEntry bytes of
// one entry: a larger entry is read through and skipped. Entries that
// cannot be read are marked and the rest is read; only a file with no
// readable entry, or whose brackets do not close, is an error.
func fromFile(path string, each func(Item) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	d := &dumpReader{br: bufio.NewReaderSize(f, 1<<16), path: path, line: 1}
	seen := newSeenSet()
	readable, unread := 0, ""
	d.each = func(it Item) error {
		switch {
		case it.Skip != "":
			if unread == "" {
				unread = it.Where + ": " + it.Skip
			}
		case !it.Blank:
			readable++
		}
		seen.dedupe(&it)
		return each(it)
	}
	first, err := d.start()
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if first != '[' && first != '{' {
		return fmt.Errorf("%s: not a dump: want a JSON array or JSON objects, not %q first", path, first)
	}
	if first == '[' {
		err = d.array()
	} else {
		err = d.lines()
	}
	if err != nil {
		return err
	}
	if readable == 0 && unread != "" {
		return fmt.Errorf("%s: not a dump of server.json documents: no entry is readable (%s)", path, unread)
	}
	return nil
}

// dumpReader walks a dump's JSON without decoding it: it finds where each
// entry starts and ends, and keeps an entry's bytes only up to maxEntry.
type dumpReader struct {
	br   *bufio.Reader
	path string
	line int
	each func(Item) error

	keep bool     // capturing the current entry
	buf  [][]byte // its bytes in blocks, nil once over maxEntry
	size int64    // its size so far
	// side holds the first bytes of one small value (a key, a name),
	// whether or not the entry is captured.
	side     []byte
	sideOn   bool
	sideOver bool
}

const maxSide = 1 << 10

func (d *dumpReader) consume(p []byte) {
	d.line += bytes.Count(p, []byte{'\n'})
	if d.keep {
		d.size += int64(len(p))
		if d.size <= maxEntry {
			d.capture(p)
		} else {
			d.buf = nil
		}
	}
	if d.sideOn && !d.sideOver {
		if len(d.side)+len(p) <= maxSide {
			d.side = append(d.side, p...)
		} else {
			d.sideOver = true
		}
	}
}

// capture keeps p in blocks that double up to 1 MiB: a large entry is
// never copied to grow, and one over the bound is dropped block by block.
func (d *dumpReader) capture(p []byte) {
	for len(p) > 0 {
		n := len(d.buf)
		if n == 0 || len(d.buf[n-1]) == cap(d.buf[n-1]) {
			size := 4 << 10
			if n > 0 {
				size = min(2*cap(d.buf[n-1]), 1<<20)
			}
			d.buf = append(d.buf, make([]byte, 0, size))
			n++
		}
		b := d.buf[n-1]
		k := min(len(p), cap(b)-len(b))
		d.buf[n-1] = append(b, p[:k]...)
		p = p[k:]
	}
}

// chunk is what is buffered, reading more when nothing is.
func (d *dumpReader) chunk() ([]byte, error) {
	if d.br.Buffered() == 0 {
		if _, err := d.br.Peek(1); err != nil {
			return nil, err
		}
	}
	return d.br.Peek(d.br.Buffered())
}

func (d *dumpReader) advance(p []byte) {
	d.consume(p)
	d.br.Discard(len(p))
}

// start skips blanks and a byte order mark, and returns the first byte.
func (d *dumpReader) start() (byte, error) {
	for {
		c, err := d.br.ReadByte()
		if err != nil {
			return 0, errors.New("empty dump")
		}
		if !strings.ContainsRune(" \t\r\n", rune(c)) && c != 0xef && c != 0xbb && c != 0xbf {
			d.br.UnreadByte()
			return c, nil
		}
		if c == '\n' {
			d.line++
		}
	}
}

// peek skips blanks and returns the next byte; io.EOF at the end.
func (d *dumpReader) peek() (byte, error) {
	for {
		p, err := d.chunk()
		if err != nil {
			return 0, err
		}
		i := 0
		for i < len(p) && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n') {
			i++
		}
		d.advance(p[:i])
		if i < len(p) {
			return p[i], nil
		}
	}
}

func (d *dumpReader) unexpectedEnd() error {
	return fmt.Errorf("%s:%d: the dump ends inside an entry", d.path, d.line)
}

// skipByte consumes the byte peek returned.
func (d *dumpReader) skipByte() {
	p, _ := d.chunk()
	d.advance(p[:1])
}

// value consumes one JSON value: an object or array to its closing
// bracket, a string to its closing quote, anything else to the next
// delimiter. It checks no more than that: json.Unmarshal judges the
// entry's bytes.
func (d *dumpReader) value() error {
	c, err := d.peek()
	if err != nil {
		return d.unexpectedEnd()
	}
	if c != '{' && c != '[' && c != '"' {
		return d.scalar()
	}
	depth, inString, escaped := 0, false, false
	for {
		p, err := d.chunk()
		if err != nil {
			return d.unexpectedEnd()
		}
		i, done := 0, false
		for i < len(p) && !done {
			if inString {
				if escaped {
					escaped = false
					i++
					continue
				}
				j := bytes.IndexAny(p[i:], `"\`)
				if j < 0 {
					i = len(p)
					break
				}
				i += j
				if p[i] == '\\' {
					escaped = true
				} else {
					inString = false
					done = depth == 0
				}
				i++
				continue
			}
			switch p[i] {
			case '"':
				inString = true
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				done = depth == 0
			}
			i++
		}
		d.advance(p[:i])
		if done {
			return nil
		}
	}
}

// scalar consumes a number, a literal or stray text up to a delimiter
// (at least one byte, so a walk always moves on).
func (d *dumpReader) scalar() error {
	for n := 0; ; {
		p, err := d.chunk()
		if err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		i := 0
		for i < len(p) && (n+i == 0 || strings.IndexByte(" \t\r\n,:[]{}\"", p[i]) < 0) {
			i++
		}
		d.advance(p[:i])
		n += i
		if i < len(p) {
			return nil
		}
	}
}

// small consumes one value and returns its bytes when they are few.
func (d *dumpReader) small() ([]byte, bool, error) {
	d.side, d.sideOn, d.sideOver = d.side[:0], true, false
	err := d.value()
	d.sideOn = false
	return d.side, !d.sideOver, err
}

// array reads a dump that is one JSON array.
func (d *dumpReader) array() error {
	d.skipByte()
	for n := 1; ; {
		c, err := d.peek()
		if err != nil {
			return d.unexpectedEnd()
		}
		switch c {
		case ']':
			return nil
		case ',':
			d.skipByte()
			continue
		}
		if err := d.element(n); err != nil {
			return err
		}
		n++
	}
}

// lines reads a dump of one JSON value after another.
func (d *dumpReader) lines() error {
	for n := 1; ; n++ {
		if _, err := d.peek(); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		if err := d.element(n); err != nil {
			return err
		}
	}
}

// element reads entry n of the dump: a server.json, an API entry, or a
// saved page whose servers are each an entry.
func (d *dumpReader) element(n int) error {
	where := fmt.Sprintf("%s:%d: entry %d", d.path, d.line, n)
	c, _ := d.peek()
	d.keep, d.buf, d.size = true, nil, 0
	if c == '{' {
		page, err := d.object(n)
		if err != nil || page {
			return err
		}
	} else if err := d.value(); err != nil {
		return err
	}
	return d.emit(where)
}

// object consumes an object member by member. One with a "servers" list
// before any name is a saved page: each server is read as an entry of its
// own, and the page itself is not kept.
func (d *dumpReader) object(n int) (page bool, err error) {
	d.skipByte()
	named := false
	for {
		c, err := d.peek()
		if err != nil {
			return page, d.unexpectedEnd()
		}
		switch c {
		case '}':
			d.skipByte()
			return page, nil
		case ',', ':':
			d.skipByte()
			continue
		}
		key, _, err := d.small()
		if err != nil {
			return page, err
		}
		if c, err = d.peek(); err != nil {
			return page, d.unexpectedEnd()
		}
		if c != ':' {
			continue // not a member: json.Unmarshal will say so
		}
		d.skipByte()
		if c, err = d.peek(); err != nil {
			return page, d.unexpectedEnd()
		}
		k := jsonString(key)
		if !page && !named && k == "servers" && c == '[' {
			page = true
			d.keep, d.buf = false, nil
			if err := d.servers(n); err != nil {
				return page, err
			}
			continue
		}
		v, few, err := d.small()
		if err != nil {
			return page, err
		}
		if k == "name" && (!few || jsonString(v) != "") {
			named = true
		}
	}
}

// servers reads the list of a saved page, entry n: each item is an entry.
func (d *dumpReader) servers(n int) error {
	d.skipByte()
	for m := 1; ; {
		c, err := d.peek()
		if err != nil {
			return d.unexpectedEnd()
		}
		switch c {
		case ']':
			d.skipByte()
			return nil
		case ',':
			d.skipByte()
			continue
		}
		at := fmt.Sprintf("%s:%d: entry %d, server %d", d.path, d.line, n, m)
		d.keep, d.buf, d.size = true, nil, 0
		if err := d.value(); err != nil {
			return err
		}
		if err := d.emit(at); err != nil {
			return err
		}
		m++
	}
}

// emit hands the captured entry on, or says it was over the bound.
func (d *dumpReader) emit(where string) error {
	blocks, size := d.buf, d.size
	d.keep, d.buf = false, nil
	if size > maxEntry {
		return d.each(Item{Where: where, Skip: overBound(size)})
	}
	raw := []byte(nil)
	if len(blocks) == 1 {
		raw = blocks[0]
	} else if len(blocks) > 1 {
		raw = bytes.Join(blocks, nil)
	}
	return d.each(entry(raw, where))
}

// jsonString is the text of a JSON string, or "" for anything else.
func jsonString(raw []byte) string {
	var s string
	if len(raw) == 0 || raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

// newer reports whether version a is newer than b: semantic versions
// compare as such, anything else by text.
func newer(a, b string) bool {
	va, vb := "v"+strings.TrimPrefix(a, "v"), "v"+strings.TrimPrefix(b, "v")
	if semver.IsValid(va) && semver.IsValid(vb) {
		return semver.Compare(va, vb) > 0
	}
	return a > b
}
