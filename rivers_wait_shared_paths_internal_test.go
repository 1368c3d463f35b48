package rivery

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

// More paths of the shared poller, on the parking clock of
// rivers_wait_shared_internal_test.go.

const (
	riverM = "63b724fc690def0011310003" // a master river whose trigger started two runs
	runM1  = "0000000000000000000000000000m001"
	runM2  = "0000000000000000000000000000m002"
)

// WaitForRun reads its run at once, as always, then is adopted; a group's
// runs are read together when the master river's row says one ended, and
// the group's outcome reaches OnStatus once per round.
func TestSharedPollerWaitForRunAndGroup(t *testing.T) {
	t.Parallel()
	clk := newParkClock()
	f := newFakeV1(clk)
	f.set("running", riverX)
	f.set("group", riverM)
	f.groups[riverM] = []string{runM1, runM2}
	f.set("pending", runM1, runM2)
	c := sharedClient(t, f)

	type result struct {
		run  *Run
		err  error
		seen []RunStatus
	}
	xDone, gDone := make(chan result, 1), make(chan result, 1)
	go func() {
		run, err := c.Rivers.WaitForRun(context.Background(), riverX, runOf(riverX), nil)
		xDone <- result{run, err, nil}
	}()
	clk.waitParked(t, 1)
	group := &Run{ID: runM1, GroupID: "g", RiverID: riverM, Status: StatusPending, Group: &RunGroup{ID: "g", RiverID: riverM, Runs: []*Run{
		{ID: runM1, GroupID: "g", RiverID: riverM, SubRiverID: "5f0000000000000000000001", Status: StatusPending},
		{ID: runM2, GroupID: "g", RiverID: riverM, SubRiverID: "5f0000000000000000000002", Status: StatusPending},
	}}}
	go func() {
		var seen []RunStatus
		run, err := c.Rivers.WaitForGroup(context.Background(), group, &WaitOptions{OnStatus: func(r *Run) { seen = append(seen, r.Status) }})
		gDone <- result{run, err, seen}
	}()
	clk.waitParked(t, 2)
	f.set("failed", runM1)
	clk.advance(t) // t=1: M has fewer runs in progress than the group follows: read both
	clk.waitParked(t, 1)
	f.set("succeeded", runM2, riverX)
	clk.advance(t) // t=3
	x := <-xDone
	var g result
	for deadline := time.Now().Add(30 * time.Second); g.run == nil && time.Now().Before(deadline); {
		select {
		case g = <-gDone:
		case <-time.After(100 * time.Microsecond):
			if waitsIn(c) == 0 {
				clk.mu.Lock()
				parked := len(clk.parked)
				clk.mu.Unlock()
				if parked == 1 {
					clk.advance(t)
				}
			}
		}
	}
	want := []string{"status " + riverX + " @0", "activities @1", "status " + riverM + " " + runM1 + " @1", "status " + riverM + " " + runM2 + " @1",
		"activities @3", "status " + riverX + " @3", "status " + riverM + " " + runM2 + " @3"}
	f.expect(t, want)
	if x.err != nil || x.run.Status != StatusSucceeded {
		t.Errorf("WaitForRun = %+v, %v", x.run, x.err)
	}
	if !errors.Is(g.err, ErrRunFailed) || g.run == nil || g.run.Status != StatusPartial || len(g.run.Group.Runs) != 2 ||
		g.run.Group.Runs[0].Status != StatusFailed || g.run.Group.Runs[1].SubRiverID != "5f0000000000000000000002" {
		t.Errorf("WaitForGroup = %+v, %v", g.run, g.err)
	}
	if want := []RunStatus{StatusPartial}; !slices.Equal(g.seen, want) {
		t.Errorf("OnStatus saw %v, want %v (the group was pending, then partially succeeded)", g.seen, want)
	}
	if group.Group.Runs[0].Status != StatusPending {
		t.Error("WaitForGroup changed the caller's group")
	}
}

// When the activities view fails for good (here 403: the token lacks its
// scope), the poller reads every run directly each round from then on,
// and the waits still end.
func TestSharedPollerFallsBackWithoutActivities(t *testing.T) {
	t.Parallel()
	clk := newParkClock()
	f := newFakeV1(clk)
	f.failNext("activities", scripted{403, `{"detail":"The token lacks the scope this endpoint needs"}`})
	c := sharedClient(t, f)
	out := startXY(context.Background(), t, c, clk)
	clk.advance(t) // t=1
	clk.waitParked(t, 1)
	f.set("failed", riverY)
	f.set("succeeded", riverX)
	clk.advance(t) // t=3
	a, b := collect(t, c, clk, out), collect(t, c, clk, out)
	if a.river == riverY {
		a, b = b, a
	}
	want := []string{"run " + riverX + " @0", "run " + riverY + " @0", "activities @1 403", "status " + riverX + " @1", "status " + riverY + " @1",
		"status " + riverX + " @3", "status " + riverY + " @3"}
	f.expect(t, want)
	if a.err != nil || a.run.Status != StatusSucceeded {
		t.Errorf("wait of X = %+v, %v", a.run, a.err)
	}
	var runErr *RunError
	if !errors.As(b.err, &runErr) || b.run.Status != StatusFailed {
		t.Errorf("wait of Y = %+v, %v; want its failed run", b.run, b.err)
	}
}

