package riverytemporal

import (
	"fmt"
	"slices"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/rivery-go/rivery"
)

// follower is RunRivers following its rivers' runs itself: a RunRiver
// child with TriggerOnly starts each run exactly once, and one CheckRuns
// activity per interval reads every run in progress (one GET E/activities,
// then GetRun only for the runs that may have ended).
type follower struct {
	d        *dag
	ctx      workflow.Context
	tmpl     RunRiverInput // every river's settings, with the defaults
	conc     int
	sel      workflow.Selector
	base     string
	follow   []int // the rivers whose runs are followed, in the order they started
	check    *rivery.RunsCheck
	interval time.Duration // the next wait between two checks
	polls    int           // checks made by this execution
	triggers int           // children in flight
	checking bool          // a check in flight
	timer    followTimer
}

// followTimer is the wait before the next check.
type followTimer struct {
	on     bool
	gen    int // which timer is the current one: a replaced one is ignored
	at     time.Time
	cancel workflow.CancelFunc
}

// follow runs the rivers to their end, as RunRivers says; it returns a
// ContinueAsNewError when the workflow continues as new.
func (d *dag) follow(ctx workflow.Context, conc int, in RunRiversInput) error {
	f := &follower{d: d, ctx: ctx, tmpl: in.Run, conc: conc, sel: workflow.NewSelector(ctx),
		base: workflow.GetInfo(ctx).WorkflowExecution.ID}
	f.tmpl.withDefaults()
	f.interval = f.tmpl.MinPollInterval
	f.check = &rivery.RunsCheck{MaxInterval: f.tmpl.MaxPollInterval}
	if in.Progress != nil {
		f.resume(in.Progress)
	}
	for d.done < len(d.nodes) {
		if ctx.Err() != nil {
			f.cancelRuns()
		}
		d.scan(ctx, f.room, f.trigger)
		if d.done == len(d.nodes) {
			break
		}
		if ctx.Err() == nil && f.draining() && f.triggers == 0 && !f.checking {
			next := in
			next.Progress = &RunRiversProgress{Rivers: slices.Clone(d.res.Rivers), Check: f.check, Interval: f.interval}
			return workflow.NewContinueAsNewError(ctx, WorkflowRunRivers, next)
		}
		f.wait()
		f.sel.Select(ctx)
	}
	return nil
}

// resume takes up where the execution that continued as new left off.
func (f *follower) resume(p *RunRiversProgress) {
	for i, o := range p.Rivers {
		r := &f.d.res.Rivers[i]
		r.Outcome, r.Run, r.Error = o.Outcome, o.Run, o.Error
		switch {
		case o.Outcome != "":
			f.d.done++
		case o.Run != nil:
			f.d.running[i] = true
			f.follow = append(f.follow, i)
		}
	}
	if p.Check != nil {
		f.check = p.Check
	}
	if p.Interval > 0 {
		f.interval = p.Interval
	}
}

// checkProgress refuses a Progress that is not of the DAG nodes.
func checkProgress(nodes []RiverNode, p *RunRiversProgress) error {
	if p == nil {
		return nil
	}
	if len(p.Rivers) != len(nodes) {
		return fmt.Errorf("%w: Progress has %d rivers, the DAG %d", rivery.ErrInvalidArgument, len(p.Rivers), len(nodes))
	}
	for i, o := range p.Rivers {
		if o.Name != nodes[i].Name || o.RiverID != nodes[i].RiverID {
			return fmt.Errorf("%w: river %d of Progress is %q, the DAG's %q", rivery.ErrInvalidArgument, i, o.Name, nodes[i].Name)
		}
	}
	return nil
}

// draining reports whether this execution should continue as new: it
// starts no more rivers and does so once no trigger is in flight.
func (f *follower) draining() bool {
	return f.polls >= f.tmpl.MaxPolls || workflow.GetInfo(f.ctx).GetContinueAsNewSuggested()
}

// room reports whether another river may start.
func (f *follower) room() bool { return len(f.d.running) < f.conc && !f.draining() }

// trigger starts river i's run with a TriggerOnly RunRiver child and
// follows the run it returns.
func (f *follower) trigger(i int) {
	in := f.tmpl
	in.TriggerOnly = true
	f.triggers++
	f.sel.AddFuture(f.d.child(f.ctx, f.base, i, in), func(fut workflow.Future) {
		f.triggers--
		var run *rivery.Run
		err := fut.Get(f.ctx, &run)
		switch o := &f.d.res.Rivers[i]; {
		case err != nil:
			out, why := childOutcome(err, o)
			f.d.ended(i, out, why)
		case run == nil:
			f.d.ended(i, OutcomeFailed, "rivery: the trigger returned no run")
		case run.Status.Terminal():
			o.Run = run
			f.ran(i, run)
		default:
			o.Run = run
			f.join(i)
		}
	})
}

// join follows river i's run: its first check comes at most
// MinPollInterval later, and the waits double from there. A longer wait
// under way is cut short.
func (f *follower) join(i int) {
	run := f.d.res.Rivers[i].Run
	workflow.GetLogger(f.ctx).Info("rivery: following run", logRiverID, run.RiverID, logRunID, run.ID)
	f.follow = append(f.follow, i)
	first := f.tmpl.MinPollInterval
	if f.timer.on && !f.timer.at.After(workflow.Now(f.ctx).Add(first)) {
		f.interval = min(f.interval, 2*first) // the wait under way is short enough
		return
	}
	if f.timer.on {
		f.timer.cancel()
		f.timer.on = false
	}
	f.interval = first
}

