package rivery_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

// End-to-end tests of the live API's behaviors, each behind a riverytest
// knob, on both API families.

func isV1(t *testing.T) bool { return strings.Contains(t.Name(), "/v1") }

func TestE2ESubRiverGroup(t *testing.T) {
	t.Parallel()
	families(t, func(t *testing.T, srv *riverytest.Server, c *rivery.Client) {
		ctx := context.Background()
		const s1, s2, s3 = "64c1d2e3f4a5b6c7d8e9f101", "64c1d2e3f4a5b6c7d8e9f102", "64c1d2e3f4a5b6c7d8e9f103"
		master := srv.AddRiver(riverytest.River{SubRivers: []riverytest.SubRiver{
			{ID: s1}, {ID: s2, Outcome: "failed", Message: "Target table is locked"}, {ID: s3},
		}})
		done, err := c.Rivers.RunAndWait(ctx, master.ID, quick())
		if n := srv.RunsStarted(master.ID); n != 3 {
			t.Errorf("runs started = %d, want one per sub-river", n)
		}
		if !isV1(t) {
			// The console API has no groups: it answers the first run.
			if err != nil || done.Status != rivery.StatusSucceeded || done.Group != nil {
				t.Fatalf("RunAndWait = %+v, %v", done, err)
			}
		} else if !errors.Is(err, rivery.ErrRunFailed) || done.Status != rivery.StatusPartial || done.Group == nil || len(done.Group.Runs) != 3 ||
			done.Group.Runs[1].SubRiverID != s2 || done.Group.Runs[1].Status != rivery.StatusFailed || !strings.Contains(err.Error(), "Target table is locked") {
			t.Fatalf("RunAndWait = %+v, %v", done, err)
		}

		run, _, err := c.Rivers.RunSubRiver(ctx, master.ID, s2)
		if err != nil || run.SubRiverID != s2 || run.Group != nil {
			t.Fatalf("RunSubRiver = %+v, %v", run, err)
		}
		done, err = c.Rivers.WaitForRun(ctx, master.ID, run.ID, quick())
		if !errors.Is(err, rivery.ErrRunFailed) || done.Status != rivery.StatusFailed {
			t.Fatalf("WaitForRun of the sub-river = %+v, %v", done, err)
		}
	})
}

func TestE2ETriggerWithNoRuns(t *testing.T) {
	t.Parallel()
	families(t, func(t *testing.T, srv *riverytest.Server, c *rivery.Client) {
		empty := srv.AddRiver(riverytest.River{NoRuns: true})
		run, err := c.Rivers.RunAndWait(context.Background(), empty.ID, quick())
		if run != nil || !errors.Is(err, rivery.ErrNoRunStarted) {
			t.Fatalf("RunAndWait = %+v, %v", run, err)
		}
		// v1 lists no runs (none started); the console answer leaves it open.
		if says := strings.Contains(err.Error(), "no run started"); says != isV1(t) {
			t.Errorf("error %q", err)
		}
		if n := len(srv.RequestsTo(riverytest.RouteRun)); n != 1 {
			t.Errorf("triggers = %d, want 1", n)
		}
	})
}

func TestE2ESkippedTriggerAttaches(t *testing.T) {
	t.Parallel()
	families(t, func(t *testing.T, srv *riverytest.Server, c *rivery.Client) {
		ctx := context.Background()
		rv := srv.AddRiver(riverytest.River{SkipWhileRunning: true, Polls: 3})
		first, _, err := c.Rivers.Run(ctx, rv.ID)
		if err != nil {
			t.Fatal(err)
		}
		run, _, err := c.Rivers.Run(ctx, rv.ID)
		if err != nil || run.Status != rivery.StatusSkipped || run.InFlightRunID != first.ID {
			t.Fatalf("second Run = %+v, %v; want skipped naming %s", run, err, first.ID)
		}
		done, err := c.Rivers.RunAndWait(ctx, rv.ID, quick())
		if err != nil || done.ID != first.ID || done.Status != rivery.StatusSucceeded {
			t.Fatalf("RunAndWait = %+v, %v; want the run in flight", done, err)
		}
		if n := srv.RunsStarted(rv.ID); n != 1 {
			t.Errorf("runs started = %d, want 1", n)
		}
	})
}

