package fakereg

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"time"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// githubSchema is the part of GitHub's GraphQL schema mcptether reads, with
// GitHub's names, types and nullability: a query asking for anything else
// fails validation here as it would there.
var githubSchema = gqlparser.MustLoadSchema(&ast.Source{Name: "github.graphql", Input: `
scalar DateTime
type Query {
  repository(owner: String!, name: String!, followRenames: Boolean = true): Repository
  repositoryOwner(login: String!): RepositoryOwner
  rateLimit(dryRun: Boolean = false): RateLimit
}
interface RepositoryOwner { login: String! id: ID! }
type User implements RepositoryOwner { login: String! id: ID! }
type Organization implements RepositoryOwner { login: String! id: ID! }
type Repository {
  id: ID!
  databaseId: Int
  name: String!
  nameWithOwner: String!
  isArchived: Boolean!
  isFork: Boolean!
  createdAt: DateTime!
  pushedAt: DateTime
  owner: RepositoryOwner!
}
type RateLimit { cost: Int! limit: Int! nodeCount: Int! remaining: Int! resetAt: DateTime! used: Int! }
`})

// GraphQL answers GitHub's GraphQL API from the same catalog as the REST
// routes: each repository(owner:, name:) field is what GET /repos/{o}/{r}
// says (a 301 is followed, as GraphQL follows renames; a 404 is null and
// a NOT_FOUND error), each repositoryOwner(login:) what GET /users/{l}
// says (404: null). A rate-limited REST route makes the whole query
// RATE_LIMITED (a secondary limit refuses it with 403), another 403 is a
// FORBIDDEN error on that field. restPrefix is where the REST routes live ("" or /api/v3).
func (w *World) GraphQL(restPrefix string) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		w.mu.Lock()
		w.graphQLCalls++
		w.mu.Unlock()
		if r.Header.Get("Authorization") == "" {
			JSON(401, map[string]any{"message": "This endpoint requires you to be authenticated.",
				"documentation_url": "https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql", "status": "401"})(rw, r)
			return
		}
		var req struct {
			Query     string         `json:"query"`
			Variables map[string]any `json:"variables"`
		}
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&req); err != nil {
			JSON(400, map[string]any{"message": "Problems parsing JSON"})(rw, r)
			return
		}
		doc, errs := gqlparser.LoadQuery(githubSchema, req.Query)
		if len(errs) > 0 {
			JSON(200, map[string]any{"errors": errs})(rw, r)
			return
		}
		data := map[string]any{}
		var gqlErrors []any
		limited := http.Header(nil)
		for _, sel := range doc.Operations[0].SelectionSet {
			f, ok := sel.(*ast.Field)
			if !ok {
				continue
			}
			args := f.ArgumentMap(req.Variables)
			switch f.Name {
			case "rateLimit":
				data[f.Alias] = project(map[string]any{"__typename": "RateLimit", "cost": 1, "limit": 5000, "nodeCount": 0,
					"remaining": w.GraphQLRemaining, "used": 5000 - w.GraphQLRemaining,
					"resetAt": time.Now().Add(time.Hour).UTC().Format(time.RFC3339)}, f.SelectionSet)
			case "repository":
				owner, name := args["owner"].(string), args["name"].(string)
				status, h, body := w.rest(restPrefix + "/repos/" + owner + "/" + name)
				if status == http.StatusMovedPermanently {
					loc := h.Get("Location")
					if i := strings.Index(loc, "/repositories/"); i >= 0 {
						status, h, body = w.rest(restPrefix + loc[i:])
					}
				}
				switch {
				case status == http.StatusOK:
					var gr map[string]any
					json.Unmarshal(body, &gr)
					data[f.Alias] = project(repoObject(gr), f.SelectionSet)
				case status == http.StatusNotFound:
					data[f.Alias] = nil
					gqlErrors = append(gqlErrors, map[string]any{"type": "NOT_FOUND", "path": []any{f.Alias},
						"locations": []any{map[string]any{"line": f.Position.Line, "column": f.Position.Column}},
						"message":   "Could not resolve to a Repository with the name '" + owner + "/" + name + "'."})
				case rateLimited(status, h):
					limited = h
				case status == http.StatusForbidden:
					// SAML enforcement and the like: REST's 403, GraphQL's
					// FORBIDDEN on that field alone.
					var msg struct{ Message string }
					json.Unmarshal(body, &msg)
					data[f.Alias] = nil
					gqlErrors = append(gqlErrors, map[string]any{"type": "FORBIDDEN", "path": []any{f.Alias}, "message": msg.Message})
				default:
					data[f.Alias] = nil
					gqlErrors = append(gqlErrors, map[string]any{"path": []any{f.Alias}, "message": "Something went wrong while executing your query (" + strconv.Itoa(status) + ")."})
				}
			case "repositoryOwner":
				login := args["login"].(string)
				status, h, body := w.rest(restPrefix + "/users/" + login)
				switch {
				case status == http.StatusOK:
					var u map[string]any
					json.Unmarshal(body, &u)
					typ, _ := u["type"].(string)
					data[f.Alias] = project(map[string]any{"__typename": typ, "login": u["login"], "id": "U_" + login}, f.SelectionSet)
				case rateLimited(status, h):
					limited = h
				default:
					data[f.Alias] = nil
				}
			}
		}
		if limited != nil && limited.Get("Retry-After") != "" {
			// A secondary limit: the whole request is refused.
			rw.Header().Set("Retry-After", limited.Get("Retry-After"))
			JSON(403, map[string]any{"message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
				"documentation_url": "https://docs.github.com/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api#secondary-rate-limits"})(rw, r)
			return
		}
		if limited != nil {
			for _, k := range []string{"X-Ratelimit-Remaining", "X-Ratelimit-Reset"} {
				rw.Header().Set(k, limited.Get(k))
			}
			JSON(200, map[string]any{"errors": []any{map[string]any{"type": "RATE_LIMITED", "message": "API rate limit exceeded for user ID 1."}}})(rw, r)
			return
		}
		out := map[string]any{"data": data}
		if len(gqlErrors) > 0 {
			out["errors"] = gqlErrors
		}
		JSON(200, out)(rw, r)
	}
}

