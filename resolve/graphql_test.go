package resolve

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mcptether/mcptether/facts"
)

func TestGraphQLURL(t *testing.T) {
	for api, want := range map[string]string{
		"https://api.github.com":           "https://api.github.com/graphql",
		"https://ghe.example.com/api/v3":   "https://ghe.example.com/api/graphql",
		"http://127.0.0.1:8080":            "http://127.0.0.1:8080/graphql",
		"https://ghe.example.com/api/v3/x": "https://ghe.example.com/api/v3/x/graphql",
	} {
		if got := graphQLURL(api); got != want {
			t.Errorf("%s: %s, want %s", api, got, want)
		}
	}
}

// The fake answers as GitHub does: a token is required, and a query for
// a field GitHub does not have is refused.
func TestGraphQLFakeIsStrict(t *testing.T) {
	w := newWorld(t)
	post := func(auth, query string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, w.GH.URL+"/graphql", strings.NewReader(`{"query":`+fmt.Sprintf("%q", query)+`}`))
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		return resp.StatusCode, b.String()
	}
	if code, body := post("", `{ rateLimit { cost } }`); code != 401 || !strings.Contains(body, "requires you to be authenticated") {
		t.Errorf("without a token: %d %s", code, body)
	}
	if code, body := post("Bearer x", `{ repository(owner: "acme", name: "server") { archived } }`); code != 200 || !strings.Contains(body, `Cannot query field \"archived\"`) {
		t.Errorf("unknown field: %d %s", code, body)
	}
	if code, body := post("Bearer x", `{ a: repository(owner: "acme", name: "server") { nameWithOwner } b: repository(owner: "acme", name: "nope") { nameWithOwner } }`); code != 200 ||
		!strings.Contains(body, `"a":{"nameWithOwner":"acme/server"}`) || !strings.Contains(body, `"path":["b"]`) || !strings.Contains(body, `"type":"NOT_FOUND"`) {
		t.Errorf("partial answer: %d %s", code, body)
	}
}

// Repositories and owners of many servers cost a few GraphQL requests,
// never a REST request, and give what REST gives.
func TestGraphQLBatches(t *testing.T) {
	w := newWorld(t)
	var lines []string
	for i := range 120 {
		lines = append(lines, fmt.Sprintf("npx github:org%03d/tool", i))
		w.On(fmt.Sprintf("GET /repos/org%03d/tool", i), jsonBody(200, map[string]any{"id": 1000 + i, "full_name": fmt.Sprintf("org%03d/tool", i),
			"created_at": "2024-01-01T00:00:00Z", "owner": map[string]any{"login": fmt.Sprintf("org%03d", i), "type": "Organization"}}))
	}
	lines = append(lines, "npx orphan-mcp", "npx moved-mcp", "npx lost-mcp")
	ss := servers(t, lines...)
	r := New(options(w))
	fs := r.Resolve(context.Background(), ss)
	// 120 repositories and 120 owners, plus the three packages' own:
	// 246 aliased fields, at most 100 a query.
	if n := w.GraphQLCalls(); n < 3 || n > 4 {
		t.Errorf("%d GraphQL requests for 246 fields", n)
	}
	for i := range 120 {
		repo := fs.Repos[fmt.Sprintf("github.com/org%03d/tool", i)]
		if repo == nil || repo.Status != facts.RepoOK || repo.ID != int64(1000+i) || repo.OwnerType != "Organization" || repo.Created.Year() != 2024 {
			t.Fatalf("org%03d: %+v", i, repo)
		}
	}
	if repo := fs.Repos["github.com/old-name/moved-mcp"]; repo.Status != facts.RepoRedirected || repo.RedirectedTo != "github.com/new-name/moved-mcp" {
		t.Errorf("renamed: %+v", repo)
	}
	if o := fs.Owners["github.com/old-name"]; o == nil || o.Status != facts.OwnerFree {
		t.Errorf("old login: %+v", o)
	}
	if repo, o := fs.Repos["github.com/deleted-user/orphan-mcp"], fs.Owners["github.com/deleted-user"]; repo.Status != facts.RepoMissing || o.Status != facts.OwnerFree {
		t.Errorf("deleted owner: %+v %+v", repo, o)
	}
	if repo, o := fs.Repos["github.com/acme/lost-mcp"], fs.Owners["github.com/acme"]; repo.Status != facts.RepoMissing || o.Status != facts.OwnerExists {
		t.Errorf("deleted repository: %+v %+v", repo, o)
	}
	for _, route := range []string{"GET /repos/org000/tool", "GET /users/deleted-user", "GET /repos/acme/lost-mcp"} {
		if n := w.Count(route); n != 0 {
			t.Errorf("%s asked %d times over REST", route, n)
		}
	}
}

