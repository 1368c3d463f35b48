package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/rivery-go/rivery"
)

// errTimeout marks a --timeout that ran out.
var errTimeout = errors.New("timed out")

// runJSON is the --json form of a run.
type runJSON struct {
	ID        string     `json:"run_id"`
	GroupID   string     `json:"run_group_id,omitempty"`
	RiverID   string     `json:"river_id"`
	Status    string     `json:"status"`
	RawStatus string     `json:"raw_status"`
	Message   string     `json:"message,omitempty"`
	StartedAt *time.Time `json:"started_at,omitempty"`
	EndedAt   *time.Time `json:"ended_at,omitempty"`
}

func toRunJSON(r *rivery.Run) runJSON {
	out := runJSON{ID: r.ID, GroupID: r.GroupID, RiverID: r.RiverID, Status: string(r.Status), RawStatus: r.RawStatus, Message: r.Message}
	if !r.StartedAt.IsZero() {
		out.StartedAt = &r.StartedAt
	}
	if !r.EndedAt.IsZero() {
		out.EndedAt = &r.EndedAt
	}
	return out
}

func (c *cli) printRun(r *rivery.Run, asJSON bool) error {
	if asJSON {
		return c.printJSON(toRunJSON(r))
	}
	line := fmt.Sprintf("run %s of river %s: %s", r.ID, r.RiverID, r.Status)
	if r.Message != "" {
		line += " (" + r.Message + ")"
	}
	_, err := fmt.Fprintln(c.stdout, line)
	return err
}

// prepare parses want positional arguments, of which the first is a river
// ID or console URL (replaced by the river ID), and connects.
func (c *cli) prepare(fs *flag.FlagSet, args []string, want int) ([]string, error) {
	pos, err := parse(fs, args, want)
	if err != nil {
		return nil, err
	}
	if _, _, pos[0], err = rivery.ParseRiverURL(pos[0]); err != nil {
		return nil, err
	}
	return pos, c.connect()
}

func runCommand(ctx context.Context, c *cli, args []string) error {
	fs := c.newFlags("run", "run <river-id | console-url> [--wait] [--timeout 30m] [--json]")
	wait := fs.Bool("wait", false, "wait for the run to end; exit 1 if it does not succeed")
	timeout := fs.Duration("timeout", 30*time.Minute, "give up after this long (exit 124)")
	asJSON := fs.Bool("json", false, "print the run as JSON")
	poll := fs.Duration("poll-interval", rivery.DefaultMinInterval, "first wait between status calls; it doubles up to 30s")
	pos, err := c.prepare(fs, args, 1)
	if err != nil {
		return err
	}
	if *timeout <= 0 || *poll <= 0 {
		return usagef("--timeout and --poll-interval must be positive")
	}
	riverID := pos[0]
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()

	run, _, err := c.client.Rivers.Run(ctx, riverID)
	if err != nil {
		return timeoutError(ctx, err, *timeout, nil)
	}
	if !*wait {
		return c.printRun(run, *asJSON)
	}
	progress := c.progress(*asJSON)
	progress(run)
	final, err := c.client.Rivers.WaitForRun(ctx, riverID, run.ID, &rivery.WaitOptions{
		MinInterval: *poll, MaxInterval: max(*poll, rivery.DefaultMaxInterval), OnStatus: progress,
	})
	c.endProgress(*asJSON)
	if final != nil && (err == nil || errors.As(err, new(*rivery.RunError))) {
		if perr := c.printRun(final, *asJSON); perr != nil {
			return perr
		}
	}
	return timeoutError(ctx, err, *timeout, final)
}

// timeoutError turns the end of the --timeout into errTimeout.
func timeoutError(ctx context.Context, err error, timeout time.Duration, last *rivery.Run) error {
	if err == nil || !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return err
	}
	if last != nil {
		return fmt.Errorf("%w after %v: run %s is still %s", errTimeout, timeout, last.ID, last.Status)
	}
	return fmt.Errorf("%w after %v: %w", errTimeout, timeout, err)
}

