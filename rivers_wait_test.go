package rivery_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/rivery-go/rivery"
)

func fastWait() *rivery.WaitOptions {
	return &rivery.WaitOptions{MinInterval: time.Millisecond, MaxInterval: 2 * time.Millisecond}
}

func v1RunBody(status, errDesc string) string {
	desc := "null"
	if errDesc != "" {
		desc = fmt.Sprintf("%q", errDesc)
	}
	return fmt.Sprintf(`{"run_id":%q,"river_cross_id":%q,"status":%q,"error_description":%s}`, runID, riverID, status, desc)
}

func TestWaitForRunFailedRun(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/runs/"+runID, sequence(
		rec.reply(200, v1RunBody("pending", "")),
		rec.reply(200, v1RunBody("running", "")),
		rec.reply(200, v1RunBody("running", "")),
		rec.reply(200, v1RunBody("failed", "Target table is locked")),
	))
	var seen []rivery.RunStatus
	opts := *fastWait()
	opts.OnStatus = func(r *rivery.Run) { seen = append(seen, r.Status) }

	run, err := c.Rivers.WaitForRun(context.Background(), riverID, runID, &opts)
	var runErr *rivery.RunError
	if !errors.As(err, &runErr) || !errors.Is(err, rivery.ErrRunFailed) {
		t.Fatalf("WaitForRun error = %v, want a *RunError matching ErrRunFailed", err)
	}
	if run == nil || run.Status != rivery.StatusFailed || run.Message != "Target table is locked" || runErr.Run != run {
		t.Fatalf("run = %+v, RunError.Run = %+v", run, runErr.Run)
	}
	if want := []rivery.RunStatus{rivery.StatusPending, rivery.StatusRunning, rivery.StatusFailed}; !slices.Equal(seen, want) {
		t.Errorf("OnStatus saw %v, want %v", seen, want)
	}
	if n := len(rec.all()); n != 4 {
		t.Errorf("polled %d times, want 4", n)
	}
	if got := err.Error(); got != "rivery: run "+runID+" of river "+riverID+" ended failed: Target table is locked" {
		t.Errorf("error text = %q", got)
	}
}

func TestWaitForRunSucceeded(t *testing.T) {
	t.Parallel()
	c, mock := setup(t)
	mock.RegisterResponder(http.MethodGet, consoleBase+"/api/check_run", sequence(
		httpmock.NewStringResponder(200, `{"run_id":"`+runID+`","river_run_status":"R"}`),
		httpmock.NewStringResponder(200, `{"run_id":"`+runID+`","river_run_status":"D"}`),
	))
	run, err := c.Rivers.WaitForRun(context.Background(), riverID, runID, fastWait())
	if err != nil || run.Status != rivery.StatusSucceeded || run.RiverID != riverID {
		t.Fatalf("WaitForRun = %+v, %v", run, err)
	}
}

func TestWaitForRunUnknownStatusIsTerminal(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/runs/"+runID,
		httpmock.NewStringResponder(200, v1RunBody("archived", "")))
	run, err := c.Rivers.WaitForRun(context.Background(), riverID, runID, fastWait())
	if !errors.Is(err, rivery.ErrRunFailed) || run.Status != rivery.StatusUnknown || run.RawStatus != "archived" {
		t.Fatalf("WaitForRun = %+v, %v", run, err)
	}
}

// Transient failures of the status call do not end the wait.
func TestWaitForRunRidesOutTransientErrors(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, append(v1(), rivery.WithoutRetries())...)
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/runs/"+runID, sequence(
		httpmock.NewStringResponder(200, v1RunBody("running", "")),
		httpmock.NewStringResponder(503, `{"detail":"maintenance"}`),
		httpmock.NewErrorResponder(errors.New("connection reset by peer")),
		httpmock.NewStringResponder(429, `{"detail":"slow down"}`),
		httpmock.NewStringResponder(200, v1RunBody("succeeded", "")),
	))
	run, err := c.Rivers.WaitForRun(context.Background(), riverID, runID, fastWait())
	if err != nil || run.Status != rivery.StatusSucceeded {
		t.Fatalf("WaitForRun = %+v, %v", run, err)
	}
	if n := mock.GetTotalCallCount(); n != 5 {
		t.Errorf("status calls = %d, want 5", n)
	}
}