// An error on one alias (a SAML-protected organisation) leaves that
// repository unverifiable and the rest of the answer in use; a refused
// token leaves every lookup of the query unverifiable, never clean.
func TestGraphQLPartialAndRefused(t *testing.T) {
	w := newWorld(t)
	w.On("GET /repos/saml-org/tool", jsonBody(403, map[string]any{"message": "Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this organization."}))
	fs := New(options(w)).Resolve(context.Background(), servers(t, "npx github:saml-org/tool"))
	if repo := fs.Repos["github.com/saml-org/tool"]; repo.Status != facts.RepoUnknown || !strings.Contains(repo.Reason, "FORBIDDEN Resource protected by organization SAML") {
		t.Errorf("forbidden alias: %+v", repo)
	}

	w2 := newWorld(t)
	w2.On("POST /graphql", jsonBody(401, map[string]any{"message": "Bad credentials", "documentation_url": "https://docs.github.com/graphql", "status": "401"}))
	fs = New(options(w2)).Resolve(context.Background(), servers(t, "npx github:acme/server", "npx orphan-mcp"))
	for _, name := range []string{"github.com/acme/server", "github.com/deleted-user/orphan-mcp"} {
		if repo := fs.Repos[name]; repo.Status != facts.RepoUnknown || !strings.Contains(repo.Reason, "HTTP 401") {
			t.Errorf("refused token, %s: %+v", name, repo)
		}
	}
}

// GraphQL's rateLimit says no points are left until an hour from now:
// the next query is not sent, and its lookups say why.
func TestGraphQLRateLimitBudget(t *testing.T) {
	w := newWorld(t)
	w.GraphQLRemaining = 0
	r := New(options(w))
	fs := r.Resolve(context.Background(), servers(t, "npx github:acme/server"))
	if fs.Repos["github.com/acme/server"].Status != facts.RepoOK {
		t.Fatalf("first query: %+v", fs.Repos["github.com/acme/server"])
	}
	start := time.Now()
	fs = r.Resolve(context.Background(), servers(t, "npx orphan-mcp"))
	if repo := fs.Repos["github.com/deleted-user/orphan-mcp"]; repo.Status != facts.RepoUnknown || !strings.Contains(repo.Reason, "rate limited by") {
		t.Errorf("after the budget ran out: %+v", repo)
	}
	if w.GraphQLCalls() != 1 || time.Since(start) > time.Second {
		t.Errorf("%d GraphQL requests, %v: the second should fail at once", w.GraphQLCalls(), time.Since(start))
	}
}

// GitHub Enterprise Server: the API base is HOST/api/v3, GraphQL is at
// HOST/api/graphql.
func TestGraphQLEnterpriseServer(t *testing.T) {
	w := newWorld(t)
	w.On("GET /api/v3/repos/corp/tool", jsonBody(200, map[string]any{"id": 7, "full_name": "corp/tool", "owner": map[string]any{"login": "corp", "type": "Organization"}}))
	o := options(w)
	o.GitHubAPI = w.GH.URL + "/api/v3"
	fs := New(o).Resolve(context.Background(), servers(t, "npx github:corp/tool"))
	if repo := fs.Repos["github.com/corp/tool"]; repo.Status != facts.RepoOK || repo.ID != 7 {
		t.Errorf("GHES: %+v", repo)
	}
	if w.GraphQLCalls() != 1 {
		t.Errorf("%d GraphQL requests", w.GraphQLCalls())
	}
}
