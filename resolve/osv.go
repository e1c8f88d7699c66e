package resolve

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sync"

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
	kind := "osv"
	if req.Method == http.MethodPost {
		kind = "batch" // stored per package by the batcher, not whole
	}
	resp, err := t.f.do(req.Context(), request{method: req.Method, url: req.URL.String(), body: body, header: h, kind: kind})
	if err != nil {
		return nil, err
	}
	return &http.Response{StatusCode: resp.Status, Status: http.StatusText(resp.Status), Header: resp.Header,
		Body: io.NopCloser(bytes.NewReader(resp.Body)), Request: req}, nil
}

// osvQuery is one package version to ask OSV about.
type osvQuery struct{ eco, name, version string }

// osvClient is the OSV API client; its requests go through the fetcher.
func (r *Resolver) osvClient() *osvdev.OSVClient {
	client := &osvdev.OSVClient{
		HTTPClient:  &http.Client{Transport: fetcherTransport{r.f}},
		Config:      osvdev.DefaultConfig(),
		BaseHostURL: r.o.OSVURL,
	}
	client.Config.MaxRetryAttempts = 1 // the fetcher retries
	client.Config.UserAgent = r.f.userAgent
	return client
}

// sendOSV asks OSV about a batch of versions; each item's answer is the
// list of advisory ids that cover it.
func (r *Resolver) sendOSV(ctx context.Context, items []*batchItem) {
	queries := make([]*api.Query, len(items))
	for i, it := range items {
		q := it.q.(osvQuery)
		queries[i] = &api.Query{
			Package: &osvschema.Package{Name: q.name, Ecosystem: q.eco},
			Param:   &api.Query_Version{Version: q.version},
		}
	}
	batch, err := r.osvClient().QueryBatch(ctx, queries)
	if err == nil && len(batch.GetResults()) != len(items) {
		err = errors.New("OSV did not answer for every package")
	} else if err != nil {
		err = errors.New("OSV: " + err.Error())
	}
	for i, it := range items {
		if err != nil {
			it.err = err
			continue
		}
		ids := []string{}
		for _, v := range batch.GetResults()[i].GetVulns() {
			ids = append(ids, v.GetId())
		}
		it.body, _ = json.Marshal(ids)
	}
}

// queueAdvisories asks, as soon as p's version is known, which advisories
// cover it. The question joins OSV's next batch at once; the returned
// function waits for the answer and reads each advisory.
func (r *Resolver) queueAdvisories(ctx context.Context, p *facts.Package) func() {
	eco := osvName(p.Ecosystem)
	if eco == "" || p.Exists != facts.Yes || p.Version == "" {
		return func() {}
	}
	if r.o.OSVDB != "" {
		return func() {
			advs, err := r.osvDB().lookup(eco, p.Name, p.Version)
			r.setAdvisories(p, advs, err)
		}
	}
	it := r.osv.add(ctx, eco+"\x00"+p.Name+"\x00"+p.Version, osvQuery{eco, p.Name, p.Version})
	return func() {
		advs, err := r.readAdvisories(ctx, it, eco, p.Name, p.Version)
		r.setAdvisories(p, advs, err)
	}
}

func (r *Resolver) setAdvisories(p *facts.Package, advs []facts.Advisory, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		p.Unknowns = append(p.Unknowns, "advisories: "+err.Error())
		return
	}
	p.Advisories = advs
	for _, a := range advs {
		if a.Unread != "" {
			p.Unknowns = append(p.Unknowns, "advisory "+a.ID+": its record could not be fetched ("+a.Unread+"), so its severity and fixed version are unknown")
		}
	}
}

// readAdvisories waits for OSV's answer for one version, then reads its
// advisories concurrently; the fetcher reads each advisory once per run.
func (r *Resolver) readAdvisories(ctx context.Context, it *batchItem, eco, name, version string) ([]facts.Advisory, error) {
	body, err := it.Wait(ctx)
	if err != nil {
		return nil, err
	}
	var ids []string
	if err := json.Unmarshal(body, &ids); err != nil {
		return nil, errors.New("OSV: unreadable stored answer")
	}
	advs := make([]facts.Advisory, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() {
			full, err := r.osvClient().GetVulnByID(ctx, id)
			if err != nil {
				// OSV said it covers the version: that stands; the
				// record's details are what is missing.
				advs[i] = (&osvRecord{ID: id}).advisory(eco, name, version)
				advs[i].Unread = err.Error()
				return
			}
			advs[i] = fromProto(full).advisory(eco, name, version)
		})
	}
	wg.Wait()
	return advs, nil
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
