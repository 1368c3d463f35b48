package riverytemporal

import (
	"context"
	"errors"

	"go.temporal.io/sdk/activity"

	"github.com/rivery-go/rivery"
)

// ActivityCheckRuns is the name CheckRuns is registered under.
const ActivityCheckRuns = "rivery.CheckRuns"

// CheckRunsResult is what the CheckRuns activity returns.
type CheckRunsResult struct {
	// Runs are the runs the check read, ended or not; the others have not
	// changed as far as it knows.
	Runs []*rivery.Run
	// Check is the state to pass to the next check.
	Check *rivery.RunsCheck
	// Failed holds the run whose status call Rivery refused for good (a
	// deleted river, say). The check stopped there: the runs it had still
	// to read are read at the next check.
	Failed []FailedRun
}

// FailedRun is a run CheckRuns could not read.
type FailedRun struct {
	RiverID, RunID string
	// Error says why; Type is its ApplicationError type (ErrTypeRejected,
	// ErrTypeInvalidArgument).
	Error, Type string
}

// CheckRuns checks once on runs in progress in the client's environment
// (Rivers.CheckRuns): one GET E/activities for all of them, then GetRun
// (GET E/rivers/{riverID}/runs/{runID}) only for the runs whose river's
// activity row says they may have ended, and for at most one run that has
// been silent for long. check is the last check's Result.Check (nil the
// first time). RunRivers runs it once per interval for every run it
// follows, instead of a GetRun per run.
//
// A transient failure (a 429, a 5xx, no answer) is returned as the
// activity's error, retryable as GetRun's; a retry asks again from check.
// A status call Rivery refuses is not an error of the activity: the run is
// named in Failed, and the result holds what was read before it.
func (a *Activities) CheckRuns(ctx context.Context, runs []*rivery.Run, check *rivery.RunsCheck) (*CheckRunsResult, error) {
	out, next, err := a.Client.Rivers.CheckRuns(ctx, runs, check)
	res := &CheckRunsResult{Check: next}
	if err != nil {
		var rce *rivery.RunCheckError
		aerr := activityError(readCall, err)
		if typ := errorType(aerr); !errors.As(err, &rce) || (typ != ErrTypeRejected && typ != ErrTypeInvalidArgument) {
			return nil, aerr
		}
		res.Failed = []FailedRun{{RiverID: rce.RiverID, RunID: rce.RunID, Error: err.Error(), Type: errorType(aerr)}}
		activity.GetLogger(ctx).Warn("rivery: run could not be read", logRiverID, rce.RiverID, logRunID, rce.RunID, "Error", err)
	}
	for i, r := range out {
		if r != runs[i] {
			res.Runs = append(res.Runs, r)
		}
	}
	return res, nil
}
