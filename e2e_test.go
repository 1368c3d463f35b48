package rivery_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

// End-to-end tests: every public method against the fake Rivery, on both
// API families.

const failingRiver = "63b724fc690def001131d2ff"

func fakeRivery(t *testing.T) *riverytest.Server {
	t.Helper()
	srv := riverytest.NewServer(
		riverytest.WithRiver(riverytest.River{ID: riverID, Name: "orders", Schedule: "0 0 3 * * ? *"}),
		riverytest.WithRiver(riverytest.River{ID: failingRiver, Name: "broken", Outcome: "failed", Message: "source refused the credentials"}),
	)
	t.Cleanup(srv.Close)
	return srv
}

// families runs f once per API family, and once more per family against
// a server that drifts its answers' types (riverytest.WithDrift), as the
// live API does.
func families(t *testing.T, f func(t *testing.T, srv *riverytest.Server, c *rivery.Client)) {
	t.Helper()
	for _, fam := range []string{"console", "v1", "console drifted", "v1 drifted"} {
		t.Run(fam, func(t *testing.T) {
			t.Parallel()
			srv := fakeRivery(t)
			srv.SetDrift(strings.HasSuffix(fam, "drifted"))
			c := srv.Client()
			if strings.HasPrefix(fam, "v1") {
				c = srv.ClientV1()
			}
			f(t, srv, c)
		})
	}
}

// quick polls every few milliseconds.
func quick() *rivery.WaitOptions {
	return &rivery.WaitOptions{MinInterval: time.Millisecond, MaxInterval: 5 * time.Millisecond}
}

func TestE2ERunLifecycle(t *testing.T) {
	t.Parallel()
	families(t, func(t *testing.T, srv *riverytest.Server, c *rivery.Client) {
		ctx := context.Background()
		run, _, err := c.Rivers.Run(ctx, riverID)
		if err != nil || run.Status != rivery.StatusPending || run.RiverID != riverID {
			t.Fatalf("Run = %+v, %v", run, err)
		}
		got, _, err := c.Rivers.GetRun(ctx, riverID, run.ID)
		if err != nil || got.ID != run.ID {
			t.Fatalf("GetRun = %+v, %v", got, err)
		}
		var seen []rivery.RunStatus
		opts := *quick()
		opts.OnStatus = func(r *rivery.Run) { seen = append(seen, r.Status) }
		done, err := c.Rivers.WaitForRun(ctx, riverID, run.ID, &opts)
		if err != nil || done.Status != rivery.StatusSucceeded || done.EndedAt.IsZero() || done.StartedAt.IsZero() {
			t.Fatalf("WaitForRun = %+v, %v", done, err)
		}
		// GetRun above saw the pending step; the wait sees the rest.
		if !slices.Equal(seen, []rivery.RunStatus{rivery.StatusRunning, rivery.StatusSucceeded}) {
			t.Errorf("statuses seen = %v", seen)
		}
		if srv.RunsStarted(riverID) != 1 {
			t.Errorf("runs started = %d", srv.RunsStarted(riverID))
		}
	})
}

func TestE2EFailedRunIsRunError(t *testing.T) {
	t.Parallel()
	families(t, func(t *testing.T, srv *riverytest.Server, c *rivery.Client) {
		run, err := c.Rivers.RunAndWait(context.Background(), failingRiver, quick())
		var runErr *rivery.RunError
		if !errors.As(err, &runErr) || !errors.Is(err, rivery.ErrRunFailed) {
			t.Fatalf("error = %v, want a *RunError", err)
		}
		if run.Status != rivery.StatusFailed || run.Message != "source refused the credentials" || runErr.Run != run {
			t.Errorf("run = %+v", run)
		}
	})
}

