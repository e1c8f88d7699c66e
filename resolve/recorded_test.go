package resolve

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mcptether/mcptether/facts"
)

// recorded is a response body other projects recorded from the real
// service, byte for byte; testdata/recorded/README.md says where each
// comes from.
func recorded(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "recorded", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// Docker's official images name their source only in OCI annotations: on
// the index's entries and the image manifest, not in the config's labels.
func TestOfficialImageAnnotations(t *testing.T) {
	w := newWorld(t)
	index := recorded(t, "oci-index-dockerhub-library-busybox-latest-2024-01.json")
	manifest := recorded(t, "oci-manifest-dockerhub-library-busybox-amd64-2024-01.json")
	config := recorded(t, "oci-config-dockerhub-library-busybox-amd64-2024-01.json")
	const amd64 = "sha256:538721340ded10875f4710cad688c70e5d0ecb4dcd5e7d0c161f301f36f79414"
	const cfg = "sha256:3f57d9401f8d42f986df300f0c69192fc41da28ccc8d797829467780db3dd741"
	w.On("GET /dockerhub/v2/library/busybox/manifests/latest", rawBody(200, index,
		"Content-Type", "application/vnd.oci.image.index.v1+json", "Docker-Content-Digest", "sha256:6d9ac9237a84afe1516540f40a0fafdc86859b2141954b4d643af7066d598b74"))
	w.On("GET /dockerhub/v2/library/busybox/manifests/"+amd64, rawBody(200, manifest, "Content-Type", "application/vnd.oci.image.manifest.v1+json", "Docker-Content-Digest", amd64))
	w.On("GET /dockerhub/v2/library/busybox/blobs/"+cfg, rawBody(200, config, "Content-Type", "application/octet-stream"))
	ss := servers(t, "docker run -i --rm busybox")
	p := pkg(t, New(options(w)).Resolve(context.Background(), ss), ss[0])
	if p.Exists != facts.Yes || p.Repository != "github.com/docker-library/busybox" || p.Revision != "09ee80aedec1d8c604f104e8bec41ed19274620a" ||
		!strings.Contains(p.RepositoryFrom, "annotation") || len(p.Unknowns) != 0 {
		t.Errorf("busybox: %+v", p)
	}
	// The same index when the image manifest and its config cannot be
	// fetched: the annotation still names the source, and the gap is said.
	w2 := newWorld(t)
	w2.On("GET /dockerhub/v2/library/busybox/manifests/latest", rawBody(200, index, "Content-Type", "application/vnd.oci.image.index.v1+json"))
	w2.On("GET /dockerhub/v2/library/busybox/manifests/"+amd64, rawBody(500, `{"errors":[{"code":"UNKNOWN"}]}`))
	p = pkg(t, New(options(w2)).Resolve(context.Background(), ss), ss[0])
	if p.Repository != "github.com/docker-library/busybox" || !contains(p.Unknowns, "image manifest could not be fetched") {
		t.Errorf("inner manifest down: %+v", p)
	}
	// A 2019 Docker config with labels but no source: no repository, and
	// nothing made up.
	w3 := newWorld(t)
	w3.On("GET /dockerhub/v2/library/nginx/manifests/1.17.3", jsonBody(200, map[string]any{"schemaVersion": 2,
		"mediaType": "application/vnd.docker.distribution.manifest.v2+json", "config": map[string]any{"digest": "sha256:ab56bba9"}}))
	w3.On("GET /dockerhub/v2/library/nginx/blobs/sha256:ab56bba9", rawBody(200, recorded(t, "docker-config-dockerhub-library-nginx-1.17.3-2019.json")))
	ss = servers(t, "docker run nginx:1.17.3")
	p = pkg(t, New(options(w3)).Resolve(context.Background(), ss), ss[0])
	if p.Exists != facts.Yes || p.Repository != "" || len(p.Unknowns) != 0 {
		t.Errorf("nginx: %+v", p)
	}
	// The config blob refused: said.
	w3.On("GET /dockerhub/v2/library/nginx/blobs/sha256:ab56bba9", rawBody(404, `{"errors":[{"code":"BLOB_UNKNOWN"}]}`))
	p = pkg(t, New(options(w3)).Resolve(context.Background(), ss), ss[0])
	if !contains(p.Unknowns, "its config could not be fetched") {
		t.Errorf("config gone: %+v", p)
	}
}

// A yanked PyPI release names its replacement in yanked_reason, which the
// finding quotes.
func TestPyPIYankedReason(t *testing.T) {
	w := newWorld(t)
	w.On("GET /pypi-root/pypi/black/json", jsonBody(200, map[string]any{
		"info":     map[string]any{"name": "black", "version": "21.11b1"},
		"releases": map[string]any{"21.11b0": []any{map[string]any{"upload_time_iso_8601": "2021-11-16T18:19:11.580520Z", "yanked": true, "yanked_reason": "Broken regex dependency. Use 21.11b1 instead."}}},
	}))
	w.On("GET /pypi-root/pypi/black/21.11b0/json", rawBody(200, recorded(t, "pypi-black-21.11b0-yanked.json"), "Content-Type", "application/json"))
	ss := servers(t, "uvx black==21.11b0")
	p := pkg(t, New(options(w)).Resolve(context.Background(), ss), ss[0])
	if !p.Yanked || p.YankedReason != "Broken regex dependency. Use 21.11b1 instead." || p.Repository != "github.com/psf/black" {
		t.Errorf("black 21.11b0: %+v", p)
	}
}

// OSV's real answers: a querybatch whose package with no advisory is {}
// and a GHSA record; then the same when the record cannot be fetched:
// the advisory still applies, and what is unknown is said, not assumed.
func TestOSVRecordedAndUnread(t *testing.T) {
	w := newWorld(t)
	w.On("GET /npm/ansi-html", jsonBody(200, npmPackument("ansi-html", nil, map[string]map[string]any{"0.0.7": {}}, map[string]string{"0.0.7": "2016-11-28T00:00:00.000Z"}, "0.0.7")))
	batch := recorded(t, "osv-querybatch-response-raw.json") // 17 results: the 12th has a CVE
	w.On("POST /osv/v1/querybatch", func(rw http.ResponseWriter, r *http.Request) {
		var q struct{ Queries []map[string]any }
		jsonDecode(r, &q)
		// Answer each query with the recording's entries: the empty ones
		// for clean packages, and GHSA-whgm's for ansi-html.
		var rec struct{ Results []json.RawMessage }
		json.Unmarshal([]byte(batch), &rec)
		out := []json.RawMessage{}
		for i, qq := range q.Queries {
			if qq["package"].(map[string]any)["name"] == "ansi-html" {
				out = append(out, json.RawMessage(`{"vulns":[{"id":"GHSA-whgm-jr23-g3j9","modified":"2023-11-08T04:05:08.868477Z"}]}`))
			} else {
				out = append(out, rec.Results[i%len(rec.Results)])
			}
		}
		jsonBody(200, map[string]any{"results": out})(rw, r)
	})
	w.On("GET /osv/v1/vulns/GHSA-whgm-jr23-g3j9", rawBody(200, recorded(t, "osv-vuln-GHSA-whgm-jr23-g3j9.json"), "Content-Type", "application/json"))
	ss := servers(t, "npx ansi-html@0.0.7", "npx @acme/server")
	fs := New(options(w)).Resolve(context.Background(), ss)
	p := pkg(t, fs, ss[0])
	if len(p.Advisories) != 1 || p.Advisories[0].Severity != "HIGH" || p.Advisories[0].Fixed != "0.0.8" || p.Advisories[0].Aliases[0] != "CVE-2021-23424" || p.Advisories[0].Unread != "" {
		t.Errorf("recorded GHSA: %+v", p.Advisories)
	}
	if a := pkg(t, fs, ss[1]); len(a.Advisories) != 0 || len(a.Unknowns) != 0 {
		t.Errorf("clean package: %+v", a)
	}

	w.On("GET /osv/v1/vulns/GHSA-whgm-jr23-g3j9", rawBody(503, `{"code":14,"message":"unavailable"}`))
	fs = New(options(w)).Resolve(context.Background(), ss[:1])
	p = pkg(t, fs, ss[0])
	if len(p.Advisories) != 1 || p.Advisories[0].ID != "GHSA-whgm-jr23-g3j9" || p.Advisories[0].Unread == "" || p.Advisories[0].Severity != "" ||
		!contains(p.Unknowns, "advisory GHSA-whgm-jr23-g3j9: its record could not be fetched") {
		t.Errorf("unread record: %+v, unknowns %q", p.Advisories, p.Unknowns)
	}
}

// npm's abbreviated document (what a mirror may serve whatever is asked)
// has no publish times and no publishers: the gaps are said.
func TestNPMAbbreviatedDocument(t *testing.T) {
	w := newWorld(t)
	w.On("GET /npm/abbrev", rawBody(200, recorded(t, "npm-corgi-abbrev-2019.json"), "Content-Type", "application/vnd.npm.install-v1+json"))
	ss := servers(t, "npx -y abbrev")
	p := pkg(t, New(options(w)).Resolve(context.Background(), ss), ss[0])
	if p.Exists != facts.Yes || p.Version != "1.1.1" || !contains(p.Unknowns, "has no publish time and no publisher (an abbreviated or mirrored document)") {
		t.Errorf("abbreviated: %+v", p)
	}
	// Control: the full document of the same package, with times and
	// publishers, leaves nothing unknown for its latest version.
	w.On("GET /npm/abbrev", rawBody(200, recorded(t, "npm-packument-full-abbrev-2019.json"), "Content-Type", "application/json"))
	p = pkg(t, New(options(w)).Resolve(context.Background(), ss), ss[0])
	if p.Version != "1.1.1" || p.Published.IsZero() || p.Publisher == "" || len(p.Unknowns) != 0 {
		t.Errorf("full: %+v", p)
	}
}

// npm's first attestations carry SLSA provenance v0.2, whose repository is
// the invocation's configSource; an attestation that cannot be fetched
// is said, not read as "nothing attested".
func TestNPMAttestationsV02(t *testing.T) {
	w := newWorld(t)
	attested := map[string]any{"url": "https://registry.npmjs.org/-/npm/v1/attestations/sigstore@0.4.0", "provenance": map[string]any{"predicateType": "https://slsa.dev/provenance/v0.2"}}
	w.On("GET /npm/sigstore", jsonBody(200, npmPackument("sigstore", "github:sigstore/sigstore-js",
		map[string]map[string]any{"0.4.0": {"dist": map[string]any{"integrity": "sha512-A", "attestations": attested}}},
		map[string]string{"0.4.0": "2023-02-13T00:00:00.000Z"}, "0.4.0")))
	w.On("GET /npm/-/npm/v1/attestations/sigstore@0.4.0", rawBody(200, recorded(t, "npm-attestations-sigstore-0.4.0.json"), "Content-Type", "application/json"))
	ss := servers(t, "npx -y sigstore@0.4.0")
	p := pkg(t, New(options(w)).Resolve(context.Background(), ss), ss[0])
	if p.Provenance != facts.Yes || p.ProvenanceRepo != "github.com/sigstore/sigstore-js" || len(p.Unknowns) != 0 {
		t.Errorf("v0.2 attestation: %+v", p)
	}
	w.On("GET /npm/-/npm/v1/attestations/sigstore@0.4.0", rawBody(500, "boom"))
	p = pkg(t, New(options(w)).Resolve(context.Background(), ss), ss[0])
	if p.ProvenanceRepo != "" || !contains(p.Unknowns, "its provenance attestation could not be read") {
		t.Errorf("attestation down: %+v", p)
	}
}

// A packument is reduced as it streams in: what the rules read is the same
// as from the whole document, and nothing else is kept.
func TestReducePackument(t *testing.T) {
	bodies := map[string]string{
		"recorded full":  recorded(t, "npm-packument-full-abbrev-2019.json"),
		"recorded corgi": recorded(t, "npm-corgi-abbrev-2019.json"),
	}
	fake, _ := json.Marshal(npmPackument("x", map[string]any{"type": "git", "url": "git+https://github.com/acme/x.git"},
		map[string]map[string]any{"1.0.0": {"scripts": map[string]any{"test": "jest", "postinstall": "node x.js"}, "deprecated": "use y", "readme": strings.Repeat("r", 1<<16)}},
		map[string]string{"1.0.0": "2025-01-01T00:00:00.000Z"}, "1.0.0"))
	bodies["fake"] = string(fake)
	for name, body := range bodies {
		var whole packument
		if err := json.Unmarshal([]byte(body), &whole); err != nil {
			t.Fatal(err)
		}
		reduced, err := reducePackument(strings.NewReader(body))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var got packument
		if err := json.Unmarshal(reduced, &got); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for v, ver := range whole.Versions {
			for s := range ver.Scripts {
				if s != "preinstall" && s != "install" && s != "postinstall" {
					delete(ver.Scripts, s)
				}
			}
			g := got.Versions[v]
			deprecation := func(raw json.RawMessage) (s string) { json.Unmarshal(raw, &s); return s }
			if ver.NPMUser != nil != (g.NPMUser != nil) || ver.Dist.Integrity != g.Dist.Integrity || len(ver.Scripts) != len(g.Scripts) ||
				deprecation(ver.Deprecated) != deprecation(g.Deprecated) {
				t.Errorf("%s %s: %+v, want %+v", name, v, g, ver)
			}
		}
		if len(got.Versions) != len(whole.Versions) || len(got.Time) != len(whole.Time) || len(got.DistTags) != len(whole.DistTags) {
			t.Errorf("%s: %d versions, %d times, %d tags", name, len(got.Versions), len(got.Time), len(got.DistTags))
		}
		if len(reduced) >= len(body) && name != "recorded corgi" {
			t.Errorf("%s: %d bytes kept of %d", name, len(reduced), len(body))
		}
	}
	for _, bad := range []string{`{"versions": {"1.0.0": `, `[1, 2]`, `{"versions": [1]}`} {
		if _, err := reducePackument(strings.NewReader(bad)); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
