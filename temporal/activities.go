package riverytemporal

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/activity"

	"github.com/rivery-go/rivery"
)

// Names the activities are registered under (see Register).
const (
	ActivityTriggerRun   = "rivery.TriggerRun"
	ActivityGetRun       = "rivery.GetRun"
	ActivityCancelRun    = "rivery.CancelRun"
	ActivityFindRunSince = "rivery.FindRunSince"
)

// Keys of the log lines the activities and workflows write. Temporal's
// loggers already carry WorkflowID and RunID (the workflow's run), so
// Rivery's IDs get names of their own.
const (
	logRiverID = "rivery_river_id"
	logRunID   = "rivery_run_id"
)

// findPageSize is the page size of the recovery lookup: the v1 API's largest.
const findPageSize = 500

// Activities calls Rivery for the workflows. Build it with a client of
// the token the worker acts as; it is safe for concurrent use.
//
// Give the client a short retry budget (rivery.WithRetry with a max wait
// of a few seconds): a 429 whose Retry-After exceeds it comes back at once
// and becomes an activity retry at that delay, instead of holding a worker
// slot while it waits.
type Activities struct {
	Client *rivery.Client
}

// TriggerRun starts a run of riverID (Rivers.Run: POST /api/run on the
// console API, POST E/rivers/{riverID}/run on v1). Its errors are
// ApplicationErrors whose type says whether Rivery may have started a run:
// ErrTypeOutcomeUnknown (maybe) is not retryable; ErrTypeRateLimited and
// ErrTypeUnavailable (it did not) are.
func (a *Activities) TriggerRun(ctx context.Context, riverID string) (*rivery.Run, error) {
	run, _, err := a.Client.Rivers.Run(ctx, riverID)
	if err != nil {
		return nil, activityError(triggerCall, err)
	}
	activity.GetLogger(ctx).Info("rivery: run triggered", logRiverID, riverID, logRunID, run.ID)
	return run, nil
}

// GetRun returns the current state of a run (Rivers.GetRun: GET
// /api/check_run or GET E/rivers/{riverID}/runs/{runID}).
func (a *Activities) GetRun(ctx context.Context, riverID, runID string) (*rivery.Run, error) {
	run, _, err := a.Client.Rivers.GetRun(ctx, riverID, runID)
	if err != nil {
		return nil, activityError(readCall, err)
	}
	return run, nil
}

// CancelRun asks Rivery to stop a run (Rivers.CancelRun: POST
// /api/run/cancel or POST E/rivers/{riverID}/cancel_run). A run that has
// already ended (Rivery answers 400) is not an error.
func (a *Activities) CancelRun(ctx context.Context, riverID, runID string) error {
	_, err := a.Client.Rivers.CancelRun(ctx, riverID, runID)
	if errors.Is(err, rivery.ErrBadRequest) {
		activity.GetLogger(ctx).Info("rivery: run already ended, not canceled", logRiverID, riverID, logRunID, runID, "Error", err)
		return nil
	}
	return activityError(cancelCall, err)
}

// FindRunSince returns the oldest run of riverID that started at or after
// since, or nil when there is none: the recovery lookup after a trigger
// whose answer was lost. It reads every page of Rivers.ListRuns (GET
// E/rivers/{riverID}/runs, v1 API) from since to now.
func (a *Activities) FindRunSince(ctx context.Context, riverID string, since time.Time) (*rivery.Run, error) {
	if since.IsZero() {
		return nil, activityError(readCall, fmt.Errorf("%w: FindRunSince needs a start time", rivery.ErrInvalidArgument))
	}
	end := time.Now()
	if end.Before(since) {
		// The workflow's clock is ahead of this worker's: look up to since.
		end = since
	}
	var oldest *rivery.Run
	opts := &rivery.ListRunsOptions{
		ListOptions: rivery.ListOptions{Page: 1, PerPage: findPageSize},
		StartTime:   since,
		EndTime:     end.Add(time.Minute), // the run's clock may be ahead of ours
	}
	for {
		runs, resp, err := a.Client.Rivers.ListRuns(ctx, riverID, opts)
		if err != nil {
			return nil, activityError(readCall, err)
		}
		for _, r := range runs {
			if r.StartedAt.Before(since) {
				continue // the server rounds the window to whole seconds
			}
			// Pages come newest first: on a tie, the later one is older.
			if oldest == nil || !r.StartedAt.After(oldest.StartedAt) {
				oldest = r
			}
		}
		if resp.NextPage == "" || len(runs) == 0 || resp.Page < opts.Page {
			break
		}
		opts.Page++
	}
	if oldest != nil {
		activity.GetLogger(ctx).Info("rivery: found a run", logRiverID, riverID, logRunID, oldest.ID, "Since", since)
	}
	return oldest, nil
}
