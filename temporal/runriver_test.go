package riverytemporal_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
	riverytemporal "github.com/rivery-go/rivery/temporal"
)

func TestRunRiverSucceeds(t *testing.T) {
	f := newFixture(t, nil, riverytest.River{ID: riverA, Polls: 4})
	run, err := f.runRiver(t, riverA)
	if err != nil {
		t.Fatal(err)
	}
	if run.Status != rivery.StatusSucceeded || run.RiverID != riverA || run.ID == "" {
		t.Errorf("run = %+v", run)
	}
	started(t, f.srv, riverA, 1)
	// Pending at the trigger, then 1 pending + 3 running polls, then done.
	if n := len(f.srv.RequestsTo(riverytest.RouteRunStatus)); n != 5 {
		t.Errorf("status calls: %d, want 5", n)
	}
}

func TestRunRiverFailedRunNamesRiverAndRun(t *testing.T) {
	f := newFixture(t, nil, riverytest.River{ID: riverA, Outcome: "failed", Message: "target table locked"})
	_, err := f.runRiver(t, riverA)
	if err == nil {
		t.Fatal("a failed run must fail the workflow")
	}
	appErr := appError(t, err)
	if appErr.Type() != riverytemporal.ErrTypeRunFailed {
		t.Errorf("type %q, want %q", appErr.Type(), riverytemporal.ErrTypeRunFailed)
	}
	runID := f.srv.Runs(riverA)[0].ID
	for _, want := range []string{riverA, runID, "failed", "target table locked"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %q", err, want)
		}
	}
	var run rivery.Run
	if err := appErr.Details(&run); err != nil || run.ID != runID || run.Status != rivery.StatusFailed {
		t.Errorf("details: run %+v, err %v", run, err)
	}
	started(t, f.srv, riverA, 1)
}

func TestRunRiverRejectedTriggerIsNotRetried(t *testing.T) {
	f := newFixture(t, nil, riverytest.River{ID: riverB, Disabled: true})
	_, err := f.runRiver(t, riverB)
	if appErr := appError(t, err); appErr.Type() != riverytemporal.ErrTypeRejected || !strings.Contains(err.Error(), riverB) {
		t.Errorf("err = %v (type %q)", err, appErr.Type())
	}
	if n := len(f.srv.RequestsTo(riverytest.RouteRun)); n != 1 {
		t.Errorf("trigger requests: %d, want 1", n)
	}
	if n := len(f.srv.RequestsTo(riverytest.RouteRuns)); n != 0 {
		t.Errorf("a refused trigger needs no recovery lookup; got %d", n)
	}
}

func TestRunRiverCancelCancelsTheRunOnRivery(t *testing.T) {
	f := newFixture(t, nil, riverytest.River{ID: riverA, Polls: 1000})
	f.env.RegisterDelayedCallback(f.env.CancelWorkflow, 10*time.Minute)
	_, err := f.runRiver(t, riverA)
	if !temporal.IsCanceledError(err) {
		t.Fatalf("err = %v, want canceled", err)
	}
	cancels := f.srv.RequestsTo(riverytest.RouteCancelRun)
	if len(cancels) != 1 {
		t.Fatalf("cancel requests: %d, want 1", len(cancels))
	}
	runs := f.srv.Runs(riverA)
	if len(runs) != 1 || runs[0].Status != "canceled" {
		t.Errorf("runs on the fake: %+v", runs)
	}
	if !strings.Contains(string(cancels[0].Body), runs[0].ID) {
		t.Errorf("cancel body %s does not name run %s", cancels[0].Body, runs[0].ID)
	}
}

// A trigger that reached Rivery but whose answer was lost ends with exactly
// one run: the recovery lookup finds it and the workflow adopts it.
func TestRunRiverLostTriggerAnswerStartsOneRun(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault riverytest.Fault
	}{
		{"connection closed after the run started", riverytest.Fault{Apply: true, CloseConnection: true}},
		{"5xx after the run started", riverytest.Fault{Apply: true, Status: 502}},
		{"truncated answer", riverytest.Fault{Truncate: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, nil, riverytest.River{ID: riverA})
			f.srv.Fail(riverytest.RouteRun, 1, tc.fault)
			run, err := f.runRiver(t, riverA)
			if err != nil {
				t.Fatal(err)
			}
			started(t, f.srv, riverA, 1)
			if n := len(f.srv.RequestsTo(riverytest.RouteRun)); n != 1 {
				t.Errorf("trigger requests: %d, want 1", n)
			}
			if n := len(f.srv.RequestsTo(riverytest.RouteRuns)); n != 1 {
				t.Errorf("recovery lookups: %d, want 1", n)
			}
			if runs := f.srv.Runs(riverA); run.ID != runs[0].ID || run.Status != rivery.StatusSucceeded {
				t.Errorf("run %+v, the fake's %+v", run, runs)
			}
		})
	}
}

