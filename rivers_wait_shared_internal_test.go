package rivery

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The shared poller, on a clock whose After parks the caller until the
// test moves time on: every goroutine that waits is parked in the clock,
// so the test knows exactly who sleeps, and each request is logged with
// the fake time it was sent at.

// parkClock is a fake clock: After blocks its caller until advance
// reaches its deadline, then returns a channel that is ready.
type parkClock struct {
	mu     sync.Mutex
	start  time.Time
	now    time.Time
	parked []*parkedCall
}

type parkedCall struct {
	at      time.Time
	release chan struct{}
}

func newParkClock() *parkClock {
	t := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	return &parkClock{start: t, now: t}
}

func (c *parkClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// elapsed is the fake time since the start, in seconds.
func (c *parkClock) elapsed() string {
	return strconv.FormatFloat(c.Now().Sub(c.start).Seconds(), 'f', -1, 64)
}

func (c *parkClock) After(d time.Duration) <-chan time.Time {
	ch := make(chan time.Time, 1)
	c.mu.Lock()
	if d <= 0 {
		ch <- c.now
		c.mu.Unlock()
		return ch
	}
	p := &parkedCall{at: c.now.Add(d), release: make(chan struct{})}
	c.parked = append(c.parked, p)
	c.mu.Unlock()
	<-p.release
	ch <- c.Now()
	return ch
}

// waitParked blocks until exactly n callers are parked (a safety bound
// fails the test if that never happens).
func (c *parkClock) waitParked(t *testing.T, n int) {
	t.Helper()
	c.waitParkedUnless(t, n, func() bool { return false })
}

// waitParkedUnless is waitParked that gives up, reporting false, once
// done holds.
func (c *parkClock) waitParkedUnless(t *testing.T, n int, done func() bool) bool {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Microsecond) {
		c.mu.Lock()
		got := len(c.parked)
		c.mu.Unlock()
		switch {
		case done():
			return false
		case got == n:
			return true
		case time.Now().After(deadline):
			t.Fatalf("%d callers parked in the clock, want %d", got, n)
		}
	}
}

// advance moves time to the earliest parked deadline and releases every
// caller parked until then.
func (c *parkClock) advance(t *testing.T) {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.parked) == 0 {
		t.Fatal("advance: nobody is parked")
	}
	next := c.parked[0].at
	for _, p := range c.parked {
		if p.at.Before(next) {
			next = p.at
		}
	}
	c.now = next
	kept := c.parked[:0]
	for _, p := range c.parked {
		if p.at.After(next) {
			kept = append(kept, p)
			continue
		}
		close(p.release)
	}
	c.parked = kept
}

// fakeV1 is a v1 API of runs and activity rows: triggers start a run per
// river, statuses come from state, and activity rows from state too
// unless frozen. It logs each request with the fake time.
type fakeV1 struct {
	clk *parkClock

	inFlight, maxFlight atomic.Int32 // requests being answered, and the most at once

	mu       sync.Mutex
	state    map[string]string   // river ID -> status of its run, or run ID -> status for a group's runs
	groups   map[string][]string // river ID -> the IDs of its runs, for a river whose runs form a group
	frozen   string              // activity items answered whatever the state, when set
	override map[string][]scripted
	log      []string
}

func newFakeV1(clk *parkClock) *fakeV1 {
	return &fakeV1{clk: clk, state: map[string]string{}, groups: map[string][]string{}, override: map[string][]scripted{}}
}

// runOf is the ID of the river's run.
func runOf(river string) string { return fmt.Sprintf("%032s", river[len(river)-8:]) }

func (f *fakeV1) set(status string, rivers ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, r := range rivers {
		f.state[r] = status
	}
}

// failNext makes the next request of kind ("activities", "status X",
// "run X") get answer instead.
func (f *fakeV1) failNext(kind string, answer scripted) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.override[kind] = append(f.override[kind], answer)
}

func (f *fakeV1) requests() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.log)
}

// statusCalls counts the status calls so far.
func (f *fakeV1) statusCalls() int {
	n := 0
	for _, r := range f.requests() {
		if strings.HasPrefix(r, "status ") {
			n++
		}
	}
	return n
}

