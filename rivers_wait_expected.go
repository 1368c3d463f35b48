package rivery

import (
	"slices"
	"sync"
	"time"
)

// Expected durations: a client remembers how long the recent successful
// runs of each river took, from what it already reads (runs its waits saw
// end, and the pages of ListRuns and AllRuns), without a request of its
// own. A wait whose river has such a history lets the first status check
// wait for most of the usual duration (expectedShare of the median)
// instead of the minimum interval, then backs off as usual; a river
// without history is waited on as always.

// runHistoryLen is how many recent durations are kept per river, and
// runHistoryRivers how many rivers a client remembers.
const (
	runHistoryLen    = 5
	runHistoryRivers = 4096
)

// runDurations is a client's memory of its rivers' recent run durations,
// shared by the clients InEnvironment makes. Safe for concurrent use.
type runDurations struct {
	mu sync.Mutex
	m  map[runKey]*recentDurations
}

// runKey names a river of one environment (the zero scope on the console
// API).
type runKey struct {
	sc    scope
	river string
}

// recentDurations are the last runHistoryLen durations, a ring.
type recentDurations struct {
	d    [runHistoryLen]time.Duration
	n, i int
}

func newRunDurations() *runDurations { return &runDurations{m: map[runKey]*recentDurations{}} }

// key is the runKey of riverID for c.
func (c *Client) runKey(riverID string) runKey {
	k := runKey{river: riverID}
	if c.fixed != nil {
		k.sc = *c.fixed
	}
	return k
}

// record remembers how long run took, if it succeeded and both its times
// are known.
func (h *runDurations) record(k runKey, run *Run) {
	if run == nil || run.Status != StatusSucceeded || run.StartedAt.IsZero() || !run.EndedAt.After(run.StartedAt) {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	r := h.m[k]
	if r == nil {
		if len(h.m) >= runHistoryRivers {
			for old := range h.m { // forget one river, any
				delete(h.m, old)
				break
			}
		}
		r = &recentDurations{}
		h.m[k] = r
	}
	r.d[r.i] = run.EndedAt.Sub(run.StartedAt)
	r.i = (r.i + 1) % runHistoryLen
	r.n = min(r.n+1, runHistoryLen)
}

// expected returns the median of the river's recent durations, or 0 when
// there is none.
func (h *runDurations) expected(k runKey) time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	r := h.m[k]
	if r == nil || r.n == 0 {
		return 0
	}
	d := slices.Clone(r.d[:r.n])
	slices.Sort(d)
	return d[len(d)/2]
}

// expectedShare is the part of the usual duration a first status check
// waits for: a run that takes a little less than usual is not noticed a
// whole interval late.
func expectedShare(d time.Duration) time.Duration { return d - d/8 }

// firstWait is how long after start the first status check of a run of
// riverID may wait, seen from now: most of the river's usual duration
// less what has already passed, or 0 when there is no history (or it has
// passed).
func (c *Client) firstWait(riverID string, start, now time.Time) time.Duration {
	d := c.runTimes.expected(c.runKey(riverID))
	if d == 0 || start.IsZero() {
		return 0
	}
	return max(start.Add(expectedShare(d)).Sub(now), 0)
}
