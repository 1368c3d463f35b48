package rivery

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Poll interval bounds used when neither WaitOptions nor WithPollInterval
// sets them. Polling starts at the minimum and doubles up to the maximum: a
// 30-minute run takes about 65 status calls, and its end is noticed at most
// one maximum interval (30 s) after it happens, plus one status call.
const (
	DefaultMinInterval = 1 * time.Second
	DefaultMaxInterval = 30 * time.Second
)

// WaitOptions tunes WaitForRun and RunAndWait. A nil *WaitOptions means the
// defaults.
type WaitOptions struct {
	// MinInterval and MaxInterval bound the wait between status calls; zero
	// means the client's defaults (WithPollInterval, else
	// DefaultMinInterval and DefaultMaxInterval). When waits share a poller
	// (see RiversService.WaitForRun), its rounds start at the smallest
	// MinInterval of the waits and double up to the smallest MaxInterval,
	// u; its other bounds are multiples of u (docs/runs.md).
	MinInterval, MaxInterval time.Duration
	// OnStatus, if set, is called with the run each time its status changes,
	// including the first status seen. It runs on the waiting goroutine.
	OnStatus func(*Run)
}

// intervals returns the bounds to use, or an error wrapping
// ErrInvalidArgument.
func (o *WaitOptions) intervals(c *Client) (minI, maxI time.Duration, err error) {
	minI, maxI = c.pollMin, c.pollMax
	if o == nil {
		return minI, maxI, nil
	}
	if o.MinInterval < 0 || o.MaxInterval < 0 {
		return 0, 0, fmt.Errorf("%w: negative wait interval (min %v, max %v)", ErrInvalidArgument, o.MinInterval, o.MaxInterval)
	}
	if o.MinInterval > 0 {
		minI = o.MinInterval
	}
	if o.MaxInterval > 0 {
		maxI = o.MaxInterval
	}
	if minI > maxI {
		return 0, 0, fmt.Errorf("%w: min wait interval %v is above max %v", ErrInvalidArgument, minI, maxI)
	}
	return minI, maxI, nil
}

// check checks the options of a call that starts something and then
// waits for it, before it sends anything.
func (o *WaitOptions) check(c *Client) error {
	_, _, err := o.intervals(c)
	return err
}

func (o *WaitOptions) notify(prev, run *Run) {
	if o != nil && o.OnStatus != nil && (prev == nil || prev.Status != run.Status) {
		o.OnStatus(run)
	}
}

// WaitForRun polls GetRun until the run reaches a terminal status and
// returns it. It follows one run; for the runs of a group (Run.Group) use
// WaitForGroup. The error is nil only when the run succeeded; a run that ended
// otherwise comes back with a *RunError (errors.Is(err, ErrRunFailed)).
//
// Status calls that fail transiently (a transport error, 429, 5xx) are
// retried at the next interval; any other API error ends the wait. When ctx
// ends, WaitForRun returns the last run it saw (nil if none) and ctx's
// error.
//
// Waits share their polling. A wait alone polls its run as described
// above. When two or more waits (WaitForRun, RunAndWait, WaitForGroup, from
// any goroutines) are active at once in one environment of a v1 client
// (or of the clients InEnvironment makes from it), one poller serves them
// all: each interval it asks GET E/activities once for the whole
// environment, then GetRun only for the runs of rivers whose row says a
// run may have ended, and reads directly a run whose river has said
// nothing for ten maximum intervals. Its requests keep within the
// client's budget (see WithRequestBudget) and slow down after any 429. A
// wait that is adopted by the poller keeps its OnStatus, its result and
// its context: ending ctx ends only that wait. WithoutSharedPolling turns
// this off. See docs/runs.md for the rules and figures.
//
// When the client has seen recent runs of the river succeed (its waits,
// ListRuns pages), the first status check after the first waits for most
// of their usual duration instead of the minimum interval, then the
// intervals double from the minimum as usual.
func (s *RiversService) WaitForRun(ctx context.Context, riverID, runID string, opts *WaitOptions) (*Run, error) {
	if err := validateIDs("river ID", riverID, "run ID", runID); err != nil {
		return nil, err
	}
	minI, maxI, err := opts.intervals(s.client)
	if err != nil {
		return nil, err
	}
	ctx, ow := s.client.waitStarted(ctx, OpWaitForRun, riverID, runID, "", 1)
	run, err := s.pollRun(ctx, riverID, runID, nil, time.Time{}, minI, maxI, opts, ow)
	ow.waitEnded(run, err)
	return run, err
}

