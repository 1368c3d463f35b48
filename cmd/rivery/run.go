package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/rivery-go/rivery"
)

// errTimeout marks a --timeout that ran out.
var errTimeout = errors.New("timed out")

// cancelGrace bounds the cancel call of --cancel-on-exit.
const cancelGrace = 10 * time.Second

func (c *cli) runCmd() *cobra.Command {
	var wait, cancelOnExit bool
	poll := rivery.DefaultMinInterval
	cmd := c.leaf(spec{
		use:   "run <river>...",
		short: "Trigger rivers; with --wait, wait for what they started and exit 1 unless all succeeded.",
		long: `With --wait it waits for the run (every run, when the trigger started a run
group) and shows its progress on stderr: a live line on a terminal, a line
per status change otherwise. A trigger skipped because a run is in flight
waits for that run. The outcome is printed once, on stdout.

Given several rivers, it triggers them all at once and, with --wait, waits
for every run; waits in one environment of the v1 API share one poller. It
prints one outcome per river (--json: one array) and exits with the worst:
0 all succeeded, 1 a run ended otherwise, 2 a trigger or status call
failed, 124 --timeout ran out, 130/143 a signal. A river whose trigger fails
does not stop the others.`,
		example: `  rivery run 63b724fc690def001131d242 --wait --timeout 45m --cancel-on-exit
  rivery run https://console.rivery.io/dashboard/<account>/<environment>/river/<river> --json
  rivery run <river> <river> <river> --wait --request-budget 15/1m --json`,
		flags:       apiFlags | outputOne,
		timeoutHelp: "give up after this long and exit 124 (default 1m; 30m with --wait)",
		waitLong:    &wait,
		check:       distinctRivers,
		run: func(ctx context.Context, args []string) error {
			if len(args) == 1 {
				return c.runRiver(ctx, args[0], wait, poll, cancelOnExit)
			}
			return c.runRivers(ctx, args, wait, poll, cancelOnExit)
		},
	})
	fs := cmd.Flags()
	fs.BoolVar(&wait, "wait", false, "wait for the runs to end; exit 1 if one does not succeed")
	fs.Var(&durationValue{d: &poll, positive: true}, "poll-interval", "first wait between status calls; it doubles up to 30s")
	fs.BoolVar(&cancelOnExit, "cancel-on-exit", false, "on a timeout or signal, cancel the started runs on Rivery (within 10s)")
	fs.Var(&budgetValue{n: &c.budgetN, per: &c.budgetPer}, "request-budget", "send at most N requests in any PERIOD, triggers and status calls alike (15/1m: Rivery's documented limit)")
	return cmd
}

// distinctRivers refuses a river given twice: one command waits for one
// run of each river.
func distinctRivers(args []string) error {
	for i, id := range args {
		if slices.Contains(args[:i], id) {
			return usagef("river %s is given twice", id)
		}
	}
	return nil
}

// runRiver triggers riverID and, with wait, waits for what it started.
func (c *cli) runRiver(ctx context.Context, riverID string, wait bool, poll time.Duration, cancelOnExit bool) error {
	run, _, err := c.client.Rivers.Run(ctx, riverID)
	if err != nil {
		return err
	}
	final := run
	if wait {
		maxI := max(poll, rivery.DefaultMaxInterval)
		p := c.startProgress(riverID, run, poll, maxI)
		opts := &rivery.WaitOptions{MinInterval: poll, MaxInterval: maxI, OnStatus: p.update}
		var last *rivery.Run
		switch {
		case run.Status == rivery.StatusSkipped && run.InFlightRunID != "":
			c.skipped = true
			c.note("rivery: the trigger was skipped: run %s of river %s is in flight; waiting for it", run.InFlightRunID, riverID)
			p.waitStarted(false)
			last, err = c.client.Rivers.WaitForRun(ctx, riverID, run.InFlightRunID, opts)
		case run.Group != nil:
			p.waitStarted(true)
			last, err = c.client.Rivers.WaitForGroup(ctx, run, opts)
		default:
			p.waitStarted(false)
			last, err = c.client.Rivers.WaitForRun(ctx, riverID, run.ID, opts)
		}
		p.finish()
		if last != nil {
			final = last
		}
	}
	if err != nil && ctx.Err() != nil {
		return c.stopped(ctx, riverID, final, cancelOnExit)
	}
	if err == nil || errors.As(err, new(*rivery.RunError)) {
		if perr := c.printRun(final); perr != nil {
			return perr
		}
		if err != nil {
			return exitOnly(exitFailed) // reported once, on stdout
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

// stopped reports a run left behind by a timeout or a signal (ctx ended):
// its ID, and with --json the run on stdout; with cancelRun it first asks
// Rivery to cancel it. The error it returns carries the cause.
func (c *cli) stopped(ctx context.Context, riverID string, run *rivery.Run, cancelRun bool) error {
	cause := c.stopCause(ctx)
	out := c.runJSON(run)
	out.TimedOut, out.Stopped = errors.Is(cause, errTimeout), !errors.Is(cause, errTimeout)
	label := runLabel(run)
	left := fmt.Sprintf("%s of river %s was %s and is left running", label, riverID, run.Status)
	if cancelRun {
		gctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cancelGrace)
		err := c.cancelRun(gctx, riverID, run)
		cancel()
		ok := err == nil
		out.CancelRequested = &ok
		if ok {
			left = fmt.Sprintf("%s of river %s was %s; canceled it on Rivery", label, riverID, run.Status)
		} else {
			left = fmt.Sprintf("%s of river %s was %s; could not cancel it (%s), so it is left running", label, riverID, run.Status, message(err))
		}
	}
	if c.out.format == formatJSON {
		if err := c.printJSON(out); err != nil {
			return err
		}
	}
	return fmt.Errorf("%w: %s", cause, left)
}

// cancelRun asks Rivery to cancel run of riverID: its whole group when it
// stands for a run group.
func (c *cli) cancelRun(ctx context.Context, riverID string, run *rivery.Run) error {
	var err error
	if run.Group != nil {
		_, err = c.client.Rivers.CancelRunGroup(ctx, riverID, run.GroupID)
	} else {
		_, err = c.client.Rivers.CancelRun(ctx, riverID, run.ID)
	}
	return err
}

// stopCause is why ctx ended: the signal, or the --timeout.
func (c *cli) stopCause(ctx context.Context) error {
	var sig signalError
	if errors.As(context.Cause(ctx), &sig) {
		return sig
	}
	return fmt.Errorf("%w after %v", errTimeout, c.bound)
}

// printRun prints r: one line, and one more per run of its group; or its
// JSON form.
func (c *cli) printRun(r *rivery.Run) error {
	if c.out.format == formatJSON {
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
	if err := c.println(b.String()); err != nil {
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
		if err := c.println(line); err != nil {
			return err
		}
	}
	return nil
}

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
		SubRiverID: r.SubRiverID, InFlightRunID: r.InFlightRunID, StartedAt: timePtr(r.StartedAt), EndedAt: timePtr(r.EndedAt)}
	if r.Group != nil {
		out.Runs = make([]runJSON, len(r.Group.Runs))
		for i, sub := range r.Group.Runs {
			out.Runs[i] = toRunJSON(sub)
		}
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

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}
