package rivery

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// CheckRuns on the fake of the shared poller's tests (fakeV1): each
// request is logged with the fake time it was sent at, and the check
// travels as JSON between calls, as it does in a Temporal history.

// at sets clk to secs seconds after its start.
func at(clk *parkClock, secs int) {
	clk.mu.Lock()
	clk.now = clk.start.Add(time.Duration(secs) * time.Second)
	clk.mu.Unlock()
}

// viaJSON is k after a trip through JSON.
func viaJSON(t *testing.T, k *RunsCheck) *RunsCheck {
	t.Helper()
	b, err := json.Marshal(k)
	if err != nil {
		t.Fatal(err)
	}
	var out RunsCheck
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("%v in %s", err, b)
	}
	return &out
}

// checker follows runs with CheckRuns, the check going through JSON.
type checker struct {
	t     *testing.T
	c     *Client
	runs  []*Run
	check *RunsCheck
}

// trigger starts a run of each river at the clock's time.
func trigger(t *testing.T, c *Client, rivers ...string) *checker {
	t.Helper()
	k := &checker{t: t, c: c}
	for _, id := range rivers {
		run, _, err := c.Rivers.Run(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		k.runs = append(k.runs, run)
	}
	return k
}

// next checks once; it returns the error, and keeps what was read and the
// returned check.
func (k *checker) next() error {
	k.t.Helper()
	given := k.runs
	out, check, err := k.c.Rivers.CheckRuns(context.Background(), given, k.check)
	if check == nil || len(out) != len(given) {
		k.t.Fatalf("CheckRuns returned %d runs for %d and check %v (err %v)", len(out), len(given), check, err)
	}
	k.runs, k.check = out, viaJSON(k.t, check)
	return err
}

// statuses are the runs' statuses, in order.
func (k *checker) statuses() string {
	var s []string
	for _, r := range k.runs {
		s = append(s, string(r.Status))
	}
	return strings.Join(s, " ")
}

// One call is one activities call, then a status call only for the runs
// whose river's row says they may have ended; a run not read comes back as
// given, and a call with no run in progress sends nothing.
func TestCheckRunsExactRequests(t *testing.T) {
	t.Parallel()
	clk := newParkClock()
	f := newFakeV1(clk)
	c := sharedClient(t, f)
	k := trigger(t, c, riverX, riverY)
	at(clk, 1)
	if err := k.next(); err != nil {
		t.Fatal(err)
	}
	at(clk, 3)
	f.set("succeeded", riverX)
	y := k.runs[1]
	if err := k.next(); err != nil {
		t.Fatal(err)
	}
	if k.runs[1] != y {
		t.Error("a run that was not read did not come back as given")
	}
	if got := k.statuses(); got != "succeeded pending" {
		t.Errorf("statuses after t=3: %s", got)
	}
	at(clk, 7)
	f.set("failed", riverY)
	if err := k.next(); err != nil {
		t.Fatal(err)
	}
	at(clk, 8)
	if err := k.next(); err != nil { // nothing in progress: no request
		t.Fatal(err)
	}
	f.expect(t, []string{"run " + riverX + " @0", "run " + riverY + " @0", "activities @1",
		"activities @3", "status " + riverX + " @3", "activities @7", "status " + riverY + " @7"})
	if got := k.statuses(); got != "succeeded failed" {
		t.Errorf("statuses: %s", got)
	}
	if len(k.check.runs) != 0 {
		t.Errorf("the check still follows %d runs", len(k.check.runs))
	}
}

// The window starts windowSlack units (of MaxInterval) before the
// earliest run began.
func TestCheckRunsWindow(t *testing.T) {
	t.Parallel()
	clk := newParkClock()
	f := newFakeV1(clk)
	var queries []string
	c := sharedClient(t, f)
	c.hc.Transport = roundTripFunc(func(req *http.Request) (*http.Response, error) {
		if strings.HasSuffix(req.URL.Path, "/activities") {
			queries = append(queries, req.URL.RawQuery)
		}
		return f.RoundTrip(req)
	})
	c.rc.HTTPClient = c.hc
	k := trigger(t, c, riverX)
	k.check = &RunsCheck{MaxInterval: 6 * time.Second}
	at(clk, 5)
	if err := k.next(); err != nil {
		t.Fatal(err)
	}
	k.runs[0].StartedAt = clk.start.Add(-time.Minute) // the run says it began earlier
	if err := k.next(); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"end_time=2026-03-02T09%3A00%3A05&items_per_page=200&start_time=2026-03-02T08%3A59%3A05",
		"end_time=2026-03-02T09%3A00%3A05&items_per_page=200&start_time=2026-03-02T08%3A58%3A00",
	}
	if strings.Join(queries, "\n") != strings.Join(want, "\n") {
		t.Errorf("activities queries:\n%s\nwant:\n%s", strings.Join(queries, "\n"), strings.Join(want, "\n"))
	}
	if k.check.MaxInterval != 6*time.Second {
		t.Errorf("MaxInterval = %v after JSON", k.check.MaxInterval)
	}
}

