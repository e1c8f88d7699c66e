package fakereg

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
)

// RegistryEntry is one entry of the MCP registry API: a server.json and
// its official metadata.
func RegistryEntry(server map[string]any, status string, latest bool) map[string]any {
	return map[string]any{"server": server, "_meta": map[string]any{"io.modelcontextprotocol.registry/official": map[string]any{
		"status": status, "isLatest": latest, "publishedAt": "2025-09-01T00:00:00Z", "updatedAt": "2025-09-01T00:00:00Z"}}}
}

// ServeRegistry serves entries as the MCP registry API does at
// GET {prefix}/v0/servers: pages of at most limit entries (100 at the
// most, the default 30), an opaque metadata.nextCursor until the last
// page, and updated_since echoed into UpdatedSince. pageSize, when not
// 0, caps pages further, so a few entries span several pages.
func (w *World) ServeRegistry(prefix string, entries []map[string]any, pageSize int) {
	w.On("GET "+prefix+"/v0/servers", func(rw http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		limit := 30
		if l := q.Get("limit"); l != "" {
			n, err := strconv.Atoi(l)
			if err != nil || n < 1 || n > 100 {
				JSON(422, map[string]any{"title": "Unprocessable Entity", "status": 422, "detail": "validation failed",
					"errors": []any{map[string]any{"message": "expected number <= 100", "location": "query.limit", "value": l}}})(rw, r)
				return
			}
			limit = n
		}
		if pageSize > 0 {
			limit = min(limit, pageSize)
		}
		start := 0
		if c := q.Get("cursor"); c != "" {
			b, err := base64.RawURLEncoding.DecodeString(c)
			if err != nil || !strings.HasPrefix(string(b), "at:") {
				JSON(400, map[string]any{"title": "Bad Request", "status": 400, "detail": "invalid cursor"})(rw, r)
				return
			}
			start, _ = strconv.Atoi(strings.TrimPrefix(string(b), "at:"))
		}
		w.mu.Lock()
		w.UpdatedSince = q.Get("updated_since")
		w.mu.Unlock()
		end := min(start+limit, len(entries))
		page := entries[min(start, len(entries)):end]
		meta := map[string]any{"count": len(page)}
		if end < len(entries) {
			meta["nextCursor"] = base64.RawURLEncoding.EncodeToString([]byte("at:" + strconv.Itoa(end)))
		}
		JSON(200, map[string]any{"servers": page, "metadata": meta})(rw, r)
	})
}
