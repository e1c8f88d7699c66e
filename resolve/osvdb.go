package resolve

import (
	"archive/zip"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/Masterminds/semver/v3"
	"github.com/mcptether/mcptether/facts"
)

// osvDB reads osv-scanner's offline databases: one all.zip of OSV JSON
// records per ecosystem, under <dir>/osv-scalibr/<Ecosystem>/ (osv-scanner
// v2.5) or <dir>/osv-scanner/<Ecosystem>/ (older).
type osvDB struct {
	dir  string
	mu   sync.Mutex
	byEc map[string][]osvRecord
}

func newOSVDB(dir string) *osvDB { return &osvDB{dir: dir, byEc: map[string][]osvRecord{}} }

func (db *osvDB) load(eco string) ([]osvRecord, error) {
	db.mu.Lock()
	defer db.mu.Unlock()
	if recs, ok := db.byEc[eco]; ok {
		return recs, nil
	}
	var path string
	for _, sub := range []string{"osv-scalibr", "osv-scanner"} {
		p := filepath.Join(db.dir, sub, eco, "all.zip")
		if _, err := os.Stat(p); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		return nil, errors.New("no offline OSV database for " + eco + " under " + db.dir + " (run osv-scanner --download-offline-databases)")
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	var recs []osvRecord
	for _, f := range zr.File {
		if !strings.HasSuffix(f.Name, ".json") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(io.LimitReader(rc, 16<<20))
		rc.Close()
		if err != nil {
			return nil, err
		}
		var rec osvRecord
		if json.Unmarshal(data, &rec) == nil && rec.Withdrawn == "" {
			recs = append(recs, rec)
		}
	}
	db.byEc[eco] = recs
	return recs, nil
}

func (db *osvDB) lookup(eco, name, version string) ([]facts.Advisory, error) {
	recs, err := db.load(eco)
	if err != nil {
		return nil, err
	}
	var out []facts.Advisory
	for i := range recs {
		r := &recs[i]
		for _, a := range r.Affected {
			if a.Package.Ecosystem != eco || normName(eco, a.Package.Name) != normName(eco, name) || !affects(eco, a.Versions, a.Ranges, version) {
				continue
			}
			out = append(out, r.advisory(eco, name, version))
			break
		}
	}
	return out, nil
}

// affects evaluates an OSV affected entry: the explicit version list, then
// SEMVER and ECOSYSTEM ranges (introduced / fixed / last_affected events).
func affects(eco string, versions []string, ranges []struct {
	Type   string              `json:"type"`
	Events []map[string]string `json:"events"`
}, v string) bool {
	for _, x := range versions {
		if x == v {
			return true
		}
	}
	cmp := func(a, b string) int { return compareVersions(eco, a, b) }
	for _, rg := range ranges {
		if rg.Type != "SEMVER" && rg.Type != "ECOSYSTEM" {
			continue
		}
		in := false
		for _, ev := range rg.Events {
			switch {
			case ev["introduced"] != "":
				if ev["introduced"] == "0" || cmp(v, ev["introduced"]) >= 0 {
					in = true
				}
			case ev["fixed"] != "":
				if in && cmp(v, ev["fixed"]) >= 0 {
					in = false
				}
			case ev["last_affected"] != "":
				if in && cmp(v, ev["last_affected"]) > 0 {
					in = false
				}
			}
		}
		if in {
			return true
		}
	}
	return false
}

// compareVersions orders versions as the ecosystem does (PEP 440 for PyPI,
// semver elsewhere, text when a version is neither).
func compareVersions(eco, a, b string) int {
	if eco == "PyPI" {
		return pepCompare(a, b)
	}
	va, ea := semver.NewVersion(a)
	vb, eb := semver.NewVersion(b)
	if ea != nil || eb != nil {
		return strings.Compare(a, b)
	}
	return va.Compare(vb)
}