// A worker that dies after its trigger reached Rivery: the activity's
// result is lost (here: it panics after the real trigger). The trigger is
// not retried; the run is found and adopted.
func TestRunRiverWorkerCrashAfterTriggerStartsOneRun(t *testing.T) {
	var fx *fixture
	var calls atomic.Int32
	crashing := func(ctx context.Context, riverID string) (*rivery.Run, error) {
		if calls.Add(1) > 1 {
			return fx.acts.TriggerRun(ctx, riverID)
		}
		if _, err := fx.acts.TriggerRun(ctx, riverID); err != nil {
			return nil, err
		}
		panic("worker lost after the trigger reached Rivery")
	}
	fx = newFixture(t, crashing, riverytest.River{ID: riverA})
	run, err := fx.runRiver(t, riverA)
	if err != nil {
		t.Fatal(err)
	}
	started(t, fx.srv, riverA, 1)
	if n := calls.Load(); n != 1 {
		t.Errorf("trigger activity ran %d times, want 1", n)
	}
	if runs := fx.srv.Runs(riverA); run.ID != runs[0].ID {
		t.Errorf("adopted run %s, the fake started %s", run.ID, runs[0].ID)
	}
}

// When the trigger's outcome is unknown and no run is found, the workflow
// triggers again: still exactly one run.
func TestRunRiverTriggersAgainWhenNoRunIsFound(t *testing.T) {
	f := newFixture(t, nil, riverytest.River{ID: riverA})
	f.srv.Fail(riverytest.RouteRun, 1, riverytest.Fault{CloseConnection: true}) // not applied
	run, err := f.runRiver(t, riverA)
	if err != nil {
		t.Fatal(err)
	}
	started(t, f.srv, riverA, 1)
	if n := len(f.srv.RequestsTo(riverytest.RouteRun)); n != 2 {
		t.Errorf("trigger requests: %d, want 2", n)
	}
	if run.Status != rivery.StatusSucceeded {
		t.Errorf("run = %+v", run)
	}
}

// Every trigger's answer lost and no run found: the workflow stops after
// MaxTriggers, naming the river.
func TestRunRiverGivesUpAfterMaxTriggers(t *testing.T) {
	f := newFixture(t, nil, riverytest.River{ID: riverA})
	f.srv.Fail(riverytest.RouteRun, 10, riverytest.Fault{CloseConnection: true})
	_, err := f.runRiver(t, riverA)
	if err == nil || !strings.Contains(err.Error(), riverA) || !strings.Contains(err.Error(), "no run found") {
		t.Fatalf("err = %v", err)
	}
	if n := len(f.srv.RequestsTo(riverytest.RouteRun)); n != riverytemporal.DefaultMaxTriggers {
		t.Errorf("trigger requests: %d, want %d", n, riverytemporal.DefaultMaxTriggers)
	}
	started(t, f.srv, riverA, 0)
}

// A storm of 429 answers: each becomes an activity retry after the
// server's Retry-After (in the test environment's skipped time), and the
// trigger still starts exactly one run.
func TestRunRiverRateLimitStorm(t *testing.T) {
	f := newFixture(t, nil, riverytest.River{ID: riverA})
	f.srv.Fail(riverytest.RouteRun, 4, riverytest.Fault{Status: 429, RetryAfter: "90"})
	f.srv.Fail(riverytest.RouteRunStatus, 3, riverytest.Fault{Status: 429, RetryAfter: "60"})
	start := f.env.Now()
	var triggered time.Time
	f.env.SetOnActivityCompletedListener(func(info *activity.Info, _ converter.EncodedValue, err error) {
		if info.ActivityType.Name == riverytemporal.ActivityTriggerRun && err == nil {
			triggered = f.env.Now()
		}
	})
	run, err := f.runRiver(t, riverA)
	if err != nil {
		t.Fatal(err)
	}
	if run.Status != rivery.StatusSucceeded {
		t.Errorf("run = %+v", run)
	}
	started(t, f.srv, riverA, 1)
	if n := len(f.srv.RequestsTo(riverytest.RouteRun)); n != 5 {
		t.Errorf("trigger requests: %d, want 5", n)
	}
	// Four waits of the server's 90 s, not the retry policy's 5+10+20+40 s.
	if waited := triggered.Sub(start); waited < 4*90*time.Second {
		t.Errorf("the trigger succeeded %v after the start, want at least 6m (4 Retry-After of 90s)", waited)
	}
	if n := len(f.srv.RequestsTo(riverytest.RouteRunStatus)); n != 3+3 {
		t.Errorf("status requests: %d, want 6 (3 answered 429)", n)
	}
}

