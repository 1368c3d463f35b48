package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
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
	// SubRiverID is the sub-river a run of a master river belongs to.
	SubRiverID string `json:"sub_river_id,omitempty"`
	// InFlightRunID is the run a skipped trigger named as in flight.
	InFlightRunID string `json:"in_flight_run_id,omitempty"`
	// Runs is every run of the run group: what a trigger that started
	// several runs started (run), or the group a run belongs to (runs get).
	Runs []runJSON `json:"runs,omitempty"`
	// TriggerSkipped is set by run --wait when the trigger was skipped and
	// this is the run that was in flight.
	TriggerSkipped bool `json:"trigger_skipped,omitempty"`

	// Set when a timeout or a signal stopped the wait.
	TimedOut        bool  `json:"timed_out,omitempty"`
	Stopped         bool  `json:"stopped,omitempty"`
	CancelRequested *bool `json:"cancel_requested,omitempty"` // with --cancel-on-exit
}

func toRunJSON(r *rivery.Run) runJSON {
	out := runJSON{ID: r.ID, GroupID: r.GroupID, RiverID: r.RiverID, Status: string(r.Status), RawStatus: r.RawStatus, Message: r.Message,
		SubRiverID: r.SubRiverID, InFlightRunID: r.InFlightRunID}
	if r.Group != nil {
		out.Runs = make([]runJSON, len(r.Group.Runs))
		for i, sub := range r.Group.Runs {
			out.Runs[i] = toRunJSON(sub)
		}
	}
	if !r.StartedAt.IsZero() {
		out.StartedAt = &r.StartedAt
	}
	if !r.EndedAt.IsZero() {
		out.EndedAt = &r.EndedAt
	}
	return out
}

// runJSON is r's --json form, marked when a skipped trigger made the
// command wait for the run in flight instead.
func (c *cli) runJSON(r *rivery.Run) runJSON {
	out := toRunJSON(r)
	out.TriggerSkipped = c.skipped
	return out
}

func (c *cli) printRun(r *rivery.Run, asJSON bool) error {
	if asJSON {
		return c.printJSON(c.runJSON(r))
	}
	var b strings.Builder
	if r.Group != nil {
		fmt.Fprintf(&b, "run group %s of river %s (%d runs): %s", r.GroupID, r.RiverID, len(r.Group.Runs), r.Status)
	} else {
		fmt.Fprintf(&b, "run %s of river %s: %s", r.ID, r.RiverID, r.Status)
	}
	if r.Message != "" {
		b.WriteString(" (" + r.Message + ")")
	}
	if r.InFlightRunID != "" {
		fmt.Fprintf(&b, "; run %s is in flight", r.InFlightRunID)
	}
	if _, err := fmt.Fprintln(c.stdout, printable(b.String())); err != nil {
		return err
	}
	if r.Group == nil {
		return nil
	}
	for _, sub := range r.Group.Runs {
		line := fmt.Sprintf("  run %s", sub.ID)
		if sub.SubRiverID != "" {
			line += " (sub-river " + sub.SubRiverID + ")"
		}
		line += ": " + string(sub.Status)
		if sub.Message != "" {
			line += " (" + sub.Message + ")"
		}
		if _, err := fmt.Fprintln(c.stdout, printable(line)); err != nil {
			return err
		}
	}
	return nil
}

// prepare parses want positional arguments, of which the first is a river
// ID or console URL (replaced by the river ID; a URL's region and IDs are
// kept for connect).
func (c *cli) prepare(fs *flag.FlagSet, args []string, want int) ([]string, error) {
	pos, err := c.parse(fs, args, want)
	if err != nil {
		return nil, err
	}
	u, err := rivery.ParseConsoleURL(pos[0])
	if err != nil {
		return nil, err
	}
	c.console, pos[0] = u, u.RiverID
	return pos, nil
}

// start parses want positional arguments (with river, the first is a
// river ID or console URL, replaced by the river ID), bounds ctx by
// --timeout, and connects.
func (c *cli) start(ctx context.Context, fs *flag.FlagSet, args []string, want int, river bool) (context.Context, context.CancelFunc, []string, error) {
	var pos []string
	var err error
	if river {
		pos, err = c.prepare(fs, args, want)
	} else {
		pos, err = c.parse(fs, args, want)
	}
	if err != nil {
		return nil, nil, nil, err
	}
	ctx, cancel, err := c.open(ctx)
	return ctx, cancel, pos, err
}

// open bounds ctx by --timeout and connects: for a command that checks its
// own flags after parse and before any request.
func (c *cli) open(ctx context.Context) (context.Context, context.CancelFunc, error) {
	ctx, cancel := c.deadline(ctx, false)
	if err := c.connect(ctx); err != nil {
		cancel()
		return nil, nil, err
	}
	return ctx, cancel, nil
}

// cancelGrace bounds the cancel call of --cancel-on-exit.
const cancelGrace = 10 * time.Second