func TestE2ECancelRun(t *testing.T) {
	t.Parallel()
	families(t, func(t *testing.T, srv *riverytest.Server, c *rivery.Client) {
		ctx := context.Background()
		run, _, err := c.Rivers.Run(ctx, riverID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Rivers.CancelRun(ctx, riverID, run.ID); err != nil {
			t.Fatalf("CancelRun: %v", err)
		}
		done, err := c.Rivers.WaitForRun(ctx, riverID, run.ID, quick())
		if !errors.Is(err, rivery.ErrRunFailed) || done.Message != "Run canceled" {
			t.Fatalf("WaitForRun = %+v, %v", done, err)
		}
		if _, err := c.Rivers.CancelRun(ctx, riverID, run.ID); !errors.Is(err, rivery.ErrBadRequest) {
			t.Errorf("second cancel: error = %v, want ErrBadRequest", err)
		}
	})
}

func TestE2EDisabledAndUnknownRivers(t *testing.T) {
	t.Parallel()
	families(t, func(t *testing.T, srv *riverytest.Server, c *rivery.Client) {
		srv.AddRiver(riverytest.River{ID: "63b724fc690def001131d2dd", Disabled: true})
		if _, _, err := c.Rivers.Run(context.Background(), "63b724fc690def001131d2dd"); !errors.Is(err, rivery.ErrBadRequest) {
			t.Errorf("disabled river: error = %v", err)
		}
		if _, _, err := c.Rivers.Run(context.Background(), "63b724fc690def001131d2ee"); !errors.Is(err, rivery.ErrNotFound) {
			t.Errorf("unknown river: error = %v", err)
		}
		if n := srv.RunsStarted("63b724fc690def001131d2dd"); n != 0 {
			t.Errorf("disabled river started %d runs", n)
		}
	})
}

func TestE2ETokens(t *testing.T) {
	t.Parallel()
	families(t, func(t *testing.T, srv *riverytest.Server, c *rivery.Client) {
		ctx := context.Background()
		created, _, err := c.Tokens.Create(ctx, &rivery.CreateTokenRequest{Name: "loader", Scopes: []rivery.Scope{rivery.ScopeRiverExecute}})
		if err != nil || created.Value == "" {
			t.Fatalf("Create = %v, %v", created, err)
		}
		got, _, err := c.Tokens.Get(ctx, created.ID)
		if err != nil || got.Name != "loader" || !slices.Equal(got.Scopes, []rivery.Scope{rivery.ScopeRiverExecute}) {
			t.Fatalf("Get = %v, %v", got, err)
		}
		list, _, err := c.Tokens.List(ctx, &rivery.ListOptions{PerPage: 1})
		if err != nil || len(list) != 1 {
			t.Fatalf("List = %v, %v", list, err)
		}
		var ids []string
		for tok, err := range c.Tokens.All(ctx, &rivery.ListOptions{PerPage: 1}) {
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, tok.ID)
		}
		if len(ids) != 2 || !slices.Contains(ids, created.ID) {
			t.Errorf("All = %v", ids)
		}

		// The new token works until it is deleted.
		user := srv.ClientFor(created.Value)
		if _, _, err := user.Rivers.Run(ctx, riverID); err != nil {
			t.Fatalf("new token: %v", err)
		}
		if _, _, err := user.Tokens.List(ctx, nil); !errors.Is(err, rivery.ErrForbidden) {
			t.Errorf("non-admin Tokens.List: error = %v, want ErrForbidden", err)
		}
		if _, err := c.Tokens.Delete(ctx, created.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := user.Rivers.Run(ctx, riverID); !errors.Is(err, rivery.ErrUnauthorized) {
			t.Errorf("deleted token: error = %v, want ErrUnauthorized", err)
		}
		if _, _, err := c.Tokens.Get(ctx, created.ID); !errors.Is(err, rivery.ErrNotFound) {
			t.Errorf("Get deleted: error = %v, want ErrNotFound", err)
		}
	})
}

func TestE2EGetRetriedAfter503(t *testing.T) {
	t.Parallel()
	families(t, func(t *testing.T, srv *riverytest.Server, c *rivery.Client) {
		run, _, err := c.Rivers.Run(context.Background(), riverID)
		if err != nil {
			t.Fatal(err)
		}
		srv.Fail(riverytest.RouteRunStatus, 1, riverytest.Fault{Status: 503})
		if _, _, err := c.Rivers.GetRun(context.Background(), riverID, run.ID); err != nil {
			t.Fatalf("GetRun after a 503: %v", err)
		}
		if n := len(srv.RequestsTo(riverytest.RouteRunStatus)); n != 2 {
			t.Errorf("status requests = %d, want 2", n)
		}
	})
}

// A connection cut after the trigger arrived: one run started, and the
// caller is told it may have been applied.
func TestE2EConnectionDropOnTrigger(t *testing.T) {
	t.Parallel()
	families(t, func(t *testing.T, srv *riverytest.Server, c *rivery.Client) {
		srv.Fail(riverytest.RouteRun, 1, riverytest.Fault{CloseConnection: true, Apply: true})
		run, _, err := c.Rivers.Run(context.Background(), riverID)
		var reqErr *rivery.RequestError
		if run != nil || !errors.As(err, &reqErr) || !reqErr.MaybeApplied {
			t.Fatalf("Run = %+v, %v; want a *RequestError with MaybeApplied", run, err)
		}
		if n := srv.RunsStarted(riverID); n != 1 {
			t.Errorf("runs started = %d, want exactly 1", n)
		}
		if n := len(srv.RequestsTo(riverytest.RouteRun)); n != 1 {
			t.Errorf("trigger requests = %d, want 1", n)
		}
	})
}

func TestE2E429ThenAccepted(t *testing.T) {
	t.Parallel()
	families(t, func(t *testing.T, srv *riverytest.Server, c *rivery.Client) {
		srv.Fail(riverytest.RouteRun, 1, riverytest.Fault{Status: 429, RetryAfter: "0"})
		if _, _, err := c.Rivers.Run(context.Background(), riverID); err != nil {
			t.Fatalf("Run: %v", err)
		}
		if n := srv.RunsStarted(riverID); n != 1 {
			t.Errorf("runs started = %d, want exactly 1", n)
		}
		if n := len(srv.RequestsTo(riverytest.RouteRun)); n != 2 {
			t.Errorf("trigger requests = %d, want 2", n)
		}
	})
}

// A 5xx after the server did the work is not retried: one run.
func TestE2E5xxAfterApplyingNotRetried(t *testing.T) {
	t.Parallel()
	families(t, func(t *testing.T, srv *riverytest.Server, c *rivery.Client) {
		srv.Fail(riverytest.RouteRun, 1, riverytest.Fault{Status: 502, Apply: true})
		if _, _, err := c.Rivers.Run(context.Background(), riverID); !errors.Is(err, rivery.ErrServer) {
			t.Fatalf("Run error = %v, want ErrServer", err)
		}
		if n := srv.RunsStarted(riverID); n != 1 {
			t.Errorf("runs started = %d, want exactly 1", n)
		}
	})
}

func TestE2ETokenOnlyClientResolvesAccountOnce(t *testing.T) {
	t.Parallel()
	srv := fakeRivery(t)
	c := srv.Client()
	for range 3 {
		if _, _, err := c.Tokens.List(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(srv.RequestsTo(riverytest.RouteMe)); n != 1 {
		t.Errorf("/api/me requests = %d, want 1", n)
	}
	if _, _, err := c.Rivers.Run(context.Background(), riverID); err != nil {
		t.Fatal(err)
	}
	if reqs := srv.RequestsTo(riverytest.RouteRun); len(reqs) != 1 || reqs[0].Path != "/api/run" {
		t.Errorf("trigger went to %+v, want the console API", reqs)
	}
}

func TestE2ERiversCatalogue(t *testing.T) {
	t.Parallel()
	families(t, func(t *testing.T, srv *riverytest.Server, c *rivery.Client) {
		ctx := context.Background()
		for range 3 {
			srv.AddRiver(riverytest.River{GroupID: "g1"})
		}
		list, _, err := c.Rivers.List(ctx, &rivery.ListRiversOptions{ListOptions: rivery.ListOptions{PerPage: 2}})
		if err != nil || len(list) == 0 || list[0].ID != riverID || list[0].Name != "orders" || list[0].Status != rivery.RiverActive {
			t.Fatalf("List = %v, %v", list, err)
		}
		var ids []string
		for r, err := range c.Rivers.All(ctx, &rivery.ListRiversOptions{ListOptions: rivery.ListOptions{PerPage: 2}}) {
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, r.ID)
		}
		if len(ids) != 5 || ids[0] != riverID || ids[1] != failingRiver {
			t.Errorf("All = %v", ids)
		}
		r, _, err := c.Rivers.Get(ctx, riverID)
		if err != nil || r.Name != "orders" || len(r.Schedulers) != 1 {
			t.Fatalf("Get = %+v, %v", r, err)
		}
		// The v1 detail has kind and settings; the console's has
		// river_definitions, without them.
		if v1 := isV1(t); v1 && (r.Kind != "main_river" || len(r.Settings) == 0) ||
			!v1 && (r.TypeTitle != "Source to Target" || !r.Scheduled || r.Schedule != "0 0 3 * * ? *" || r.ModifiedAt.IsZero() || r.SourceName == "") {
			t.Errorf("Get = %+v", r)
		}
		if _, _, err := c.Rivers.Get(ctx, "63b724fc690def001131d2ee"); !errors.Is(err, rivery.ErrNotFound) {
			t.Errorf("Get unknown: %v", err)
		}
	})
}

func TestE2EListRunsAndLogs(t *testing.T) {
	t.Parallel()
	families(t, func(t *testing.T, srv *riverytest.Server, c *rivery.Client) {
		ctx := context.Background()
		start := time.Now().Add(-time.Minute)
		first, err := c.Rivers.RunAndWait(ctx, failingRiver, quick())
		if !errors.Is(err, rivery.ErrRunFailed) {
			t.Fatalf("RunAndWait: %v", err)
		}
		// A second trigger whose answer is lost: ListRuns finds the run.
		srv.Fail(riverytest.RouteRun, 1, riverytest.Fault{CloseConnection: true, Apply: true})
		if _, _, err := c.Rivers.Run(ctx, failingRiver); err == nil {
			t.Fatal("want the cut connection reported")
		}
		runs, _, err := c.Rivers.ListRuns(ctx, failingRiver, &rivery.ListRunsOptions{StartTime: start, EndTime: time.Now().Add(time.Minute)})
		if err != nil || len(runs) != 2 || runs[1].ID != first.ID || runs[0].ID == first.ID {
			t.Fatalf("ListRuns = %v, %v; want the lost run first, then %s", runs, err, first.ID)
		}
		logs, _, err := c.Rivers.RunLogs(ctx, failingRiver, first.ID)
		if err != nil || len(logs) != 3 || logs[0].Level != "ERROR" || !strings.Contains(logs[1].Message, "\n") || logs[2].Time.IsZero() {
			t.Errorf("RunLogs = %q, %v", logs, err)
		}
	})
}

func TestE2EActivateDisable(t *testing.T) {
	t.Parallel()
	families(t, func(t *testing.T, srv *riverytest.Server, c *rivery.Client) {
		ctx := context.Background()
		op, _, err := c.Rivers.Disable(ctx, riverID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Rivers.WaitForOperation(ctx, op, quick()); err != nil {
			t.Fatal(err)
		}
		if _, _, err := c.Rivers.Run(ctx, riverID); !errors.Is(err, rivery.ErrBadRequest) {
			t.Errorf("Run on a disabled river: %v", err)
		}
		if op, _, err := c.Rivers.Disable(ctx, riverID); err != nil || op.Status != rivery.OperationDone {
			t.Errorf("Disable again = %+v, %v; want done at once", op, err)
		}
		op, _, err = c.Rivers.Activate(ctx, riverID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Rivers.WaitForOperation(ctx, op, quick()); err != nil {
			t.Fatal(err)
		}
		r, _, err := c.Rivers.Get(ctx, riverID)
		if err != nil || r.Status != rivery.RiverActive {
			t.Errorf("river after activation = %+v, %v", r, err)
		}
		srv.AddRiver(riverytest.River{ID: "63b724fc690def001131d2cc", Disabled: true, OperationError: "RVR-ACTIVATE-500: boom"})
		op, _, err = c.Rivers.Activate(ctx, "63b724fc690def001131d2cc")
		if err != nil {
			t.Fatal(err)
		}
		var opErr *rivery.OperationError
		if _, err := c.Rivers.WaitForOperation(ctx, op, quick()); !errors.As(err, &opErr) || !strings.Contains(err.Error(), "RVR-ACTIVATE-500: boom") {
			t.Errorf("failing activation: %v", err)
		}
	})
}

func TestE2EScopes(t *testing.T) {
	t.Parallel()
	families(t, func(t *testing.T, srv *riverytest.Server, c *rivery.Client) {
		scopes, _, err := c.Tokens.Scopes(context.Background())
		if err != nil || len(scopes) != 12 || scopes[2].Name != rivery.ScopeRiverExecute || scopes[2].Description == "" {
			t.Errorf("Scopes = %+v, %v", scopes, err)
		}
	})
}