// A long run: after MaxPolls polls the workflow continues as new, following
// the same run; the new execution polls it to the end without a trigger.
func TestRunRiverContinuesAsNewOnLongRuns(t *testing.T) {
	// The fake's run is in progress for 3 polls and ends on the 4th.
	f := newFixture(t, nil, riverytest.River{ID: riverA, Polls: 3})
	f.env.ExecuteWorkflow(riverytemporal.WorkflowRunRiver, riverytemporal.RunRiverInput{RiverID: riverA, MaxPolls: 2})
	var can *workflow.ContinueAsNewError
	if err := f.env.GetWorkflowError(); !errors.As(err, &can) {
		t.Fatalf("err = %v, want continue-as-new", err)
	}
	var next riverytemporal.RunRiverInput
	if err := converter.GetDefaultDataConverter().FromPayloads(can.Input, &next); err != nil {
		t.Fatal(err)
	}
	runID := f.srv.Runs(riverA)[0].ID
	if next.RunID != runID || next.RiverID != riverA || can.WorkflowType.Name != riverytemporal.WorkflowRunRiver {
		t.Fatalf("continues as %s with %+v, want run %s", can.WorkflowType.Name, next, runID)
	}

	env := newEnv()
	riverytemporal.Register(env, f.acts)
	env.ExecuteWorkflow(riverytemporal.WorkflowRunRiver, next)
	var run rivery.Run
	if err := env.GetWorkflowResult(&run); err != nil || run.ID != runID || run.Status != rivery.StatusSucceeded {
		t.Errorf("run %+v, err %v", run, err)
	}
	started(t, f.srv, riverA, 1)
	if n := len(f.srv.RequestsTo(riverytest.RouteRun)); n != 1 {
		t.Errorf("trigger requests: %d, want 1", n)
	}
}

// The workflow is canceled while its trigger is in flight. Temporal's test
// environment hands the workflow the cancel at once (a server would wait
// for the trigger to finish, as its options ask): the workflow then looks
// for the run the trigger may have started, and cancels it on Rivery.
func TestRunRiverCancelDuringTriggerCancelsTheRun(t *testing.T) {
	var fx *fixture
	inFlight := func(ctx context.Context, riverID string) (*rivery.Run, error) {
		run, err := fx.acts.TriggerRun(ctx, riverID)
		fx.env.CancelWorkflow()
		// Stay in flight until the workflow has canceled the run.
		for deadline := time.Now().Add(time.Minute); fx.srv.Runs(riverID)[0].Status != "canceled"; {
			if time.Now().After(deadline) {
				t.Error("the run was not canceled while the trigger was in flight")
				break
			}
			time.Sleep(time.Millisecond)
		}
		return run, err
	}
	fx = newFixture(t, inFlight, riverytest.River{ID: riverA, Polls: 1000})
	_, err := fx.runRiver(t, riverA)
	if !temporal.IsCanceledError(err) {
		t.Fatalf("err = %v, want canceled", err)
	}
	started(t, fx.srv, riverA, 1)
	if n := len(fx.srv.RequestsTo(riverytest.RouteCancelRun)); n != 1 {
		t.Errorf("cancel requests: %d, want 1", n)
	}
}

// Canceled before its trigger was sent: nothing is triggered, looked up or
// canceled (a run found then would not be the workflow's).
func TestRunRiverCanceledBeforeTheTrigger(t *testing.T) {
	f := newFixture(t, nil, riverytest.River{ID: riverA})
	f.env.RegisterDelayedCallback(f.env.CancelWorkflow, 0)
	_, err := f.runRiver(t, riverA)
	if !temporal.IsCanceledError(err) {
		t.Fatalf("err = %v, want canceled", err)
	}
	if n := len(f.srv.Requests()); n != 0 {
		t.Errorf("%d requests sent: %+v", n, f.srv.Requests())
	}
}

// A lost trigger whose run has already ended when the lookup finds it: the
// listed run lacks its end time, so the workflow reads the run's final
// state before it returns it.
func TestRunRiverAdoptedEndedRunIsReadBeforeItIsReturned(t *testing.T) {
	f := newFixture(t, nil, riverytest.River{ID: riverA, Duration: time.Nanosecond}) // ended when listed
	f.srv.Fail(riverytest.RouteRun, 1, riverytest.Fault{Apply: true, CloseConnection: true})
	run, err := f.runRiver(t, riverA)
	if err != nil {
		t.Fatal(err)
	}
	started(t, f.srv, riverA, 1)
	if runs := f.srv.Runs(riverA); run.ID != runs[0].ID || run.Status != rivery.StatusSucceeded {
		t.Errorf("run %+v, the fake's %+v", run, runs)
	}
	if run.EndedAt.IsZero() || run.EndedAt.Before(run.StartedAt) {
		t.Errorf("adopted run ended at %v (started %v): its final state was not read", run.EndedAt, run.StartedAt)
	}
	if n := len(f.srv.RequestsTo(riverytest.RouteRunStatus)); n != 1 {
		t.Errorf("status calls: %d, want 1", n)
	}
}
