package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/rivery-go/rivery"
)

func (c *cli) runsCmd() *cobra.Command {
	return c.group("runs", "Read, list and cancel a river's runs.",
		c.runsGetCmd(), c.runsCancelCmd(), c.runsListCmd(), c.runsLogsCmd(),
		c.runsTasksCmd(), c.runsStepsCmd(), c.runsStepLogCmd(), c.runsVarsCmd())
}

func (c *cli) runsGetCmd() *cobra.Command {
	return c.leaf(spec{
		use:   "get <river> <run-id>",
		short: "Show a run's status, and on the v1 API every run of its run group when it has several.",
		long:  "The group's runs take one more call: the river's runs within a day of the run.",
		flags: apiFlags | outputOne,
		run: func(ctx context.Context, args []string) error {
			run, _, err := c.client.Rivers.GetRun(ctx, args[0], args[1])
			if err != nil {
				return err
			}
			return c.printRun(c.withGroup(ctx, run))
		},
	})
}

func (c *cli) runsCancelCmd() *cobra.Command {
	var group string
	cmd := actionCmd(c, spec{
		use:   "cancel <river> [<run-id>]",
		short: "Ask Rivery to cancel a run, or with --group every run of a run group (v1 API).",
		example: `  rivery runs cancel 63b724fc690def001131d242 0000000000000000000000000000a006
  rivery runs cancel 63b724fc690def001131d242 --group 1f0e2d3c4b5a69788796a5b4c3d2e1f0`,
		check: func(args []string) error {
			switch {
			case len(args) == 1 && group == "":
				return usagef("runs cancel needs <run-id>, or --group <run-group-id>")
			case len(args) == 2 && group != "":
				return usagef("runs cancel takes <run-id> or --group <run-group-id>, not both")
			}
			return nil
		},
	}, func(ctx context.Context, args []string) (string, error) {
		if group != "" {
			_, err := c.client.Rivers.CancelRunGroup(ctx, args[0], group)
			return "cancel requested for run group " + group, err
		}
		_, err := c.client.Rivers.CancelRun(ctx, args[0], args[1])
		return "cancel requested for run " + args[1], err
	})
	cmd.Flags().StringVar(&group, "group", "", "cancel every run of the run group with this `run-group-id` (run_group_id; v1 API)")
	return cmd
}

func (c *cli) runsListCmd() *cobra.Command {
	since := 24 * time.Hour
	cmd := listCmd(c, spec{use: "list <river>", short: "List a river's runs that started since then, newest first (v1 API)."},
		func(ctx context.Context, args []string) iter.Seq2[runJSON, error] {
			now := time.Now()
			return mapped(c.client.Rivers.AllRuns(ctx, args[0], &rivery.ListRunsOptions{
				ListOptions: rivery.ListOptions{PerPage: 500}, StartTime: now.Add(-since), EndTime: now,
			}), toRunJSON)
		},
		tableOf("RUN ID\tSTATUS\tSTARTED\tENDED\tMESSAGE", func(r runJSON) []string {
			return []string{r.ID, r.Status, formatTimePtr(r.StartedAt), formatTimePtr(r.EndedAt), r.Message}
		}))
	cmd.Flags().Var(&durationValue{d: &since, positive: true}, "since", "list runs that started this long ago or later")
	return cmd
}

// logJSON is one line of a run's log.
type logJSON struct {
	Time    string `json:"timestamp"`
	Level   string `json:"level"`
	Message string `json:"msg"`
}

func (c *cli) runsLogsCmd() *cobra.Command {
	return listCmd(c, spec{use: "logs <river> <run-id>", short: "Print a run's log, oldest line first (v1 API)."},
		func(ctx context.Context, args []string) iter.Seq2[logJSON, error] {
			logs, _, err := c.client.Rivers.RunLogs(ctx, args[0], args[1])
			// The API sends the newest line first; a log reads oldest first
			// (lines of the same time too).
			slices.Reverse(logs)
			slices.SortStableFunc(logs, func(a, b rivery.LogEntry) int { return a.Time.Compare(b.Time) })
			return mapped(slice(logs, err), func(l rivery.LogEntry) logJSON { return logJSON{formatTime(l.Time), l.Level, l.Message} })
		},
		func(c *cli, logs []logJSON) error {
			for _, l := range logs {
				if _, err := fmt.Fprintf(c.stdout, "%s %-5s %s\n", l.Time, printable(l.Level), printable(l.Message)); err != nil {
					return err
				}
			}
			return nil
		})
}

