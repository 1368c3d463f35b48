package riverytemporal_test

import (
	"slices"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/rivery-go/rivery/riverytest"
	riverytemporal "github.com/rivery-go/rivery/temporal"
	"github.com/rivery-go/rivery/temporal/internal/testkit"
)

// A DAG with one failing branch (testkit.FailingDAG): its dependents are
// skipped, the other branches run to the end, every river's outcome is
// reported, and independent rivers run side by side within the bound.
func TestRunRiversDAGWithAFailingBranch(t *testing.T) {
	ids := [5]string{riverA, riverB, riverC, riverD, riverE}
	rivers, nodes := testkit.FailingDAG(ids)
	f := newFixture(t, nil, rivers...)
	acts := logActivities(t, f)
	f.env.ExecuteWorkflow(riverytemporal.WorkflowRunRivers, riverytemporal.RunRiversInput{Rivers: nodes, Concurrency: 2})
	if !f.env.IsWorkflowCompleted() {
		t.Fatal("not completed")
	}
	testkit.CheckFailingDAG(t, f.env.GetWorkflowError(), f.srv, ids)
	// Each check reads the runs in flight at the time.
	if most := slices.Max(acts.checkRuns); most != 2 {
		t.Errorf("at most %d runs in flight at once (%v): want independent rivers side by side, within the bound of 2", most, acts.checkRuns)
	}
}

func TestRunRiversListSucceeds(t *testing.T) {
	f := newFixture(t, nil, riverytest.River{ID: riverA}, riverytest.River{ID: riverB})
	f.env.ExecuteWorkflow(riverytemporal.WorkflowRunRivers, riverytemporal.RunRiversInput{
		Rivers: []riverytemporal.RiverNode{{RiverID: riverA}, {RiverID: riverB}},
		// The template's river and run are not the children's.
		Run: riverytemporal.RunRiverInput{RiverID: riverC, RunID: "0000000000000000000000000000ffff", MinPollInterval: time.Second},
	})
	if err := f.env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var res riverytemporal.RunRiversResult
	if err := f.env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	if len(res.Failed()) != 0 || len(res.Rivers) != 2 || res.Rivers[1].Name != riverB || res.Rivers[1].Run == nil {
		t.Errorf("result: %+v", res)
	}
	for id, n := range map[string]int{riverA: 1, riverB: 1, riverC: 0} {
		started(t, f.srv, id, n)
	}
}

func TestRunRiversCancelCancelsEveryRun(t *testing.T) {
	f := newFixture(t, nil, riverytest.River{ID: riverA, Polls: 1000}, riverytest.River{ID: riverB, Polls: 1000}, riverytest.River{ID: riverC})
	f.env.RegisterDelayedCallback(f.env.CancelWorkflow, time.Hour)
	f.env.ExecuteWorkflow(riverytemporal.WorkflowRunRivers, riverytemporal.RunRiversInput{
		Rivers: []riverytemporal.RiverNode{{RiverID: riverA}, {RiverID: riverB}, {RiverID: riverC, After: []string{riverA}}},
	})
	err := f.env.GetWorkflowError()
	if !temporal.IsCanceledError(err) {
		t.Fatalf("err = %v, want canceled", err)
	}
	for _, id := range []string{riverA, riverB} {
		if runs := f.srv.Runs(id); len(runs) != 1 || runs[0].Status != "canceled" {
			t.Errorf("runs of %s: %+v", id, runs)
		}
	}
	started(t, f.srv, riverC, 0)
}

func TestRunRiversRefusesABadDAG(t *testing.T) {
	for name, nodes := range map[string][]riverytemporal.RiverNode{
		"empty":     nil,
		"duplicate": {{RiverID: riverA}, {RiverID: riverA}},
		"unknown":   {{RiverID: riverA, After: []string{"nope"}}},
		"cycle":     {{Name: "a", RiverID: riverA, After: []string{"b"}}, {Name: "b", RiverID: riverB, After: []string{"a"}}},
		"no river":  {{Name: "a"}},
	} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, nil, riverytest.River{ID: riverA}, riverytest.River{ID: riverB})
			f.env.ExecuteWorkflow(riverytemporal.WorkflowRunRivers, riverytemporal.RunRiversInput{Rivers: nodes})
			err := f.env.GetWorkflowError()
			if appErr := appError(t, err); appErr.Type() != riverytemporal.ErrTypeInvalidArgument {
				t.Errorf("err = %v", err)
			}
			if n := len(f.srv.Requests()); n != 0 {
				t.Errorf("%d requests sent for a bad DAG", n)
			}
		})
	}
}
