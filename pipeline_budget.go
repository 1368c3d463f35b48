package rivery

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rivery-go/rivery/internal/retry"
)

// DefaultRequestBudget is how many requests a minute the shared poller
// keeps a client to (counting the client's other calls), when
// WithRequestBudget does not say otherwise: what Rivery allows a user
// (API.md section 6: about 15 requests a minute).
const DefaultRequestBudget = 15

// budget is the client-wide request budget: one per client root, shared
// by the clients InEnvironment makes. It counts every attempt the client
// sends in a sliding window; an attempt counts from the moment it is
// admitted until per after its answer came back (its slot), so the server,
// which sees it in between, never sees more than n in any span of per.
//
// The shared poller's requests (polls) wait for room in it and give way:
// they are admitted only while fewer than the poll limit are counted, never
// during the quiet time that follows a 429 of any call, and, when user
// calls wait too (hold), only after them, except for a reserve of a fifth
// of n per window that keeps waits moving. User calls wait for it only when
// WithRequestBudget set it (hold); otherwise they are only counted, from
// the first time a poller starts on the client (tracking): until then a
// program's calls cost no more than they always did.
//
// After a 429 the poll limit halves (at least 1) and grows back by one per
// window without another: the budget corrects itself when the server's
// limit is lower than assumed, or another program shares the token.
type budget struct {
	tracking atomic.Bool // user calls are counted (hold, or a poller has started)

	mu    sync.Mutex
	n     int           // requests per window
	per   time.Duration // the window; 0: twice the poller's interval unit
	hold  bool          // user calls wait for room too (WithRequestBudget)
	unit  time.Duration // the active poller's interval unit (its max interval)
	slots []budgetSlot  // the attempts that may still count
	next  int           // the slot a user call counted over the limit takes next
	seq   uint64        // attempts admitted so far

	quietUntil time.Time     // no poll before this (a 429)
	cutTo      int           // the poll limit just after the last 429
	cutAt      time.Time     // when that was; zero: no cut
	queue      []*budgetWait // hold: who waits, oldest first
}

// budgetSlot is one attempt in the window.
type budgetSlot struct {
	at   time.Time // when its answer came (or it failed); zero while open
	open bool      // admitted, not yet answered: counted whatever the time
	poll bool
	gen  uint32
	seq  uint64 // admission order
}

// budgetTicket names an attempt's slot, so its end can be recorded. The
// zero ticket names none.
type budgetTicket struct {
	idx int32
	gen uint32
}

// budgetWait is a call waiting for room.
type budgetWait struct {
	poll bool
	wake chan struct{} // cap 1
}

func newBudget(n int, per time.Duration, hold bool) *budget {
	if n <= 0 {
		n = DefaultRequestBudget
	}
	b := &budget{n: n, per: per, hold: hold, slots: make([]budgetSlot, n)}
	b.tracking.Store(hold)
	return b
}

// window is the span counted: the configured one, or twice the poller's
// unit (a minute with the default poll intervals).
func (b *budget) window() time.Duration {
	switch {
	case b.per > 0:
		return b.per
	case b.unit > 0:
		return 2 * b.unit
	}
	return 2 * DefaultMaxInterval
}

// count returns the attempts counted at now: open ones, and those answered
// within the window; and how many of them were polls.
func (b *budget) count(now time.Time) (all, polls int) {
	from := now.Add(-b.window())
	for i := range b.slots {
		s := &b.slots[i]
		if s.open || (!s.at.IsZero() && s.at.After(from)) {
			all++
			if s.poll {
				polls++
			}
		}
	}
	return all, polls
}

// pollLimit is the most attempts polls may bring the count to at now: n,
// or less for a while after a 429.
func (b *budget) pollLimit(now time.Time) int {
	if b.cutAt.IsZero() {
		return b.n
	}
	grown := b.cutTo + int(now.Sub(b.cutAt)/b.window())
	if grown >= b.n {
		b.cutAt = time.Time{}
		return b.n
	}
	return grown
}

// reserve is how many polls per window are admitted ahead of waiting user
// calls.
func (b *budget) reserve() int { return max(1, (b.n+4)/5) }