// wait starts the timer of the next check, when runs are followed and
// neither a timer nor a check is under way.
func (f *follower) wait() {
	if len(f.follow) == 0 || f.timer.on || f.checking {
		return
	}
	d := f.interval
	f.interval = min(2*f.interval, f.tmpl.MaxPollInterval)
	tctx, cancel := workflow.WithCancel(f.ctx)
	f.timer.gen++
	f.timer = followTimer{on: true, gen: f.timer.gen, at: workflow.Now(f.ctx).Add(d), cancel: cancel}
	gen := f.timer.gen
	f.sel.AddFuture(workflow.NewTimer(tctx, d), func(fut workflow.Future) {
		if gen != f.timer.gen {
			return // replaced by a shorter wait
		}
		f.timer.on = false
		if fut.Get(f.ctx, nil) == nil && f.ctx.Err() == nil {
			f.checkRuns()
		}
	})
}

// runs returns the runs followed, each once (two rivers of the DAG may
// have adopted the same run), as little of each as CheckRuns needs.
func (f *follower) runs() []*rivery.Run {
	var out []*rivery.Run
	seen := map[string]bool{}
	for _, i := range f.follow {
		r := f.d.res.Rivers[i].Run
		if !seen[r.ID] {
			seen[r.ID] = true
			out = append(out, &rivery.Run{ID: r.ID, RiverID: r.RiverID, GroupID: r.GroupID, SubRiverID: r.SubRiverID, Status: r.Status, StartedAt: r.StartedAt})
		}
	}
	return out
}

// checkRuns runs the CheckRuns activity on every run followed and takes in
// what it read.
func (f *follower) checkRuns() {
	f.checking = true
	f.polls++
	actx := workflow.WithActivityOptions(f.ctx, activityOptions(&f.tmpl, readPolicy()))
	f.sel.AddFuture(workflow.ExecuteActivity(actx, ActivityCheckRuns, f.runs(), f.check), func(fut workflow.Future) {
		f.checking = false
		var res CheckRunsResult
		if err := fut.Get(f.ctx, &res); err != nil {
			if f.ctx.Err() != nil {
				return // canceled: the loop cancels the runs
			}
			for _, i := range slices.Clone(f.follow) {
				f.end(i, OutcomeFailed, f.failure(i, "polling", err))
			}
			return
		}
		if res.Check != nil {
			f.check = res.Check
		}
		for _, run := range res.Runs {
			for _, i := range f.following(run.ID) {
				f.d.res.Rivers[i].Run = run
				if run.Status.Terminal() {
					f.ran(i, run)
				}
			}
		}
		for _, fr := range res.Failed {
			for _, i := range f.following(fr.RunID) {
				f.end(i, OutcomeFailed, f.failure(i, "polling", temporal.NewNonRetryableApplicationError(fr.Error, fr.Type, nil)))
			}
		}
	})
}

// following returns the rivers that follow run runID.
func (f *follower) following(runID string) []int {
	var out []int
	for _, i := range f.follow {
		if f.d.res.Rivers[i].Run.ID == runID {
			out = append(out, i)
		}
	}
	return out
}

// cancelRuns cancels every run followed on Rivery, from a disconnected
// context since the workflow is being canceled, as RunRiver does.
func (f *follower) cancelRuns() {
	if len(f.follow) == 0 {
		return
	}
	dctx, _ := workflow.NewDisconnectedContext(f.ctx)
	dctx = workflow.WithActivityOptions(dctx, activityOptions(&f.tmpl, readPolicy()))
	log := workflow.GetLogger(f.ctx)
	runs := f.runs()
	futures := make([]workflow.Future, len(runs))
	for k, r := range runs {
		log.Info("rivery: workflow canceled, canceling the run", logRiverID, r.RiverID, logRunID, r.ID)
		futures[k] = workflow.ExecuteActivity(dctx, ActivityCancelRun, r.RiverID, r.ID)
	}
	for k, r := range runs {
		err := futures[k].Get(dctx, nil)
		for _, i := range f.following(r.ID) {
			if err != nil {
				f.end(i, OutcomeFailed, f.failure(i, "cancel", err))
			} else {
				f.end(i, OutcomeCanceled, "the workflow was canceled: its run was canceled on Rivery")
			}
		}
	}
}

// failure says why river i's run could not be followed.
func (f *follower) failure(i int, step string, err error) string {
	in := f.tmpl
	in.RiverID = f.d.nodes[i].RiverID
	return runError(&in, f.d.res.Rivers[i].Run.ID, step, err).Error()
}

// end records the end of river i, whose run was followed.
func (f *follower) end(i int, o Outcome, why string) {
	if k := slices.Index(f.follow, i); k >= 0 {
		f.follow = slices.Delete(f.follow, k, k+1)
	}
	f.d.ended(i, o, why)
}

// ran records the end of river i, whose run ended.
func (f *follower) ran(i int, run *rivery.Run) {
	if run.Status == rivery.StatusSucceeded {
		f.end(i, OutcomeSucceeded, "")
		return
	}
	f.end(i, OutcomeFailed, runFailed(run).Error())
}
