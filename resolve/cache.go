package resolve

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"time"
)

// diskCache keeps responses between runs, one file per request. Writes go
// through a temporary file and a rename, so concurrent processes never see
// half an entry; an entry that cannot be read is treated as missing.
type diskCache struct {
	dir string
}

type cacheEntry struct {
	Key    string      `json:"key"`
	Status int         `json:"status"`
	Header http.Header `json:"header"`
	Body   []byte      `json:"body"`
	Stored time.Time   `json:"stored"`
	TTL    int64       `json:"ttlSeconds"`
}

func (e *cacheEntry) fresh(now time.Time) bool {
	return now.Before(e.Stored.Add(time.Duration(e.TTL) * time.Second))
}

func (c *diskCache) path(key string) string {
	sum := sha256.Sum256([]byte(key))
	h := hex.EncodeToString(sum[:])
	return filepath.Join(c.dir, "v1", h[:2], h+".json")
}

func (c *diskCache) get(key string) *cacheEntry {
	data, err := os.ReadFile(c.path(key))
	if err != nil {
		return nil
	}
	var e cacheEntry
	if json.Unmarshal(data, &e) != nil || e.Key != key {
		return nil // corrupt, or a hash collision: refetch
	}
	return &e
}

func (c *diskCache) put(e *cacheEntry) {
	p := c.path(e.Key)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return
	}
	data, err := json.Marshal(e)
	if err != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".tmp-*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), p) != nil {
		os.Remove(tmp.Name())
	}
}
