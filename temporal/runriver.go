package riverytemporal

import (
	"errors"
	"strconv"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/rivery-go/rivery"
)

// WorkflowRunRiver is the name RunRiver is registered under.
const WorkflowRunRiver = "rivery.RunRiver"

// Defaults of RunRiverInput's zero fields.
const (
	DefaultMinPollInterval = 30 * time.Second
	DefaultMaxPollInterval = 5 * time.Minute
	DefaultMaxTriggers     = 3
	DefaultClockSkew       = time.Minute
	DefaultActivityTimeout = time.Minute
	DefaultMaxPolls        = 500
)

// RunRiverInput is what RunRiver runs, and how.
type RunRiverInput struct {
	RiverID string
	// RunID, if set, follows that run of RiverID instead of triggering
	// one. RunRiver sets it when it continues as new.
	RunID string
	// MinPollInterval and MaxPollInterval bound the durable timer between
	// two GetRun calls: it starts at the min and doubles up to the max.
	// Every poll spends one request of the rate limit.
	MinPollInterval, MaxPollInterval time.Duration
	// MaxTriggers is how many trigger requests may be sent when the run
	// cannot be found after an unknown outcome (default 3).
	MaxTriggers int
	// ClockSkew widens the recovery lookup back from the time the trigger
	// was scheduled, for clocks that disagree (default 1 minute).
	ClockSkew time.Duration
	// ActivityTimeout is each activity's StartToClose timeout (default 1
	// minute). Keep the rivery client's own timeout below it.
	ActivityTimeout time.Duration
	// MaxPolls is how many polls one workflow execution makes before it
	// continues as new (following the same run), which keeps its history
	// short on runs of many hours (default 500). RunRivers counts its
	// checks against it the same way.
	MaxPolls int
	// TriggerOnly makes RunRiver return the run as soon as it is started
	// or adopted, whatever its status, instead of waiting for its end:
	// RunRivers sets it on its children and follows their runs itself. A
	// workflow canceled while its trigger is in flight still cancels the
	// run the trigger started.
	TriggerOnly bool
}

func (in *RunRiverInput) withDefaults() {
	if in.MinPollInterval <= 0 {
		in.MinPollInterval = DefaultMinPollInterval
	}
	if in.MaxPollInterval < in.MinPollInterval {
		in.MaxPollInterval = max(DefaultMaxPollInterval, in.MinPollInterval)
	}
	if in.MaxTriggers <= 0 {
		in.MaxTriggers = DefaultMaxTriggers
	}
	if in.ClockSkew <= 0 {
		in.ClockSkew = DefaultClockSkew
	}
	if in.ActivityTimeout <= 0 {
		in.ActivityTimeout = DefaultActivityTimeout
	}
	if in.MaxPolls <= 0 {
		in.MaxPolls = DefaultMaxPolls
	}
}

// readPolicy retries GetRun, CancelRun and FindRunSince: reads, and a
// cancel, are safe to repeat. A 429 waits for its Retry-After instead.
func readPolicy() *temporal.RetryPolicy {
	return &temporal.RetryPolicy{
		InitialInterval:        5 * time.Second,
		BackoffCoefficient:     2,
		MaximumInterval:        2 * time.Minute,
		NonRetryableErrorTypes: []string{ErrTypeInvalidArgument, ErrTypeRejected},
	}
}

// triggerPolicy retries a trigger only when it provably started no run
// (a 429, or a connection that never reached Rivery). A lost worker
// (StartToClose or heartbeat timeout), a panic and every error that may
// have started a run are not retried: RunRiver looks for the run instead.
func triggerPolicy() *temporal.RetryPolicy {
	return &temporal.RetryPolicy{
		InitialInterval:    5 * time.Second,
		BackoffCoefficient: 2,
		MaximumInterval:    2 * time.Minute,
		MaximumAttempts:    20,
		NonRetryableErrorTypes: []string{
			ErrTypeInvalidArgument, ErrTypeRejected, ErrTypeOutcomeUnknown,
			timeoutStartToClose, timeoutHeartbeat, panicErrorType,
		},
	}
}

