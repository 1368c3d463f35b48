package integration_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/worker"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
	riverytemporal "github.com/rivery-go/rivery/temporal"
	"github.com/rivery-go/rivery/temporal/internal/testkit"
)

// A DAG with a failing river on a real server (testkit.FailingDAG): its
// dependent is skipped (no run), the other branches run, every outcome is
// reported, and the history replays under its own workflow ID (children
// are named after it). runrivers-real-dag.json, kept as it was, is the
// same DAG from before shared polling.
func TestRunRiversDAGWithAFailure(t *testing.T) {
	t.Parallel()
	ids := [5]string{riverA, riverB, riverC, riverD, riverE}
	rivers, nodes := testkit.FailingDAG(ids)
	e := newEnv(t, envOptions{rivers: rivers})
	e.worker(worker.Options{TaskQueueActivitiesPerSecond: fastRate})
	wf := e.start("dag-1", riverytemporal.WorkflowRunRivers, riverytemporal.RunRiversInput{Rivers: nodes, Concurrency: 2, Run: fastRun})
	testkit.CheckFailingDAG(t, result(t, wf, nil), e.srv, ids)
	saveHistory(t, "runrivers-real-dag-shared", e.history(wf))
}

// someRivers returns n rivers on the fake whose runs end after 1, 2, ...
// n status calls or activity views, and their DAG nodes (a list).
func someRivers(n int) ([]riverytest.River, []riverytemporal.RiverNode) {
	var rivers []riverytest.River
	var nodes []riverytemporal.RiverNode
	for i := range n {
		id := fmt.Sprintf("63b724fc690def00113100%02d", i)
		rivers = append(rivers, riverytest.River{ID: id, Polls: 1 + i})
		nodes = append(nodes, riverytemporal.RiverNode{RiverID: id})
	}
	return rivers, nodes
}

// checkOutcomes checks that every river succeeded, its run started once.
func (e *env) checkOutcomes(res riverytemporal.RunRiversResult, rivers []riverytest.River) {
	e.t.Helper()
	for _, o := range res.Rivers {
		if o.Outcome != riverytemporal.OutcomeSucceeded || o.Run == nil || o.Run.Status != rivery.StatusSucceeded {
			e.t.Errorf("%s: %+v", o.Name, o)
		}
	}
	for i := range rivers {
		if got := e.srv.RunsStarted(rivers[i].ID); got != 1 {
			e.t.Errorf("runs of %s started: %d, want 1", rivers[i].ID, got)
		}
	}
}

// requests counts the activities and status requests the activities sent.
func (e *env) requests() (activities, status int) {
	for _, c := range e.calls.all() {
		switch {
		case strings.HasSuffix(c.path, "/activities"):
			activities++
		case strings.Contains(c.path, "/runs/"):
			status++
		}
	}
	return activities, status
}

// Five rivers at once on a real server: the workflow follows their runs
// with one CheckRuns activity per interval for all of them (one GET
// E/activities each) and no GetRun activity, and reads each run once, when
// its activity row says it ended. The history replays.
func TestRunRiversChecksEveryRunAtOnce(t *testing.T) {
	t.Parallel()
	const n = 5
	rivers, nodes := someRivers(n)
	e := newEnv(t, envOptions{rivers: rivers})
	e.worker(worker.Options{TaskQueueActivitiesPerSecond: fastRate})
	// Waits of 100 ms doubling up to 2 s: a run whose row says nothing is
	// read directly after 20 s, which these runs never need.
	run := fastRun
	run.MaxPollInterval = 2 * time.Second
	wf := e.start("shared-1", riverytemporal.WorkflowRunRivers, riverytemporal.RunRiversInput{Rivers: nodes, Concurrency: n, Run: run})
	var res riverytemporal.RunRiversResult
	if err := result(t, wf, &res); err != nil {
		t.Fatal(err)
	}
	e.checkOutcomes(res, rivers)
	h := e.history(wf)
	acts := scheduled(h)
	// The first check sees every run pending; each later one sees one end.
	if checks := acts[riverytemporal.ActivityCheckRuns]; checks != n+1 || acts[riverytemporal.ActivityGetRun] != 0 {
		t.Errorf("the workflow scheduled %v: want %d CheckRuns and no GetRun", acts, n+1)
	}
	if activities, status := e.requests(); activities != n+1 || status != n {
		t.Errorf("%d activities requests and %d status requests: want %d and %d (one per run, when its row said it ended)", activities, status, n+1, n)
	}
	saveHistory(t, "runrivers-real-shared", h)
}

// A worker stopped while RunRivers follows its runs, and a new one
// started: the runs are followed on by the new worker with CheckRuns,
// nothing is triggered twice.
func TestRunRiversSurvivesAWorkerRestart(t *testing.T) {
	t.Parallel()
	const n = 3
	rivers, nodes := someRivers(n)
	for i := range rivers {
		rivers[i].Polls += 8 // long enough to outlast the restart
	}
	e := newEnv(t, envOptions{rivers: rivers})
	w1 := e.worker(worker.Options{TaskQueueActivitiesPerSecond: fastRate})
	run := fastRun
	run.MaxPollInterval = 300 * time.Millisecond
	wf := e.start("shared-restart", riverytemporal.WorkflowRunRivers, riverytemporal.RunRiversInput{Rivers: nodes, Concurrency: n, Run: run})
	waitFor(t, "two checks", func() bool { return len(e.srv.RequestsTo(riverytest.RouteActivities)) >= 2 })
	w1.Stop()
	before, _ := e.requests()
	e.worker(worker.Options{TaskQueueActivitiesPerSecond: fastRate})
	var res riverytemporal.RunRiversResult
	if err := result(t, wf, &res); err != nil {
		t.Fatal(err)
	}
	e.checkOutcomes(res, rivers)
	if n := len(e.srv.RequestsTo(riverytest.RouteRun)); n != len(rivers) {
		t.Errorf("trigger requests: %d, want %d", n, len(rivers))
	}
	if acts := scheduled(e.history(wf)); acts[riverytemporal.ActivityGetRun] != 0 {
		t.Errorf("the workflow scheduled %v: want no GetRun", acts)
	}
	if after, _ := e.requests(); after <= before {
		t.Errorf("activities requests: %d before the restart, %d at the end: the new worker did not check", before, after)
	}
}

// scheduled counts the activities a history schedules, by type.
func scheduled(h *historypb.History) map[string]int {
	out := map[string]int{}
	for _, ev := range h.GetEvents() {
		if ev.GetEventType() == enumspb.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED {
			out[ev.GetActivityTaskScheduledEventAttributes().GetActivityType().GetName()]++
		}
	}
	return out
}
