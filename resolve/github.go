package resolve

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/mcptether/mcptether/facts"
)

var githubHeaders = http.Header{"Accept": {"application/vnd.github+json"}, "X-Github-Api-Version": {"2022-11-28"}}

type ghRepo struct {
	ID        int64  `json:"id"`
	FullName  string `json:"full_name"`
	Archived  bool   `json:"archived"`
	Fork      bool   `json:"fork"`
	CreatedAt string `json:"created_at"`
	PushedAt  string `json:"pushed_at"`
	Owner     struct {
		Login string `json:"login"`
		Type  string `json:"type"`
	} `json:"owner"`
}

// repository checks host/owner/repo on GitHub: found, archived, renamed
// or transferred (301), or missing, and then whether the owner's login
// can be registered by anyone.
func (r *Resolver) repository(ctx context.Context, name string) {
	repo := &facts.Repo{Name: name, Status: facts.RepoUnknown}
	defer func() {
		r.mu.Lock()
		r.facts.Repos[strings.ToLower(name)] = repo
		r.mu.Unlock()
	}()
	host, path, _ := strings.Cut(name, "/")
	owner, _, _ := strings.Cut(path, "/")
	if host != "github.com" {
		repo.Reason = "only GitHub repositories are checked"
		return
	}
	if !validGitHubPath(path) {
		// A config's text never becomes another API path (../user).
		repo.Reason = "not a valid GitHub owner/repository name"
		return
	}
	resp, err := r.f.do(ctx, request{url: r.o.GitHubAPI + "/repos/" + path, header: githubHeaders, github: true})
	if err != nil {
		repo.Reason = err.Error()
		return
	}
	switch resp.Status {
	case http.StatusOK:
		var gr ghRepo
		if err := json.Unmarshal(resp.Body, &gr); err != nil {
			repo.Reason = "unreadable answer from GitHub: " + err.Error()
			return
		}
		repo.Status = facts.RepoOK
		if gr.Archived {
			repo.Status = facts.RepoArchived
		}
		repo.ID, repo.Fork, repo.OwnerType = gr.ID, gr.Fork, gr.Owner.Type
		repo.Created, repo.Pushed = parseTime(gr.CreatedAt), parseTime(gr.PushedAt)
		r.setOwner(host+"/"+owner, facts.OwnerExists, "")
	case http.StatusMovedPermanently:
		r.redirected(ctx, repo, resp)
		r.owner(ctx, host, owner) // the old login may now be free
	case http.StatusNotFound:
		repo.Status = facts.RepoMissing
		r.owner(ctx, host, owner)
	default:
		repo.Reason = "GitHub repository " + path + ": " + status(resp)
	}
}

