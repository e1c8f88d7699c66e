package audit

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
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
}

const officialMeta = "io.modelcontextprotocol.registry/official"

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
		return Item{}, errors.New("an entry without a name")
	}
	return it, nil
}

// Registry reads every page of the MCP registry API, following
// metadata.nextCursor until it is empty.
type pager interface {
	page(ctx context.Context, cursor string) (items []json.RawMessage, next string, err error)
}

func fromAPI(ctx context.Context, p pager, each func(Item) error) error {
	cursor := ""
	seen := map[string]bool{} // cursors: a registry that loops is not followed forever
	for {
		raws, next, err := p.page(ctx, cursor)
		if err != nil {
			return err
		}
		for _, raw := range raws {
			it, err := item(raw)
			if err != nil {
				return fmt.Errorf("MCP registry: an entry is unreadable: %v", err)
			}
			if err := each(it); err != nil {
				return err
			}
		}
		if next == "" {
			return nil
		}
		if seen[next] {
			return fmt.Errorf("MCP registry: the cursor %q came back; stopping", next)
		}
		seen[next] = true
		cursor = next
	}
}

// maxDumpLine bounds one line of a JSON-lines dump.
const maxDumpLine = 64 << 20

// fromFile reads a dump: a JSON array of server.json documents (or API
// entries), a saved API page ({"servers": […]}), or JSON lines of any of
// these. It streams: memory holds one entry at a time.
func fromFile(path string, each func(Item) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<16)
	first, err := firstByte(br)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if first == '[' {
		return streamArray(json.NewDecoder(br), path, each)
	}
	// One object (a server.json or a page) per line, or one object in all.
	dec := json.NewDecoder(br)
	for n := 1; ; n++ {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err == io.EOF {
			return nil
		} else if err != nil {
			return fmt.Errorf("%s: entry %d: %w", path, n, err)
		}
		if err := entryOrPage(raw, path, each); err != nil {
			return err
		}
	}
}

func entryOrPage(raw json.RawMessage, path string, each func(Item) error) error {
	var page struct {
		Servers []json.RawMessage `json:"servers"`
		Name    string            `json:"name"`
	}
	if json.Unmarshal(raw, &page) == nil && page.Servers != nil && page.Name == "" {
		for _, s := range page.Servers {
			if err := one(s, path, each); err != nil {
				return err
			}
		}
		return nil
	}
	return one(raw, path, each)
}

func one(raw json.RawMessage, path string, each func(Item) error) error {
	it, err := item(raw)
	if err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	return each(it)
}

func streamArray(dec *json.Decoder, path string, each func(Item) error) error {
	if _, err := dec.Token(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	for dec.More() {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if err := entryOrPage(raw, path, each); err != nil {
			return err
		}
	}
	return nil
}

func firstByte(br *bufio.Reader) (byte, error) {
	for {
		b, err := br.ReadByte()
		if err != nil {
			return 0, errors.New("empty dump")
		}
		if !strings.ContainsRune(" \t\r\n\ufeff", rune(b)) && b != 0xef && b != 0xbb && b != 0xbf {
			br.UnreadByte()
			return b, nil
		}
	}
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
