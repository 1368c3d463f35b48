package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/rivery-go/rivery"
)

// riverOutcome is what run did for one of several rivers.
type riverOutcome struct {
	river string
	// run is the run as last seen (the run in flight when the trigger was
	// skipped); nil when no trigger was answered.
	run *rivery.Run
	// err is nil when the run succeeded (without --wait: was triggered).
	err error
	// skipped is set when the trigger was skipped and run is the run that
	// was in flight.
	skipped bool
	// code is the exit status of this river alone.
	code int
	// canceled is set by --cancel-on-exit for a run left by a stop: whether
	// Rivery accepted the cancel, and if not, why (cancelErr).
	canceled  *bool
	cancelErr error
}

// stoppedRun reports that a timeout or signal left o's run going.
func (o *riverOutcome) stoppedRun() bool {
	return stopCode(o.code) && o.run != nil && !o.run.Status.Terminal()
}

// stopCode reports whether an exit status is that of a stop: --timeout,
// or a signal.
func stopCode(code int) bool { return code == exitTimeout || code > 128 }

// exitRank orders exit statuses from best to worst. Several rivers exit
// with their worst: 0 all succeeded; 1 every river's run ended and one
// did not succeed; 2 a trigger or status call failed, so some river has
// no outcome (which beats 1: the fault is the setup, not the data);
// 124 the --timeout stopped the waits still going; a signal (130, 143)
// stopped them from outside, which is what the one who sent it expects.
func exitRank(code int) int {
	switch code {
	case exitOK:
		return 0
	case exitFailed:
		return 1
	case exitError:
		return 2
	case exitTimeout:
		return 3
	}
	return 4
}

// runRivers triggers every river at once and, with wait, waits for what
// each trigger started, each from a goroutine of its own on the one client
// (in one environment of the v1 API the waits share the SDK's poller). A
// river whose trigger or wait fails is reported at once and does not stop
// the others. Once all are done it cancels, with cancelOnExit, the runs a
// stop left going, prints one outcome per river and ends with the worst
// exit status.
func (c *cli) runRivers(ctx context.Context, rivers []string, wait bool, poll time.Duration, cancelOnExit bool) error {
	if wait && !c.v1 {
		c.note("rivery: with a token only, each run is polled on its own; set RIVERY_ACCOUNT_ID and RIVERY_ENVIRONMENT_ID (or --environment) so that one poller serves them all")
	}
	var b *board
	if wait {
		b = c.startBoard(rivers)
	}
	outs := make([]riverOutcome, len(rivers))
	var wg sync.WaitGroup
	for i, id := range rivers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			outs[i] = c.runOne(ctx, id, wait, poll, b, i)
		}()
	}
	wg.Wait()
	b.finish()
	if cancelOnExit {
		c.cancelStopped(ctx, outs)
	}
	if err := c.printOutcomes(outs, wait); err != nil {
		return err
	}
	return c.worst(ctx, outs)
}

// runOne triggers riverID and, with wait, waits with RunAndWait; b (row i)
// shows the statuses seen.
func (c *cli) runOne(ctx context.Context, riverID string, wait bool, poll time.Duration, b *board, i int) riverOutcome {
	o := riverOutcome{river: riverID}
	if wait {
		var seen *rivery.Run
		opts := &rivery.WaitOptions{MinInterval: poll, MaxInterval: max(poll, rivery.DefaultMaxInterval), OnStatus: func(r *rivery.Run) {
			if seen == nil && r.Status == rivery.StatusSkipped && r.InFlightRunID != "" {
				o.skipped = true
				c.note("rivery: river %s: the trigger was skipped: run %s is in flight; waiting for it", riverID, r.InFlightRunID)
			}
			seen = r
			b.update(i, r)
		}}
		o.run, o.err = c.client.Rivers.RunAndWait(ctx, riverID, opts)
		if o.run == nil {
			o.run = seen
		}
	} else {
		o.run, _, o.err = c.client.Rivers.Run(ctx, riverID)
	}
	switch {
	case o.err == nil:
		o.code = exitOK
	case ctx.Err() != nil: // told apart now: ctx may end later for the others
		o.code = exitTimeout
		var sig signalError
		if errors.As(context.Cause(ctx), &sig) {
			o.code = sig.exitCode()
		}
	case errors.As(o.err, new(*rivery.RunError)):
		o.code = exitFailed
	default:
		o.code = exitError
		c.report(fmt.Errorf("river %s: %w", riverID, o.err))
		b.failed(i)
	}
	return o
}

// cancelStopped asks Rivery, at once and within cancelGrace in all, to
// cancel every run a stop left going.
func (c *cli) cancelStopped(ctx context.Context, outs []riverOutcome) {
	gctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cancelGrace)
	defer cancel()
	var wg sync.WaitGroup
	for i := range outs {
		o := &outs[i]
		if !o.stoppedRun() {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			o.cancelErr = c.cancelRun(gctx, o.river, o.run)
			ok := o.cancelErr == nil
			o.canceled = &ok
		}()
	}
	wg.Wait()
	for _, o := range outs {
		if o.cancelErr != nil {
			c.report(fmt.Errorf("river %s: could not cancel %s: %w", o.river, runLabel(o.run), o.cancelErr))
		}
	}
}