func TestE2ECancelSettlingAsFailed(t *testing.T) {
	t.Parallel()
	families(t, func(t *testing.T, srv *riverytest.Server, c *rivery.Client) {
		ctx := context.Background()
		rv := srv.AddRiver(riverytest.River{CancelAsFailed: true, Duration: time.Hour})
		run, _, err := c.Rivers.Run(ctx, rv.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Rivers.CancelRun(ctx, rv.ID, run.ID); err != nil {
			t.Fatal(err)
		}
		done, err := c.Rivers.WaitForRun(ctx, rv.ID, run.ID, quick())
		raw := "E"
		if isV1(t) {
			raw = "failed"
		}
		if !errors.Is(err, rivery.ErrRunFailed) || done.Status != rivery.StatusCanceled || done.RawStatus != raw || done.Message != "Run canceled" {
			t.Fatalf("WaitForRun = %+v, %v", done, err)
		}
	})
}

func TestE2ECancelRunGroup(t *testing.T) {
	t.Parallel()
	families(t, func(t *testing.T, srv *riverytest.Server, c *rivery.Client) {
		ctx := context.Background()
		master := srv.AddRiver(riverytest.River{Duration: time.Hour, SubRivers: []riverytest.SubRiver{
			{ID: "64c1d2e3f4a5b6c7d8e9f201"}, {ID: "64c1d2e3f4a5b6c7d8e9f202"},
		}})
		v1c := srv.ClientV1() // the console API has no groups to trigger
		run, _, err := v1c.Rivers.Run(ctx, master.ID)
		if err != nil || run.Group == nil || len(run.Group.Runs) != 2 {
			t.Fatalf("Run = %+v, %v", run, err)
		}
		if _, err := c.Rivers.CancelRunGroup(ctx, master.ID, run.GroupID); err != nil {
			t.Fatal(err)
		}
		done, err := c.Rivers.WaitForGroup(ctx, run, quick())
		if !errors.Is(err, rivery.ErrRunFailed) || done.Status != rivery.StatusCanceled || done.Group == nil || done.Group.Runs[1].Status != rivery.StatusCanceled {
			t.Fatalf("WaitForGroup = %+v, %v", done, err)
		}
		if _, err := c.Rivers.CancelRunGroup(ctx, master.ID, run.GroupID); !errors.Is(err, rivery.ErrBadRequest) {
			t.Errorf("second cancel: %v", err)
		}
	})
}

func TestE2EMissingPendingStatus(t *testing.T) {
	t.Parallel()
	families(t, func(t *testing.T, srv *riverytest.Server, c *rivery.Client) {
		ctx := context.Background()
		rv := srv.AddRiver(riverytest.River{OmitPendingStatus: true, Polls: 3})
		run, _, err := c.Rivers.Run(ctx, rv.ID)
		if err != nil {
			t.Fatal(err)
		}
		got, _, err := c.Rivers.GetRun(ctx, rv.ID, run.ID) // the first status call sees it waiting
		if err != nil || got.Status != rivery.StatusPending || got.Status.Terminal() {
			t.Fatalf("GetRun = %+v, %v", got, err)
		}
		if !isV1(t) && got.RawStatus != "" {
			t.Errorf("console RawStatus = %q, want none sent", got.RawStatus)
		}
		done, err := c.Rivers.WaitForRun(ctx, rv.ID, run.ID, quick())
		if err != nil || done.Status != rivery.StatusSucceeded {
			t.Fatalf("WaitForRun = %+v, %v", done, err)
		}
	})
}

func TestE2ETokensUnavailable(t *testing.T) {
	t.Parallel()
	for _, v1 := range []bool{false, true} {
		srv := riverytest.NewServer(riverytest.WithoutTokenRoutes())
		t.Cleanup(srv.Close)
		c := srv.Client()
		if v1 {
			c = srv.ClientV1()
		}
		ctx := context.Background()
		_, _, err := c.Tokens.List(ctx, nil)
		if !errors.Is(err, rivery.ErrTokensUnavailable) || !errors.Is(err, rivery.ErrNotFound) {
			t.Errorf("v1=%v: List = %v", v1, err)
		}
		_, _, err = c.Tokens.Create(ctx, &rivery.CreateTokenRequest{Name: "ci", Scopes: []rivery.Scope{rivery.ScopeRiverExecute}})
		if !errors.Is(err, rivery.ErrTokensUnavailable) {
			t.Errorf("v1=%v: Create = %v", v1, err)
		}
	}
	families(t, func(t *testing.T, _ *riverytest.Server, c *rivery.Client) {
		_, _, err := c.Tokens.Get(context.Background(), "65aaaaaaaaaaaaaaaaaaaaaa")
		if !errors.Is(err, rivery.ErrNotFound) || errors.Is(err, rivery.ErrTokensUnavailable) {
			t.Errorf("missing token = %v; want a plain not-found", err)
		}
	})
}

func TestE2EMeAndAllRuns(t *testing.T) {
	t.Parallel()
	families(t, func(t *testing.T, srv *riverytest.Server, c *rivery.Client) {
		ctx := context.Background()
		me, _, err := c.Me(ctx)
		if err != nil || me.AccountID != srv.AccountID || me.EnvironmentID != srv.EnvironmentID {
			t.Fatalf("Me = %+v, %v", me, err)
		}
		start := time.Now().Add(-time.Minute)
		for range 3 {
			if _, _, err := c.Rivers.Run(ctx, riverID); err != nil {
				t.Fatal(err)
			}
		}
		opts := &rivery.ListRunsOptions{ListOptions: rivery.ListOptions{PerPage: 2}, StartTime: start, EndTime: time.Now().Add(time.Minute)}
		n := 0
		for run, err := range c.Rivers.AllRuns(ctx, riverID, opts) {
			if err != nil || run.RiverID != riverID {
				t.Fatalf("AllRuns = %+v, %v", run, err)
			}
			n++
		}
		if n != 3 || len(srv.RequestsTo(riverytest.RouteRuns)) != 2 {
			t.Errorf("AllRuns gave %d runs in %d pages", n, len(srv.RequestsTo(riverytest.RouteRuns)))
		}
	})
}

// A status answer that arrived whole but is not JSON of a run ends the
// wait at once, after one request: no retries, no polling to the deadline.
func TestE2EWaitStopsOnUndecodableAnswer(t *testing.T) {
	t.Parallel()
	families(t, func(t *testing.T, srv *riverytest.Server, c *rivery.Client) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		run, _, err := c.Rivers.Run(ctx, riverID)
		if err != nil {
			t.Fatal(err)
		}
		srv.Fail(riverytest.RouteRunStatus, 100, riverytest.Fault{Status: 200, Body: `<html>maintenance</html>`})
		_, err = c.Rivers.WaitForRun(ctx, riverID, run.ID, quick())
		var reqErr *rivery.RequestError
		if !errors.As(err, &reqErr) || reqErr.Attempts != 1 || errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("WaitForRun = %v", err)
		}
		if n := len(srv.RequestsTo(riverytest.RouteRunStatus)); n != 1 {
			t.Errorf("status calls = %d, want 1", n)
		}
	})
}
