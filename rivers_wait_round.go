package rivery

import (
	"context"
	"slices"
	"time"
)

// rowCounts are what the activity rows of one river (its own and its
// sub-rivers') say about the window: runs in progress (pending or
// running), runs ended, and the last run's time.
type rowCounts struct {
	inProgress, ended int64
	lastRun           time.Time
	present           bool
}

// add counts one activity row.
func (r *rowCounts) add(a *Activity) {
	c := a.Counts
	r.inProgress += c.Pending + c.Running
	r.ended += c.Succeeded + c.Failed + c.Canceled + c.Skipped
	if a.LastRun.After(r.lastRun) {
		r.lastRun = a.LastRun
	}
	r.present = true
}

// mayHaveEnded reports whether r, compared with prev (had: there was a
// prev in the same window), says a run may have ended: more runs ended,
// fewer in progress, or the row went away. Without prev it compares with
// the runs followed (pending): fewer in progress than that means some of
// them are no longer.
func (r rowCounts) mayHaveEnded(prev rowCounts, had bool, pending int) bool {
	if !had {
		return r.inProgress < int64(pending)
	}
	return r.ended > prev.ended || r.inProgress < prev.inProgress || (prev.present && !r.present)
}

// roundPlan is what a round works on, read under the hub's lock.
type roundPlan struct {
	waits   []*waiter
	from    time.Time      // the activities window's start
	pending map[string]int // runs not yet ended, by river
	u       time.Duration
}

// round is one round of the shared poller:
//
//  1. one GET E/activities (every page) over the window from windowSlack
//     units before the earliest wait's runs began (at most WindowSplit
//     ago) until now;
//  2. GetRun for each run not yet ended of the rivers whose row says a run
//     may have ended since the last round (mayHaveEnded);
//  3. GetRun for the runs of the one wait that has heard nothing for the
//     longest, once that silence reaches its bound (directAfter units at
//     first, doubling up to directAfterMax after each such read; silence
//     counts from when the runs may be expected to end, if later), when
//     the budget has room to spare (budget.spare), or in any case once the
//     silence reaches twice its bound, as a poll that waits for room and
//     gives way to the program's calls: a stale or missing row never hides
//     an end, however busy the client.
//
// When every wait's river has a usual duration (see runDurations) and none
// is expected to end before the next round, the round asks nothing. When
// the activities view fails for good (no scope for it, a window too
// large), every run is read directly each round from then on. A transient
// failure (429, 5xx, no answer) ends the round; the next round tries
// again, and a 429 has already paused the poller's budget.
func (p *poller) round(ctx context.Context, interval time.Duration) {
	now := clockNow(p.c.clock)
	plan, skip := p.plan(now, interval)
	if skip {
		return
	}
	if !p.noRows && !p.readRows(ctx, plan, now) {
		return
	}
	read := map[*waiter]bool{}
	for _, w := range p.due(plan, func(w *waiter) bool { return w.fetch }) {
		if !p.read(ctx, w, now, 0) {
			return
		}
		read[w] = true
	}
	due := p.due(plan, func(w *waiter) bool { return !read[w] && (p.noRows || w.silent(now)) })
	if !p.noRows && len(due) > 0 {
		// One direct read per round, the longest silent first, from
		// spare room only until its silence reaches twice its bound.
		due = due[:1]
		if !p.c.budget.spare(p.c.clock) && !p.overdue(due[0], now) {
			return
		}
	}
	for _, w := range due {
		if !p.read(ctx, w, now, directAfterMax*plan.u) {
			return
		}
	}
}

// plan reads the waits; skip reports that none can be expected to need a
// request before the next round.
func (p *poller) plan(now time.Time, interval time.Duration) (roundPlan, bool) {
	h := p.hub
	h.mu.Lock()
	defer h.mu.Unlock()
	plan := roundPlan{waits: slices.Clone(p.env.waits), pending: map[string]int{}, u: DefaultMaxInterval}
	for i, w := range plan.waits {
		if i == 0 || w.maxI < plan.u {
			plan.u = w.maxI
		}
	}
	skip := true
	for _, w := range plan.waits {
		if w.seen.IsZero() {
			w.seen = now
		}
		if w.bound == 0 {
			w.bound = directAfter * plan.u
		}
		if from := w.since.Add(-windowSlack * plan.u); plan.from.IsZero() || from.Before(plan.from) {
			plan.from = from
		}
		if oldest := now.Add(-WindowSplit); plan.from.Before(oldest) {
			plan.from = oldest // a run older than that is read when its wait has been silent
		}
		for _, r := range w.runs {
			if !r.done {
				plan.pending[w.river]++
			}
		}
		w.expect = time.Time{}
		if d := p.c.firstWait(w.river, w.since, now); d > 0 {
			w.expect = now.Add(d)
		}
		if w.fetch || p.noRows || w.silent(now) || !w.expect.After(now.Add(interval)) {
			skip = false
		}
	}
	return plan, skip
}

