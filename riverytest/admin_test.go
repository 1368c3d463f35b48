package riverytest_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

// A deleted river takes its runs along: every route that reads runs
// answers as if the river never ran (404 for its run), instead of failing
// on a run whose river is gone.
func TestDeletedRiverTakesItsRuns(t *testing.T) {
	t.Parallel()
	const gone = "63b724fc690def001131d2dd"
	s := newServer(t, riverytest.WithRiver(riverytest.River{ID: gone, Name: "gone"}))
	c := s.ClientV1(rivery.WithoutRetries())
	ctx := context.Background()
	run, _, err := c.Rivers.Run(ctx, gone)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Rivers.Delete(ctx, gone); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Rivers.GetRun(ctx, gone, run.ID); !errors.Is(err, rivery.ErrNotFound) {
		t.Errorf("GetRun of the deleted river's run = %v, want 404", err)
	}
	if status, body := raw(t, s, s.AdminToken(), "/api/check_run?run_id="+run.ID); status != http.StatusNotFound {
		t.Errorf("check_run of the deleted river's run: %d %s", status, body)
	}
	win := "?start_time=2000-01-01T00:00:00&end_time=2100-01-01T00:00:00"
	if status, body := raw(t, s, s.AdminToken(), envPath(s)+"/activities_statistics"+win); status != http.StatusOK {
		t.Errorf("environment statistics: %d %s", status, body)
	}
	if runs := s.Runs(gone); len(runs) != 0 || s.RunsStarted(gone) != 0 {
		t.Errorf("Runs of the deleted river = %v", runs)
	}
}

// A pull request's cancel takes pull requests only: the operation of a CDC
// switch or a dataframe's clear is not one, and its cancel answers 404.
func TestCancelPullTakesOnlyPullRequests(t *testing.T) {
	t.Parallel()
	s := newServer(t, riverytest.WithDataframe(riverytest.Dataframe{Name: "orders"}))
	c := s.ClientV1(rivery.WithoutRetries())
	ctx := context.Background()
	cdcOp, _, err := c.CDC.Enable(ctx, riverID)
	if err != nil {
		t.Fatal(err)
	}
	clearOp, _, err := c.Dataframes.Clear(ctx, "orders")
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range []*rivery.Operation{cdcOp, clearOp} {
		if status, body := send(t, s, http.MethodPost, envPath(s)+"/pull_requests/"+op.ID+"/cancel_run", "{}"); status != http.StatusNotFound {
			t.Errorf("cancel of %s operation %s as a pull request: %d %s", op.Type, op.ID, status, body)
		}
	}
	if op, err := c.Rivers.WaitForOperation(ctx, cdcOp, nil); err != nil || op.Status != rivery.OperationDone || !s.CDCState(riverID).Enabled {
		t.Errorf("the CDC switch after the refused cancel = %+v, %v", op, err)
	}
}