// admit waits for room for one attempt (a poll or a user call) and
// takes its slot. Only polls, and user calls when hold is set, wait; the
// wait ends early with ctx's error.
func (b *budget) admit(ctx context.Context, clk clock, poll bool) (budgetTicket, error) {
	if !poll && !b.tracking.Load() {
		return budgetTicket{}, nil
	}
	b.mu.Lock()
	if !poll && !b.hold {
		t := b.take(false, clockNow(clk))
		b.mu.Unlock()
		return t, nil
	}
	w := &budgetWait{poll: poll, wake: make(chan struct{}, 1)}
	b.queue = append(b.queue, w)
	for {
		if err := ctx.Err(); err != nil {
			b.drop(w)
			b.wakeAll()
			b.mu.Unlock()
			return budgetTicket{}, err
		}
		now := clockNow(clk)
		if b.mayGo(w, now) {
			b.drop(w)
			t := b.take(poll, now)
			b.wakeAll()
			b.mu.Unlock()
			return t, nil
		}
		d := b.retryIn(now, poll)
		b.mu.Unlock()
		select {
		case <-ctx.Done():
		case <-w.wake:
		case <-clk.After(d):
		}
		b.mu.Lock()
	}
}

// mayGo reports whether w may take a slot now; b.mu is held.
func (b *budget) mayGo(w *budgetWait, now time.Time) bool {
	all, polls := b.count(now)
	pollHead, userHead := b.heads()
	pollOK := pollHead != nil && !now.Before(b.quietUntil) && all < b.pollLimit(now)
	if w.poll {
		// Polls give way to waiting user calls, beyond their reserve.
		return w == pollHead && pollOK && (userHead == nil || polls < b.reserve())
	}
	if w != userHead || all >= b.n {
		return false
	}
	return !pollOK || polls >= b.reserve() // a poll within its reserve goes first
}

// heads returns the oldest waiting poll and user call; b.mu is held.
func (b *budget) heads() (poll, user *budgetWait) {
	for _, w := range b.queue {
		switch {
		case w.poll && poll == nil:
			poll = w
		case !w.poll && user == nil:
			user = w
		}
	}
	return poll, user
}

// retryIn is how long a waiter sleeps before it looks again, unless woken.
// Without room, until the oldest answered slot leaves the window (at most
// a window: an open slot closes at an unknown time); with room, until a
// wake-up (it waits for its turn) or, for a poll, the end of the quiet
// time after a 429. b.mu is held.
func (b *budget) retryIn(now time.Time, poll bool) time.Duration {
	win := b.window()
	limit := b.n
	if poll {
		limit = b.pollLimit(now)
	}
	d := win
	all, _ := b.count(now)
	if all >= limit {
		for i := range b.slots {
			if s := &b.slots[i]; !s.open && !s.at.IsZero() {
				if left := s.at.Add(win).Sub(now); left > 0 && left < d {
					d = left
				}
			}
		}
	}
	if q := b.quietUntil.Sub(now); poll && q > 0 {
		if all < limit {
			d = q
		} else {
			d = max(d, q)
		}
	}
	return max(d, time.Millisecond)
}

// take records an admitted attempt in a slot that no longer counts (one
// always exists for an attempt admitted under the limit); a user call
// counted over it, when none does, takes the next slot of the ring. b.mu
// is held.
func (b *budget) take(poll bool, now time.Time) budgetTicket {
	i := -1
	from := now.Add(-b.window())
	for k := range b.slots {
		if s := &b.slots[k]; !s.open && !s.at.After(from) {
			i = k
			break
		}
	}
	if i < 0 {
		i = b.next
		b.next = (b.next + 1) % len(b.slots)
	}
	s := &b.slots[i]
	b.seq++
	s.gen++
	s.open, s.poll, s.at, s.seq = true, poll, time.Time{}, b.seq
	return budgetTicket{idx: int32(i), gen: s.gen} //nolint:gosec // G115: the ring holds n slots, n an int from an option
}

// drop removes w from the queue; b.mu is held.
func (b *budget) drop(w *budgetWait) {
	for i, q := range b.queue {
		if q == w {
			b.queue = append(b.queue[:i], b.queue[i+1:]...)
			return
		}
	}
}

// wakeAll tells every waiter to look again (the queue's heads changed);
// b.mu is held.
func (b *budget) wakeAll() {
	for _, w := range b.queue {
		select {
		case w.wake <- struct{}{}:
		default:
		}
	}
}

