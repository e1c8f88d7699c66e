package resolve

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mcptether/mcptether/facts"
)

// With a token, repository and owner facts come from GitHub's GraphQL API:
// up to 100 aliased fields per request, where REST needs one request per
// repository and another per owner. GraphQL needs authentication, so
// without a token REST is used.

// graphQLURL is the GraphQL endpoint beside a REST base URL:
// https://api.github.com → /graphql, GitHub Enterprise Server's
// https://HOST/api/v3 → https://HOST/api/graphql.
func graphQLURL(api string) string {
	if base, ok := strings.CutSuffix(api, "/api/v3"); ok {
		return base + "/api/graphql"
	}
	return api + "/graphql"
}

// ghQuery is one aliased field: a repository (owner and name) or an
// owner (login only).
type ghQuery struct{ owner, name string }

const ghRepoFields = `databaseId nameWithOwner isArchived isFork createdAt pushedAt owner { login __typename }`

// graphQLLimit is what the last answer's rateLimit said.
type graphQLLimit struct {
	mu        sync.Mutex
	remaining int
	resetAt   time.Time
	known     bool
}

// sendGraphQL asks for a batch of repositories and owners in one query.
func (r *Resolver) sendGraphQL(ctx context.Context, items []*batchItem) {
	fail := func(err error) {
		for _, it := range items {
			it.err = err
		}
	}
	if err := r.waitGraphQLBudget(ctx); err != nil {
		fail(err)
		return
	}
	var q, decl strings.Builder
	vars := map[string]string{}
	for i, it := range items {
		gq := it.q.(ghQuery)
		if gq.name != "" {
			fmt.Fprintf(&decl, "$o%d: String!, $n%d: String!, ", i, i)
			fmt.Fprintf(&q, "  a%d: repository(owner: $o%d, name: $n%d) { %s }\n", i, i, i, ghRepoFields)
			vars["o"+strconv.Itoa(i)], vars["n"+strconv.Itoa(i)] = gq.owner, gq.name
		} else {
			fmt.Fprintf(&decl, "$o%d: String!, ", i)
			fmt.Fprintf(&q, "  a%d: repositoryOwner(login: $o%d) { login __typename }\n", i, i)
			vars["o"+strconv.Itoa(i)] = gq.owner
		}
	}
	query := "query(" + strings.TrimSuffix(decl.String(), ", ") + ") {\n  rateLimit { cost remaining resetAt }\n" + q.String() + "}"
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	resp, err := r.f.do(ctx, request{method: http.MethodPost, url: graphQLURL(r.o.GitHubAPI), body: body, kind: "batch", github: true,
		header: http.Header{"Content-Type": {"application/json"}, "Accept": {"application/json"}}})
	if err != nil {
		fail(err)
		return
	}
	if resp.Status != http.StatusOK {
		fail(errors.New("GitHub GraphQL: " + status(resp)))
		return
	}
	var out struct {
		Data   map[string]json.RawMessage `json:"data"`
		Errors []struct {
			Type    string `json:"type"`
			Message string `json:"message"`
			Path    []any  `json:"path"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(resp.Body, &out); err != nil {
		fail(errors.New("GitHub GraphQL: unreadable answer"))
		return
	}
	var limit struct {
		Remaining int    `json:"remaining"`
		ResetAt   string `json:"resetAt"`
	}
	if json.Unmarshal(out.Data["rateLimit"], &limit) == nil && limit.ResetAt != "" {
		r.ghLimit.mu.Lock()
		r.ghLimit.remaining, r.ghLimit.resetAt, r.ghLimit.known = limit.Remaining, parseTime(limit.ResetAt), true
		r.ghLimit.mu.Unlock()
	}
	byAlias := map[string]error{}
	for _, e := range out.Errors {
		alias := ""
		if len(e.Path) > 0 {
			alias, _ = e.Path[0].(string)
		}
		switch {
		case e.Type == "RATE_LIMITED":
			fail(r.graphQLLimited(resp))
			return
		case alias == "" && out.Data == nil:
			fail(errors.New("GitHub GraphQL: " + clip(e.Message)))
			return
		case e.Type == "NOT_FOUND":
			byAlias[alias] = nil // answered: there is none
		case alias != "":
			byAlias[alias] = fmt.Errorf("GitHub GraphQL: %s %s", e.Type, clip(e.Message))
		}
	}
	for i, it := range items {
		alias := "a" + strconv.Itoa(i)
		if err, ok := byAlias[alias]; ok && err != nil {
			it.err = err
			continue
		}
		v, ok := out.Data[alias]
		if !ok {
			it.err = errors.New("GitHub GraphQL: no answer for " + it.key)
			continue
		}
		it.body = v
	}
}

// GraphQLRemaining is the points GitHub's GraphQL API said are left; ok
// is false before any answer.
func (r *Resolver) GraphQLRemaining() (remaining int, ok bool) {
	r.ghLimit.mu.Lock()
	defer r.ghLimit.mu.Unlock()
	return r.ghLimit.remaining, r.ghLimit.known
}

// waitGraphQLBudget applies the rate-limit rules to GraphQL's points: with
// none left, wait for the reset when it is within --max-wait, else give up.
func (r *Resolver) waitGraphQLBudget(ctx context.Context) error {
	r.ghLimit.mu.Lock()
	known, remaining, reset := r.ghLimit.known, r.ghLimit.remaining, r.ghLimit.resetAt
	r.ghLimit.mu.Unlock()
	if !known || remaining > 0 {
		return nil
	}
	wait := reset.Sub(r.o.Now())
	if wait <= 0 {
		return nil
	}
	if wait > r.o.MaxWait {
		return &RateLimitError{Host: r.f.github.host, Reset: reset}
	}
	select {
	case <-time.After(wait):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// graphQLLimited is the rate-limit error a RATE_LIMITED answer means.
func (r *Resolver) graphQLLimited(resp *response) error {
	e := &RateLimitError{Host: r.f.github.host}
	if s, err := strconv.ParseInt(resp.Header.Get("X-Ratelimit-Reset"), 10, 64); err == nil {
		e.Reset = time.Unix(s, 0)
	}
	return e
}

// gqlRepo is a repository as GraphQL gives it.
type gqlRepo struct {
	DatabaseID    int64  `json:"databaseId"`
	NameWithOwner string `json:"nameWithOwner"`
	IsArchived    bool   `json:"isArchived"`
	IsFork        bool   `json:"isFork"`
	CreatedAt     string `json:"createdAt"`
	PushedAt      string `json:"pushedAt"`
	Owner         struct {
		Login    string `json:"login"`
		Typename string `json:"__typename"`
	} `json:"owner"`
}

// queueRepo puts a GitHub repository and its owner into the next GraphQL
// batch and returns what waits for the answer; nil when GraphQL is not
// used for it (no token, or not a GitHub path).
func (r *Resolver) queueRepo(ctx context.Context, name string) func() {
	host, path, _ := strings.Cut(name, "/")
	if r.gh == nil || host != "github.com" || !validGitHubPath(path) {
		return nil
	}
	owner, repoName, _ := strings.Cut(path, "/")
	ri := r.gh.add(ctx, "repo "+strings.ToLower(path), ghQuery{owner: owner, name: repoName})
	oi := r.gh.add(ctx, "owner "+strings.ToLower(owner), ghQuery{owner: owner})
	return func() {
		repo := &facts.Repo{Name: name, Status: facts.RepoUnknown}
		defer func() {
			r.mu.Lock()
			r.facts.Repos[strings.ToLower(name)] = repo
			r.mu.Unlock()
		}()
		body, err := ri.Wait(ctx)
		if err != nil {
			repo.Reason = err.Error() // as REST says it: the same finding either way
			return
		}
		var gr *gqlRepo
		if err := json.Unmarshal(body, &gr); err != nil {
			repo.Reason = "unreadable answer from GitHub: " + err.Error()
			return
		}
		ownerKnown := func() {
			ob, err := oi.Wait(ctx)
			var o *struct{ Login string }
			switch {
			case err != nil:
				r.setOwner(host+"/"+owner, facts.OwnerUnknown, err.Error())
			case json.Unmarshal(ob, &o) != nil:
				r.setOwner(host+"/"+owner, facts.OwnerUnknown, "GitHub user "+owner+": unreadable answer")
			case o == nil:
				r.setOwner(host+"/"+owner, facts.OwnerFree, "")
			default:
				r.setOwner(host+"/"+owner, facts.OwnerExists, "")
			}
		}
		if gr == nil {
			repo.Status = facts.RepoMissing
			ownerKnown()
			return
		}
		repo.ID, repo.Fork, repo.OwnerType = gr.DatabaseID, gr.IsFork, gr.Owner.Typename
		repo.Created, repo.Pushed = parseTime(gr.CreatedAt), parseTime(gr.PushedAt)
		if !strings.EqualFold(gr.NameWithOwner, path) {
			// GraphQL follows a rename: the new name is how it shows.
			repo.Status = facts.RepoRedirected
			repo.RedirectedTo = "github.com/" + gr.NameWithOwner
			ownerKnown() // the old login may now be free
			return
		}
		repo.Status = facts.RepoOK
		if gr.IsArchived {
			repo.Status = facts.RepoArchived
		}
		r.setOwner(host+"/"+owner, facts.OwnerExists, "")
	}
}

// clip keeps a host's message short: it is the host's text, not ours.
func clip(s string) string {
	if r := []rune(s); len(r) > 200 {
		return string(r[:200]) + "…"
	}
	return s
}