func (f *fakeV1) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
	}
	n := f.inFlight.Add(1)
	defer f.inFlight.Add(-1)
	for m := f.maxFlight.Load(); n > m && !f.maxFlight.CompareAndSwap(m, n); m = f.maxFlight.Load() {
	}
	time.Sleep(50 * time.Microsecond) // a window for a concurrent caller to overlap
	f.mu.Lock()
	defer f.mu.Unlock()
	_, rest, _ := strings.Cut(req.URL.Path, "/environments/6a7b8c9d0e1f2a3b4c5d6e7f/")
	parts := strings.Split(rest, "/")
	var kind string
	answer := scripted{200, ""}
	switch {
	case rest == "activities":
		kind = "activities"
		answer.body = f.rows()
	case len(parts) == 3 && parts[2] == "run":
		kind = "run " + parts[1]
		if _, ok := f.state[parts[1]]; !ok {
			f.state[parts[1]] = "pending"
		}
		answer = scripted{202, `{"run_group_id":"g` + parts[1] + `","river_cross_id":"` + parts[1] +
			`","runs":[{"run_id":"` + runOf(parts[1]) + `","status":"pending"}]}`}
	case len(parts) == 4 && parts[2] == "runs":
		st := f.state[parts[1]]
		kind = "status " + parts[1]
		if _, ok := f.groups[parts[1]]; ok {
			kind, st = kind+" "+parts[3], f.state[parts[3]]
		}
		answer.body = `{"run_id":"` + parts[3] + `","river_cross_id":"` + parts[1] + `","status":"` + st + `"}`
	default:
		kind = "unknown " + rest
		answer = scripted{404, `{"detail":"Not Found"}`}
	}
	hdr := http.Header{"Content-Type": {"application/json"}}
	if q := f.override[kind]; len(q) > 0 {
		answer, f.override[kind] = q[0], q[1:]
		hdr.Set("Retry-After", "20")
		if strings.HasPrefix(answer.body, "retry-after ") {
			secs, body, _ := strings.Cut(strings.TrimPrefix(answer.body, "retry-after "), " ")
			hdr.Set("Retry-After", secs)
			answer.body = body
		}
	}
	entry := kind + " @" + f.clk.elapsed()
	if answer.status != 200 && answer.status != 202 {
		entry += " " + strconv.Itoa(answer.status)
	}
	f.log = append(f.log, entry)
	return &http.Response{StatusCode: answer.status, Header: hdr, Body: io.NopCloser(strings.NewReader(answer.body)), Request: req}, nil
}

// rows are the activity items: one per river, counting its run by status
// under the console's names (waiting, success).
func (f *fakeV1) rows() string {
	if f.frozen != "" {
		return `{"items":[` + f.frozen + `],"page":1,"total_items":1,"next_page":null}`
	}
	var items []string
	for _, river := range slices.Sorted(mapKeys(f.state)) {
		runs := f.groups[river]
		switch {
		case len(river) != 24:
			continue // a run of a group
		case runs == nil:
			runs = []string{river}
		}
		c := map[string]int{"waiting": 0, "running": 0, "success": 0, "failed": 0, "canceled": 0}
		for _, run := range runs {
			switch st := f.state[run]; st {
			case "pending":
				c["waiting"]++
			case "succeeded":
				c["success"]++
			default:
				c[st]++
			}
		}
		items = append(items, fmt.Sprintf(`{"cross_id":%q,"river_id":%q,"waiting":%d,"running":%d,"success":%d,"failed":%d,"canceled":%d,"last_run":1772442000000}`,
			river, river, c["waiting"], c["running"], c["success"], c["failed"], c["canceled"]))
	}
	return `{"items":[` + strings.Join(items, ",") + `],"page":1,"total_items":` + strconv.Itoa(len(items)) + `,"next_page":null}`
}

