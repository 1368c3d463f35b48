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

// A master river's trigger starts one run per sub-river; the activity views
// then report those very runs: the group with its aggregate outcome, and
// each sub-river run with its own status.
func TestE2ESubRiverRunsOfATrigger(t *testing.T) {
	t.Parallel()
	const eu, us = "64c1d2e3f4a5b6c7d8e9f301", "64c1d2e3f4a5b6c7d8e9f302"
	srv := riverytest.NewServer(
		riverytest.WithRiver(riverytest.River{ID: masterRiver, Name: "orders", SubRivers: []riverytest.SubRiver{
			{ID: eu, Name: "orders (eu)"},
			{ID: us, Name: "orders (us)", Outcome: "failed", Message: "Target table is locked"},
		}}),
		riverytest.WithRiver(riverytest.River{ID: riverID}),
	)
	t.Cleanup(srv.Close)
	c := srv.ClientV1()
	ctx := context.Background()
	before := time.Now()

	done, err := c.Rivers.RunAndWait(ctx, masterRiver, quick())
	if !errors.Is(err, rivery.ErrRunFailed) || done == nil || done.Status != rivery.StatusPartial || done.Group == nil || len(done.Group.Runs) != 2 {
		t.Fatalf("RunAndWait = %+v, %v", done, err)
	}
	w := rivery.Window{Start: before.Add(-time.Minute), End: time.Now().Add(time.Minute)}
	var want []string
	for _, r := range done.Group.Runs {
		want = append(want, fmt.Sprintf("%s %s %s %s %q", r.ID, done.GroupID, r.SubRiverID, r.Status, r.Message))
	}

	subs, resp, err := c.Activities.SubRiverRuns(ctx, masterRiver, &rivery.WindowOptions{Window: w})
	if err != nil || resp.NextPage != "" {
		t.Fatalf("SubRiverRuns = %v, %v", subs, err)
	}
	var got []string
	for _, s := range subs {
		got = append(got, fmt.Sprintf("%s %s %s %s %q", s.RunID, s.RunGroupID, s.SubRiverID, s.Status, s.Message))
		if s.StartedAt.IsZero() || s.EndedAt.IsZero() {
			t.Errorf("sub-river run %s has no times: %+v", s.RunID, *s)
		}
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("SubRiverRuns:\n%s\nwant the runs RunAndWait saw:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(subs) == 2 && (subs[0].Name != "orders (eu)" || subs[1].Name != "orders (us)" || subs[1].Status != rivery.StatusFailed || subs[1].Message != "Target table is locked") {
		t.Errorf("sub-river runs = %+v, %+v", *subs[0], *subs[1])
	}

	groups, _, err := c.Activities.RunGroups(ctx, masterRiver, &rivery.WindowOptions{Window: w})
	if err != nil || len(groups) != 1 || groups[0].ID != done.GroupID || groups[0].Status != rivery.StatusPartial || groups[0].EndedAt.IsZero() {
		t.Fatalf("RunGroups = %v, %v; want the one group, partially succeeded", groups, err)
	}
	g, _, err := c.Activities.RunGroup(ctx, masterRiver, done.GroupID)
	if err != nil || g.Status != rivery.StatusPartial || g.Counts != (rivery.StatusCounts{Succeeded: 1, Failed: 1}) || g.Units != 0.5 {
		t.Errorf("RunGroup = %+v, %v", g, err)
	}
	st, _, err := c.Activities.RiverStatistics(ctx, masterRiver, &rivery.StatisticsOptions{Window: w})
	if err != nil || st.Counts != (rivery.StatusCounts{Succeeded: 1, Failed: 1}) {
		t.Errorf("RiverStatistics = %+v, %v", st, err)
	}
	targets, _, err := c.Activities.Targets(ctx, masterRiver, &rivery.TargetsOptions{Window: w, SubRiverID: us})
	if err != nil || len(targets) != 2 || targets[0].SubRiverID != us || targets[0].Status != rivery.StatusFailed || targets[0].Rows != 600 {
		t.Errorf("Targets of one sub-river = %v, %v", targets, err)
	}

	// A sub-river trigger adds a run (a group of its own), listed first;
	// paging sees each run once.
	one, _, err := c.Rivers.RunSubRiver(ctx, masterRiver, eu)
	if err != nil {
		t.Fatal(err)
	}
	w.End = time.Now().Add(time.Minute)
	seen := map[string]bool{}
	var first string
	for s, err := range c.Activities.AllSubRiverRuns(ctx, masterRiver, &rivery.WindowOptions{Window: w, ListOptions: rivery.ListOptions{PerPage: 1}}) {
		if err != nil {
			t.Fatal(err)
		}
		if first == "" {
			first = s.RunID
		}
		seen[s.RunID] = true
	}
	if len(seen) != 3 || first != one.ID {
		t.Errorf("AllSubRiverRuns = %v (first %s), want 3 runs, %s first", seen, first, one.ID)
	}

	if subs, _, err := c.Activities.SubRiverRuns(ctx, riverID, &rivery.WindowOptions{Window: w}); err != nil || len(subs) != 0 {
		t.Errorf("SubRiverRuns of a river without sub-rivers = %v, %v", subs, err)
	}
	old := rivery.Window{Start: before.Add(-48 * time.Hour), End: before.Add(-24 * time.Hour)}
	if subs, _, err := c.Activities.SubRiverRuns(ctx, masterRiver, &rivery.WindowOptions{Window: old}); err != nil || len(subs) != 0 {
		t.Errorf("SubRiverRuns of a window before the trigger = %v, %v", subs, err)
	}
}
