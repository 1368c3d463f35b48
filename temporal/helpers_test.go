package riverytemporal_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
	riverytemporal "github.com/rivery-go/rivery/temporal"
)

const (
	riverA = "63b724fc690def001131d2a1"
	riverB = "63b724fc690def001131d2b2"
	riverC = "63b724fc690def001131d2c3"
	riverD = "63b724fc690def001131d2d4"
	riverE = "63b724fc690def001131d2e5"
)

// fixture is one test's fake Rivery and Temporal test environment.
type fixture struct {
	srv  *riverytest.Server
	env  *testsuite.TestWorkflowEnvironment
	acts *riverytemporal.Activities
}

// newFixture starts a fake Rivery with rivers and a test environment with
// everything registered; trigger, if not nil, replaces the trigger activity.
func newFixture(t *testing.T, trigger func(context.Context, string) (*rivery.Run, error), rivers ...riverytest.River) *fixture {
	t.Helper()
	opts := make([]riverytest.Option, len(rivers))
	for i := range rivers {
		opts[i] = riverytest.WithRiver(rivers[i])
	}
	srv := riverytest.NewServer(opts...)
	t.Cleanup(srv.Close)
	env := newEnv()
	acts := &riverytemporal.Activities{Client: srv.ClientV1()}
	if trigger == nil {
		riverytemporal.Register(env, acts)
	} else {
		env.RegisterWorkflowWithOptions(riverytemporal.RunRiver, workflow.RegisterOptions{Name: riverytemporal.WorkflowRunRiver})
		env.RegisterWorkflowWithOptions(riverytemporal.RunRivers, workflow.RegisterOptions{Name: riverytemporal.WorkflowRunRivers})
		env.RegisterActivityWithOptions(trigger, activity.RegisterOptions{Name: riverytemporal.ActivityTriggerRun})
		env.RegisterActivityWithOptions(acts.GetRun, activity.RegisterOptions{Name: riverytemporal.ActivityGetRun})
		env.RegisterActivityWithOptions(acts.CancelRun, activity.RegisterOptions{Name: riverytemporal.ActivityCancelRun})
		env.RegisterActivityWithOptions(acts.FindRunSince, activity.RegisterOptions{Name: riverytemporal.ActivityFindRunSince})
	}
	return &fixture{srv: srv, env: env, acts: acts}
}

// runRiver runs RunRiver on riverID to its end.
func (f *fixture) runRiver(t *testing.T, riverID string) (*rivery.Run, error) {
	t.Helper()
	f.env.ExecuteWorkflow(riverytemporal.WorkflowRunRiver, riverytemporal.RunRiverInput{RiverID: riverID})
	if !f.env.IsWorkflowCompleted() {
		t.Fatal("the workflow did not complete")
	}
	if err := f.env.GetWorkflowError(); err != nil {
		return nil, err
	}
	var run rivery.Run
	if err := f.env.GetWorkflowResult(&run); err != nil {
		t.Fatalf("result: %v", err)
	}
	return &run, nil
}

// appError returns the ApplicationError in err's chain, failing the test if
// there is none.
func appError(t *testing.T, err error) *temporal.ApplicationError {
	t.Helper()
	var appErr *temporal.ApplicationError
	if !errors.As(err, &appErr) {
		t.Fatalf("error %v (%T) holds no ApplicationError", err, err)
	}
	return appErr
}

// started checks how many runs of riverID the fake started.
func started(t *testing.T, srv *riverytest.Server, riverID string, want int) {
	t.Helper()
	if got := srv.RunsStarted(riverID); got != want {
		t.Errorf("runs of %s started: %d, want %d", riverID, got, want)
	}
}

// newEnv returns a quiet test environment that tolerates a loaded machine.
func newEnv() *testsuite.TestWorkflowEnvironment {
	return newEnvLogging(log.NewStructuredLogger(slog.New(slog.DiscardHandler)))
}

// newEnvLogging is newEnv logging to logger.
func newEnvLogging(logger log.Logger) *testsuite.TestWorkflowEnvironment {
	var suite testsuite.WorkflowTestSuite
	suite.SetLogger(logger)
	env := suite.NewTestWorkflowEnvironment()
	// The test environment gives up on a workflow idle for 3 s of wall
	// time by default: too short for an activity on a loaded machine.
	env.SetTestTimeout(5 * time.Minute)
	// Nor may its deadlock detector take a slow workflow task for a
	// deadlock (1 s by default).
	env.SetWorkerOptions(worker.Options{DeadlockDetectionTimeout: 5 * time.Minute})
	return env
}