// RunRiver is a workflow that triggers in.RiverID, waits for the run with
// durable timers between GetRun activities, and returns the final run.
//
// A run that ends in any status but succeeded fails the workflow with an
// ApplicationError of type ErrTypeRunFailed whose message names the river
// and the run and whose details hold the final *rivery.Run. Canceling the
// workflow cancels the run on Rivery (from a disconnected context, so the
// cancel is sent even though the workflow is canceled).
//
// See the package documentation for how the trigger stays exactly-once.
func RunRiver(ctx workflow.Context, in RunRiverInput) (*rivery.Run, error) {
	in.withDefaults()
	log := workflow.GetLogger(ctx)
	run := &rivery.Run{ID: in.RunID, RiverID: in.RiverID, Status: rivery.StatusRunning}
	if in.RunID == "" {
		var err error
		if run, err = trigger(ctx, &in); err != nil {
			return nil, err
		}
		if ctx.Err() != nil {
			// Canceled while the trigger was in flight, and it (or the
			// recovery lookup) found a run: cancel it.
			return nil, cancelOnRivery(ctx, &in, run)
		}
		if in.TriggerOnly {
			return run, nil
		}
	}
	log.Info("rivery: following run", logRiverID, in.RiverID, logRunID, run.ID)
	actx := workflow.WithActivityOptions(ctx, activityOptions(&in, readPolicy()))
	interval := in.MinPollInterval
	for polls := 0; !run.Status.Terminal(); polls++ {
		if polls == in.MaxPolls {
			next := in
			next.RunID, next.MinPollInterval = run.ID, interval
			return nil, workflow.NewContinueAsNewError(ctx, WorkflowRunRiver, next)
		}
		if err := workflow.Sleep(ctx, interval); err != nil {
			return nil, cancelOnRivery(ctx, &in, run)
		}
		interval = min(2*interval, in.MaxPollInterval)
		var next rivery.Run
		if err := workflow.ExecuteActivity(actx, ActivityGetRun, in.RiverID, run.ID).Get(actx, &next); err != nil {
			if temporal.IsCanceledError(err) {
				return nil, cancelOnRivery(ctx, &in, run)
			}
			return nil, runError(&in, run.ID, "polling", err)
		}
		run = &next
	}
	if run.Status != rivery.StatusSucceeded {
		return run, runFailed(run)
	}
	return run, nil
}

// runFailed is the error of a run that ended in a status other than
// succeeded: its message names the river and the run, and its details
// hold the run.
func runFailed(run *rivery.Run) error {
	return temporal.NewNonRetryableApplicationError((&rivery.RunError{Run: run}).Error(), ErrTypeRunFailed, nil, run)
}

func activityOptions(in *RunRiverInput, policy *temporal.RetryPolicy) workflow.ActivityOptions {
	return workflow.ActivityOptions{StartToCloseTimeout: in.ActivityTimeout, RetryPolicy: policy}
}

// trigger starts a run exactly once: after a trigger whose outcome is
// unknown it looks for the run, and triggers again only when there is none.
func trigger(ctx workflow.Context, in *RunRiverInput) (*rivery.Run, error) {
	opts := activityOptions(in, triggerPolicy())
	opts.WaitForCancellation = true // a trigger in flight finishes: its run is then canceled
	tctx := workflow.WithActivityOptions(ctx, opts)
	log := workflow.GetLogger(ctx)
	for attempt := 1; ; attempt++ {
		if ctx.Err() != nil {
			// Canceled before this trigger was sent: there is nothing to
			// look for (a run found now would not be ours).
			return nil, ctx.Err()
		}
		since := workflow.Now(ctx).Add(-in.ClockSkew)
		var run rivery.Run
		err := workflow.ExecuteActivity(tctx, ActivityTriggerRun, in.RiverID).Get(tctx, &run)
		if err == nil {
			return &run, nil
		}
		if triggerNotApplied(err) {
			return nil, runError(in, "", "trigger", err)
		}
		log.Warn("rivery: trigger outcome unknown, looking for the run", logRiverID, in.RiverID, "Since", since, "Error", err)
		found, ferr := findRun(ctx, in, since)
		if ferr != nil {
			return nil, ferr
		}
		if found != nil {
			log.Info("rivery: adopted the run the lost trigger started", logRiverID, in.RiverID, logRunID, found.ID)
			return finalState(ctx, in, found)
		}
		if ctx.Err() != nil {
			return nil, ctx.Err() // canceled, and no run was started
		}
		if attempt >= in.MaxTriggers {
			return nil, runError(in, "", "trigger (no run found after "+strconv.Itoa(attempt)+" attempts)", err)
		}
	}
}

