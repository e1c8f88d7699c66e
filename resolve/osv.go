package resolve

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sort"

	"github.com/mcptether/mcptether/facts"
	"github.com/mcptether/mcptether/launch"
	"github.com/ossf/osv-schema/bindings/go/osvschema"
	"google.golang.org/protobuf/encoding/protojson"
	"osv.dev/bindings/go/api"
	"osv.dev/bindings/go/osvdev"
)

// osvName is an ecosystem's name in OSV, "" when OSV has none.
func osvName(e launch.Ecosystem) string { return launch.Describe(e).OSV }

// fetcherTransport lets the OSV client's requests go through the fetcher:
// one retry policy, the cache and the pool apply to them too.
type fetcherTransport struct{ f *fetcher }

func (t fetcherTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		body = b
	}
	h := http.Header{}
	if ct := req.Header.Get("Content-Type"); ct != "" {
		h.Set("Content-Type", ct)
	}
	resp, err := t.f.do(req.Context(), request{method: req.Method, url: req.URL.String(), body: body, header: h, kind: "osv"})
	if err != nil {
		return nil, err
	}
	return &http.Response{StatusCode: resp.Status, Status: http.StatusText(resp.Status), Header: resp.Header,
		Body: io.NopCloser(bytes.NewReader(resp.Body)), Request: req}, nil
}

// advisories asks OSV, in one batch, which advisories cover the resolved
// versions, then reads each advisory once.
func (r *Resolver) advisories(ctx context.Context) {
	type target struct {
		p   *facts.Package
		eco string
	}
	var targets []target
	keys := make([]string, 0, len(r.facts.Packages))
	for k := range r.facts.Packages {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		p := r.facts.Packages[k]
		if eco := osvName(p.Ecosystem); eco != "" && p.Exists == facts.Yes && p.Version != "" {
			targets = append(targets, target{p, eco})
		}
	}
	if len(targets) == 0 {
		return
	}
	if r.o.OSVDB != "" {
		db := newOSVDB(r.o.OSVDB)
		for _, t := range targets {
			advs, err := db.lookup(t.eco, t.p.Name, t.p.Version)
			if err != nil {
				t.p.Unknowns = append(t.p.Unknowns, "advisories: "+err.Error())
				continue
			}
			t.p.Advisories = advs
		}
		return
	}
	pkgs := make([]*facts.Package, len(targets))
	for i, t := range targets {
		pkgs[i] = t.p
	}
	if err := r.queryOSV(ctx, pkgs); err != nil {
		for _, p := range pkgs {
			p.Unknowns = append(p.Unknowns, "advisories: "+err.Error())
		}
	}
}

// queryOSV asks OSV in one batch which advisories cover each package's
// Version, and reads each advisory once.
func (r *Resolver) queryOSV(ctx context.Context, pkgs []*facts.Package) error {
	if len(pkgs) == 0 {
		return nil
	}
	client := &osvdev.OSVClient{
		HTTPClient:  &http.Client{Transport: fetcherTransport{r.f}},
		Config:      osvdev.DefaultConfig(),
		BaseHostURL: r.o.OSVURL,
	}
	client.Config.MaxRetryAttempts = 1 // the fetcher retries
	client.Config.UserAgent = r.f.userAgent
	queries := make([]*api.Query, len(pkgs))
	for i, p := range pkgs {
		queries[i] = &api.Query{
			Package: &osvschema.Package{Name: p.Name, Ecosystem: osvName(p.Ecosystem)},
			Param:   &api.Query_Version{Version: p.Version},
		}
	}
	batch, err := client.QueryBatch(ctx, queries)
	if err != nil {
		return errors.New("OSV: " + err.Error())
	}
	if len(batch.GetResults()) != len(pkgs) {
		return errors.New("OSV did not answer for every package")
	}
	r.osvMu.Lock()
	defer r.osvMu.Unlock()
	if r.osvDetails == nil {
		r.osvDetails = map[string]*osvRecord{}
	}
	for i, res := range batch.GetResults() {
		for _, v := range res.GetVulns() {
			id := v.GetId()
			rec, ok := r.osvDetails[id]
			if !ok {
				rec = &osvRecord{ID: id}
				if full, err := client.GetVulnByID(ctx, id); err == nil {
					rec = fromProto(full)
				}
				r.osvDetails[id] = rec
			}
			p := pkgs[i]
			pkgs[i].Advisories = append(pkgs[i].Advisories, rec.advisory(osvName(p.Ecosystem), p.Name, p.Version))
		}
	}
	return nil
}

// fromProto reads the client's record through its OSV JSON form, so the
// API and the offline databases share one reader.
func fromProto(v *osvschema.Vulnerability) *osvRecord {
	rec := &osvRecord{ID: v.GetId(), Summary: v.GetSummary(), Aliases: v.GetAliases()}
	if data, err := (protojson.MarshalOptions{UseProtoNames: true}).Marshal(v); err == nil {
		json.Unmarshal(data, rec)
	}
	return rec
}
