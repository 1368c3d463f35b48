package rivery_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

const logicRiver = "63b724fc690def001131d2aa"

// activityFake is a server with a river that succeeds, one that fails and
// a logic river, each run once to its end.
func activityFake(t *testing.T, opts ...riverytest.Option) (*riverytest.Server, map[string]*rivery.Run) {
	t.Helper()
	srv := riverytest.NewServer(append([]riverytest.Option{
		riverytest.WithRiver(riverytest.River{ID: riverID, Name: "orders", GroupID: "64c0ffee0000000000000a01", Polls: -1}),
		riverytest.WithRiver(riverytest.River{ID: failingRiver, Name: "broken", Outcome: "failed", Message: "source refused the credentials", Polls: -1}),
		riverytest.WithRiver(riverytest.River{ID: logicRiver, Name: "rollup", Type: "logic", Outcome: "failed", Message: "SQL compilation error", Polls: -1}),
	}, opts...)...)
	t.Cleanup(srv.Close)
	c := srv.ClientV1()
	runs := map[string]*rivery.Run{}
	for _, id := range []string{riverID, failingRiver, logicRiver} {
		run, err := c.Rivers.RunAndWait(context.Background(), id, quick())
		if run == nil || (err != nil && !errors.Is(err, rivery.ErrRunFailed)) {
			t.Fatalf("RunAndWait(%s) = %v, %v", id, run, err)
		}
		runs[id] = run
	}
	return srv, runs
}

func TestE2EActivities(t *testing.T) {
	t.Parallel()
	srv, _ := activityFake(t)
	ctx := context.Background()
	for name, c := range map[string]*rivery.Client{"v1": srv.ClientV1(), "token only": srv.Client()} {
		t.Run(name, func(t *testing.T) {
			w := rivery.LastWindow(time.Hour)
			// pages of one: three pages
			var got []string
			for a, err := range c.Activities.All(ctx, &rivery.ActivitiesOptions{Window: w, ListOptions: rivery.ListOptions{PerPage: 1}}) {
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, fmt.Sprintf("%s s%d f%d %.2f", a.RiverName, a.Counts.Succeeded, a.Counts.Failed, a.Units))
				if a.LastRun.IsZero() {
					t.Errorf("%s: no last run", a.RiverName)
				}
			}
			if want := "orders s1 f0 0.25|broken s0 f1 0.25|rollup s0 f1 0.25"; strings.Join(got, "|") != want {
				t.Errorf("activities = %s, want %s", strings.Join(got, "|"), want)
			}
			rows, _, err := c.Activities.List(ctx, &rivery.ActivitiesOptions{Window: w, GroupID: "64c0ffee0000000000000a01"})
			if err != nil || len(rows) != 1 || rows[0].RiverID != riverID {
				t.Errorf("List by group = %v, %v", rows, err)
			}
			// a window before the runs holds none
			old := rivery.Window{Start: w.Start.Add(-48 * time.Hour), End: w.Start.Add(-24 * time.Hour)}
			if rows, _, err := c.Activities.List(ctx, &rivery.ActivitiesOptions{Window: old}); err != nil || len(rows) != 0 {
				t.Errorf("List of an old window = %v, %v", rows, err)
			}

			st, _, err := c.Activities.Statistics(ctx, &rivery.StatisticsOptions{Window: w})
			if err != nil || st.Counts != (rivery.StatusCounts{Succeeded: 1, Failed: 2}) || st.Units != 0.75 {
				t.Errorf("Statistics = %+v, %v", st, err)
			}
			st, _, err = c.Activities.RiverStatistics(ctx, failingRiver, &rivery.StatisticsOptions{Window: w, Status: rivery.StatusFailed})
			if err != nil || st.Counts != (rivery.StatusCounts{Failed: 1}) {
				t.Errorf("RiverStatistics = %+v, %v", st, err)
			}
		})
	}
}

func TestE2ERunGroupsAndTargets(t *testing.T) {
	t.Parallel()
	srv, runs := activityFake(t)
	c := srv.ClientV1()
	ctx := context.Background()
	w := rivery.LastWindow(time.Hour)

	groups, _, err := c.Activities.RunGroups(ctx, failingRiver, &rivery.WindowOptions{Window: w})
	if err != nil || len(groups) != 1 {
		t.Fatalf("RunGroups = %v, %v", groups, err)
	}
	g := groups[0]
	if g.ID != runs[failingRiver].GroupID || g.Status != rivery.StatusFailed || g.StartedAt.IsZero() || g.EndedAt.IsZero() {
		t.Errorf("group = %+v", *g)
	}
	one, _, err := c.Activities.RunGroup(ctx, failingRiver, g.ID)
	if err != nil || one.Counts.Failed != 1 || one.RiverID != failingRiver {
		t.Errorf("RunGroup = %+v, %v", one, err)
	}
	if _, _, err := c.Activities.RunGroup(ctx, failingRiver, "00000000000000000000000000000000"); !errors.Is(err, rivery.ErrNotFound) {
		t.Errorf("RunGroup of no group: err = %v, want ErrNotFound", err)
	}

	targets, _, err := c.Activities.Targets(ctx, riverID, &rivery.TargetsOptions{Window: w, SortBy: rivery.TargetSortTableName})
	if err != nil || len(targets) != 2 || targets[0].Name != "customers" || targets[1].Rows != 600 {
		t.Errorf("Targets = %v, %v", targets, err)
	}
	none, _, err := c.Activities.Targets(ctx, riverID, &rivery.TargetsOptions{Window: w, Statuses: []rivery.RunStatus{rivery.StatusFailed}})
	if err != nil || len(none) != 0 {
		t.Errorf("Targets of failed runs of a river that succeeded = %v, %v", none, err)
	}
	if subs, _, err := c.Activities.SubRiverRuns(ctx, failingRiver, &rivery.WindowOptions{Window: w}); err != nil || len(subs) != 0 {
		t.Errorf("SubRiverRuns of a river without sub-rivers = %v, %v", subs, err)
	}
}

