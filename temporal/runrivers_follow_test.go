package riverytemporal_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
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

// activityLog counts the activities a test environment starts, by type,
// and keeps, for each CheckRuns, the workflow time it started at and how
// many runs it was given.
type activityLog struct {
	count     map[string]int
	checkAt   []time.Time
	checkRuns []int
}

func logActivities(t *testing.T, f *fixture) *activityLog {
	l := &activityLog{count: map[string]int{}}
	f.env.SetOnActivityStartedListener(func(info *activity.Info, _ context.Context, args converter.EncodedValues) {
		l.count[info.ActivityType.Name]++
		if info.ActivityType.Name == riverytemporal.ActivityCheckRuns {
			var runs []*rivery.Run
			if err := args.Get(&runs); err != nil {
				t.Error(err)
			}
			l.checkAt = append(l.checkAt, f.env.Now())
			l.checkRuns = append(l.checkRuns, len(runs))
		}
	})
	return l
}

// rivers returns n rivers on the fake whose runs end after 1, 2, ... n
// status calls or activity views, and their DAG nodes (a list).
func nRivers(n int) ([]riverytest.River, []riverytemporal.RiverNode) {
	var rivers []riverytest.River
	var nodes []riverytemporal.RiverNode
	for i := range n {
		id := fmt.Sprintf("63b724fc690def00113100%02d", i)
		rivers = append(rivers, riverytest.River{ID: id, Polls: i + 1})
		nodes = append(nodes, riverytemporal.RiverNode{RiverID: id})
	}
	return rivers, nodes
}

// Five rivers at once: RunRivers follows their runs with one CheckRuns
// activity per interval for all of them (one GET E/activities each), and
// reads each run once, when its row says it ended: no GetRun activity.
// RunRivers before shared polling, a RunRiver polling each run, made
// 2+3+4+5+6 = 20 GetRun activities on the same rivers.
func TestRunRiversOneCheckPerInterval(t *testing.T) {
	const n = 5
	rivers, nodes := nRivers(n)
	before := newFixture(t, nil, rivers...)
	beforeActs := logActivities(t, before)
	before.env.OnGetVersion("rivery.shared-polling", workflow.DefaultVersion, 1).Return(workflow.DefaultVersion)
	before.env.ExecuteWorkflow(riverytemporal.WorkflowRunRivers, riverytemporal.RunRiversInput{Rivers: nodes, Concurrency: n})
	if err := before.env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if got, status := beforeActs.count[riverytemporal.ActivityGetRun], len(before.srv.RequestsTo(riverytest.RouteRunStatus)); got != 20 || status != 20 {
		t.Errorf("before shared polling: %d GetRun activities, %d status requests; want 20", got, status)
	}

	f := newFixture(t, nil, rivers...)
	acts := logActivities(t, f)
	timers := 0
	f.env.SetOnTimerFiredListener(func(string) { timers++ })
	f.env.ExecuteWorkflow(riverytemporal.WorkflowRunRivers, riverytemporal.RunRiversInput{Rivers: nodes, Concurrency: n})
	var res riverytemporal.RunRiversResult
	if err := f.env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	for _, o := range res.Rivers {
		if o.Outcome != riverytemporal.OutcomeSucceeded || o.Run == nil || o.Run.Status != rivery.StatusSucceeded {
			t.Errorf("%s: %+v", o.Name, o)
		}
	}
	// The first check sees every run pending; each later one sees one end.
	checks := acts.count[riverytemporal.ActivityCheckRuns]
	if checks != n+1 || acts.count[riverytemporal.ActivityGetRun] != 0 || acts.count[riverytemporal.ActivityTriggerRun] != n {
		t.Errorf("activities: %v, want %d CheckRuns, %d TriggerRun, no GetRun", acts.count, n+1, n)
	}
	if timers != checks {
		t.Errorf("%d timers fired for %d checks: want one check per interval", timers, checks)
	}
	if want := []int{5, 5, 4, 3, 2, 1}; !slices.Equal(acts.checkRuns, want) {
		t.Errorf("runs per check: %v, want %v", acts.checkRuns, want)
	}
	// The waits double from MinPollInterval (30 s) up to MaxPollInterval (5 min).
	var gaps []time.Duration
	for k := 1; k < len(acts.checkAt); k++ {
		gaps = append(gaps, acts.checkAt[k].Sub(acts.checkAt[k-1]).Round(time.Second))
	}
	if want := []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 5 * time.Minute, 5 * time.Minute}; !slices.Equal(gaps, want) {
		t.Errorf("waits between checks: %v, want %v", gaps, want)
	}
	if got := len(f.srv.RequestsTo(riverytest.RouteActivities)); got != checks {
		t.Errorf("%d activities requests for %d checks", got, checks)
	}
	if got := len(f.srv.RequestsTo(riverytest.RouteRunStatus)); got != n {
		t.Errorf("%d status requests, want %d (one per run, when it ended)", got, n)
	}
	for _, r := range rivers {
		started(t, f.srv, r.ID, 1)
	}
}