// outcomeJSON is the --json form of one river's outcome.
type outcomeJSON struct {
	RiverID string `json:"river_id"`
	// Outcome is the run's final status when it ended (succeeded, failed,
	// canceled, partially succeeded, ...), triggered without --wait, or
	// error, timed_out, stopped.
	Outcome  string   `json:"outcome"`
	ExitCode int      `json:"exit_code"`
	Run      *runJSON `json:"run,omitempty"`
	Error    string   `json:"error,omitempty"`
}

// outcome names o in a word: see outcomeJSON.Outcome.
func (o *riverOutcome) outcome(wait bool) string {
	switch {
	case o.code == exitTimeout:
		return "timed_out"
	case stopCode(o.code):
		return "stopped"
	case o.code == exitError:
		return "error"
	case !wait:
		return "triggered"
	}
	return string(o.run.Status)
}

// printOutcomes prints one outcome per river, in the order given: a line
// each (the errors themselves are on stderr), or one JSON array.
func (c *cli) printOutcomes(outs []riverOutcome, wait bool) error {
	if c.out.format == formatJSON {
		docs := make([]outcomeJSON, len(outs))
		for i := range outs {
			docs[i] = outs[i].json(wait)
		}
		return c.printJSON(docs)
	}
	for i := range outs {
		o := &outs[i]
		var err error
		switch {
		case o.code == exitOK || o.code == exitFailed:
			err = c.printRun(o.run)
		case o.run == nil:
			err = c.println(fmt.Sprintf("river %s: %s", o.river, o.noRun()))
		case o.code == exitError:
			err = c.println(fmt.Sprintf("%s of river %s: %s when its wait failed", runLabel(o.run), o.river, o.run.Status))
		default:
			err = c.println(fmt.Sprintf("%s of river %s: %s when the wait stopped; %s", runLabel(o.run), o.river, o.run.Status, o.left()))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// json is o's --json form.
func (o *riverOutcome) json(wait bool) outcomeJSON {
	doc := outcomeJSON{RiverID: o.river, Outcome: o.outcome(wait), ExitCode: o.code}
	if o.run != nil {
		r := toRunJSON(o.run)
		r.TriggerSkipped = o.skipped
		r.TimedOut, r.Stopped = o.code == exitTimeout, stopCode(o.code) && o.code != exitTimeout
		r.CancelRequested = o.canceled
		doc.Run = &r
	}
	switch {
	case o.code == exitError:
		doc.Error = message(o.err)
	case o.cancelErr != nil:
		doc.Error = "could not cancel: " + message(o.cancelErr)
	case stopCode(o.code) && o.run == nil:
		doc.Error = o.noRun()
	}
	return doc
}

// noRun says why o has no run.
func (o *riverOutcome) noRun() string {
	switch {
	case !stopCode(o.code):
		return "error"
	case rivery.MaybeApplied(o.err):
		return "stopped before the trigger was answered; it may have started a run"
	}
	return "stopped before the trigger was answered"
}

// left says what became of a run a stop left going: canceled by
// --cancel-on-exit, or left running.
func (o *riverOutcome) left() string {
	switch {
	case o.run.Status.Terminal():
		return "it had ended"
	case o.canceled == nil:
		return "left running"
	case *o.canceled:
		return "canceled it on Rivery"
	}
	return "could not cancel it, so it is left running"
}

// worst ends the command with the worst exit status of outs: nil for 0;
// for a stop, an error naming its cause and what it left running.
func (c *cli) worst(ctx context.Context, outs []riverOutcome) error {
	code := exitOK
	for _, o := range outs {
		if exitRank(o.code) > exitRank(code) {
			code = o.code
		}
	}
	switch code {
	case exitOK:
		return nil
	case exitFailed:
		return exitOnly(exitFailed) // reported once, on stdout
	case exitError:
		for _, o := range outs {
			if errors.Is(o.err, rivery.ErrUnauthorized) {
				c.regionHint(o.err)
				break
			}
		}
		return exitOnly(exitError) // each error reported when it happened
	}
	return fmt.Errorf("%w: %s", c.stopCause(ctx), stopSummary(outs))
}

// stopSummary says what a stop left: how many rivers had not ended, and
// whether their runs were canceled.
func stopSummary(outs []riverOutcome) string {
	stopped, going, canceled := 0, 0, 0
	for i := range outs {
		o := &outs[i]
		if !stopCode(o.code) {
			continue
		}
		stopped++
		if o.stoppedRun() {
			going++
			if o.canceled != nil && *o.canceled {
				canceled++
			}
		}
	}
	s := fmt.Sprintf("%d of %s had not ended", stopped, plural(len(outs), "river"))
	switch {
	case going == 0:
	case canceled == going:
		s += fmt.Sprintf("; canceled %s on Rivery", plural(going, "run"))
	case canceled > 0:
		s += fmt.Sprintf("; canceled %d of %s on Rivery, the others are left running", canceled, plural(going, "run"))
	default:
		s += fmt.Sprintf("; %s left running", plural(going, "run"))
	}
	if canceled == going {
		return s
	}
	var left []string
	for i := range outs {
		if o := &outs[i]; o.stoppedRun() && (o.canceled == nil || !*o.canceled) {
			left = append(left, runLabel(o.run)+" of river "+o.river)
		}
	}
	return s + ": " + strings.Join(left, ", ")
}