func runCommand(ctx context.Context, c *cli, args []string) error {
	fs := c.flags()
	wait := fs.Bool("wait", false, "wait for the run to end; exit 1 if it does not succeed")
	asJSON := fs.Bool("json", false, "print the run as JSON")
	poll := fs.Duration("poll-interval", rivery.DefaultMinInterval, "first wait between status calls; it doubles up to 30s")
	cancelOnExit := fs.Bool("cancel-on-exit", false, "on a timeout or signal, cancel the started run on Rivery (within 10s)")
	pos, err := c.prepare(fs, args, 1)
	if err != nil {
		return err
	}
	if *poll <= 0 {
		return usagef("--poll-interval must be positive")
	}
	riverID := pos[0]
	wctx, cancel := c.deadline(ctx, *wait)
	defer cancel()

	if err := c.connect(wctx); err != nil {
		return err
	}

	run, _, err := c.client.Rivers.Run(wctx, riverID)
	if err != nil {
		return err
	}
	final := run
	if *wait {
		progress := c.progress(*asJSON)
		progress(run)
		opts := &rivery.WaitOptions{MinInterval: *poll, MaxInterval: max(*poll, rivery.DefaultMaxInterval), OnStatus: progress}
		var last *rivery.Run
		switch {
		case run.Status == rivery.StatusSkipped && run.InFlightRunID != "":
			c.skipped = true
			fmt.Fprintf(c.stderr, "rivery: the trigger was skipped: run %s of river %s is in flight; waiting for it\n", run.InFlightRunID, riverID)
			last, err = c.client.Rivers.WaitForRun(wctx, riverID, run.InFlightRunID, opts)
		case run.Group != nil:
			last, err = c.client.Rivers.WaitForGroup(wctx, run, opts)
		default:
			last, err = c.client.Rivers.WaitForRun(wctx, riverID, run.ID, opts)
		}
		c.endProgress(*asJSON)
		if last != nil {
			final = last
		}
	}
	if err != nil && wctx.Err() != nil {
		return c.stopped(ctx, wctx, riverID, final, *asJSON, *cancelOnExit)
	}
	if err == nil || errors.As(err, new(*rivery.RunError)) {
		if perr := c.printRun(final, *asJSON); perr != nil {
			return perr
		}
	}
	return err
}

// runLabel names a run, or the group a Run stands for.
func runLabel(r *rivery.Run) string {
	if r.Group != nil {
		return "run group " + r.GroupID
	}
	return "run " + r.ID
}

// stopped reports a run left behind by a timeout or a signal: its ID, and
// with --json the run on stdout; with cancelRun it first asks Rivery to
// cancel it. The error it returns carries the cause.
func (c *cli) stopped(ctx, wctx context.Context, riverID string, run *rivery.Run, asJSON, cancelRun bool) error {
	cause := fmt.Errorf("%w after %v", errTimeout, c.bound)
	var sig signalError
	if errors.As(context.Cause(ctx), &sig) {
		cause = sig
	}
	out := c.runJSON(run)
	out.TimedOut, out.Stopped = errors.Is(cause, errTimeout), !errors.Is(cause, errTimeout)
	label := runLabel(run)
	left := fmt.Sprintf("%s of river %s was %s and is left running", label, riverID, run.Status)
	if cancelRun {
		gctx, cancel := context.WithTimeout(context.WithoutCancel(wctx), cancelGrace)
		var err error
		if run.Group != nil {
			_, err = c.client.Rivers.CancelRunGroup(gctx, riverID, run.GroupID)
		} else {
			_, err = c.client.Rivers.CancelRun(gctx, riverID, run.ID)
		}
		cancel()
		ok := err == nil
		out.CancelRequested = &ok
		if ok {
			left = fmt.Sprintf("%s of river %s was %s; canceled it on Rivery", label, riverID, run.Status)
		} else {
			left = fmt.Sprintf("%s of river %s was %s; could not cancel it (%s), so it is left running", label, riverID, run.Status, message(err))
		}
	}
	if asJSON {
		if err := c.printJSON(out); err != nil {
			return err
		}
	}
	return fmt.Errorf("%w: %s", cause, left)
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
		line := fmt.Sprintf("%6.1fs  %s  %s", time.Since(start).Seconds(), runLabel(r), r.Status)
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
	fs := c.flags()
	asJSON := fs.Bool("json", false, "print JSON")
	ctx, cancel, pos, err := c.start(ctx, fs, args, 2, true)
	if err != nil {
		return err
	}
	defer cancel()
	run, _, err := c.client.Rivers.GetRun(ctx, pos[0], pos[1])
	if err != nil {
		return err
	}
	return c.printRun(c.withGroup(ctx, run), *asJSON)
}

func runsCancel(ctx context.Context, c *cli, args []string) error {
	fs := c.flags()
	group := fs.Bool("group", false, "the ID is a run group's (run_group_id): cancel every run of the group (v1 API)")
	ctx, cancel, pos, err := c.start(ctx, fs, args, 2, true)
	if err != nil {
		return err
	}
	defer cancel()
	if *group {
		if _, err := c.client.Rivers.CancelRunGroup(ctx, pos[0], pos[1]); err != nil {
			return err
		}
		_, err = fmt.Fprintf(c.stdout, "cancel requested for run group %s\n", pos[1])
		return err
	}
	if _, err := c.client.Rivers.CancelRun(ctx, pos[0], pos[1]); err != nil {
		return err
	}
	_, err = fmt.Fprintf(c.stdout, "cancel requested for run %s\n", pos[1])
	return err
}

func runsList(ctx context.Context, c *cli, args []string) error {
	fs := c.flags()
	since := fs.Duration("since", 24*time.Hour, "list runs that started this long ago or later")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := c.prepare(fs, args, 1)
	if err != nil {
		return err
	}
	if *since <= 0 {
		return usagef("--since must be positive")
	}
	ctx, cancel, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer cancel()
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
	fs := c.flags()
	asJSON := fs.Bool("json", false, "print JSON")
	ctx, cancel, pos, err := c.start(ctx, fs, args, 2, true)
	if err != nil {
		return err
	}
	defer cancel()
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
		fmt.Fprintf(c.stdout, "%s %-5s %s\n", formatTime(l.Time), printable(l.Level), printable(l.Message))
	}
	return nil
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}