// A run whose activity row never changes is read directly once it has
// heard nothing for directAfter units (40 s here), one run a call, the
// longest silent first; the silence it may keep then doubles, up to
// directAfterMax units.
func TestCheckRunsReadsSilentRuns(t *testing.T) {
	t.Parallel()
	clk := newParkClock()
	f := newFakeV1(clk)
	f.frozen = `{"cross_id":"` + riverX + `","running":1},{"cross_id":"` + riverY + `","running":1}`
	c := sharedClient(t, f)
	k := trigger(t, c, riverX, riverY)
	f.set("running", riverX, riverY)
	var want []string
	want = append(want, "run "+riverX+" @0", "run "+riverY+" @0")
	for s := 1; s <= 925; s += 4 {
		at(clk, s)
		if err := k.next(); err != nil {
			t.Fatal(err)
		}
		want = append(want, "activities @"+strconv.Itoa(s))
		switch s {
		case 41, 121, 281, 601, 921: // silent since 1 for 40 s, then 80, 160, 320, 320
			want = append(want, "status "+riverX+" @"+strconv.Itoa(s))
		case 45, 125, 285, 605, 925:
			want = append(want, "status "+riverY+" @"+strconv.Itoa(s))
		}
	}
	f.expect(t, want)
	if got := k.check.runs[runOf(riverX)].Bound; got != directAfterMax*4*time.Second {
		t.Errorf("X's silence bound = %v, want 320s (directAfterMax units)", got)
	}
}

// A 429 on the activities call ends the call with the error, reads
// nothing, and the next call asks again.
func TestCheckRuns429(t *testing.T) {
	t.Parallel()
	clk := newParkClock()
	f := newFakeV1(clk)
	c := sharedClient(t, f)
	k := trigger(t, c, riverX)
	at(clk, 1)
	if err := k.next(); err != nil {
		t.Fatal(err)
	}
	f.set("succeeded", riverX)
	f.failNext("activities", scripted{429, `{"detail":"Too many requests"}`})
	at(clk, 3)
	if err := k.next(); !errors.Is(err, ErrRateLimited) {
		t.Fatalf("err = %v, want ErrRateLimited", err)
	}
	at(clk, 23)
	if err := k.next(); err != nil {
		t.Fatal(err)
	}
	f.expect(t, []string{"run " + riverX + " @0", "activities @1", "activities @3 429", "activities @23", "status " + riverX + " @23"})
	if got := k.statuses(); got != "succeeded" {
		t.Errorf("status: %s", got)
	}
}

// A status call that fails stops the call with a *RunCheckError naming
// the run; what was read before comes back, and the returned check reads
// the rest at the next call without waiting for its row to change again.
func TestCheckRunsStatusCallFails(t *testing.T) {
	t.Parallel()
	clk := newParkClock()
	f := newFakeV1(clk)
	c := sharedClient(t, f)
	k := trigger(t, c, riverY, riverX)
	at(clk, 1)
	if err := k.next(); err != nil {
		t.Fatal(err)
	}
	f.set("succeeded", riverX, riverY)
	f.failNext("status "+riverX, scripted{503, `{"detail":"unavailable"}`})
	at(clk, 3)
	err := k.next()
	var rce *RunCheckError
	if !errors.As(err, &rce) || rce.RunID != runOf(riverX) || rce.RiverID != riverX || !errors.Is(err, ErrServer) {
		t.Fatalf("err = %v, want a *RunCheckError of X's run, a 5xx", err)
	}
	if got := k.statuses(); got != "succeeded pending" {
		t.Errorf("statuses: %s", got)
	}
	at(clk, 7)
	if err := k.next(); err != nil {
		t.Fatal(err)
	}
	f.expect(t, []string{"run " + riverY + " @0", "run " + riverX + " @0", "activities @1",
		"activities @3", "status " + riverY + " @3", "status " + riverX + " @3 503", "activities @7", "status " + riverX + " @7"})
	if got := k.statuses(); got != "succeeded succeeded" {
		t.Errorf("statuses: %s", got)
	}
}