// A river that starts while a long wait is under way cuts it short: its
// run's first check comes MinPollInterval after it started, as RunRiver's
// would.
func TestRunRiversNewRunCutsTheWaitShort(t *testing.T) {
	f := newFixture(t, nil, riverytest.River{ID: riverA, Polls: 40}, riverytest.River{ID: riverB, Polls: 2},
		riverytest.River{ID: riverC, Polls: 1})
	acts := logActivities(t, f)
	f.env.ExecuteWorkflow(riverytemporal.WorkflowRunRivers, riverytemporal.RunRiversInput{
		Rivers: []riverytemporal.RiverNode{{RiverID: riverA}, {RiverID: riverB}, {RiverID: riverC, After: []string{riverB}}},
	})
	if err := f.env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	// B ends at the third check (t=3.5 min): C starts, and the wait, 4
	// minutes by then, is cut to 30 s.
	var at []time.Duration
	for _, c := range acts.checkAt {
		at = append(at, c.Sub(acts.checkAt[0]).Round(time.Second)+30*time.Second)
	}
	if len(at) < 5 || at[3] != 3*time.Minute+30*time.Second+30*time.Second || acts.checkRuns[3] != 2 {
		t.Errorf("checks at %v with %v runs: want the fourth 30 s after the third, with C's run", at, acts.checkRuns)
	}
}

// A run that Rivery will not show any more (404) fails its river with the
// cause; the other rivers go on.
func TestRunRiversRunThatCannotBeRead(t *testing.T) {
	f := newFixture(t, nil, riverytest.River{ID: riverA, Polls: 1}, riverytest.River{ID: riverB, Polls: 4})
	f.srv.Fail(riverytest.RouteRunStatus, 1, riverytest.Fault{Status: 404})
	f.env.ExecuteWorkflow(riverytemporal.WorkflowRunRivers, riverytemporal.RunRiversInput{
		Rivers: []riverytemporal.RiverNode{{RiverID: riverA}, {RiverID: riverB}},
	})
	var appErr *temporal.ApplicationError
	if err := f.env.GetWorkflowError(); !errors.As(err, &appErr) || appErr.Type() != riverytemporal.ErrTypeRunFailed {
		t.Fatalf("err = %v", err)
	}
	var res riverytemporal.RunRiversResult
	if err := appErr.Details(&res); err != nil {
		t.Fatal(err)
	}
	a, b := res.Rivers[0], res.Rivers[1]
	if a.Outcome != riverytemporal.OutcomeFailed || !strings.Contains(a.Error, "polling of run") || !strings.Contains(a.Error, riverytemporal.ErrTypeRejected) {
		t.Errorf("A: %+v", a)
	}
	if b.Outcome != riverytemporal.OutcomeSucceeded {
		t.Errorf("B: %+v", b)
	}
}