// versionReadAdopted is the change ID of finalState: histories recorded
// before it returned an ended, adopted run as listed, and replay so.
const versionReadAdopted = "rivery.read-adopted-run"

// finalState returns an adopted run as it is: a run that has already ended
// is read with GetRun first, as the recovery lookup lists runs without their
// end time. A canceled workflow skips the read (it ends canceled anyway).
func finalState(ctx workflow.Context, in *RunRiverInput, run *rivery.Run) (*rivery.Run, error) {
	if !run.Status.Terminal() || ctx.Err() != nil ||
		workflow.GetVersion(ctx, versionReadAdopted, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return run, nil
	}
	actx := workflow.WithActivityOptions(ctx, activityOptions(in, readPolicy()))
	var final rivery.Run
	if err := workflow.ExecuteActivity(actx, ActivityGetRun, in.RiverID, run.ID).Get(actx, &final); err != nil {
		if temporal.IsCanceledError(err) {
			return run, nil // RunRiver ends canceled
		}
		return nil, runError(in, run.ID, "reading the adopted run", err)
	}
	return &final, nil
}

// findRun runs the recovery lookup; it goes on when the workflow is
// canceled, so that a run started by a trigger in flight is found (and
// RunRiver cancels it).
func findRun(ctx workflow.Context, in *RunRiverInput, since time.Time) (*rivery.Run, error) {
	dctx, _ := workflow.NewDisconnectedContext(ctx)
	dctx = workflow.WithActivityOptions(dctx, activityOptions(in, readPolicy()))
	var found *rivery.Run
	if err := workflow.ExecuteActivity(dctx, ActivityFindRunSince, in.RiverID, since).Get(dctx, &found); err != nil {
		return nil, runError(in, "", "recovery lookup", err)
	}
	return found, nil
}

// cancelOnRivery cancels run from a disconnected context, as the workflow
// is being canceled, and returns the error the workflow ends with.
func cancelOnRivery(ctx workflow.Context, in *RunRiverInput, run *rivery.Run) error {
	if run.Status.Terminal() {
		return ctx.Err()
	}
	dctx, _ := workflow.NewDisconnectedContext(ctx)
	dctx = workflow.WithActivityOptions(dctx, activityOptions(in, readPolicy()))
	workflow.GetLogger(ctx).Info("rivery: workflow canceled, canceling the run", logRiverID, in.RiverID, logRunID, run.ID)
	if err := workflow.ExecuteActivity(dctx, ActivityCancelRun, in.RiverID, run.ID).Get(dctx, nil); err != nil {
		return runError(in, run.ID, "cancel", err)
	}
	return ctx.Err()
}

// runError names the river, the run (when known) and the step that failed,
// keeping the cause's error type.
func runError(in *RunRiverInput, runID, step string, cause error) error {
	msg := "rivery: " + step + " of river " + in.RiverID
	if runID != "" {
		msg = "rivery: " + step + " of run " + runID + " of river " + in.RiverID
	}
	typ := errorType(cause)
	if typ == "" {
		typ = ErrTypeOutcomeUnknown
	}
	var appErr *temporal.ApplicationError
	if errors.As(cause, &appErr) {
		msg += ": " + appErr.Error()
	} else {
		msg += ": " + cause.Error()
	}
	return temporal.NewNonRetryableApplicationError(msg, typ, cause)
}
