package rivery

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// The shared poller. A v1 client's waits (WaitForRun, RunAndWait,
// WaitForGroup) register with their client root's hub, keyed by
// environment. A wait alone polls its own run exactly as pollUntil always
// did. When a second wait becomes active in the environment, the hub
// starts one poller goroutine for it and every wait there is adopted: it
// stops polling and blocks until the poller delivers its runs' statuses.
// The poller stops when no wait remains. See round for what one round
// asks, and docs/runs.md for the figures.

// Bounds of the shared poller, in units of u, the smallest MaxInterval of
// the waits it serves (30 s by default), so that they scale with
// WithPollInterval and WaitOptions.
const (
	directAfter    = 10 // silence before a wait's run is read directly (5 minutes by default)
	directAfterMax = 80 // the most that silence grows to, doubling (40 minutes)
	windowSlack    = 10 // how far before the earliest wait the activities window starts
	rowsPerPage    = 200
)

// errAdopted ends a wait's own polling when the shared poller takes over.
var errAdopted = errors.New("rivery: wait adopted by the shared poller")

// waitHub holds the waits of one client root, by environment.
type waitHub struct {
	mu      sync.Mutex
	envs    map[scope]*envWaits
	started atomic.Int64 // pollers started, ever (tests)
}

func newWaitHub() *waitHub { return &waitHub{envs: map[scope]*envWaits{}} }

// envWaits are the active waits of one environment and their poller.
type envWaits struct {
	waits  []*waiter
	poller *poller
}

// waiter is one active wait. Its fields are guarded by the hub's mutex.
type waiter struct {
	hub     *waitHub
	sc      scope
	river   string        // the river whose activity row tells about its runs
	runs    []runRef      // the runs it follows
	since   time.Time     // when its runs began, as far as known
	minI    time.Duration // its interval bounds
	maxI    time.Duration
	adopted chan struct{} // closed when the shared poller takes the wait over
	signal  chan struct{} // cap 1: inbox has something
	inbox   [][]delivery  // batches of reads, one per round

	// The poller's bookkeeping.
	seen   time.Time     // last time a status of it was read, or its river's row changed
	expect time.Time     // when its runs may be expected to end (zero: no history)
	bound  time.Duration // silence after which its runs are read directly
	fetch  bool          // its river's row says one of its runs may have ended
}

// runRef is a run a wait follows; i is its index in the wait's runs.
type runRef struct {
	river, id string
	i         int
	done      bool
}

// delivery is a status the poller read for a wait: runs[i] is now run, or
// reading it failed for good with err.
type delivery struct {
	i   int
	run *Run
	err error
}