// Without the activities view (a token without its scope), every run in
// progress is read directly, each call, from then on.
func TestCheckRunsWithoutActivities(t *testing.T) {
	t.Parallel()
	clk := newParkClock()
	f := newFakeV1(clk)
	f.failNext("activities", scripted{403, `{"detail":"The token lacks the scope this endpoint needs"}`})
	c := sharedClient(t, f)
	k := trigger(t, c, riverX, riverY)
	at(clk, 1)
	if err := k.next(); err != nil {
		t.Fatal(err)
	}
	f.set("succeeded", riverX)
	at(clk, 3)
	if err := k.next(); err != nil {
		t.Fatal(err)
	}
	f.expect(t, []string{"run " + riverX + " @0", "run " + riverY + " @0", "activities @1 403",
		"status " + riverX + " @1", "status " + riverY + " @1", "status " + riverX + " @3", "status " + riverY + " @3"})
}

// Bad arguments are refused before any request.
func TestCheckRunsChecksArguments(t *testing.T) {
	t.Parallel()
	clk := newParkClock()
	f := newFakeV1(clk)
	c := sharedClient(t, f)
	run := &Run{ID: runOf(riverX), RiverID: riverX, Status: StatusRunning}
	for name, runs := range map[string][]*Run{
		"nil run":    {run, nil},
		"no river":   {{ID: runOf(riverX), Status: StatusRunning}},
		"bad run ID": {{ID: "../x", RiverID: riverX, Status: StatusPending}},
		"twice":      {run, run},
	} {
		if _, _, err := c.Rivers.CheckRuns(context.Background(), runs, nil); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	//nolint:staticcheck // a nil context on purpose
	if _, _, err := c.Rivers.CheckRuns(nil, []*Run{run}, nil); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("nil context: err = %v", err)
	}
	// A run that has ended is neither checked nor read.
	if out, _, err := c.Rivers.CheckRuns(context.Background(), []*Run{{Status: StatusSkipped}}, nil); err != nil || len(out) != 1 {
		t.Errorf("an ended run: %v, %v", out, err)
	}
	f.expect(t, nil)
}

// A check in a form this version does not know reads as a fresh start;
// the given check is left as it was.
func TestRunsCheckJSON(t *testing.T) {
	t.Parallel()
	var k RunsCheck
	if err := json.Unmarshal([]byte(`{"v":99,"max_interval":5000000000,"runs":{"x":{"seen":"2026-03-02T09:00:00Z"}}}`), &k); err != nil {
		t.Fatal(err)
	}
	if k.MaxInterval != 5*time.Second || k.runs != nil {
		t.Errorf("unknown form read as %+v", k)
	}
	clk := newParkClock()
	f := newFakeV1(clk)
	c := sharedClient(t, f)
	ch := trigger(t, c, riverX)
	at(clk, 1)
	if err := ch.next(); err != nil {
		t.Fatal(err)
	}
	before, _ := json.Marshal(ch.check)
	at(clk, 5)
	if _, _, err := c.Rivers.CheckRuns(context.Background(), ch.runs, ch.check); err != nil {
		t.Fatal(err)
	}
	if after, _ := json.Marshal(ch.check); !bytes.Equal(after, before) {
		t.Errorf("the given check changed:\n%s\n%s", before, after)
	}
	if !strings.Contains(string(before), `"v":1`) || !strings.Contains(string(before), runOf(riverX)) {
		t.Errorf("JSON: %s", before)
	}
}
