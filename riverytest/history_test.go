package riverytest_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

// The activity views over recorded runs: a river without runs in the
// window is left out, the group filter keeps its group's rivers only, a
// river's views hold its own runs only, and runs that started at the same
// moment come newest ID first.
func TestActivityViewsOverHistory(t *testing.T) {
	t.Parallel()
	const a, b, idle = "63b724fc690def001131d2d1", "63b724fc690def001131d2d2", "63b724fc690def001131d2d3"
	s := newServer(t,
		riverytest.WithRiver(riverytest.River{ID: a, Name: "a", GroupID: "g1"}),
		riverytest.WithRiver(riverytest.River{ID: b, Name: "b", GroupID: "g2"}),
		riverytest.WithRiver(riverytest.River{ID: idle, Name: "idle", GroupID: "g1"}),
	)
	at := time.Now().Add(-time.Hour).UTC().Truncate(time.Second)
	var aRuns []string
	for _, r := range []riverytest.RecordedRun{
		{RiverID: a, Started: at},
		{RiverID: a, Started: at, Status: "failed", Message: "disk full"},
		{RiverID: b, Started: at.Add(time.Minute)},
	} {
		id, err := s.AddRun(r)
		if err != nil {
			t.Fatal(err)
		}
		if r.RiverID == a {
			aRuns = append(aRuns, id)
		}
	}
	c, ctx := s.ClientV1(), context.Background()
	win := rivery.LastWindow(24 * time.Hour)

	all, _, err := c.Activities.List(ctx, &rivery.ActivitiesOptions{Window: win})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]rivery.StatusCounts{}
	for _, act := range all {
		got[act.RiverID] = act.Counts
	}
	if len(got) != 2 || got[a] != (rivery.StatusCounts{Succeeded: 1, Failed: 1}) || got[b] != (rivery.StatusCounts{Succeeded: 1}) {
		t.Errorf("activities = %+v; want a (1 succeeded, 1 failed) and b (1 succeeded), not the idle river", got)
	}
	g1, _, err := c.Activities.List(ctx, &rivery.ActivitiesOptions{Window: win, GroupID: "g1"})
	if err != nil || len(g1) != 1 || g1[0].RiverID != a || g1[0].GroupID != "g1" {
		t.Errorf("group g1 = %+v, %v; want river a only", g1, err)
	}

	groups, _, err := c.Activities.RunGroups(ctx, a, &rivery.WindowOptions{Window: win})
	if err != nil || len(groups) != 2 {
		t.Fatalf("RunGroups(a) = %+v, %v; want a's 2 runs only", groups, err)
	}
	for _, g := range groups {
		if g.RiverID != a {
			t.Errorf("RunGroups(a) holds a group of river %s", g.RiverID)
		}
	}
	stats, _, err := c.Activities.RiverStatistics(ctx, a, &rivery.StatisticsOptions{Window: win})
	if err != nil || stats.Counts != (rivery.StatusCounts{Succeeded: 1, Failed: 1}) {
		t.Errorf("RiverStatistics(a) = %+v, %v; want 1 succeeded, 1 failed", stats, err)
	}
	runs, _, err := c.Rivers.ListRuns(ctx, a, &rivery.ListRunsOptions{StartTime: at.Add(-time.Minute), EndTime: at.Add(time.Minute)})
	if err != nil || len(runs) != 2 {
		t.Fatalf("ListRuns(a) = %v, %v", runs, err)
	}
	newest := max(aRuns[0], aRuns[1])
	if runs[0].ID != newest {
		t.Errorf("runs started together come %s, %s; want the larger ID %s first", runs[0].ID, runs[1].ID, newest)
	}
	first, _, err := c.Rivers.GetRun(ctx, a, newest)
	if err != nil || first.GroupID == "" || groups[0].ID != first.GroupID {
		t.Errorf("run groups started together come %s, %s; want the newest run's group %+v first (%v)", groups[0].ID, groups[1].ID, first, err)
	}
}