// GraphQLCalls is how many GraphQL requests GitHub received.
func (w *World) GraphQLCalls() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.graphQLCalls
}

func rateLimited(status int, h http.Header) bool {
	return (status == http.StatusForbidden || status == http.StatusTooManyRequests) && (h.Get("X-Ratelimit-Remaining") == "0" || h.Get("Retry-After") != "")
}

// rest asks a REST route of the catalog, as GitHub's GraphQL layer reads
// the same data; it is not counted as a request.
func (w *World) rest(path string) (int, http.Header, []byte) {
	w.mu.Lock()
	h := w.handlers["GET "+path]
	w.mu.Unlock()
	if h == nil {
		return http.StatusNotFound, http.Header{}, nil
	}
	rec := httptest.NewRecorder()
	h(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Code, rec.Header(), rec.Body.Bytes()
}

// repoObject is a REST repository as a GraphQL Repository.
func repoObject(gr map[string]any) map[string]any {
	owner, _ := gr["owner"].(map[string]any)
	typ, _ := owner["type"].(string)
	id, _ := gr["id"].(float64)
	var dbID any
	if id != 0 {
		dbID = int64(id)
	}
	str := func(k string) any {
		if s, ok := gr[k].(string); ok && s != "" {
			return s
		}
		return nil
	}
	created := str("created_at")
	if created == nil {
		created = "2020-01-01T00:00:00Z" // non-null in GitHub's schema
	}
	fullName, _ := gr["full_name"].(string)
	archived, _ := gr["archived"].(bool)
	fork, _ := gr["fork"].(bool)
	return map[string]any{
		"__typename": "Repository", "id": "R_" + fullName, "databaseId": dbID, "nameWithOwner": fullName,
		"isArchived": archived, "isFork": fork, "createdAt": created, "pushedAt": str("pushed_at"),
		"owner": map[string]any{"__typename": typ, "login": owner["login"], "id": "U_x"},
	}
}

// project keeps the fields a selection asks for, under their aliases.
func project(v map[string]any, set ast.SelectionSet) map[string]any {
	out := map[string]any{}
	var walk func(ast.SelectionSet)
	walk = func(set ast.SelectionSet) {
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				if s.Name == "__typename" {
					out[s.Alias] = v["__typename"]
					continue
				}
				if sub, ok := v[s.Name].(map[string]any); ok && len(s.SelectionSet) > 0 {
					out[s.Alias] = project(sub, s.SelectionSet)
				} else {
					out[s.Alias] = v[s.Name]
				}
			case *ast.InlineFragment:
				walk(s.SelectionSet)
			case *ast.FragmentSpread:
				walk(s.Definition.SelectionSet)
			}
		}
	}
	walk(set)
	return out
}
