package integration_test

import (
	"errors"
	"strings"
	"testing"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/worker"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
	riverytemporal "github.com/rivery-go/rivery/temporal"
)

// A DAG with a failing river on a real server: its dependent is skipped
// (no run), the other branches run, every outcome is reported, and the
// history replays under its own workflow ID (children are named after it).
//
//	extract(A) -> load(B, fails) -> report(C)
//	extract(A) -> index(D)
//	audit(E)
func TestRunRiversDAGWithAFailure(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{rivers: []riverytest.River{
		{ID: riverA, Polls: 2},
		{ID: riverB, Outcome: "failed", Message: "target table locked"},
		{ID: riverC},
		{ID: riverD, Polls: 3},
		{ID: riverE, Polls: 1},
	}})
	e.worker(worker.Options{TaskQueueActivitiesPerSecond: fastRate})
	wf := e.start("dag-1", riverytemporal.WorkflowRunRivers, riverytemporal.RunRiversInput{
		Rivers: []riverytemporal.RiverNode{
			{Name: "extract", RiverID: riverA},
			{Name: "load", RiverID: riverB, After: []string{"extract"}},
			{Name: "report", RiverID: riverC, After: []string{"load"}},
			{Name: "index", RiverID: riverD, After: []string{"extract"}},
			{Name: "audit", RiverID: riverE},
		},
		Concurrency: 2,
		Run:         fastRun,
	})
	err := result(t, wf, nil)
	var appErr *temporal.ApplicationError
	if !errors.As(err, &appErr) || appErr.Type() != riverytemporal.ErrTypeRunFailed || !strings.Contains(err.Error(), "load, report") {
		t.Fatalf("err = %v", err)
	}
	var res riverytemporal.RunRiversResult
	if err := appErr.Details(&res); err != nil {
		t.Fatal(err)
	}
	want := map[string]riverytemporal.Outcome{
		"extract": riverytemporal.OutcomeSucceeded,
		"load":    riverytemporal.OutcomeFailed,
		"report":  riverytemporal.OutcomeSkipped,
		"index":   riverytemporal.OutcomeSucceeded,
		"audit":   riverytemporal.OutcomeSucceeded,
	}
	for _, o := range res.Rivers {
		if o.Outcome != want[o.Name] {
			t.Errorf("%s: %s (%s), want %s", o.Name, o.Outcome, o.Error, want[o.Name])
		}
	}
	if load := res.Rivers[1]; load.Run == nil || load.Run.Status != rivery.StatusFailed || !strings.Contains(load.Error, "target table locked") {
		t.Errorf("load: %+v", load)
	}
	for id, n := range map[string]int{riverA: 1, riverB: 1, riverC: 0, riverD: 1, riverE: 1} {
		if got := e.srv.RunsStarted(id); got != n {
			t.Errorf("runs of %s: %d, want %d", id, got, n)
		}
	}
	saveHistory(t, "runrivers-real-dag", e.history(wf))
}