func TestE2ERunDetail(t *testing.T) {
	t.Parallel()
	srv, runs := activityFake(t)
	c := srv.ClientV1()
	ctx := context.Background()

	tasks, _, err := c.Rivers.RunTasks(ctx, failingRiver, runs[failingRiver].ID)
	if err != nil || len(tasks) != 2 || tasks[1].Status != rivery.StatusFailed || tasks[1].Message != "source refused the credentials" {
		t.Errorf("RunTasks = %v, %v", tasks, err)
	}
	logicRun := runs[logicRiver].ID
	steps, _, err := c.Rivers.LogicSteps(ctx, logicRiver, logicRun)
	if err != nil || len(steps) != 2 {
		t.Fatalf("LogicSteps = %v, %v", steps, err)
	}
	if steps[0].Type != "logicode" || steps[0].Status != rivery.StatusSucceeded || steps[1].Status != rivery.StatusFailed || steps[1].Message != "SQL compilation error" {
		t.Errorf("steps = %+v, %+v", *steps[0], *steps[1])
	}
	if _, _, err := c.Rivers.LogicSteps(ctx, riverID, runs[riverID].ID); !errors.Is(err, rivery.ErrBadRequest) {
		t.Errorf("LogicSteps of a source-to-target river: err = %v, want ErrBadRequest", err)
	}

	content, err := c.Rivers.StepLogContent(ctx, logicRiver, logicRun, steps[0].ID, &rivery.StepLogOptions{Iteration: 4})
	if err != nil || !strings.Contains(string(content), "iteration 4") {
		t.Errorf("StepLogContent = %q, %v", content, err)
	}
	for _, req := range srv.RequestsTo(riverytest.RoutePresignedLogs) {
		if req.Header.Get("Authorization") != "" {
			t.Errorf("the presigned request carried an Authorization header")
		}
	}
	if n := len(srv.RequestsTo(riverytest.RoutePresignedLogs)); n != 1 {
		t.Errorf("presigned requests = %d, want 1", n)
	}
	if _, err := c.Rivers.StepLogContent(ctx, logicRiver, logicRun, steps[1].ID, nil); !errors.Is(err, rivery.ErrBadRequest) {
		t.Errorf("StepLogContent of a SQL step: err = %v, want ErrBadRequest", err)
	}

	vars, _, err := c.Rivers.RunVariables(ctx, logicRiver, logicRun)
	if err != nil || len(vars) != 3 || vars[0].Name != "rows_loaded" || string(vars[0].Value) != "1000" {
		t.Errorf("RunVariables = %v, %v", vars, err)
	}
	if _, _, err := c.Rivers.RunVariables(ctx, riverID, runs[riverID].ID); !errors.Is(err, rivery.ErrBadRequest) {
		t.Errorf("RunVariables of a source-to-target river: err = %v, want ErrBadRequest", err)
	}
}

// A month of recorded history behind a server that takes at most a week
// at a time: List of the month is refused clearly, AllRunGroups walks it
// all, newest first, each group once.
func TestE2EHistoryAcrossWindows(t *testing.T) {
	t.Parallel()
	srv := riverytest.NewServer(
		riverytest.WithRiver(riverytest.River{ID: riverID, Name: "orders"}),
		riverytest.WithMaxWindow(rivery.WindowSplit),
	)
	t.Cleanup(srv.Close)
	end := time.Now().UTC().Truncate(time.Second)
	want := map[string]bool{}
	for i := range 30 {
		status := "succeeded"
		if i%7 == 3 {
			status = "failed"
		}
		// one run a day, one exactly on each week boundary the client uses
		id, err := srv.AddRun(riverytest.RecordedRun{RiverID: riverID, Started: end.Add(-time.Duration(i) * 24 * time.Hour), Status: status})
		if err != nil {
			t.Fatal(err)
		}
		want[id] = true
	}
	c := srv.ClientV1()
	ctx := context.Background()
	month := rivery.Window{Start: end.Add(-30 * 24 * time.Hour), End: end}

	_, _, err := c.Activities.List(ctx, &rivery.ActivitiesOptions{Window: month})
	if !errors.Is(err, rivery.ErrWindowTooLarge) {
		t.Errorf("List of a month: err = %v, want ErrWindowTooLarge", err)
	}

	seen := map[string]bool{}
	var last time.Time
	failed := 0
	for g, err := range c.Activities.AllRunGroups(ctx, riverID, &rivery.WindowOptions{Window: month, ListOptions: rivery.ListOptions{PerPage: 2}}) {
		if err != nil {
			t.Fatal(err)
		}
		if seen[g.ID] {
			t.Errorf("group %s twice", g.ID)
		}
		seen[g.ID] = true
		if !last.IsZero() && g.StartedAt.After(last) {
			t.Errorf("not newest first: %v after %v", g.StartedAt, last)
		}
		last = g.StartedAt
		if g.Status == rivery.StatusFailed {
			failed++
		}
	}
	if len(seen) != 30 || failed != 4 {
		t.Errorf("groups = %d (failed %d), want 30 (failed 4)", len(seen), failed)
	}
	// the recorded runs are runs like any other
	runs, _, err := c.Rivers.ListRuns(ctx, riverID, &rivery.ListRunsOptions{StartTime: end.Add(-36 * time.Hour), EndTime: end})
	if err != nil || len(runs) != 2 || !want[runs[0].ID] || runs[0].Status != rivery.StatusSucceeded {
		t.Errorf("ListRuns = %v, %v", runs, err)
	}
}