func TestWaitForRunStopsOnPermanentError(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/runs/"+runID, sequence(
		httpmock.NewStringResponder(200, v1RunBody("running", "")),
		httpmock.NewStringResponder(404, `{"detail":"Run not found"}`),
	))
	run, err := c.Rivers.WaitForRun(context.Background(), riverID, runID, fastWait())
	if !errors.Is(err, rivery.ErrNotFound) || run == nil || run.Status != rivery.StatusRunning {
		t.Fatalf("WaitForRun = %+v, %v; want the last run and ErrNotFound", run, err)
	}
}

func TestWaitForRunDeadlineReturnsLastRun(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/runs/"+runID,
		httpmock.NewStringResponder(200, v1RunBody("running", "")))
	// The deadline passes once a status has been seen, not after a time a
	// slow machine might spend before the first answer.
	ctx, expire := expiringContext(t)
	opts := fastWait()
	opts.OnStatus = func(*rivery.Run) { expire() }
	run, err := c.Rivers.WaitForRun(ctx, riverID, runID, opts)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error = %v, want context.DeadlineExceeded", err)
	}
	if run == nil || run.Status != rivery.StatusRunning {
		t.Fatalf("run = %+v, want the last running run", run)
	}
}

func TestRunAndWait(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var trig recorder
	mock.RegisterResponder(http.MethodPost, v1Env+"/rivers/"+riverID+"/run", trig.reply(202, fixture(t, "v1_run_group.json")))
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/runs/"+runID, sequence(
		httpmock.NewStringResponder(200, v1RunBody("running", "")),
		httpmock.NewStringResponder(200, v1RunBody("succeeded", "")),
	))
	var seen []rivery.RunStatus
	opts := *fastWait()
	opts.OnStatus = func(r *rivery.Run) { seen = append(seen, r.Status) }
	run, err := c.Rivers.RunAndWait(context.Background(), riverID, &opts)
	if err != nil || run.Status != rivery.StatusSucceeded {
		t.Fatalf("RunAndWait = %+v, %v", run, err)
	}
	trig.only(t)
	if want := []rivery.RunStatus{rivery.StatusPending, rivery.StatusRunning, rivery.StatusSucceeded}; !slices.Equal(seen, want) {
		t.Errorf("OnStatus saw %v, want %v", seen, want)
	}
}

// A trigger answered "skipped" (another run in flight) ends at once.
func TestRunAndWaitSkipped(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	mock.RegisterResponder(http.MethodPost, v1Env+"/rivers/"+riverID+"/run", httpmock.NewStringResponder(202,
		`{"run_group_id":"g","river_cross_id":"`+riverID+`","runs":[{"run_id":"`+runID+`","status":"skipped","message":"run 1234 is running"}]}`))
	run, err := c.Rivers.RunAndWait(context.Background(), riverID, fastWait())
	if !errors.Is(err, rivery.ErrRunFailed) || run.Status != rivery.StatusSkipped {
		t.Fatalf("RunAndWait = %+v, %v", run, err)
	}
	if n := mock.GetTotalCallCount(); n != 1 {
		t.Errorf("calls = %d, want only the trigger", n)
	}
}

func TestWaitOptionsValidated(t *testing.T) {
	t.Parallel()
	c, mock := setup(t)
	for _, o := range []*rivery.WaitOptions{
		{MinInterval: -1},
		{MaxInterval: -time.Second},
		{MinInterval: time.Minute, MaxInterval: time.Second},
	} {
		if _, err := c.Rivers.WaitForRun(context.Background(), riverID, runID, o); !errors.Is(err, rivery.ErrInvalidArgument) {
			t.Errorf("WaitForRun(%+v) error = %v, want ErrInvalidArgument", o, err)
		}
		if _, err := c.Rivers.RunAndWait(context.Background(), riverID, o); !errors.Is(err, rivery.ErrInvalidArgument) {
			t.Errorf("RunAndWait(%+v) error = %v, want ErrInvalidArgument", o, err)
		}
	}
	if n := mock.GetTotalCallCount(); n != 0 {
		t.Errorf("%d requests sent for bad options", n)
	}
}
