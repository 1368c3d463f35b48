package rivery_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

const otherEnv = "6a7b8c9d0e1f2a3b4c5d6e80"

func TestEnvironmentsListAndGet(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodGet, v1Account+"/environments", rec.reply(200, fixture(t, "v1_environments_page.json")))
	mock.RegisterResponder(http.MethodGet, v1Account+"/environments/"+otherEnv, rec.reply(200, fixture(t, "v1_environment.json")))
	ctx := context.Background()

	envs, resp, err := c.Environments.List(ctx, &rivery.ListOptions{PerPage: 200})
	if err != nil {
		t.Fatal(err)
	}
	want := []rivery.Environment{
		{ID: envID, Name: "Production", Description: "Nightly loads"},
		{ID: otherEnv, Name: "Staging"},
		{ID: "6a7b8c9d0e1f2a3b4c5d6e81", Name: "Old sandbox", Deleted: true},
	}
	if len(envs) != len(want) || resp.TotalItems != 3 {
		t.Fatalf("List = %+v (total %d)", envs, resp.TotalItems)
	}
	for i := range want {
		if *envs[i] != want[i] {
			t.Errorf("environment %d = %+v, want %+v", i, *envs[i], want[i])
		}
	}
	req := rec.all()[0]
	checkHeaders(t, req, false)
	if !strings.HasSuffix(req.URL, "/environments?items_per_page=200") {
		t.Errorf("URL = %s", req.URL)
	}

	env, _, err := c.Environments.Get(ctx, otherEnv)
	if err != nil || *env != (rivery.Environment{ID: otherEnv, Name: "Staging", Description: "Pre-release checks"}) {
		t.Errorf("Get = %+v, %v", env, err)
	}
}

// Bad input fails before any request.
func TestEnvironmentsBadInput(t *testing.T) {
	t.Parallel()
	c, _ := setup(t, v1()...)
	ctx := context.Background()
	for _, id := range []string{"", "a/b", ".."} {
		if _, _, err := c.Environments.Get(ctx, id); !errors.Is(err, rivery.ErrInvalidArgument) {
			t.Errorf("Get(%q): error = %v", id, err)
		}
		if _, err := c.InEnvironment(id); !errors.Is(err, rivery.ErrInvalidArgument) {
			t.Errorf("InEnvironment(%q): error = %v", id, err)
		}
	}
	if _, _, err := c.Environments.List(ctx, &rivery.ListOptions{PerPage: 501}); !errors.Is(err, rivery.ErrInvalidArgument) {
		t.Errorf("List: error = %v", err)
	}
	for _, err := range c.Environments.All(ctx, &rivery.ListOptions{Page: -1}) {
		if !errors.Is(err, rivery.ErrInvalidArgument) {
			t.Errorf("All: error = %v", err)
		}
	}
	tokenOnly, _ := setup(t)
	if _, err := tokenOnly.InEnvironment(otherEnv); !errors.Is(err, rivery.ErrInvalidArgument) || !strings.Contains(err.Error(), "account ID") {
		t.Errorf("InEnvironment without an account: error = %v", err)
	}
}

// On riverytest: All walks the pages; a token-only client learns its
// account through /api/me.
func TestEnvironmentsOnRiverytest(t *testing.T) {
	t.Parallel()
	srv := riverytest.NewServer(
		riverytest.WithEnvironment(riverytest.Environment{ID: otherEnv, Name: "Staging"}),
		riverytest.WithEnvironment(riverytest.Environment{Name: "Sandbox", Description: "play"}),
	)
	defer srv.Close()
	var names []string
	for env, err := range srv.Client().Environments.All(context.Background(), &rivery.ListOptions{PerPage: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, env.Name)
	}
	if strings.Join(names, ",") != "Production,Staging,Sandbox" || len(srv.RequestsTo(riverytest.RouteEnvironments)) != 2 {
		t.Errorf("All = %q in %d pages", names, len(srv.RequestsTo(riverytest.RouteEnvironments)))
	}
	env, _, err := srv.ClientV1().Environments.Get(context.Background(), otherEnv)
	if err != nil || env.Name != "Staging" {
		t.Errorf("Get = %+v, %v", env, err)
	}
	_, _, err = srv.ClientV1().Environments.Get(context.Background(), "6a7b8c9d0e1f2a3b4c5d6eff")
	if !errors.Is(err, rivery.ErrNotFound) {
		t.Errorf("Get of an unknown environment: error = %v", err)
	}
}