// The poller's calls make one attempt each, whatever WithRetry says: a
// 503 ends the round, and the next round asks again.
func TestSharedPollerCallsAreSingleAttempts(t *testing.T) {
	t.Parallel()
	clk := newParkClock()
	f := newFakeV1(clk)
	f.failNext("activities", scripted{503, `{"detail":"busy"}`})
	c := sharedClient(t, f, WithRetry(3, 0, 0))
	out := startXY(context.Background(), t, c, clk)
	f.set("succeeded", riverX, riverY)
	clk.advance(t) // t=1: the 503
	clk.waitParked(t, 1)
	clk.advance(t) // t=3
	collect(t, c, clk, out)
	collect(t, c, clk, out)
	want := []string{"run " + riverX + " @0", "run " + riverY + " @0", "activities @1 503",
		"activities @3", "status " + riverX + " @3", "status " + riverY + " @3"}
	f.expect(t, want)
}

// WithoutSharedPolling: two waits at once each poll their own run.
func TestWithoutSharedPolling(t *testing.T) {
	t.Parallel()
	clk := newParkClock()
	f := newFakeV1(clk)
	c := sharedClient(t, f, WithoutSharedPolling())
	out := make(chan waitResult, 2)
	startWait(context.Background(), c, riverX, out)
	startWait(context.Background(), c, riverY, out)
	clk.waitParked(t, 2)
	f.set("succeeded", riverX, riverY)
	clk.advance(t)
	succeeded(t, <-out, <-out)
	got := f.requests()
	slices.Sort(got)
	want := []string{"run " + riverX + " @0", "run " + riverY + " @0", "status " + riverX + " @1", "status " + riverY + " @1"}
	if !slices.Equal(got, want) {
		t.Errorf("requests %q, want %q", got, want)
	}
	if c.waits != nil {
		t.Error("a client without shared polling has a hub")
	}
}

// With a usual duration known for every river waited on, the poller asks
// nothing until the first of them may end: here runs of 10 minutes, so no
// request until 8m45s (seven eighths of it), then rounds as usual.
func TestSharedPollerWaitsForUsualDurations(t *testing.T) {
	t.Parallel()
	clk := newParkClock()
	f := newFakeV1(clk)
	c := sharedClient(t, f)
	for _, river := range []string{riverX, riverY} {
		c.runTimes.record(c.runKey(river), &Run{Status: StatusSucceeded, StartedAt: clk.start.Add(-time.Hour), EndedAt: clk.start.Add(-50 * time.Minute)})
	}
	out := startXY(context.Background(), t, c, clk) // X's first status check is 8m45s away
	for clk.Now().Sub(clk.start) < 523*time.Second {
		clk.advance(t)
		clk.waitParked(t, 2) // X still sleeps; the poller's rounds ask nothing
	}
	f.set("succeeded", riverX, riverY)
	clk.advance(t) // t=525: X is adopted
	clk.waitParked(t, 1)
	clk.advance(t) // t=527
	collect(t, c, clk, out)
	collect(t, c, clk, out)
	want := []string{"run " + riverX + " @0", "run " + riverY + " @0", "activities @523",
		"activities @527", "status " + riverX + " @527", "status " + riverY + " @527"}
	f.expect(t, want)
}

// What the poller reads from a row: pending and running are in progress;
// succeeded, failed, canceled and skipped ended; a sub-river's row counts
// for its master river too; and when a run may have ended.
func TestRowCounts(t *testing.T) {
	t.Parallel()
	rows := map[string]rowCounts{}
	pending := map[string]int{riverM: 2, riverX: 1}
	sub := &Activity{RiverID: "5f0000000000000000000001", MasterRiverID: riverM, SubRiver: true,
		Counts: StatusCounts{Pending: 1, Running: 2, Succeeded: 3, Failed: 4, Canceled: 5, Skipped: 6}, LastRun: clkStart}
	master := &Activity{RiverID: riverM, MasterRiverID: riverM, Counts: StatusCounts{Running: 1}}
	for _, a := range []*Activity{sub, master} {
		countRow(rows, pending, a.RiverID, a)
		if a.MasterRiverID != a.RiverID {
			countRow(rows, pending, a.MasterRiverID, a)
		}
	}
	if got, want := rows[riverM], (rowCounts{inProgress: 4, ended: 18, lastRun: clkStart, present: true}); got != want {
		t.Errorf("master's counts = %+v, want %+v", got, want)
	}
	if _, ok := rows[sub.RiverID]; ok {
		t.Error("counted a river no wait follows")
	}
	prev := rowCounts{inProgress: 2, ended: 3, present: true}
	for _, tc := range []struct {
		name    string
		cur     rowCounts
		had     bool
		pending int
		want    bool
	}{
		{"unchanged", prev, true, 2, false},
		{"one more ended", rowCounts{inProgress: 2, ended: 4, present: true}, true, 2, true},
		{"pending to running, new run", rowCounts{inProgress: 3, ended: 3, present: true}, true, 2, false},
		{"one fewer in progress", rowCounts{inProgress: 1, ended: 3, present: true}, true, 2, true},
		{"row gone", rowCounts{}, true, 2, true},
		{"first sight, all in progress", prev, false, 2, false},
		{"first sight, fewer in progress than followed", prev, false, 3, true},
	} {
		if got := tc.cur.mayHaveEnded(prev, tc.had, tc.pending); got != tc.want {
			t.Errorf("%s: mayHaveEnded = %v, want %v", tc.name, got, tc.want)
		}
	}
}

var clkStart = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