// RunAndWait triggers riverID with Run and waits for what it started: the
// run with WaitForRun, or every run of a group with WaitForGroup. A skipped
// trigger that names the run already in flight (Run.InFlightRunID) waits
// for that run instead and returns it. If the trigger fails, no run is
// returned; see Run for what a *RequestError with MaybeApplied means.
// When the client has seen recent runs of the river succeed, the first
// status check waits for most of their usual duration (see WaitForRun).
func (s *RiversService) RunAndWait(ctx context.Context, riverID string, opts *WaitOptions) (*Run, error) {
	minI, maxI, err := opts.intervals(s.client)
	if err != nil {
		return nil, err
	}
	if err := validateID("river ID", riverID); err != nil {
		return nil, err
	}
	ctx, ow := s.client.waitStarted(ctx, OpRunAndWait, riverID, "", "", 1)
	run, err := s.runAndWait(ctx, riverID, minI, maxI, opts, ow)
	ow.waitEnded(run, err)
	return run, err
}

// runAndWait is RunAndWait once its arguments are checked.
func (s *RiversService) runAndWait(ctx context.Context, riverID string, minI, maxI time.Duration, opts *WaitOptions, ow *waitObs) (*Run, error) {
	since := clockNow(s.client.clock)
	run, _, err := s.Run(ctx, riverID)
	if err != nil {
		return nil, err
	}
	opts.notify(nil, run)
	ow.statusSeen(run)
	switch {
	case run.Status == StatusSkipped && run.InFlightRunID != "":
		return s.pollRun(ctx, riverID, run.InFlightRunID, run, time.Time{}, minI, maxI, opts, ow)
	case run.Status.Terminal():
		return run, s.client.sealed(outcome(run))
	case run.Group != nil:
		return s.pollGroup(ctx, run, since, minI, maxI, opts, ow)
	}
	return s.pollRun(ctx, riverID, run.ID, run, since, minI, maxI, opts, ow)
}

// WaitForGroup waits, as WaitForRun does, for every run of group: a Run
// that Run or RunSubRiver returned for a trigger that started several runs
// (group.Group set; without it WaitForGroup is WaitForRun of group.ID). It
// polls each run still in progress with GetRun, and returns a copy of group
// with a new Group holding the final state of each run (group and its runs
// are left as they were), with the group's outcome in Status (see
// RunGroup): the error is nil only when every run succeeded, and a
// *RunError otherwise, partially succeeded when some did. OnStatus sees
// the group each time its outcome changes. A Group without runs is an
// error wrapping ErrInvalidArgument. Its polling is shared with other
// waits as WaitForRun's is.
func (s *RiversService) WaitForGroup(ctx context.Context, group *Run, opts *WaitOptions) (*Run, error) {
	if group == nil {
		return nil, fmt.Errorf("%w: nil run group", ErrInvalidArgument)
	}
	if group.Group == nil {
		return s.WaitForRun(ctx, group.RiverID, group.ID, opts)
	}
	if len(group.Group.Runs) == 0 {
		return nil, fmt.Errorf("%w: run group %s has no runs", ErrInvalidArgument, group.Group.ID)
	}
	for _, r := range group.Group.Runs {
		if r == nil {
			return nil, fmt.Errorf("%w: nil run in group %s", ErrInvalidArgument, group.GroupID)
		}
		if r.Status.Terminal() {
			continue // never polled: a skipped run may have no ID
		}
		if err := validateIDs("river ID", r.RiverID, "run ID", r.ID); err != nil {
			return nil, err
		}
	}
	minI, maxI, err := opts.intervals(s.client)
	if err != nil {
		return nil, err
	}
	ctx, ow := s.client.waitStarted(ctx, OpWaitForGroup, group.RiverID, group.ID, group.GroupID, len(group.Group.Runs))
	run, err := s.pollGroup(ctx, group, time.Time{}, minI, maxI, opts, ow)
	ow.waitEnded(run, err)
	return run, err
}

