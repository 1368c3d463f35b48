package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/rivery-go/rivery"
)

// activityJSON is one line of `rivery activities` as JSON.
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

// activitiesCommand is `rivery activities`: what ran and what failed
// across the environment, in one paged call.
func activitiesCommand(ctx context.Context, c *cli, args []string) error {
	fs := c.flags()
	since := fs.Duration("since", 24*time.Hour, "rivers that ran this long ago or later")
	status := fs.String("status", "", "only rivers with runs in this status (e.g. failed, running)")
	group := fs.String("group", "", "only rivers of this river group")
	asJSON := fs.Bool("json", false, "print JSON lines (the default when stdout is not a terminal)")
	if _, err := c.parse(fs, args, 0); err != nil {
		return err
	}
	if *since <= 0 {
		return usagef("--since must be positive")
	}
	want := rivery.RunStatus("")
	if *status != "" {
		if want = rivery.ParseRunStatus(*status); want == rivery.StatusUnknown || want == rivery.StatusPartial {
			return usagef("--status %q: want pending, running, succeeded, failed, canceled or skipped", *status)
		}
	}
	ctx, cancel, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer cancel()
	lines := *asJSON || !isTerminal(c.stdout)
	enc := json.NewEncoder(c.stdout)
	enc.SetEscapeHTML(false)
	var rows [][]string
	opts := &rivery.ActivitiesOptions{ListOptions: rivery.ListOptions{PerPage: 100}, Window: rivery.LastWindow(*since), GroupID: *group}
	for a, err := range c.client.Activities.All(ctx, opts) {
		if err != nil {
			return err
		}
		if want != "" && a.Counts.Of(want) == 0 {
			continue
		}
		if lines {
			out := activityJSON{
				RiverID: a.RiverID, RiverName: a.RiverName, GroupID: a.GroupID,
				Succeeded: a.Counts.Succeeded, Failed: a.Counts.Failed, Running: a.Counts.Running,
				Pending: a.Counts.Pending, Canceled: a.Counts.Canceled, Skipped: a.Counts.Skipped, Units: float64(a.Units),
			}
			out.LastRun = timePtr(a.LastRun)
			if err := enc.Encode(out); err != nil {
				return err
			}
			continue
		}
		n := func(v int64) string { return strconv.FormatInt(v, 10) }
		rows = append(rows, []string{a.RiverID, a.RiverName, n(a.Counts.Succeeded), n(a.Counts.Failed),
			n(a.Counts.Running + a.Counts.Pending), n(a.Counts.Canceled), strconv.FormatFloat(float64(a.Units), 'f', 2, 64), formatTime(a.LastRun)})
	}
	if lines {
		return nil
	}
	return c.table("RIVER ID\tNAME\tSUCCEEDED\tFAILED\tIN FLIGHT\tCANCELED\tUNITS\tLAST RUN", rows)
}

// partJSON is the --json form of a task or a logic step.
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

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func runsTasks(ctx context.Context, c *cli, args []string) error {
	fs := c.flags()
	asJSON := fs.Bool("json", false, "print JSON")
	ctx, cancel, pos, err := c.start(ctx, fs, args, 2, true)
	if err != nil {
		return err
	}
	defer cancel()
	tasks, _, err := c.client.Rivers.RunTasks(ctx, pos[0], pos[1])
	if err != nil {
		return err
	}
	return printParts(c, *asJSON, tasks, "TASK\tSTATUS\tROWS\tUNITS\tMESSAGE", func(t *rivery.RunRecord) (partJSON, []string) {
		return partJSON{ID: t.TaskID, Name: t.Name, Status: string(t.Status), RawStatus: t.RawStatus, Message: t.Message,
				Units: float64(t.Units), Rows: int64(t.Rows), StartedAt: timePtr(t.StartedAt), EndedAt: timePtr(t.EndedAt)},
			[]string{t.Name, string(t.Status), strconv.FormatInt(int64(t.Rows), 10), strconv.FormatFloat(float64(t.Units), 'f', 2, 64), t.Message}
	})
}

func runsSteps(ctx context.Context, c *cli, args []string) error {
	fs := c.flags()
	asJSON := fs.Bool("json", false, "print JSON")
	ctx, cancel, pos, err := c.start(ctx, fs, args, 2, true)
	if err != nil {
		return err
	}
	defer cancel()
	steps, _, err := c.client.Rivers.LogicSteps(ctx, pos[0], pos[1])
	if err != nil {
		return err
	}
	return printParts(c, *asJSON, steps, "STEP ID\tNAME\tTYPE\tSTATUS\tMESSAGE", func(st *rivery.LogicStep) (partJSON, []string) {
		return partJSON{ID: st.ID, Name: st.Name, Type: st.Type, Status: string(st.Status), RawStatus: st.RawStatus, Message: st.Message,
				Units: float64(st.Units), Iteration: st.Iteration, StartedAt: timePtr(st.StartedAt), EndedAt: timePtr(st.EndedAt)},
			[]string{st.ID, st.Name, st.Type, string(st.Status), st.Message}
	})
}

// printParts prints a run's tasks or steps: as JSON, or as a table under
// header, each item mapped by part to both forms.
func printParts[T any](c *cli, asJSON bool, items []T, header string, part func(T) (partJSON, []string)) error {
	out := make([]partJSON, len(items))
	rows := make([][]string, len(items))
	for i, it := range items {
		out[i], rows[i] = part(it)
	}
	if asJSON {
		return c.printJSON(out)
	}
	return c.table(header, rows)
}

func runsStepLog(ctx context.Context, c *cli, args []string) error {
	fs := c.flags()
	iteration := fs.Int("iteration", 0, "the loop iteration's log")
	onlyURL := fs.Bool("url", false, "print the short-lived presigned URL instead of the log")
	ctx, cancel, pos, err := c.start(ctx, fs, args, 3, true)
	if err != nil {
		return err
	}
	defer cancel()
	if *iteration < 0 {
		return usagef("--iteration must not be negative")
	}
	log, _, err := c.client.Rivers.StepLog(ctx, pos[0], pos[1], pos[2], &rivery.StepLogOptions{Iteration: *iteration})
	if err != nil {
		return err
	}
	if *onlyURL {
		_, err := fmt.Fprintln(c.stdout, printable(log.URL))
		return err
	}
	content, _, err := c.client.Rivers.ReadStepLog(ctx, log)
	if err != nil {
		return err
	}
	_, err = c.stdout.Write(content)
	return err
}

func runsVars(ctx context.Context, c *cli, args []string) error {
	fs := c.flags()
	asJSON := fs.Bool("json", false, "print JSON")
	ctx, cancel, pos, err := c.start(ctx, fs, args, 2, true)
	if err != nil {
		return err
	}
	defer cancel()
	vars, _, err := c.client.Rivers.RunVariables(ctx, pos[0], pos[1])
	if err != nil {
		return err
	}
	if *asJSON {
		out := make(map[string]json.RawMessage, len(vars))
		for _, v := range vars {
			out[v.Name] = v.Value
		}
		return c.printJSON(out)
	}
	for _, v := range vars {
		fmt.Fprintf(c.stdout, "%s=%s\n", printable(v.Name), printable(string(v.Value)))
	}
	return nil
}
