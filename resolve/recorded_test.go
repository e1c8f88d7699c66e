package resolve

import (
	"context"
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