// joinWait registers a wait on runs of river (the runs that have not
// ended), which began at since, with the client's hub. It returns nil when
// the client does not share polling (a console API client, or
// WithoutSharedPolling): the wait then polls alone. The wait starts here
// and ends with leave.
func (c *Client) joinWait(river string, runs []runRef, since time.Time, minI, maxI time.Duration) *waiter {
	h := c.waits
	if h == nil || c.fixed == nil {
		return nil
	}
	w := &waiter{
		hub: h, sc: *c.fixed, river: river, runs: runs, since: since, minI: minI, maxI: maxI,
		adopted: make(chan struct{}), signal: make(chan struct{}, 1),
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	e := h.envs[w.sc]
	if e == nil {
		e = &envWaits{}
		h.envs[w.sc] = e
	}
	e.waits = append(e.waits, w)
	switch {
	case e.poller != nil:
		h.adopt(w)
	case len(e.waits) >= 2:
		e.poller = startPoller(c, h, e)
		h.started.Add(1)
		for _, o := range e.waits {
			h.adopt(o)
		}
	}
	return w
}

// adopt hands w to the poller; h.mu is held.
func (h *waitHub) adopt(w *waiter) {
	select {
	case <-w.adopted:
	default:
		close(w.adopted)
	}
}

// adoptedCh is closed once the shared poller has the wait; nil (never
// ready) for a wait that polls alone.
func (w *waiter) adoptedCh() <-chan struct{} {
	if w == nil {
		return nil
	}
	return w.adopted
}

// leave ends the wait: the last wait of an environment stops its poller
// and waits for it to exit.
func (w *waiter) leave() {
	if w == nil {
		return
	}
	h := w.hub
	h.mu.Lock()
	e := h.envs[w.sc]
	var stop *poller
	if e != nil {
		for i, o := range e.waits {
			if o == w {
				e.waits = append(e.waits[:i], e.waits[i+1:]...)
				break
			}
		}
		if len(e.waits) == 0 {
			stop = e.poller
			delete(h.envs, w.sc)
			if stop != nil {
				stop.cancel()
			}
		}
	}
	h.mu.Unlock()
	if stop != nil {
		<-stop.done
	}
}

// began moves the start of the wait's runs back to t, when t is earlier:
// the activities window must hold them.
func (w *waiter) began(t time.Time) {
	if w == nil || t.IsZero() {
		return
	}
	w.hub.mu.Lock()
	if w.since.IsZero() || t.Before(w.since) {
		w.since = t
	}
	w.hub.mu.Unlock()
}

// ended tells the poller which runs the wait no longer needs read (its own
// polling saw them end before it was adopted).
func (w *waiter) ended(runs []*Run) {
	w.hub.mu.Lock()
	for k := range w.runs {
		if r := runs[w.runs[k].i]; r != nil && r.Status.Terminal() {
			w.runs[k].done = true
		}
	}
	w.hub.mu.Unlock()
}

// await blocks until the poller delivers status reads, handing each
// round's reads of the wait's runs to apply, which returns the wait's new
// state and whether it is over. A read that failed for good ends the wait
// with its error, as it ends a wait polling alone. It returns the last
// state with that error, or ctx's when ctx ends: a canceled context ends
// only this wait.
func await[T any](ctx context.Context, w *waiter, last T, apply func([]delivery) (T, bool, error)) (T, error) {
	for {
		select {
		case <-ctx.Done():
			return last, ctx.Err()
		case <-w.signal:
		}
		w.hub.mu.Lock()
		batches := w.inbox
		w.inbox = nil
		w.hub.mu.Unlock()
		for _, reads := range batches {
			if err := reads[len(reads)-1].err; err != nil {
				return last, err
			}
			v, done, err := apply(reads)
			if err != nil {
				return last, err
			}
			last = v
			if done {
				return last, nil
			}
		}
	}
}

// deliver hands a round's reads of w's runs to w, if w is still waiting.
func (h *waitHub) deliver(e *envWaits, w *waiter, reads []delivery) {
	if len(reads) == 0 {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, o := range e.waits {
		if o == w {
			w.inbox = append(w.inbox, reads)
			select {
			case w.signal <- struct{}{}:
			default:
			}
			return
		}
	}
}

// poller polls for the waits of one environment.
type poller struct {
	c      *Client // the environment's client; its requests go through it
	hub    *waitHub
	env    *envWaits
	cancel context.CancelFunc
	done   chan struct{}

	rows   map[string]rowCounts // each river's counts at the last round
	from   time.Time            // the window's start at the last round
	noRows bool                 // the activities view failed for good: read every run directly
}

func startPoller(c *Client, h *waitHub, e *envWaits) *poller {
	ctx, cancel := context.WithCancel(context.Background())
	p := &poller{c: c, hub: h, env: e, cancel: cancel, done: make(chan struct{}), rows: map[string]rowCounts{}}
	c.budget.tracking.Store(true)
	go p.run(pollContext(ctx))
	return p
}

// run is the poller's loop: a round after the smallest MinInterval of the
// waits, then after twice the last wait, up to u.
func (p *poller) run(ctx context.Context) {
	defer close(p.done)
	interval := time.Duration(0)
	for {
		minI, u := p.intervals()
		if interval == 0 {
			interval = minI
		} else {
			interval = min(interval*2, u)
		}
		p.c.budget.setUnit(u)
		if sleep(ctx, p.c.clock, interval) != nil || ctx.Err() != nil {
			return
		}
		p.round(ctx, interval)
		if ctx.Err() != nil {
			return
		}
	}
}

// intervals returns the smallest MinInterval and MaxInterval of the waits.
func (p *poller) intervals() (minI, u time.Duration) {
	p.hub.mu.Lock()
	defer p.hub.mu.Unlock()
	minI, u = DefaultMinInterval, DefaultMaxInterval
	for i, w := range p.env.waits {
		if i == 0 || w.minI < minI {
			minI = w.minI
		}
		if i == 0 || w.maxI < u {
			u = w.maxI
		}
	}
	return minI, u
}
