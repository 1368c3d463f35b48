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
	// DefaultMinInterval and DefaultMaxInterval).
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
func (s *RiversService) WaitForRun(ctx context.Context, riverID, runID string, opts *WaitOptions) (*Run, error) {
	if err := validateIDs("river ID", riverID, "run ID", runID); err != nil {
		return nil, err
	}
	minI, maxI, err := opts.intervals(s.client)
	if err != nil {
		return nil, err
	}
	ctx, w := s.client.waitStarted(ctx, OpWaitForRun, riverID, runID, "", 1)
	run, err := s.pollRun(ctx, riverID, runID, nil, minI, maxI, opts, w)
	w.waitEnded(run, err)
	return run, err
}

// RunAndWait triggers riverID with Run and waits for what it started: the
// run with WaitForRun, or every run of a group with WaitForGroup. A skipped
// trigger that names the run already in flight (Run.InFlightRunID) waits
// for that run instead and returns it. If the trigger fails, no run is
// returned; see Run for what a *RequestError with MaybeApplied means.
func (s *RiversService) RunAndWait(ctx context.Context, riverID string, opts *WaitOptions) (*Run, error) {
	minI, maxI, err := opts.intervals(s.client)
	if err != nil {
		return nil, err
	}
	if err := validateID("river ID", riverID); err != nil {
		return nil, err
	}
	ctx, w := s.client.waitStarted(ctx, OpRunAndWait, riverID, "", "", 1)
	run, err := s.runAndWait(ctx, riverID, minI, maxI, opts, w)
	w.waitEnded(run, err)
	return run, err
}

// runAndWait is RunAndWait once its arguments are checked.
func (s *RiversService) runAndWait(ctx context.Context, riverID string, minI, maxI time.Duration, opts *WaitOptions, w *waitObs) (*Run, error) {
	run, _, err := s.Run(ctx, riverID)
	if err != nil {
		return nil, err
	}
	opts.notify(nil, run)
	w.statusSeen(run)
	switch {
	case run.Status == StatusSkipped && run.InFlightRunID != "":
		return s.pollRun(ctx, riverID, run.InFlightRunID, run, minI, maxI, opts, w)
	case run.Status.Terminal():
		return run, s.client.sealed(outcome(run))
	case run.Group != nil:
		return s.pollGroup(ctx, run, minI, maxI, opts, w)
	}
	return s.pollRun(ctx, riverID, run.ID, run, minI, maxI, opts, w)
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
// error wrapping ErrInvalidArgument.
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
	ctx, w := s.client.waitStarted(ctx, OpWaitForGroup, group.RiverID, group.ID, group.GroupID, len(group.Group.Runs))
	run, err := s.pollGroup(ctx, group, minI, maxI, opts, w)
	w.waitEnded(run, err)
	return run, err
}

// pollGroup polls the runs of group still in progress until all have
// ended, reporting the group's outcome.
func (s *RiversService) pollGroup(ctx context.Context, group *Run, minI, maxI time.Duration, opts *WaitOptions, w *waitObs) (*Run, error) {
	runs := slices.Clone(group.Group.Runs)
	prev := group
	g, err := pollUntil(ctx, s.client.clock, group, true, minI, maxI, func() (*Run, bool, error) {
		for i, r := range runs {
			if r.Status.Terminal() {
				continue
			}
			next, _, err := s.GetRun(ctx, r.RiverID, r.ID)
			if err != nil {
				return nil, false, err
			}
			next.SubRiverID = firstNonEmpty(next.SubRiverID, r.SubRiverID)
			next.GroupID = firstNonEmpty(next.GroupID, r.GroupID)
			runs[i] = next
		}
		cur := *group
		cur.Group = &RunGroup{ID: group.Group.ID, RiverID: group.Group.RiverID, Runs: slices.Clone(runs)}
		cur.aggregate()
		opts.notify(prev, &cur)
		w.statusSeen(&cur)
		prev = &cur
		return &cur, cur.Status.Terminal(), nil
	})
	if err != nil {
		return g, err
	}
	return g, outcome(g)
}

// pollRun waits for a run through pollUntil, reporting status changes.
func (s *RiversService) pollRun(ctx context.Context, riverID, runID string, last *Run, minI, maxI time.Duration, opts *WaitOptions, w *waitObs) (*Run, error) {
	run, err := pollUntil(ctx, s.client.clock, last, last != nil, minI, maxI, func() (*Run, bool, error) {
		run, _, err := s.GetRun(ctx, riverID, runID)
		if err != nil {
			return nil, false, err
		}
		opts.notify(last, run)
		w.statusSeen(run)
		last = run
		return run, run.Status.Terminal(), nil
	})
	if err != nil {
		return run, err
	}
	return run, s.client.sealed(outcome(run))
}

// pollUntil calls step until it reports done, waiting from minI, doubling
// up to maxI, between calls (and before the first when waitFirst). A
// transient error is ridden out, waiting at least as long as its
// Retry-After (see pauseAfter); any other error, or the end of ctx, stops
// the wait and returns the last value step gave with that error.
func pollUntil[T any](ctx context.Context, clk clock, last T, waitFirst bool, minI, maxI time.Duration, step func() (T, bool, error)) (T, error) {
	if ctx == nil {
		return last, fmt.Errorf("%w: nil context", ErrInvalidArgument)
	}
	interval := minI
	if waitFirst {
		if err := sleep(ctx, clk, interval); err != nil {
			return last, err
		}
		interval = min(interval*2, maxI)
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
		wait, err := pauseAfter(ctx, err, interval)
		if err != nil {
			return last, err
		}
		if err := sleep(ctx, clk, wait); err != nil {
			return last, err
		}
		interval = min(interval*2, maxI)
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