// A window over WithMaxWindow is refused with the live API's message,
// naming the maximum in days.
func TestMaxWindowMessage(t *testing.T) {
	t.Parallel()
	s := newServer(t, riverytest.WithMaxWindow(48*time.Hour))
	_, _, err := s.ClientV1().Activities.List(context.Background(), &rivery.ActivitiesOptions{Window: rivery.LastWindow(72 * time.Hour)})
	if err == nil || !strings.Contains(err.Error(), "must be at most 2 days") {
		t.Errorf("List over 72h = %v; want a 400 saying at most 2 days", err)
	}
}

// A failed logic run's steps: the first succeeded without a message, the
// last failed with the run's message; each counts half the run's units.
// While the run is in progress both steps share its status.
func TestLogicStepsOfAFailedRun(t *testing.T) {
	t.Parallel()
	const failing, slow = "63b724fc690def001131d2d4", "63b724fc690def001131d2d5"
	s := newServer(t,
		riverytest.WithRiver(riverytest.River{ID: failing, Type: "logic", Outcome: "failed", Message: "bad SQL", Polls: -1}),
		riverytest.WithRiver(riverytest.River{ID: slow, Type: "logic", Duration: time.Hour}),
	)
	c, ctx := s.ClientV1(), context.Background()
	run, err := c.Rivers.RunAndWait(ctx, failing, nil)
	if run == nil {
		t.Fatalf("RunAndWait = %v", err)
	}
	steps, _, err := c.Rivers.LogicSteps(ctx, failing, run.ID)
	if err != nil || len(steps) != 2 {
		t.Fatalf("LogicSteps = %+v, %v", steps, err)
	}
	for i, want := range []string{"succeeded ", "failed bad SQL"} {
		if got := string(steps[i].Status) + " " + steps[i].Message; got != want || steps[i].Units != 0.125 {
			t.Errorf("step %d = %q, %v units; want %q, 0.125 units", i, got, steps[i].Units, want)
		}
	}
	tasks, _, err := c.Rivers.RunTasks(ctx, failing, run.ID)
	if err != nil || len(tasks) != 2 || tasks[0].Status != rivery.StatusSucceeded || tasks[1].Status != rivery.StatusFailed || tasks[1].Message != "bad SQL" || tasks[0].Message != "" {
		t.Errorf("RunTasks = %+v, %v; want the first succeeded, the last failed with the message", tasks, err)
	}

	started, _, err := c.Rivers.Run(ctx, slow)
	if err != nil {
		t.Fatal(err)
	}
	steps, _, err = c.Rivers.LogicSteps(ctx, slow, started.ID)
	if err != nil || len(steps) != 2 || steps[0].Status != steps[1].Status || (steps[0].Status != rivery.StatusPending && steps[0].Status != rivery.StatusRunning) {
		t.Fatalf("steps of a run in progress = %+v, %v; want both pending or running", steps, err)
	}
}

// A code step's log names the loop iteration asked for, and none when
// none was asked.
func TestStepLogIteration(t *testing.T) {
	t.Parallel()
	const logic = "63b724fc690def001131d2d6"
	s := newServer(t, riverytest.WithRiver(riverytest.River{ID: logic, Type: "logic", Polls: -1}))
	c, ctx := s.ClientV1(), context.Background()
	run, err := c.Rivers.RunAndWait(ctx, logic, nil)
	if err != nil {
		t.Fatal(err)
	}
	steps, _, err := c.Rivers.LogicSteps(ctx, logic, run.ID)
	if err != nil || len(steps) == 0 {
		t.Fatalf("LogicSteps = %+v, %v", steps, err)
	}
	for it, want := range map[int]string{0: "(run " + run.ID + ")\n", 3: "(run " + run.ID + ", iteration 3)\n"} {
		var opts *rivery.StepLogOptions
		if it != 0 {
			opts = &rivery.StepLogOptions{Iteration: it}
		}
		b, err := c.Rivers.StepLogContent(ctx, logic, run.ID, steps[0].ID, opts)
		if err != nil || !strings.Contains(string(b), want) {
			t.Errorf("iteration %d: log %q, %v; want it to contain %q", it, b, err, want)
		}
	}
}