// done records the end of the attempt t names: its answer (resp, nil when
// it failed without one) came at now. A 429 starts a quiet time for polls,
// as long as its Retry-After or else one interval unit, and cuts the poll
// limit.
func (b *budget) done(t budgetTicket, resp *http.Response, now time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if t.gen != 0 && int(t.idx) < len(b.slots) {
		if s := &b.slots[t.idx]; s.gen == t.gen && s.open {
			s.open, s.at = false, now
		}
	}
	if resp == nil || resp.StatusCode != http.StatusTooManyRequests {
		return
	}
	quiet := b.unit
	if quiet <= 0 {
		quiet = DefaultMaxInterval
	}
	if d, ok := retry.ParseRetryAfter(resp.Header.Get("Retry-After"), now); ok {
		quiet = d
	}
	if until := now.Add(quiet); until.After(b.quietUntil) {
		b.quietUntil = until
	}
	b.cutTo, b.cutAt = max(1, b.pollLimit(now)/2), now
	b.wakeAll()
}

// spare reports whether the budget has room to spare at now: no call
// waits for it and less than half of the poll limit is counted. Reads that
// only guard against a stale activity row use spare room only.
func (b *budget) spare(clk clock) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := clockNow(clk)
	all, _ := b.count(now)
	return len(b.queue) == 0 && !now.Before(b.quietUntil) && 2*all < b.pollLimit(now)
}

// setUnit records the active poller's interval unit, from which the
// default window derives.
func (b *budget) setUnit(u time.Duration) {
	b.mu.Lock()
	b.unit = u
	b.mu.Unlock()
	// Waiters look again at their next wake-up: the window only matters
	// to them through retryIn, which is bounded by one window anyway.
}

// clockNow is clk's time, for clocks that tell it (tests), else time.Now.
func clockNow(clk clock) time.Time {
	if n, ok := clk.(interface{ Now() time.Time }); ok {
		return n.Now()
	}
	return time.Now()
}

// admission is what admitted a call's first attempt.
type admission struct {
	ticket budgetTicket
	poll   bool // a status call of the shared poller
}

// admit waits until the budget and then the rate limiter let cl's first
// attempt go. Only a poll (ctx from pollContext), or any call with
// WithRequestBudget, waits for the budget; every call waits for the rate
// limiter, if any.
func (c *Client) admit(ctx context.Context, cl call) (admission, error) {
	adm := admission{poll: isPoll(ctx)}
	if adm.poll && ctx.Err() != nil { // the poller is stopping: send nothing
		return admission{}, &RequestError{Method: cl.method, URL: cl.url, Err: ctx.Err()}
	}
	t, err := c.budget.admit(ctx, c.clock, adm.poll)
	if err == nil {
		adm.ticket = t
		err = waitRate(ctx, c.limiter)
	}
	if err != nil {
		c.notSent(adm)
		return admission{}, &RequestError{Method: cl.method, URL: cl.url, Err: err}
	}
	return adm, nil
}

// notSent frees the slot of an admitted attempt that was never sent.
func (c *Client) notSent(adm admission) {
	if adm.ticket != (budgetTicket{}) {
		c.budget.done(adm.ticket, nil, clockNow(c.clock))
	}
}

// attemptEnded records, once per attempt, that the attempt st is on got
// its answer resp (nil: none): the end of its slot, if it has one, and a
// 429 of the Rivery API (not of a request outside it) in any case.
func (c *Client) attemptEnded(st *callState, resp *http.Response) {
	tooMany := resp != nil && resp.StatusCode == http.StatusTooManyRequests && !st.ended && !st.outside
	if st.ticket != (budgetTicket{}) || tooMany {
		c.budget.done(st.ticket, resp, clockNow(c.clock))
		st.ticket = budgetTicket{}
	}
	st.ended = true
}

// pollKey marks the context of the shared poller's calls.
type pollKey struct{}

// pollContext marks ctx as the shared poller's: its calls are admitted as
// polls and make one attempt each (the poller tries again next round).
func pollContext(ctx context.Context) context.Context {
	return context.WithValue(ctx, pollKey{}, true)
}

// isPoll reports whether ctx is the shared poller's.
func isPoll(ctx context.Context) bool {
	p, _ := ctx.Value(pollKey{}).(bool)
	return p
}
