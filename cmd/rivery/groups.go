package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rivery-go/rivery"
)

// groupWindow is how far around a run's start runs get looks for the
// other runs of its group.
const groupWindow = 24 * time.Hour

// withGroup returns run with Group set to every run of its v1 run group
// when the group has more than one run: the river's runs that started
// within a day of it (GET E/rivers/{id}/runs, one more call, paged) with
// the same run group ID, oldest first. The group's own status is not
// computed: run keeps its own. A run without a group ID (the console API)
// is returned as it is. If the lookup fails, run is returned alone with a
// note on stderr: the run's status is what was asked for.
func (c *cli) withGroup(ctx context.Context, run *rivery.Run) *rivery.Run {
	if run.GroupID == "" || run.Group != nil {
		return run
	}
	now := time.Now()
	start := run.StartedAt
	if start.IsZero() {
		start = now
	}
	end := start.Add(groupWindow)
	if end.After(now) {
		end = now
	}
	opts := &rivery.ListRunsOptions{ListOptions: rivery.ListOptions{PerPage: 500}, StartTime: start.Add(-groupWindow), EndTime: end}
	var runs []*rivery.Run
	for r, err := range c.client.Rivers.AllRuns(ctx, run.RiverID, opts) {
		if err != nil {
			fmt.Fprintf(c.stderr, "rivery: could not list the other runs of run group %s: %s\n", run.GroupID, printable(message(err)))
			return run
		}
		if r.GroupID == run.GroupID {
			runs = append(runs, r)
		}
	}
	if len(runs) < 2 {
		return run
	}
	slices.SortStableFunc(runs, func(a, b *rivery.Run) int {
		if d := a.StartedAt.Compare(b.StartedAt); d != 0 {
			return d
		}
		return strings.Compare(a.ID, b.ID)
	})
	for i, r := range runs {
		if r.ID == run.ID {
			runs[i] = run // the fresher answer
		}
	}
	out := *run
	out.Group = &rivery.RunGroup{ID: run.GroupID, RiverID: run.RiverID, Runs: runs}
	return &out
}