var (
	ghLogin    = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,38})$`)
	ghRepoName = regexp.MustCompile(`^[A-Za-z0-9._-]{1,100}$`)
)

func validGitHubPath(path string) bool {
	owner, name, ok := strings.Cut(path, "/")
	return ok && ghLogin.MatchString(owner) && ghRepoName.MatchString(name) && name != "." && name != ".."
}

// redirected follows GitHub's 301 to /repositories/{id} to learn the new
// name. The URL must be on the API host: the token goes nowhere else.
func (r *Resolver) redirected(ctx context.Context, repo *facts.Repo, resp *response) {
	var moved struct {
		URL string `json:"url"`
	}
	_ = json.Unmarshal(resp.Body, &moved)
	target := moved.URL
	if target == "" {
		target = resp.Header.Get("Location")
	}
	t, err := url.Parse(target)
	if err != nil || originOf(t) != r.f.github {
		repo.Reason = "GitHub answered 301 to an unexpected place: " + target
		return
	}
	next, err := r.f.do(ctx, request{url: target, header: githubHeaders, github: true})
	if err != nil {
		repo.Reason = "following the rename: " + err.Error()
		return
	}
	var gr ghRepo
	if next.Status != http.StatusOK || json.Unmarshal(next.Body, &gr) != nil || gr.FullName == "" {
		repo.Reason = "following the rename: " + status(next)
		return
	}
	repo.Status = facts.RepoRedirected
	repo.RedirectedTo = "github.com/" + gr.FullName
	repo.ID, repo.Fork, repo.OwnerType = gr.ID, gr.Fork, gr.Owner.Type
	repo.Created, repo.Pushed = parseTime(gr.CreatedAt), parseTime(gr.PushedAt)
}

// owner asks whether a GitHub login exists: 404 means anyone can take it.
func (r *Resolver) owner(ctx context.Context, host, login string) {
	key := host + "/" + login
	resp, err := r.f.do(ctx, request{url: r.o.GitHubAPI + "/users/" + url.PathEscape(login), header: githubHeaders, github: true})
	switch {
	case err != nil:
		r.setOwner(key, facts.OwnerUnknown, err.Error())
	case resp.Status == http.StatusOK:
		r.setOwner(key, facts.OwnerExists, "")
	case resp.Status == http.StatusNotFound:
		r.setOwner(key, facts.OwnerFree, "")
	default:
		r.setOwner(key, facts.OwnerUnknown, "GitHub user "+login+": "+status(resp))
	}
}

func (r *Resolver) setOwner(key string, s facts.OwnerStatus, reason string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	k := strings.ToLower(key)
	if o, ok := r.facts.Owners[k]; ok && o.Status != facts.OwnerUnknown {
		return
	}
	r.facts.Owners[k] = &facts.Owner{Login: key, Status: s, Reason: reason}
}

// CommitSHA resolves a git ref of a GitHub repository to its full commit.
func (r *Resolver) CommitSHA(ctx context.Context, repo, ref string) (string, error) {
	host, path, _ := strings.Cut(repo, "/")
	if host != "github.com" {
		return "", &unsupportedError{"only GitHub repositories can be pinned to a commit"}
	}
	if !validGitHubPath(path) {
		// "github:../../user" must not become /repos/../../user with the
		// token.
		return "", &unsupportedError{"not a valid GitHub owner/repository name: " + quote(path)}
	}
	resp, err := r.f.do(ctx, request{url: r.o.GitHubAPI + "/repos/" + path + "/commits/" + url.PathEscape(ref),
		header: http.Header{"Accept": {"application/vnd.github.sha"}, "X-Github-Api-Version": {"2022-11-28"}}, github: true})
	if err != nil {
		return "", err
	}
	sha := strings.TrimSpace(string(resp.Body))
	if resp.Status != http.StatusOK || len(sha) != 40 {
		return "", &unsupportedError{"GitHub commit " + ref + " of " + path + ": " + status(resp)}
	}
	return sha, nil
}

type unsupportedError struct{ msg string }

func (e *unsupportedError) Error() string { return e.msg }

// SubmitSnapshot posts a dependency snapshot for repo (owner/name) to
// GitHub's dependency submission API, with the token, under the same
// rules as every GitHub call. It returns GitHub's message.
func (r *Resolver) SubmitSnapshot(ctx context.Context, repo string, body []byte) (string, error) {
	if !validGitHubPath(repo) {
		return "", fmt.Errorf("%q is not a GitHub owner/repository", repo)
	}
	if r.o.GitHubToken == "" {
		return "", errors.New("dependency submission needs a token (GITHUB_TOKEN) with contents: write")
	}
	resp, err := r.f.do(ctx, request{method: http.MethodPost, url: r.o.GitHubAPI + "/repos/" + repo + "/dependency-graph/snapshots", body: body,
		kind: "batch", github: true, header: http.Header{"Accept": {"application/vnd.github+json"}, "X-Github-Api-Version": {"2022-11-28"}, "Content-Type": {"application/json"}}})
	if err != nil {
		return "", err
	}
	var out struct {
		Message string `json:"message"`
		Result  string `json:"result"`
	}
	_ = json.Unmarshal(resp.Body, &out)
	if resp.Status != http.StatusCreated && resp.Status != http.StatusOK {
		msg := status(resp)
		if out.Message != "" {
			msg += ": " + clip(out.Message)
		}
		return "", errors.New("dependency submission: " + msg)
	}
	return clip(out.Result + " " + out.Message), nil
}