// A client made by InEnvironment addresses the other environment and
// shares the parent's token source: no second sign-in.
func TestInEnvironment(t *testing.T) {
	t.Parallel()
	srv := riverytest.NewServer(
		riverytest.WithRiver(riverytest.River{ID: riverID}),
		riverytest.WithEnvironment(riverytest.Environment{ID: otherEnv, Name: "Staging"}),
	)
	defer srv.Close()
	parent := srv.BoomiClient()
	child, err := parent.InEnvironment(otherEnv)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := child.Rivers.RunAndWait(ctx, riverID, nil); err != nil {
		t.Fatal(err)
	}
	if _, _, err := parent.Rivers.Get(ctx, riverID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := child.Environments.Get(ctx, otherEnv); err != nil {
		t.Fatal(err)
	}
	reqs := srv.Requests()
	var inChild, inParent int
	for _, r := range reqs {
		switch {
		case strings.Contains(r.Path, "/environments/"+otherEnv+"/"):
			inChild++
		case strings.Contains(r.Path, "/environments/"+srv.EnvironmentID+"/"):
			inParent++
		}
	}
	if inChild < 2 || inParent != 1 {
		t.Errorf("%d requests in the child's environment, %d in the parent's; want the run's and 1", inChild, inParent)
	}
	if n := srv.Exchanges(); n != 1 {
		t.Errorf("exchanges = %d, want 1 shared by parent and child", n)
	}
	if strings.Contains(parent.String(), otherEnv) {
		t.Error("the parent changed")
	}

	// An environment-wide call of the child goes to the child's
	// environment, not to the parent's (whose URL prefix the parent keeps
	// built).
	before := len(srv.Requests())
	_, _, _ = child.Rivers.List(ctx, nil)
	reqs = srv.Requests()
	if len(reqs) != before+1 || !strings.HasSuffix(reqs[before].Path, "/environments/"+otherEnv+"/rivers") {
		t.Errorf("the child's List sent %v, want one request to its environment's rivers", reqs[before:])
	}
}

// A 403 inside an environment the token is not granted says so, and is
// still ErrForbidden; a 403 elsewhere carries no such hint.
func TestForbiddenInEnvironmentSaysNotGranted(t *testing.T) {
	t.Parallel()
	srv := riverytest.NewServer(
		riverytest.WithRiver(riverytest.River{ID: riverID}),
		riverytest.WithEnvironment(riverytest.Environment{ID: otherEnv, Name: "Staging"}),
	)
	defer srv.Close()
	tok := srv.AddToken(riverytest.Token{Scopes: []rivery.Scope{rivery.ScopeRiverList}, Environments: []string{srv.EnvironmentID}})
	c := srv.ClientFor(tok.Value, rivery.WithAccountID(srv.AccountID), rivery.WithEnvironmentID(srv.EnvironmentID))
	ctx := context.Background()
	if _, _, err := c.Rivers.Get(ctx, riverID); err != nil {
		t.Fatal(err)
	}
	staging, err := c.InEnvironment(otherEnv)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = staging.Rivers.Get(ctx, riverID)
	apiErr := asAPIError(t, err)
	if !errors.Is(err, rivery.ErrForbidden) || !strings.Contains(err.Error(), "may not be granted access to environment "+otherEnv) ||
		apiErr.Message != "The token is not granted access to this environment" {
		t.Errorf("error = %v (message %q)", err, apiErr.Message)
	}
	_, _, err = c.Tokens.List(ctx, nil)
	if apiErr := asAPIError(t, err); apiErr.StatusCode != http.StatusForbidden || apiErr.Hint != "" {
		t.Errorf("403 outside an environment: %v", err)
	}
}

// Clients of one parent share its rate limiter.
func TestInEnvironmentSharesRateLimit(t *testing.T) {
	t.Parallel()
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: riverID}),
		riverytest.WithEnvironment(riverytest.Environment{ID: otherEnv}))
	defer srv.Close()
	parent := srv.ClientV1(rivery.WithRateLimit(time.Hour, 1))
	child, err := parent.InEnvironment(otherEnv)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := parent.Rivers.Get(context.Background(), riverID); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, _, err := child.Rivers.Get(ctx, riverID); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("child after the parent used the burst: error = %v, want DeadlineExceeded", err)
	}
	if n := len(srv.RequestsTo(riverytest.RouteRiver)); n != 1 {
		t.Errorf("server saw %d requests, want 1", n)
	}
}

// Clients made per call from many goroutines share the parent safely.
func TestInEnvironmentConcurrent(t *testing.T) {
	t.Parallel()
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: riverID}),
		riverytest.WithEnvironment(riverytest.Environment{ID: otherEnv}))
	defer srv.Close()
	parent := srv.BoomiClient()
	envs := []string{srv.EnvironmentID, otherEnv}
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := parent.InEnvironment(envs[i%2])
			if err == nil {
				_, _, err = c.Rivers.Get(context.Background(), riverID)
			}
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := srv.Exchanges(); n != 1 {
		t.Errorf("exchanges = %d, want 1", n)
	}
}

// httpmock: the hint names the environment of the path, v1 environment
// calls only.
func TestForbiddenHintNamesPathEnvironment(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID, httpmock.NewStringResponder(403, `{"detail":"Forbidden"}`))
	mock.RegisterResponder(http.MethodGet, v1Account+"/environments/"+otherEnv, httpmock.NewStringResponder(403, `{"detail":"Forbidden"}`))
	mock.RegisterResponder(http.MethodGet, v1Account+"/environments", httpmock.NewStringResponder(403, `{"detail":"Forbidden"}`))
	ctx := context.Background()
	_, _, err := c.Rivers.Get(ctx, riverID)
	if apiErr := asAPIError(t, err); apiErr.Hint != "the token may not be granted access to environment "+envID || apiErr.Message != "Forbidden" {
		t.Errorf("river in the client's environment: %+v", apiErr)
	}
	_, _, err = c.Environments.Get(ctx, otherEnv)
	if apiErr := asAPIError(t, err); !strings.HasSuffix(apiErr.Hint, otherEnv) {
		t.Errorf("environment detail: %+v", apiErr)
	}
	_, _, err = c.Environments.List(ctx, nil)
	if apiErr := asAPIError(t, err); apiErr.Hint != "" || !errors.Is(err, rivery.ErrForbidden) {
		t.Errorf("account-level list: %+v", apiErr)
	}
}