// partJSON is the JSON form of a task or a logic step.
type partJSON struct {
	ID        string     `json:"id,omitempty"`
	Name      string     `json:"name"`
	Type      string     `json:"type,omitempty"`
	Status    string     `json:"status"`
	RawStatus string     `json:"raw_status"`
	Message   string     `json:"message,omitempty"`
	Units     float64    `json:"units"`
	Rows      int64      `json:"rows,omitempty"`
	Iteration int        `json:"iteration,omitempty"`
	StartedAt *time.Time `json:"started_at,omitempty"`
	EndedAt   *time.Time `json:"ended_at,omitempty"`
}

func (c *cli) runsTasksCmd() *cobra.Command {
	return listCmd(c, spec{use: "tasks <river> <run-id>", short: "List a run's tasks (v1 API)."},
		func(ctx context.Context, args []string) iter.Seq2[partJSON, error] {
			tasks, _, err := c.client.Rivers.RunTasks(ctx, args[0], args[1])
			return mapped(slice(tasks, err), func(t *rivery.RunRecord) partJSON {
				return partJSON{ID: t.TaskID, Name: t.Name, Status: string(t.Status), RawStatus: t.RawStatus, Message: t.Message,
					Units: float64(t.Units), Rows: int64(t.Rows), StartedAt: timePtr(t.StartedAt), EndedAt: timePtr(t.EndedAt)}
			})
		},
		tableOf("TASK\tSTATUS\tROWS\tUNITS\tMESSAGE", func(t partJSON) []string {
			return []string{t.Name, t.Status, strconv.FormatInt(t.Rows, 10), strconv.FormatFloat(t.Units, 'f', 2, 64), t.Message}
		}))
}

func (c *cli) runsStepsCmd() *cobra.Command {
	return listCmd(c, spec{use: "steps <river> <run-id>", short: "List a logic run's steps (v1 API)."},
		func(ctx context.Context, args []string) iter.Seq2[partJSON, error] {
			steps, _, err := c.client.Rivers.LogicSteps(ctx, args[0], args[1])
			return mapped(slice(steps, err), func(st *rivery.LogicStep) partJSON {
				return partJSON{ID: st.ID, Name: st.Name, Type: st.Type, Status: string(st.Status), RawStatus: st.RawStatus, Message: st.Message,
					Units: float64(st.Units), Iteration: st.Iteration, StartedAt: timePtr(st.StartedAt), EndedAt: timePtr(st.EndedAt)}
			})
		},
		tableOf("STEP ID\tNAME\tTYPE\tSTATUS\tMESSAGE", func(st partJSON) []string {
			return []string{st.ID, st.Name, st.Type, st.Status, st.Message}
		}))
}

func (c *cli) runsStepLogCmd() *cobra.Command {
	var iteration int
	var onlyURL bool
	cmd := c.leaf(spec{
		use:   "step-log <river> <run-id> <step-id>",
		short: "Print a logic step's log, or with --url its short-lived presigned URL (v1 API).",
		long:  "The log is fetched from the presigned URL, without the token.",
		flags: apiFlags,
		run: func(ctx context.Context, args []string) error {
			log, _, err := c.client.Rivers.StepLog(ctx, args[0], args[1], args[2], &rivery.StepLogOptions{Iteration: iteration})
			if err != nil {
				return err
			}
			if onlyURL {
				return c.println(log.URL)
			}
			content, _, err := c.client.Rivers.ReadStepLog(ctx, log)
			if err != nil {
				return err
			}
			_, err = c.stdout.Write(content)
			return err
		},
	})
	cmd.Flags().Var(&countValue{&iteration}, "iteration", "the log of this loop iteration")
	cmd.Flags().BoolVar(&onlyURL, "url", false, "print the short-lived presigned URL instead of the log")
	return cmd
}

func (c *cli) runsVarsCmd() *cobra.Command {
	return showCmd(c, spec{use: "vars <river> <run-id>", short: "List a logic run's variables (v1 API; values expire soon after the run)."},
		func(ctx context.Context, args []string) (map[string]json.RawMessage, error) {
			vars, _, err := c.client.Rivers.RunVariables(ctx, args[0], args[1])
			out := make(map[string]json.RawMessage, len(vars))
			for _, v := range vars {
				out[v.Name] = v.Value
			}
			return out, err
		},
		func(w io.Writer, vars map[string]json.RawMessage) error {
			for _, name := range slices.Sorted(maps.Keys(vars)) {
				if _, err := fmt.Fprintf(w, "%s=%s\n", printable(name), printable(string(vars[name]))); err != nil {
					return err
				}
			}
			return nil
		})
}

func formatTimePtr(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return formatTime(*t)
}
