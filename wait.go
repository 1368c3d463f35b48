package rivery

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Poll interval bounds used when neither WaitOptions nor WithPollInterval
// sets them. Polling starts at the minimum and doubles up to the maximum: a
// 30-minute run takes about 64 status calls, and its end is noticed within
// 30 s.
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
// returns it. The error is nil only when the run succeeded; a run that ended
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
	return s.pollRun(ctx, riverID, runID, nil, minI, maxI, opts)
}

// RunAndWait triggers riverID with Run and waits for the run with
// WaitForRun. If the trigger fails, no run is returned; see Run for what a
// *RequestError with MaybeApplied means.
func (s *RiversService) RunAndWait(ctx context.Context, riverID string, opts *WaitOptions) (*Run, error) {
	minI, maxI, err := opts.intervals(s.client)
	if err != nil {
		return nil, err
	}
	run, _, err := s.Run(ctx, riverID)
	if err != nil {
		return nil, err
	}
	opts.notify(nil, run)
	if run.Status.Terminal() {
		return run, s.client.sealed(outcome(run))
	}
	return s.pollRun(ctx, riverID, run.ID, run, minI, maxI, opts)
}

// pollRun waits for a run through pollUntil, reporting status changes.
func (s *RiversService) pollRun(ctx context.Context, riverID, runID string, last *Run, minI, maxI time.Duration, opts *WaitOptions) (*Run, error) {
	run, err := pollUntil(ctx, s.client.clock, last, last != nil, minI, maxI, func() (*Run, bool, error) {
		run, _, err := s.GetRun(ctx, riverID, runID)
		if err != nil {
			return nil, false, err
		}
		opts.notify(last, run)
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

// transient reports whether a failed status call is worth repeating.
func transient(err error) bool {
	var reqErr *RequestError
	if errors.As(err, &reqErr) {
		return true
	}
	return errors.Is(err, ErrRateLimited) || errors.Is(err, ErrServer)
}
