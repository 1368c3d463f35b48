package rivery

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
)

// The client's request budget on the parking clock of
// rivers_wait_shared_internal_test.go.

// trackingBudget is a budget of n per 10 s that counts user calls, as it
// does once a poller has started on its client.
func trackingBudget(n int) *budget {
	b := newBudget(n, 10*time.Second, false)
	b.tracking.Store(true)
	return b
}

func tooManyAnswer(retryAfter string) *http.Response {
	h := http.Header{}
	if retryAfter != "" {
		h.Set("Retry-After", retryAfter)
	}
	return &http.Response{StatusCode: http.StatusTooManyRequests, Header: h}
}

// An attempt counts from its admission until a window after its answer:
// the server, which sees it in between, never sees more than n in any
// window.
func TestBudgetCountsUntilAWindowAfterTheAnswer(t *testing.T) {
	t.Parallel()
	clk := newParkClock()
	b := trackingBudget(3)
	t1, _ := b.admit(context.Background(), clk, false)
	t2, _ := b.admit(context.Background(), clk, false)
	if all, _ := b.count(clk.Now()); all != 2 {
		t.Fatalf("count = %d with two open attempts, want 2", all)
	}
	b.done(t1, &http.Response{StatusCode: 200}, clk.Now())
	b.done(t1, &http.Response{StatusCode: 200}, clk.Now().Add(time.Hour)) // a second end of one attempt is ignored
	b.done(t2, nil, clk.Now().Add(4*time.Second))
	for _, tc := range []struct {
		at   time.Duration
		want int
	}{{0, 2}, {9 * time.Second, 2}, {10 * time.Second, 1}, {14 * time.Second, 0}} {
		if all, _ := b.count(clk.start.Add(tc.at)); all != tc.want {
			t.Errorf("count at +%v = %d, want %d", tc.at, all, tc.want)
		}
	}
}

// A poll waits until the window has room; a user call without
// WithRequestBudget never waits.
func TestBudgetPollsWaitForRoom(t *testing.T) {
	t.Parallel()
	clk := newParkClock()
	b := trackingBudget(2)
	for range 3 { // over the budget: user calls are only counted
		tk, _ := b.admit(context.Background(), clk, false)
		b.done(tk, &http.Response{StatusCode: 200}, clk.Now())
	}
	pollAdmittedAt(t, b, clk, 10*time.Second) // when the window emptied
}

// pollAdmittedAt admits a poll, which must wait, and checks that it went
// at want after the clock's start.
func pollAdmittedAt(t *testing.T, b *budget, clk *parkClock, want time.Duration) {
	t.Helper()
	got := make(chan error, 1)
	go func() {
		_, err := b.admit(context.Background(), clk, true)
		got <- err
	}()
	clk.waitParked(t, 1)
	clk.advance(t)
	if err := <-got; err != nil {
		t.Fatal(err)
	}
	if at := clk.Now().Sub(clk.start); at != want {
		t.Errorf("poll admitted at +%v, want +%v", at, want)
	}
}

// chanClock is a fake clock whose After returns at once a channel that
// advanceTo fills when its time comes, so that a sleeper can also be woken
// another way (the budget's queue wakes its waiters).
type chanClock struct {
	mu      sync.Mutex
	now     time.Time
	pending []chanTimer
}

type chanTimer struct {
	at time.Time
	ch chan time.Time
}

func (c *chanClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *chanClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	c.pending = append(c.pending, chanTimer{c.now.Add(d), ch})
	return ch
}

// advanceTo moves time to t and fires every timer due.
func (c *chanClock) advanceTo(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
	kept := c.pending[:0]
	for _, p := range c.pending {
		if p.at.After(t) {
			kept = append(kept, p)
			continue
		}
		p.ch <- t
	}
	c.pending = kept
}

// taken returns, in admission order, whether each of the last k attempts
// admitted was a poll, and how many wait.
func (b *budget) taken(k int) (polls []bool, waiting int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	slots := slices.Clone(b.slots)
	slices.SortFunc(slots, func(x, y budgetSlot) int { return cmp.Compare(x.seq, y.seq) })
	for _, s := range slots[len(slots)-k:] {
		polls = append(polls, s.poll)
	}
	return polls, len(b.queue)
}