// silent reports whether w has heard nothing for its bound at now; w's
// hub is locked.
func (w *waiter) silent(now time.Time) bool { return w.silence(now) >= w.bound }

// silence is how long w has heard nothing at now, counting from its last
// news or, when later, from when its runs may be expected to end; w's hub
// is locked.
func (w *waiter) silence(now time.Time) time.Duration {
	from := w.seen
	if w.expect.After(from) {
		from = w.expect
	}
	return now.Sub(from)
}

// overdue reports whether w's silence at now has reached twice its bound:
// its direct read no longer waits for room to spare.
func (p *poller) overdue(w *waiter, now time.Time) bool {
	p.hub.mu.Lock()
	defer p.hub.mu.Unlock()
	return w.silence(now) >= 2*w.bound
}

// readRows reads the activity rows of the window and marks the waits
// whose river's row says a run may have ended; it reports whether the
// round goes on.
func (p *poller) readRows(ctx context.Context, plan roundPlan, now time.Time) bool {
	rows, err := p.c.activityRows(ctx, plan.from, now, plan.pending)
	if err != nil {
		p.noRows = p.c.rowsUnavailable(ctx, err)
		return p.noRows
	}
	shifted := !p.from.Equal(plan.from)
	p.from = plan.from
	h := p.hub
	h.mu.Lock()
	defer h.mu.Unlock()
	compareRows(p.rows, rows, plan.pending, shifted, func(key string, ended, changed bool) {
		for _, w := range plan.waits {
			if w.river != key {
				continue
			}
			if ended {
				w.fetch = true
			}
			if ended || changed {
				w.seen, w.bound = now, directAfter*plan.u
			}
		}
	})
	return true
}

// countRow adds a to the counts of river key, if a wait follows it.
func countRow(rows map[string]rowCounts, pending map[string]int, key string, a *Activity) {
	if _, ok := pending[key]; ok {
		r := rows[key]
		r.add(a)
		rows[key] = r
	}
}

// due returns the waits of plan for which pick holds, the longest silent
// first.
func (p *poller) due(plan roundPlan, pick func(*waiter) bool) []*waiter {
	p.hub.mu.Lock()
	defer p.hub.mu.Unlock()
	var out []*waiter
	for _, w := range plan.waits {
		if pick(w) {
			out = append(out, w)
		}
	}
	slices.SortStableFunc(out, func(a, b *waiter) int { return a.seen.Compare(b.seen) })
	return out
}

// read GETs each run of w not yet ended and delivers what it read. It
// reports whether the round goes on: not after a transient failure or the
// end of the poller's context. A failure that is not transient ends w's
// wait, as it would end a wait polling alone. A read that w's silence
// called for (maxBound > 0) doubles the silence w waits for next, up to
// maxBound.
func (p *poller) read(ctx context.Context, w *waiter, now time.Time, maxBound time.Duration) bool {
	p.hub.mu.Lock()
	var refs []runRef
	for _, r := range w.runs {
		if !r.done {
			refs = append(refs, r)
		}
	}
	p.hub.mu.Unlock()
	var reads []delivery
	defer func() { p.hub.deliver(p.env, w, reads) }()
	for _, r := range refs {
		run, _, err := p.c.Rivers.GetRun(ctx, r.river, r.id)
		switch {
		case err == nil:
			if run.Status.Terminal() {
				p.hub.mu.Lock()
				for k := range w.runs {
					if w.runs[k].i == r.i {
						w.runs[k].done = true
					}
				}
				p.hub.mu.Unlock()
			}
			reads = append(reads, delivery{i: r.i, run: run})
		case ctx.Err() != nil || transient(err):
			return false
		default:
			reads = append(reads, delivery{i: r.i, err: err})
			return true
		}
	}
	p.hub.mu.Lock()
	w.fetch, w.seen = false, now
	if maxBound > 0 {
		w.bound = min(2*w.bound, maxBound)
	}
	p.hub.mu.Unlock()
	return true
}