// progress returns the status reporter for --wait: one rewritten line on a
// terminal, one line per change otherwise, nothing with --json.
func (c *cli) progress(asJSON bool) func(*rivery.Run) {
	start := time.Now()
	live := isTerminal(c.stderr)
	var last rivery.RunStatus
	return func(r *rivery.Run) {
		if asJSON || r.Status == last {
			return
		}
		last = r.Status
		line := fmt.Sprintf("%6.1fs  run %s  %s", time.Since(start).Seconds(), r.ID, r.Status)
		if live {
			fmt.Fprintf(c.stderr, "\r\033[K%s", line)
		} else {
			fmt.Fprintln(c.stderr, line)
		}
	}
}

func (c *cli) endProgress(asJSON bool) {
	if !asJSON && isTerminal(c.stderr) {
		fmt.Fprintln(c.stderr)
	}
}

func runsGet(ctx context.Context, c *cli, args []string) error {
	fs := c.newFlags("runs get", "runs get <river-id> <run-id> [--json]")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := c.prepare(fs, args, 2)
	if err != nil {
		return err
	}
	run, _, err := c.client.Rivers.GetRun(ctx, pos[0], pos[1])
	if err != nil {
		return err
	}
	return c.printRun(run, *asJSON)
}

func runsCancel(ctx context.Context, c *cli, args []string) error {
	fs := c.newFlags("runs cancel", "runs cancel <river-id> <run-id>")
	pos, err := c.prepare(fs, args, 2)
	if err != nil {
		return err
	}
	if _, err := c.client.Rivers.CancelRun(ctx, pos[0], pos[1]); err != nil {
		return err
	}
	_, err = fmt.Fprintf(c.stdout, "cancel requested for run %s\n", pos[1])
	return err
}

func runsList(ctx context.Context, c *cli, args []string) error {
	fs := c.newFlags("runs list", "runs list <river-id> [--since 24h] [--json]")
	since := fs.Duration("since", 24*time.Hour, "list runs that started this long ago or later")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := c.prepare(fs, args, 1)
	if err != nil {
		return err
	}
	if *since <= 0 {
		return usagef("--since must be positive")
	}
	now := time.Now()
	runs, _, err := c.client.Rivers.ListRuns(ctx, pos[0], &rivery.ListRunsOptions{
		ListOptions: rivery.ListOptions{PerPage: 500}, StartTime: now.Add(-*since), EndTime: now,
	})
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]runJSON, len(runs))
		for i, r := range runs {
			out[i] = toRunJSON(r)
		}
		return c.printJSON(out)
	}
	rows := make([][]string, len(runs))
	for i, r := range runs {
		rows[i] = []string{r.ID, string(r.Status), formatTime(r.StartedAt), formatTime(r.EndedAt), r.Message}
	}
	return c.table("RUN ID\tSTATUS\tSTARTED\tENDED\tMESSAGE", rows)
}

func runsLogs(ctx context.Context, c *cli, args []string) error {
	fs := c.newFlags("runs logs", "runs logs <river-id> <run-id> [--json]")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := c.prepare(fs, args, 2)
	if err != nil {
		return err
	}
	logs, _, err := c.client.Rivers.RunLogs(ctx, pos[0], pos[1])
	if err != nil {
		return err
	}
	if *asJSON {
		type entry struct {
			Time    string `json:"timestamp"`
			Level   string `json:"level"`
			Message string `json:"msg"`
		}
		out := make([]entry, len(logs))
		for i, l := range logs {
			out[i] = entry{formatTime(l.Time), l.Level, l.Message}
		}
		return c.printJSON(out)
	}
	for _, l := range logs {
		fmt.Fprintf(c.stdout, "%s %-5s %s\n", formatTime(l.Time), l.Level, l.Message)
	}
	return nil
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}
