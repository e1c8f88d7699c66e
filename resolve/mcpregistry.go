package resolve

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
)

// DefaultMCPRegistry is the official MCP registry.
const DefaultMCPRegistry = "https://registry.modelcontextprotocol.io"

// RegistryPage is one page of the MCP registry API's server list.
type RegistryPage struct {
	Servers    []json.RawMessage // {"server": {…server.json…}, "_meta": {…}}
	NextCursor string
}

// ServersPage reads GET {registry}/v0/servers?limit=…&cursor=…
// (updated_since when given). Pages are kept in the cache like any
// answer, so an interrupted audit reads them again from disk.
func (r *Resolver) ServersPage(ctx context.Context, limit int, cursor, updatedSince string) (*RegistryPage, error) {
	q := url.Values{"limit": {strconv.Itoa(limit)}}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	if updatedSince != "" {
		q.Set("updated_since", updatedSince)
	}
	resp, err := r.f.do(ctx, request{url: r.o.MCPRegistry + "/v0/servers?" + q.Encode(), kind: "registry", header: http.Header{"Accept": {"application/json"}}})
	if err != nil {
		return nil, err
	}
	if resp.Status != http.StatusOK {
		return nil, errors.New("MCP registry: " + status(resp))
	}
	var page struct {
		Servers  []json.RawMessage `json:"servers"`
		Metadata struct {
			NextCursor string `json:"nextCursor"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(resp.Body, &page); err != nil {
		return nil, errors.New("MCP registry: unreadable page: " + err.Error())
	}
	return &RegistryPage{Servers: page.Servers, NextCursor: page.Metadata.NextCursor}, nil
}

// Forget drops what this run remembered of answers (the disk cache keeps
// them), so a long audit holds one chunk's answers at a time. Hosts known
// to be down or rate limited stay so.
func (r *Resolver) Forget() {
	r.f.memo.Clear()
	r.f.perKey.Clear()
	r.osv.reset()
	if r.gh != nil {
		r.gh.reset()
	}
}