// pollGroup polls the runs of group still in progress until all have
// ended, reporting the group's outcome; since is when the group's trigger
// was sent (zero: unknown). The wait starts at joinWait, sees statuses in
// report (the group's; take takes in each run's), and ends when it
// returns. Statuses seen are reported to ow (nil: no observer).
func (s *RiversService) pollGroup(ctx context.Context, group *Run, since time.Time, minI, maxI time.Duration, opts *WaitOptions, ow *waitObs) (*Run, error) {
	c := s.client
	runs := slices.Clone(group.Group.Runs)
	river := firstNonEmpty(group.Group.RiverID, group.RiverID)
	var refs []runRef
	for i, r := range runs {
		if !r.Status.Terminal() {
			refs = append(refs, runRef{river: r.RiverID, id: r.ID, i: i})
		}
	}
	start := since
	if start.IsZero() {
		start = clockNow(c.clock)
		if !group.StartedAt.IsZero() {
			start = group.StartedAt
		}
	}
	w := c.joinWait(river, refs, start, minI, maxI)
	defer w.leave()
	prev := group
	// take takes in a status read of runs[i]; report reports the group.
	take := func(i int, next *Run) {
		r := runs[i]
		next.SubRiverID = firstNonEmpty(next.SubRiverID, r.SubRiverID)
		next.GroupID = firstNonEmpty(next.GroupID, r.GroupID)
		runs[i] = next
		c.runTimes.record(c.runKey(next.RiverID), next)
	}
	report := func() *Run {
		cur := *group
		cur.Group = &RunGroup{ID: group.Group.ID, RiverID: group.Group.RiverID, Runs: slices.Clone(runs)}
		cur.aggregate()
		opts.notify(prev, &cur)
		ow.statusSeen(&cur)
		prev = &cur
		return &cur
	}
	next := c.schedule(river, minI, maxI, func() time.Time { return since })
	g, err := pollUntil(ctx, c.clock, group, true, next, w.adoptedCh(), func() (*Run, bool, error) {
		for i, r := range runs {
			if r.Status.Terminal() {
				continue
			}
			next, _, err := s.GetRun(ctx, r.RiverID, r.ID)
			if err != nil {
				return nil, false, err
			}
			take(i, next)
		}
		cur := report()
		return cur, cur.Status.Terminal(), nil
	})
	if errors.Is(err, errAdopted) {
		w.ended(runs)
		g, err = await(ctx, w, g, func(reads []delivery) (*Run, bool, error) {
			for _, d := range reads {
				take(d.i, d.run)
			}
			cur := report()
			return cur, cur.Status.Terminal(), nil
		})
	}
	if err != nil {
		return g, err
	}
	return g, outcome(g)
}

// pollRun waits for a run, reporting status changes; last is the run as
// the trigger answered (nil: none, the first status call is at once) and
// since when the trigger was sent (zero: unknown). The wait starts at
// joinWait, sees statuses in see (reported to ow; nil: no observer), and
// ends when it returns.
func (s *RiversService) pollRun(ctx context.Context, riverID, runID string, last *Run, since time.Time, minI, maxI time.Duration, opts *WaitOptions, ow *waitObs) (*Run, error) {
	c := s.client
	start := since
	if start.IsZero() {
		start = clockNow(c.clock)
	}
	w := c.joinWait(riverID, []runRef{{river: riverID, id: runID}}, start, minI, maxI)
	defer w.leave()
	see := func(run *Run) {
		w.began(run.StartedAt)
		c.runTimes.record(c.runKey(riverID), run)
		opts.notify(last, run)
		ow.statusSeen(run)
		last = run
	}
	next := c.schedule(riverID, minI, maxI, func() time.Time {
		if last != nil && !last.StartedAt.IsZero() {
			return last.StartedAt
		}
		return since
	})
	run, err := pollUntil(ctx, c.clock, last, last != nil, next, w.adoptedCh(), func() (*Run, bool, error) {
		run, _, err := s.GetRun(ctx, riverID, runID)
		if err != nil {
			return nil, false, err
		}
		see(run)
		return run, run.Status.Terminal(), nil
	})
	if errors.Is(err, errAdopted) {
		run, err = await(ctx, w, run, func(reads []delivery) (*Run, bool, error) {
			for _, d := range reads {
				see(d.run)
			}
			return last, last.Status.Terminal(), nil
		})
	}
	if err != nil {
		return run, err
	}
	return run, c.sealed(outcome(run))
}