// With WithRequestBudget user calls wait too and go before polls, first
// come first served, but a poll within its reserve (a fifth of n) goes
// first, so that waits still move.
func TestBudgetHoldGivesPollsAReserve(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	clk := &chanClock{now: t0}
	b := newBudget(5, 10*time.Second, true) // reserve: 1 poll per window
	for range 5 {
		tk, _ := b.admit(context.Background(), clk, false)
		b.done(tk, &http.Response{StatusCode: 200}, t0)
	}
	var wg sync.WaitGroup
	var admitted sync.Map
	enqueue := func(name string, poll bool) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tk, err := b.admit(context.Background(), clk, poll)
			if err != nil {
				t.Error(err)
				return
			}
			admitted.Store(name, clk.Now())
			b.done(tk, &http.Response{StatusCode: 200}, clk.Now())
		}()
	}
	queued := func(n int) {
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Microsecond) {
			if _, w := b.taken(0); w == n {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("never %d waiting", n)
			}
		}
	}
	for i, name := range []string{"user1", "user2", "user3", "user4", "user5", "user6"} {
		enqueue(name, false)
		queued(i + 1) // in this order
	}
	enqueue("poll1", true)
	queued(7)
	enqueue("poll2", true)
	queued(8)
	clk.advanceTo(t0.Add(10 * time.Second)) // five slots free
	queued(3)
	if polls, _ := b.taken(5); !slices.Equal(polls, []bool{true, false, false, false, false}) {
		t.Errorf("first window admitted polls %v, want the poll (its reserve) and then four calls", polls)
	}
	for _, name := range []string{"user1", "user2", "user3", "user4", "poll1"} {
		if _, ok := admitted.Load(name); !ok {
			// admitted in the budget but not yet noted by its goroutine: wait for it
			for deadline := time.Now().Add(30 * time.Second); !ok && time.Now().Before(deadline); time.Sleep(100 * time.Microsecond) {
				_, ok = admitted.Load(name)
			}
			if !ok {
				t.Errorf("%s not admitted in the first window", name)
			}
		}
	}
	clk.advanceTo(t0.Add(20 * time.Second)) // the rest
	wg.Wait()
	if polls, _ := b.taken(3); !slices.Equal(polls, []bool{true, false, false}) {
		t.Errorf("second window admitted polls %v, want poll2 first, then user5 and user6", polls)
	}
}

// A 429 on any attempt stops polls for its Retry-After (or one interval
// unit without one) and halves the poll limit, which grows back by one
// per window.
func TestBudget429PausesAndCutsPolls(t *testing.T) {
	t.Parallel()
	clk := newParkClock()
	b := trackingBudget(8)
	b.setUnit(4 * time.Second)
	tk, _ := b.admit(context.Background(), clk, false)
	b.done(tk, tooManyAnswer("30"), clk.Now())
	if got := b.pollLimit(clk.Now()); got != 4 {
		t.Errorf("poll limit after a 429 = %d, want 4", got)
	}
	if got := b.pollLimit(clk.Now().Add(25 * time.Second)); got != 6 {
		t.Errorf("poll limit two windows later = %d, want 6", got)
	}
	pollAdmittedAt(t, b, clk, 30*time.Second) // the Retry-After
	if !b.spare(clk) {
		t.Error("no room to spare with one poll counted of 8")
	}
	tk, _ = b.admit(context.Background(), clk, false)
	b.done(tk, tooManyAnswer(""), clk.Now())
	b.mu.Lock()
	quiet := b.quietUntil.Sub(clk.Now())
	b.mu.Unlock()
	if quiet != 4*time.Second {
		t.Errorf("quiet after a 429 without Retry-After = %v, want one unit (4s)", quiet)
	}
	if b.spare(clk) {
		t.Error("room to spare during the quiet time")
	}
}

