package rivery

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"
)

// Expected durations: with the usual duration of a river's recent
// successful runs known, the first status check waits for seven eighths
// of it, then the schedule doubles from the minimum as always. Without
// history nothing changes (rivers_wait_schedule_test.go).

// virtualClock records each wait and ends it at once, moving its time on
// by the wait.
type virtualClock struct {
	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
}

func (c *virtualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *virtualClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.waits = append(c.waits, d)
	c.now = c.now.Add(d)
	ch := make(chan time.Time, 1)
	ch <- c.now
	return ch
}

func (c *virtualClock) recorded() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.waits)
}

// timedRun is a v1 run status with start and end times.
func timedRun(status string, start, end time.Time) scripted {
	body := `{"run_id":"` + schedRun + `","river_cross_id":"` + schedRiver + `","status":"` + status +
		`","start_date_utc":"` + start.UTC().Format(time.RFC3339) + `"`
	if !end.IsZero() {
		body += `,"end_date_utc":"` + end.UTC().Format(time.RFC3339) + `"`
	}
	return scripted{200, body + "}"}
}

var expectT0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func expectClient(t *testing.T, s *script) (*Client, *virtualClock) {
	t.Helper()
	c := scheduleClient(t, s)
	clk := &virtualClock{now: expectT0}
	c.clock = clk
	return c, clk
}

// A run seen to take 8 minutes makes the next RunAndWait of the river wait
// 7 minutes before its first status call, then 1 s, 2 s, ...
func TestRunAndWaitWaitsForUsualDuration(t *testing.T) {
	t.Parallel()
	trigger := scripted{200, `{"run_group_id":"g1","river_cross_id":"` + schedRiver + `","runs":[{"run_id":"` + schedRun + `","status":"pending"}]}`}
	s := &script{bodies: []scripted{timedRun("succeeded", expectT0.Add(-time.Hour), expectT0.Add(-52*time.Minute))}}
	c, clk := expectClient(t, s)
	if _, err := c.Rivers.WaitForRun(context.Background(), schedRiver, schedRun, nil); err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	s.bodies = []scripted{trigger, timedRun("running", expectT0, time.Time{}), timedRun("running", expectT0, time.Time{}),
		timedRun("succeeded", expectT0, expectT0.Add(7*time.Minute+3*time.Second))}
	s.mu.Unlock()
	if _, err := c.Rivers.RunAndWait(context.Background(), schedRiver, nil); err != nil {
		t.Fatal(err)
	}
	if got, want := clk.recorded(), []time.Duration{7 * time.Minute, time.Second, 2 * time.Second}; !slices.Equal(got, want) {
		t.Errorf("waits = %v, want %v", got, want)
	}
	// The durations seen so far: 8 minutes and 7 minutes 3 seconds; the
	// median of two is the larger.
	if got := c.runTimes.expected(c.runKey(schedRiver)); got != 8*time.Minute {
		t.Errorf("expected duration = %v, want 8m", got)
	}
}

// WaitForRun reads its run at once, as always; its next wait is what is
// left of seven eighths of the usual duration since the run started.
func TestWaitForRunWaitsForUsualDurationSinceStart(t *testing.T) {
	t.Parallel()
	s := &script{bodies: []scripted{timedRun("running", expectT0.Add(-2*time.Minute), time.Time{}), timedRun("succeeded", expectT0, expectT0.Add(time.Minute))}}
	c, clk := expectClient(t, s)
	c.runTimes.record(c.runKey(schedRiver), &Run{Status: StatusSucceeded, StartedAt: expectT0.Add(-time.Hour), EndedAt: expectT0.Add(-52 * time.Minute)})
	if _, err := c.Rivers.WaitForRun(context.Background(), schedRiver, schedRun, nil); err != nil {
		t.Fatal(err)
	}
	if got, want := clk.recorded(), []time.Duration{5 * time.Minute}; !slices.Equal(got, want) {
		t.Errorf("waits = %v, want %v", got, want)
	}
}

// ListRuns pages feed the history too: their successful runs' durations,
// not the failed ones'.
func TestListRunsFeedsUsualDurations(t *testing.T) {
	t.Parallel()
	page := `{"items":[` +
		`{"run_id":"a1","river_cross_id":"` + schedRiver + `","status":"succeeded","start_date_utc":"2026-03-01T10:00:00Z","end_date_utc":"2026-03-01T10:04:00Z"},` +
		`{"run_id":"a2","river_cross_id":"` + schedRiver + `","status":"failed","start_date_utc":"2026-03-01T11:00:00Z","end_date_utc":"2026-03-01T11:00:05Z"},` +
		`{"run_id":"a3","river_cross_id":"` + schedRiver + `","status":"succeeded","start_date_utc":"2026-03-01T12:00:00Z","end_date_utc":"2026-03-01T12:06:00Z"},` +
		`{"run_id":"a4","river_cross_id":"` + schedRiver + `","status":"succeeded","start_date_utc":"2026-03-01T13:00:00Z","end_date_utc":"2026-03-01T13:05:00Z"}` +
		`],"page":1,"total_items":4,"next_page":null}`
	s := &script{bodies: []scripted{{200, page}}}
	c, _ := expectClient(t, s)
	if _, _, err := c.Rivers.ListRuns(context.Background(), schedRiver, &ListRunsOptions{StartTime: expectT0.Add(-48 * time.Hour), EndTime: expectT0}); err != nil {
		t.Fatal(err)
	}
	if got := c.runTimes.expected(c.runKey(schedRiver)); got != 5*time.Minute {
		t.Errorf("expected duration = %v, want the median of 4, 6 and 5 minutes", got)
	}
}

// Only the last runHistoryLen durations count.
func TestRunDurationsKeepsTheRecentOnes(t *testing.T) {
	t.Parallel()
	h := newRunDurations()
	k := runKey{river: schedRiver}
	for i := range 8 {
		h.record(k, &Run{Status: StatusSucceeded, StartedAt: expectT0, EndedAt: expectT0.Add(time.Duration(i+1) * time.Minute)})
	}
	if got := h.expected(k); got != 6*time.Minute {
		t.Errorf("expected = %v, want 6m (the median of minutes 4 to 8)", got)
	}
	if got := h.expected(runKey{river: "other"}); got != 0 {
		t.Errorf("a river without history expects %v, want 0", got)
	}
}
