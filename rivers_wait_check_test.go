package rivery_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

// followRuns triggers each river and checks on the runs with CheckRuns
// until all have ended, the check going through JSON between calls; it
// returns the final runs and how many calls it made.
func followRuns(t *testing.T, c *rivery.Client, rivers []string) ([]*rivery.Run, int) {
	t.Helper()
	ctx := context.Background()
	var runs []*rivery.Run
	for _, id := range rivers {
		run, _, err := c.Rivers.Run(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, run)
	}
	var check *rivery.RunsCheck
	for calls := 1; calls <= 20; calls++ {
		out, next, err := c.Rivers.CheckRuns(ctx, runs, check)
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(next)
		if err != nil {
			t.Fatal(err)
		}
		check = new(rivery.RunsCheck)
		if err := json.Unmarshal(b, check); err != nil {
			t.Fatal(err)
		}
		runs = out
		ended := 0
		for _, r := range runs {
			if r.Status.Terminal() {
				ended++
			}
		}
		if ended == len(runs) {
			return runs, calls
		}
	}
	t.Fatal("the runs did not end in 20 calls")
	return nil, 0
}

// Against the fake, whose runs move one step per status call or activity
// view: three runs that end after 1, 2 and 3 views cost one activities
// call per check and one status call per run, read when its row says it
// ended. Per-run polling reads every run in progress each time instead.
func TestCheckRunsAgainstTheFake(t *testing.T) {
	t.Parallel()
	var opts []riverytest.Option
	var rivers []string
	for i := range 3 {
		id := fmt.Sprintf("63d0ffee00000000000002%02d", i)
		opts = append(opts, riverytest.WithRiver(riverytest.River{ID: id, Polls: 1 + i}))
		rivers = append(rivers, id)
	}
	srv := riverytest.NewServer(opts...)
	t.Cleanup(srv.Close)
	runs, calls := followRuns(t, srv.ClientV1(), rivers)
	for i, r := range runs {
		if r.Status != rivery.StatusSucceeded || r.RiverID != rivers[i] {
			t.Errorf("run %d: %+v", i, r)
		}
	}
	// The first view sees every run pending, each later one ends one.
	if calls != 4 {
		t.Errorf("%d calls, want 4", calls)
	}
	if n := len(srv.RequestsTo(riverytest.RouteActivities)); n != 4 {
		t.Errorf("%d activities calls, want 4 (one a call)", n)
	}
	if n := len(srv.RequestsTo(riverytest.RouteRunStatus)); n != 3 {
		t.Errorf("%d status calls, want 3 (one per run, when it ended)", n)
	}
}

// A client with only a token speaks the console API, whose river IDs are
// not guaranteed to be the activity rows': CheckRuns reads every run in
// progress with GetRun, each call, and never asks for activities.
func TestCheckRunsOnTheConsoleAPI(t *testing.T) {
	t.Parallel()
	const a, b = "63d0ffee0000000000000301", "63d0ffee0000000000000302"
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: a, Polls: 1}), riverytest.WithRiver(riverytest.River{ID: b, Polls: 2}))
	t.Cleanup(srv.Close)
	runs, calls := followRuns(t, srv.Client(), []string{a, b})
	if runs[0].Status != rivery.StatusSucceeded || runs[1].Status != rivery.StatusSucceeded {
		t.Errorf("runs: %+v, %+v", runs[0], runs[1])
	}
	// a: pending, succeeded; b: pending, running, succeeded.
	if calls != 3 {
		t.Errorf("%d calls, want 3", calls)
	}
	if n := len(srv.RequestsTo(riverytest.RouteRunStatus)); n != 5 {
		t.Errorf("%d status calls, want 5", n)
	}
	if n := len(srv.RequestsTo(riverytest.RouteActivities)); n != 0 {
		t.Errorf("%d activities calls on the console API", n)
	}
}

// checkUntilEnded is the example of docs/temporal.md: CheckRuns in a loop
// of the program's own.
func checkUntilEnded(ctx context.Context, client *rivery.Client, runs []*rivery.Run, every time.Duration) ([]*rivery.Run, error) {
	var check *rivery.RunsCheck // JSON: save it between two checks
	for {
		out, next, err := client.Rivers.CheckRuns(ctx, runs, check)
		if err != nil && !errors.Is(err, rivery.ErrRateLimited) && !errors.Is(err, rivery.ErrServer) {
			return out, err
		}
		runs, check = out, next
		ended := 0
		for _, r := range runs {
			if r.Status.Terminal() {
				ended++
			}
		}
		if ended == len(runs) {
			return runs, nil
		}
		select {
		case <-ctx.Done():
			return runs, ctx.Err()
		case <-time.After(every):
		}
	}
}

// The example rides out a 503 of the activities call and ends with every
// run.
func TestCheckUntilEnded(t *testing.T) {
	t.Parallel()
	const a, b = "63d0ffee0000000000000401", "63d0ffee0000000000000402"
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: a, Polls: 1}),
		riverytest.WithRiver(riverytest.River{ID: b, Polls: 3, Outcome: "failed"}))
	t.Cleanup(srv.Close)
	c := srv.ClientV1(rivery.WithoutRetries())
	var runs []*rivery.Run
	for _, id := range []string{a, b} {
		run, _, err := c.Rivers.Run(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, run)
	}
	srv.Fail(riverytest.RouteActivities, 1, riverytest.Fault{Status: 503})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	runs, err := checkUntilEnded(ctx, c, runs, time.Millisecond)
	if err != nil || runs[0].Status != rivery.StatusSucceeded || runs[1].Status != rivery.StatusFailed {
		t.Fatalf("runs %+v, %+v; %v", runs[0], runs[1], err)
	}
	if n := len(srv.RequestsTo(riverytest.RouteActivities)); n != 5 {
		t.Errorf("%d activities calls, want 5 (a 503, then one a check: 2 views end A, 2 more B)", n)
	}
}