func mapKeys[K comparable, V any](m map[K]V) func(func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// sharedClient is a v1 client of f on f's clock, without retries, whose
// waits poll from 1 s up to 4 s (u = 4 s: the direct-poll bound is 40 s).
func sharedClient(t *testing.T, f *fakeV1, opts ...Option) *Client {
	t.Helper()
	base := []Option{WithHTTPClient(&http.Client{Transport: f}), WithoutRetries(),
		WithAccountID("5f1a2b3c4d5e6f7081920a1b"), WithEnvironmentID("6a7b8c9d0e1f2a3b4c5d6e7f"),
		WithPollInterval(time.Second, 4*time.Second)}
	c, err := NewClient("shared-token", append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	c.clock = f.clk
	return c
}

// waitResult is what one wait returned.
type waitResult struct {
	river string
	run   *Run
	err   error
	seen  []RunStatus
}

// startWait runs RunAndWait of river in a goroutine; its result comes on
// out.
func startWait(ctx context.Context, c *Client, river string, out chan<- waitResult) {
	go func() {
		var mu sync.Mutex
		var seen []RunStatus
		run, err := c.Rivers.RunAndWait(ctx, river, &WaitOptions{OnStatus: func(r *Run) {
			mu.Lock()
			seen = append(seen, r.Status)
			mu.Unlock()
		}})
		mu.Lock()
		defer mu.Unlock()
		out <- waitResult{river, run, err, slices.Clone(seen)}
	}()
}

// startXY starts the waits of X (with ctxX) and then Y, and returns once
// X sleeps its first interval and the poller, started by Y, its own.
func startXY(ctxX context.Context, t *testing.T, c *Client, clk *parkClock) chan waitResult {
	t.Helper()
	out := make(chan waitResult, 2)
	startWait(ctxX, c, riverX, out)
	clk.waitParked(t, 1) // X waits alone: its first interval
	startWait(context.Background(), c, riverY, out)
	untilWaits(t, c, 2)
	clk.waitParked(t, 2) // and the poller its first
	return out
}

// expect checks the requests sent so far.
func (f *fakeV1) expect(t *testing.T, want []string) {
	t.Helper()
	if got := f.requests(); !slices.Equal(got, want) {
		t.Errorf("requests:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// succeeded checks that each wait returned its succeeded run.
func succeeded(t *testing.T, results ...waitResult) {
	t.Helper()
	for _, r := range results {
		if r.err != nil || r.run == nil || r.run.Status != StatusSucceeded {
			t.Errorf("wait of %s = %+v, %v", r.river, r.run, r.err)
		}
	}
}

// waitsIn returns how many waits the hub holds for c's environment.
func waitsIn(c *Client) int {
	c.waits.mu.Lock()
	defer c.waits.mu.Unlock()
	if e := c.waits.envs[*c.fixed]; e != nil {
		return len(e.waits)
	}
	return 0
}

// untilWaits blocks until the hub holds n waits.
func untilWaits(t *testing.T, c *Client, n int) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); waitsIn(c) != n; time.Sleep(50 * time.Microsecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d waits registered, want %d", waitsIn(c), n)
		}
	}
}

// collect receives one result, moving the clock on while the poller is
// the only one parked; the last wait's leave stops the poller, which may
// have to be woken from its sleep for that.
func collect(t *testing.T, c *Client, clk *parkClock, out <-chan waitResult) waitResult {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); {
		select {
		case r := <-out:
			return r
		case <-time.After(100 * time.Microsecond):
		}
		clk.mu.Lock()
		parked := len(clk.parked)
		clk.mu.Unlock()
		if parked == 1 && waitsIn(c) == 0 {
			clk.advance(t) // the poller, canceled while asleep
		}
	}
	t.Fatal("no wait returned")
	return waitResult{}
}

const (
	riverX = "63b724fc690def0011310001"
	riverY = "63b724fc690def0011310002"
)

// Two waits: the second starts the poller, which takes over the first
// without a request; each round is one activities call, and a run is
// read only when its river's row says it ended. The exact requests: two
// triggers, three activities calls, two status calls.
func TestSharedPollerExactRequests(t *testing.T) {
	t.Parallel()
	clk := newParkClock()
	f := newFakeV1(clk)
	c := sharedClient(t, f)
	out := startXY(context.Background(), t, c, clk)
	if n := c.waits.started.Load(); n != 1 {
		t.Fatalf("pollers started = %d, want 1", n)
	}
	clk.advance(t) // t=1: X is adopted (no request); round 1
	clk.waitParked(t, 1)
	f.set("succeeded", riverX)
	clk.advance(t) // t=3: round 2 sees X's row end, reads X
	a := <-out
	f.set("succeeded", riverY)
	clk.waitParked(t, 1)
	clk.advance(t) // t=7: round 3 reads Y
	b := collect(t, c, clk, out)

	want := []string{"run " + riverX + " @0", "run " + riverY + " @0", "activities @1",
		"activities @3", "status " + riverX + " @3", "activities @7", "status " + riverY + " @7"}
	f.expect(t, want)
	succeeded(t, a, b)
	for _, r := range []waitResult{a, b} {
		if want := []RunStatus{StatusPending, StatusSucceeded}; !slices.Equal(r.seen, want) {
			t.Errorf("OnStatus of %s saw %v, want %v", r.river, r.seen, want)
		}
	}
	if a.river != riverX || b.river != riverY {
		t.Errorf("waits returned in the order %s, %s", a.river, b.river)
	}
	if n := waitsIn(c); n != 0 {
		t.Errorf("%d waits left registered", n)
	}
}

// The activities window starts windowSlack units before the earliest
// wait began, and asks for pages of rowsPerPage.
func TestSharedPollerWindow(t *testing.T) {
	t.Parallel()
	clk := newParkClock()
	f := newFakeV1(clk)
	var queries []string
	c := sharedClient(t, f)
	c.hc.Transport = roundTripFunc(func(req *http.Request) (*http.Response, error) {
		if strings.HasSuffix(req.URL.Path, "/activities") {
			queries = append(queries, req.URL.RawQuery) // only the poller sends these
		}
		return f.RoundTrip(req)
	})
	c.rc.HTTPClient = c.hc
	out := startXY(context.Background(), t, c, clk)
	f.set("succeeded", riverX, riverY)
	clk.advance(t)
	collect(t, c, clk, out)
	collect(t, c, clk, out)
	want := "end_time=2026-03-02T09%3A00%3A01&items_per_page=200&start_time=2026-03-02T08%3A59%3A20"
	if len(queries) != 1 || queries[0] != want {
		t.Errorf("activities queries = %q, want [%q]", queries, want)
	}
}

// A run whose activity row never changes (stale: it still says running)
// is read directly once its wait has heard nothing for directAfter units
// (40 s here), one wait per round, the longest silent first.
func TestSharedPollerDirectReadOfSilentWaits(t *testing.T) {
	t.Parallel()
	clk := newParkClock()
	f := newFakeV1(clk)
	f.frozen = `{"cross_id":"` + riverX + `","running":1},{"cross_id":"` + riverY + `","running":1}`
	c := sharedClient(t, f)
	out := startXY(context.Background(), t, c, clk)
	f.set("succeeded", riverX, riverY) // ended at once: only the rows do not say so
	clk.advance(t)                     // t=1: round 1
	for clk.Now().Sub(clk.start) < 47*time.Second {
		clk.waitParked(t, 1)
		clk.advance(t) // rounds every 4 s from t=3
	}
	results := []waitResult{collect(t, c, clk, out), collect(t, c, clk, out)}
	var want []string
	want = append(want, "run "+riverX+" @0", "run "+riverY+" @0", "activities @1", "activities @3")
	for at := 7; at <= 47; at += 4 {
		want = append(want, "activities @"+strconv.Itoa(at))
		switch at {
		case 43:
			want = append(want, "status "+riverX+" @43")
		case 47:
			want = append(want, "status "+riverY+" @47")
		}
	}
	f.expect(t, want)
	for _, r := range results {
		if r.err != nil || r.run.Status != StatusSucceeded {
			t.Errorf("wait of %s = %+v, %v", r.river, r.run, r.err)
		}
	}
}

// A stale row does not hide an end when the program's own calls leave
// the budget no room to spare: once a wait's silence reaches twice its
// bound (80 s here), its run is read directly all the same, one wait per
// round, as a poll that waits for room and gives way to the calls.
func TestSharedPollerDirectReadUnderLoad(t *testing.T) {
	t.Parallel()
	clk := newParkClock()
	f := newFakeV1(clk)
	f.frozen = `{"cross_id":"` + riverX + `","running":1},{"cross_id":"` + riverY + `","running":1}`
	c := sharedClient(t, f)
	out := startXY(context.Background(), t, c, clk)
	f.set("succeeded", riverX, riverY) // ended at once: only the rows do not say so
	// The program's calls: 6 each 4 s, with the activities calls 8 of the
	// 15 an 8 s window allows, more than half: never room to spare.
	busy := func() {
		for range 6 {
			if _, _, err := c.Rivers.Get(context.Background(), riverX); !errors.Is(err, ErrNotFound) {
				t.Errorf("the program's call = %v, want the fake's 404", err)
			}
		}
	}
	clk.advance(t) // t=1: round 1
	for clk.Now().Sub(clk.start) < 87*time.Second && f.statusCalls() < 2 {
		clk.waitParked(t, 1)
		busy()
		if clk.Now().Sub(clk.start) > time.Second && c.budget.spare(clk) {
			t.Fatalf("room to spare at %ss", clk.elapsed())
		}
		clk.advance(t) // rounds every 4 s from t=3
	}
	results := []waitResult{collect(t, c, clk, out), collect(t, c, clk, out)}
	var polls []string
	for _, r := range f.requests() {
		if !strings.HasPrefix(r, "unknown ") {
			polls = append(polls, r)
		}
	}
	want := []string{"run " + riverX + " @0", "run " + riverY + " @0", "activities @1", "activities @3"}
	for at := 7; at <= 87; at += 4 {
		want = append(want, "activities @"+strconv.Itoa(at))
		switch at {
		case 83:
			want = append(want, "status "+riverX+" @83")
		case 87:
			want = append(want, "status "+riverY+" @87")
		}
	}
	if !slices.Equal(polls, want) {
		t.Errorf("polls:\n%s\nwant:\n%s", strings.Join(polls, "\n"), strings.Join(want, "\n"))
	}
	succeeded(t, results...)
}

// A 429 on the poller's own call pauses it for the Retry-After; no wait
// fails because of it.
func TestSharedPoller429OnPollPauses(t *testing.T) {
	t.Parallel()
	clk := newParkClock()
	f := newFakeV1(clk)
	f.failNext("activities", scripted{429, `retry-after 20 {"detail":"Too many requests"}`})
	c := sharedClient(t, f)
	out := startXY(context.Background(), t, c, clk)
	clk.advance(t) // t=1: round 1 meets the 429
	clk.waitParked(t, 1)
	f.set("succeeded", riverX, riverY)
	clk.advance(t) // t=3: round 2 waits for the budget's quiet time
	clk.waitParked(t, 1)
	clk.advance(t) // t=21
	a := <-out
	b := collect(t, c, clk, out)
	want := []string{"run " + riverX + " @0", "run " + riverY + " @0", "activities @1 429",
		"activities @21", "status " + riverX + " @21", "status " + riverY + " @21"}
	f.expect(t, want)
	succeeded(t, a, b)
}

// A 429 on any call of the client (here one of the program's own) pauses
// the poller too, for that answer's Retry-After.
func TestSharedPoller429ElsewherePauses(t *testing.T) {
	t.Parallel()
	clk := newParkClock()
	f := newFakeV1(clk)
	c := sharedClient(t, f)
	out := startXY(context.Background(), t, c, clk)
	clk.advance(t) // t=1: round 1
	clk.waitParked(t, 1)
	f.failNext("status "+riverX, scripted{429, `retry-after 30 {"detail":"Too many requests"}`})
	if _, _, err := c.Rivers.GetRun(context.Background(), riverX, runOf(riverX)); !errors.Is(err, ErrRateLimited) {
		t.Fatalf("the program's GetRun = %v, want the 429", err)
	}
	f.set("succeeded", riverX, riverY)
	clk.advance(t) // t=3: round 2 waits until t=31
	clk.waitParked(t, 1)
	clk.advance(t)
	a := <-out
	b := collect(t, c, clk, out)
	want := []string{"run " + riverX + " @0", "run " + riverY + " @0", "activities @1", "status " + riverX + " @1 429",
		"activities @31", "status " + riverX + " @31", "status " + riverY + " @31"}
	f.expect(t, want)
	succeeded(t, a, b)
}

// Ending one wait's context ends that wait alone: the poller goes on for
// the other, and never reads the run of the wait that left.
func TestSharedPollerCancelEndsOnlyItsWait(t *testing.T) {
	t.Parallel()
	clk := newParkClock()
	f := newFakeV1(clk)
	c := sharedClient(t, f)
	ctxX, cancelX := context.WithCancel(context.Background())
	defer cancelX()
	out := startXY(ctxX, t, c, clk)
	clk.advance(t) // t=1: round 1
	clk.waitParked(t, 1)
	cancelX()
	a := <-out
	if !errors.Is(a.err, context.Canceled) || a.river != riverX || a.run == nil || a.run.Status != StatusPending {
		t.Fatalf("canceled wait = %s %+v, %v; want X's pending run and context.Canceled", a.river, a.run, a.err)
	}
	untilWaits(t, c, 1)
	f.set("succeeded", riverX, riverY)
	clk.advance(t) // t=3
	b := collect(t, c, clk, out)
	if b.err != nil || b.river != riverY || b.run.Status != StatusSucceeded {
		t.Errorf("other wait = %s %+v, %v", b.river, b.run, b.err)
	}
	want := []string{"run " + riverX + " @0", "run " + riverY + " @0", "activities @1", "activities @3", "status " + riverY + " @3"}
	f.expect(t, want)
	if n := c.waits.started.Load(); n != 1 {
		t.Errorf("pollers started = %d, want 1", n)
	}
}

// A hundred waits in one environment are served by one poller goroutine:
// one poller starts, no two of its requests are ever in flight at once,
// no wait sleeps in the clock once adopted, and the status calls keep
// within the default budget (15 per twice the unit).
func TestSharedPollerHundredWaitsOneGoroutine(t *testing.T) {
	t.Parallel()
	clk := newParkClock()
	f := newFakeV1(clk)
	c := sharedClient(t, f)
	const n = 100
	out := make(chan waitResult, n)
	rivers := make([]string, n)
	for i := range rivers {
		rivers[i] = fmt.Sprintf("63b724fc690def00113%05d", i)
	}
	startWait(context.Background(), c, rivers[0], out)
	clk.waitParked(t, 1)
	for _, r := range rivers[1:] {
		startWait(context.Background(), c, r, out)
	}
	untilWaits(t, c, n)
	clk.waitParked(t, 2) // the first wait and the poller: nobody else sleeps
	f.maxFlight.Store(0)
	f.set("succeeded", rivers...)
	clk.advance(t)
	for clk.waitParkedUnless(t, 1, func() bool { return f.statusCalls() == n }) {
		clk.advance(t) // the poller, between rounds or waiting for its budget
	}
	for range n {
		if r := collect(t, c, clk, out); r.err != nil || r.run.Status != StatusSucceeded {
			t.Errorf("wait of %s = %+v, %v", r.river, r.run, r.err)
		}
	}
	if s := c.waits.started.Load(); s != 1 {
		t.Errorf("pollers started = %d, want 1", s)
	}
	if maxFlight := f.maxFlight.Load(); maxFlight != 1 {
		t.Errorf("up to %d requests in flight at once, want 1 (one poller)", maxFlight)
	}
	statuses, times := 0, map[string]int{}
	for _, r := range f.requests() {
		if strings.HasPrefix(r, "run ") {
			continue
		}
		if strings.HasPrefix(r, "status ") {
			statuses++
		}
		_, at, _ := strings.Cut(r, " @")
		times[at]++
	}
	if statuses != n {
		t.Errorf("%d status calls, want %d (one per run)", statuses, n)
	}
	// At most 15 polls in any 8 s: count by the second they were sent at.
	var secs []float64
	for at, k := range times {
		s, _ := strconv.ParseFloat(at, 64)
		for range k {
			secs = append(secs, s)
		}
	}
	slices.Sort(secs)
	for i := range secs {
		j := i
		for j < len(secs) && secs[j]-secs[i] < 8 {
			j++
		}
		if j-i > DefaultRequestBudget {
			t.Fatalf("%d polls from %vs within 8 s, want at most %d", j-i, secs[i], DefaultRequestBudget)
		}
	}
}

// A wait alone never starts a poller and never asks for activities: it
// is the 0.2 wait, request for request (rivers_wait_schedule_test.go has
// its schedule).
func TestSingleWaitPollsAlone(t *testing.T) {
	t.Parallel()
	s := &script{bodies: append([]scripted{{200, `{"run_group_id":"g1","runs":[{"run_id":"` + schedRun + `","status":"pending"}]}`}}, runningThen(3, "failed")...)}
	c := scheduleClient(t, s)
	if _, err := c.Rivers.RunAndWait(context.Background(), schedRiver, nil); !errors.Is(err, ErrRunFailed) {
		t.Fatalf("RunAndWait = %v, want the failed run", err)
	}
	for _, r := range s.requests() {
		if strings.Contains(r, "activities") {
			t.Errorf("a single wait asked for activities: %s", r)
		}
	}
	if n := c.waits.started.Load(); n != 0 {
		t.Errorf("pollers started = %d, want 0", n)
	}
	if n := len(s.requests()); n != 5 {
		t.Errorf("%d requests, want the trigger and 4 status calls", n)
	}
}