// schedule returns the waits between a run's status calls: minI doubling
// up to maxI, except that the first may wait longer, for most of the
// river's usual duration counted from start() (see runDurations).
func (c *Client) schedule(riverID string, minI, maxI time.Duration, start func() time.Time) func() time.Duration {
	next := doubling(minI, maxI)
	first := true
	return func() time.Duration {
		if first {
			first = false
			if d := c.firstWait(riverID, start(), clockNow(c.clock)); d > minI {
				return d
			}
		}
		return next()
	}
}

// doubling returns minI, then each time twice the last, up to maxI.
func doubling(minI, maxI time.Duration) func() time.Duration {
	interval := time.Duration(0)
	return func() time.Duration {
		if interval == 0 {
			interval = minI
		} else {
			interval = min(interval*2, maxI)
		}
		return interval
	}
}

// pollUntil calls step until it reports done, waiting next() between
// calls (and before the first when waitFirst). A transient error is ridden
// out, waiting at least as long as its Retry-After (see pauseAfter); any
// other error, or the end of ctx, stops the wait and returns the last
// value step gave with that error. When adopted is closed (the shared
// poller took the wait over), it stops before its next call with
// errAdopted.
func pollUntil[T any](ctx context.Context, clk clock, last T, waitFirst bool, next func() time.Duration, adopted <-chan struct{}, step func() (T, bool, error)) (T, error) {
	if ctx == nil {
		return last, fmt.Errorf("%w: nil context", ErrInvalidArgument)
	}
	if waitFirst {
		if err := pause(ctx, clk, next(), adopted); err != nil {
			return last, err
		}
	}
	for {
		v, done, err := step()
		switch {
		case err == nil:
			last = v
			if done {
				return last, nil
			}
		case ctx.Err() != nil:
			return last, ctx.Err()
		case !transient(err):
			return last, err
		}
		wait, err := pauseAfter(ctx, err, next())
		if err != nil {
			return last, err
		}
		if err := pause(ctx, clk, wait, adopted); err != nil {
			return last, err
		}
	}
}

// pause is sleep that ends early with errAdopted when adopted is closed.
func pause(ctx context.Context, clk clock, d time.Duration, adopted <-chan struct{}) error {
	select {
	case <-adopted:
		return errAdopted
	default:
	}
	if adopted == nil {
		return sleep(ctx, clk, d)
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-adopted:
		return errAdopted
	case <-clk.After(d):
	}
	select {
	case <-adopted: // both were ready: no status call the poller makes anyway
		return errAdopted
	default:
		return nil
	}
}

func sleep(ctx context.Context, clk clock, d time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-clk.After(d):
		return nil
	}
}

// outcome is nil for a succeeded run and a *RunError for any other.
func outcome(run *Run) error {
	if run.Status == StatusSucceeded {
		return nil
	}
	return &RunError{Run: run}
}

// transient reports whether a failed status call is worth repeating. A
// complete answer that does not decode is not: the next poll gets the same.
func transient(err error) bool {
	var reqErr *RequestError
	if errors.As(err, &reqErr) {
		return !errors.As(reqErr.Err, new(*undecodableError))
	}
	return errors.Is(err, ErrRateLimited) || errors.Is(err, ErrServer)
}