// A waiting poll gives up when its context ends, and frees its place.
func TestBudgetAdmitEndsWithContext(t *testing.T) {
	t.Parallel()
	clk := newParkClock()
	b := trackingBudget(1)
	tk, _ := b.admit(context.Background(), clk, false)
	b.done(tk, &http.Response{StatusCode: 200}, clk.Now())
	ctx, cancel := context.WithCancel(context.Background())
	got := make(chan error, 1)
	go func() {
		_, err := b.admit(ctx, clk, true)
		got <- err
	}()
	clk.waitParked(t, 1)
	cancel()
	clk.advance(t) // wakes it; the context has ended
	if err := <-got; !errors.Is(err, context.Canceled) {
		t.Errorf("admit = %v, want context.Canceled", err)
	}
	b.mu.Lock()
	n := len(b.queue)
	b.mu.Unlock()
	if n != 0 {
		t.Errorf("%d left in the queue", n)
	}
}

// Until a poller starts, a program's calls cost the budget nothing (no
// slot), but a 429 among them still counts.
func TestBudgetIdleUntilAPollerStarts(t *testing.T) {
	t.Parallel()
	clk := newParkClock()
	b := newBudget(2, 10*time.Second, false)
	for range 3 {
		if tk, _ := b.admit(context.Background(), clk, false); tk != (budgetTicket{}) {
			t.Fatalf("ticket %+v before any poller", tk)
		}
	}
	if all, _ := b.count(clk.Now()); all != 0 {
		t.Errorf("count = %d, want 0", all)
	}
	b.done(budgetTicket{}, tooManyAnswer("7"), clk.Now())
	pollAdmittedAt(t, b, clk, 7*time.Second)
}

// An attempt still on its way counts however old it is: a later one that
// ended and left the window frees its own slot, not the older one's.
func TestBudgetSlowAttemptKeepsCounting(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	clk := &chanClock{now: t0}
	b := newBudget(2, 10*time.Second, true)
	slow, _ := b.admit(context.Background(), clk, false)
	quick, _ := b.admit(context.Background(), clk, false)
	b.done(quick, &http.Response{StatusCode: 200}, t0)
	clk.advanceTo(t0.Add(10 * time.Second))
	if _, err := b.admit(context.Background(), clk, false); err != nil {
		t.Fatal(err)
	}
	if all, _ := b.count(clk.Now()); all != 2 {
		t.Errorf("count = %d, want 2: the slow attempt and the new one", all)
	}
	b.done(slow, &http.Response{StatusCode: 200}, clk.Now())
	if all, _ := b.count(clk.Now()); all != 2 {
		t.Errorf("count after the slow one's answer = %d, want 2", all)
	}
}

// Requests outside the API (a presigned URL, the Boomi exchange) are not
// Rivery's to count: their retries take no slot of the budget, and their
// 429 does not pause the poller.
func TestBudgetIgnoresRequestsOutsideTheAPI(t *testing.T) {
	t.Parallel()
	const logURL = "https://rivery-logs.s3.amazonaws.com/runs/step.log?X-Amz-Signature=0123456789abcdef"
	mock := httpmock.NewMockTransport()
	mock.RegisterResponder(http.MethodGet, "https://rivery-logs.s3.amazonaws.com/runs/step.log", httpmock.ResponderFromMultipleResponses(
		[]*http.Response{httpmock.NewStringResponse(http.StatusTooManyRequests, "slow down"), httpmock.NewStringResponse(200, "log line")}))
	c, err := NewClient("tok", WithHTTPClient(&http.Client{Transport: mock}), WithRetry(3, time.Millisecond, 5*time.Millisecond),
		WithAccountID("a1"), WithEnvironmentID("e1"), WithRequestBudget(5, time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Rivers.ReadStepLog(context.Background(), &StepLog{URL: logURL}); err != nil {
		t.Fatal(err)
	}
	b := c.budget
	b.mu.Lock()
	defer b.mu.Unlock()
	if all, _ := b.count(time.Now()); all != 0 || !b.quietUntil.IsZero() || !b.cutAt.IsZero() {
		t.Errorf("after a presigned 429 and its retry: %d counted, quiet until %v, poll limit cut at %v; want none", all, b.quietUntil, b.cutAt)
	}
}
