package integration_test

import (
	"testing"

	"go.temporal.io/sdk/worker"

	riverytemporal "github.com/rivery-go/rivery/temporal"
	"github.com/rivery-go/rivery/temporal/internal/testkit"
)

// A DAG with a failing river on a real server (testkit.FailingDAG): its
// dependent is skipped (no run), the other branches run, every outcome is
// reported, and the history replays under its own workflow ID (children
// are named after it).
func TestRunRiversDAGWithAFailure(t *testing.T) {
	t.Parallel()
	ids := [5]string{riverA, riverB, riverC, riverD, riverE}
	rivers, nodes := testkit.FailingDAG(ids)
	e := newEnv(t, envOptions{rivers: rivers})
	e.worker(worker.Options{TaskQueueActivitiesPerSecond: fastRate})
	wf := e.start("dag-1", riverytemporal.WorkflowRunRivers, riverytemporal.RunRiversInput{Rivers: nodes, Concurrency: 2, Run: fastRun})
	testkit.CheckFailingDAG(t, result(t, wf, nil), e.srv, ids)
	saveHistory(t, "runrivers-real-dag", e.history(wf))
}