// After MaxPolls checks RunRivers continues as new with its progress:
// the runs in flight are followed on, none is triggered again, and the
// rivers not started yet start in the new execution.
func TestRunRiversContinuesAsNew(t *testing.T) {
	f := newFixture(t, nil, riverytest.River{ID: riverA, Polls: 6}, riverytest.River{ID: riverB, Polls: 3},
		riverytest.River{ID: riverC, Polls: 1})
	in := riverytemporal.RunRiversInput{
		Rivers: []riverytemporal.RiverNode{{RiverID: riverA}, {RiverID: riverB}, {RiverID: riverC, After: []string{riverB}}},
		Run:    riverytemporal.RunRiverInput{MaxPolls: 2},
	}
	env := f.env
	for executions := 1; ; executions++ {
		env.ExecuteWorkflow(riverytemporal.WorkflowRunRivers, in)
		var can *workflow.ContinueAsNewError
		err := env.GetWorkflowError()
		if !errors.As(err, &can) {
			if err != nil {
				t.Fatal(err)
			}
			if executions < 3 {
				t.Errorf("%d executions: want it to continue as new at least twice", executions)
			}
			break
		}
		if executions > 10 {
			t.Fatal("continues as new forever")
		}
		if err := converter.GetDefaultDataConverter().FromPayloads(can.Input, &in); err != nil {
			t.Fatal(err)
		}
		if in.Progress == nil || in.Progress.Check == nil || len(in.Progress.Rivers) != 3 {
			t.Fatalf("continues as new with %+v", in.Progress)
		}
		env = newEnv()
		riverytemporal.Register(env, f.acts)
	}
	var res riverytemporal.RunRiversResult
	if err := env.GetWorkflowResult(&res); err != nil || len(res.Failed()) != 0 {
		t.Fatalf("result %+v, %v", res, err)
	}
	for _, id := range []string{riverA, riverB, riverC} {
		started(t, f.srv, id, 1)
	}
	if n := len(f.srv.RequestsTo(riverytest.RouteRun)); n != 3 {
		t.Errorf("%d trigger requests, want 3", n)
	}
}

// A Progress of another DAG is refused before anything starts.
func TestRunRiversRefusesAnotherDAGsProgress(t *testing.T) {
	f := newFixture(t, nil, riverytest.River{ID: riverA})
	f.env.ExecuteWorkflow(riverytemporal.WorkflowRunRivers, riverytemporal.RunRiversInput{
		Rivers:   []riverytemporal.RiverNode{{RiverID: riverA}},
		Progress: &riverytemporal.RunRiversProgress{Rivers: []riverytemporal.RiverOutcome{{Name: "x", RiverID: riverA}}},
	})
	if appErr := appError(t, f.env.GetWorkflowError()); appErr.Type() != riverytemporal.ErrTypeInvalidArgument {
		t.Errorf("err = %v", appErr)
	}
	if n := len(f.srv.Requests()); n != 0 {
		t.Errorf("%d requests", n)
	}
}

// RunRiver with TriggerOnly returns the run it started, without a status
// call.
func TestRunRiverTriggerOnly(t *testing.T) {
	f := newFixture(t, nil, riverytest.River{ID: riverA})
	f.env.ExecuteWorkflow(riverytemporal.WorkflowRunRiver, riverytemporal.RunRiverInput{RiverID: riverA, TriggerOnly: true})
	var run rivery.Run
	if err := f.env.GetWorkflowResult(&run); err != nil || run.ID == "" || run.Status.Terminal() {
		t.Fatalf("run %+v, %v", run, err)
	}
	if n := len(f.srv.RequestsTo(riverytest.RouteRunStatus)); n != 0 {
		t.Errorf("%d status calls", n)
	}
	started(t, f.srv, riverA, 1)
}
