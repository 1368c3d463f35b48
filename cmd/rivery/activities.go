package main

import (
	"context"
	"iter"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/rivery-go/rivery"
)

// activityJSON is one river's row of `rivery activities` as JSON.
type activityJSON struct {
	RiverID   string     `json:"river_id"`
	RiverName string     `json:"river_name"`
	GroupID   string     `json:"group_id,omitempty"`
	Succeeded int64      `json:"succeeded"`
	Failed    int64      `json:"failed"`
	Running   int64      `json:"running"`
	Pending   int64      `json:"pending"`
	Canceled  int64      `json:"canceled"`
	Skipped   int64      `json:"skipped"`
	Units     float64    `json:"units"`
	LastRun   *time.Time `json:"last_run,omitempty"`
}

// statuses are the run statuses --status takes.
var statuses = []string{"pending", "running", "succeeded", "failed", "canceled", "skipped"}

// activitiesCmd is `rivery activities`: what ran and what failed across
// the environment, in one paged call.
func (c *cli) activitiesCmd() *cobra.Command {
	since := 24 * time.Hour
	var status, group string
	cmd := listCmd(c, spec{
		use:   "activities",
		short: "Summarize every river's runs in the environment since then, one row per river (v1 API).",
		long:  "One call, plus one per further page of 100 rivers.",
		example: `  rivery activities --since 24h --status failed     # what failed last night
  rivery activities --jsonl | jq -c 'select(.failed > 0)'`,
	},
		func(ctx context.Context, _ []string) iter.Seq2[activityJSON, error] {
			want := rivery.ParseRunStatus(status)
			opts := &rivery.ActivitiesOptions{ListOptions: rivery.ListOptions{PerPage: 100}, Window: rivery.LastWindow(since), GroupID: group}
			return func(yield func(activityJSON, error) bool) {
				for a, err := range c.client.Activities.All(ctx, opts) {
					if err != nil {
						yield(activityJSON{}, err)
						return
					}
					if status != "" && a.Counts.Of(want) == 0 {
						continue
					}
					row := activityJSON{
						RiverID: a.RiverID, RiverName: a.RiverName, GroupID: a.GroupID,
						Succeeded: a.Counts.Succeeded, Failed: a.Counts.Failed, Running: a.Counts.Running,
						Pending: a.Counts.Pending, Canceled: a.Counts.Canceled, Skipped: a.Counts.Skipped, Units: float64(a.Units),
						LastRun: timePtr(a.LastRun),
					}
					if !yield(row, nil) {
						return
					}
				}
			}
		},
		tableOf("RIVER ID\tNAME\tSUCCEEDED\tFAILED\tIN FLIGHT\tCANCELED\tUNITS\tLAST RUN", func(a activityJSON) []string {
			n := func(v int64) string { return strconv.FormatInt(v, 10) }
			return []string{a.RiverID, a.RiverName, n(a.Succeeded), n(a.Failed), n(a.Running + a.Pending), n(a.Canceled),
				strconv.FormatFloat(a.Units, 'f', 2, 64), formatTimePtr(a.LastRun)}
		}))
	fs := cmd.Flags()
	fs.Var(&durationValue{d: &since, positive: true}, "since", "rivers that ran this long ago or later")
	fs.Var(&choiceValue{v: &status, allowed: statuses}, "status", "only rivers with runs in this `status`: "+orList(statuses))
	fs.StringVar(&group, "group", "", "only rivers of this river `group-id`")
	_ = cmd.RegisterFlagCompletionFunc("status", cobra.FixedCompletions(statuses, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}
