package riverytemporal

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/rivery-go/rivery"
)

// WorkflowRunRivers is the name RunRivers is registered under.
const WorkflowRunRivers = "rivery.RunRivers"

// DefaultConcurrency is how many rivers RunRivers runs at once when
// RunRiversInput.Concurrency is zero.
const DefaultConcurrency = 2

// RiverNode is one river of a RunRivers DAG.
type RiverNode struct {
	// Name is the node's name in the DAG, unique; it defaults to RiverID,
	// so a river can appear twice under two names.
	Name    string
	RiverID string
	// After names the nodes that must succeed before this one starts. If
	// one of them does not succeed, this river is skipped.
	After []string
}

// RunRiversInput is a list or a small DAG of rivers.
type RunRiversInput struct {
	Rivers []RiverNode
	// Concurrency bounds how many rivers run at once (default 2).
	Concurrency int
	// Run holds the polling and trigger settings of every river (its
	// RiverID, RunID and TriggerOnly are ignored). RunRivers checks on
	// its runs in progress together, with MinPollInterval doubling up to
	// MaxPollInterval between two checks, and continues as new after
	// MaxPolls checks.
	Run RunRiverInput
	// Progress is where an earlier execution of this workflow left off:
	// RunRivers sets it when it continues as new. Leave it nil.
	Progress *RunRiversProgress
}

// RunRiversProgress is what RunRivers carries over when it continues as
// new: every river's outcome so far (a river whose Outcome is empty and
// whose Run is set is in progress), the state of its checks, and the next
// wait between two checks.
type RunRiversProgress struct {
	Rivers   []RiverOutcome
	Check    *rivery.RunsCheck
	Interval time.Duration
}

// Outcome is how one river of RunRivers ended.
type Outcome string

// The outcomes of a river of RunRivers.
const (
	OutcomeSucceeded Outcome = "succeeded"
	OutcomeFailed    Outcome = "failed"   // the run did not succeed, or could not be started or followed
	OutcomeSkipped   Outcome = "skipped"  // a river it runs after did not succeed: not started
	OutcomeCanceled  Outcome = "canceled" // the workflow was canceled
)

// RiverOutcome reports one river of RunRivers.
type RiverOutcome struct {
	Name, RiverID string
	Outcome       Outcome
	Run           *rivery.Run // the final run; nil when none was started or it is unknown
	Error         string      // why it did not succeed
}

// RunRiversResult reports every river, in the input's order.
type RunRiversResult struct {
	Rivers []RiverOutcome
}

// Failed returns the names of the rivers that did not succeed.
func (r *RunRiversResult) Failed() []string {
	var out []string
	for _, o := range r.Rivers {
		if o.Outcome != OutcomeSucceeded {
			out = append(out, o.Name)
		}
	}
	return out
}

// RunRivers is a workflow that runs a list or a small DAG of rivers, at
// most in.Concurrency at a time, in the input's order as their
// dependencies allow. A river whose dependency did not succeed is skipped;
// independent branches go on.
//
// Each river is triggered by a RunRiver child workflow (ID: this
// workflow's ID, "/", the node's name) with TriggerOnly set, which starts
// the run exactly once (or adopts it) and returns it. RunRivers then
// follows every run in progress itself, with one CheckRuns activity per
// interval for all of them (RunRiverInput's MinPollInterval doubling up to
// MaxPollInterval, from MinPollInterval again when a river starts), not a
// GetRun per river. Canceled, it cancels the runs in progress on Rivery.
// After MaxPolls checks, or when Temporal suggests it, it continues as
// new with its Progress, once no trigger is in flight. Histories recorded
// before this change ran each river as a whole RunRiver child, and replay
// so.
//
// When every river succeeded it returns the result. Otherwise it fails
// with an ApplicationError of type ErrTypeRunFailed naming the rivers that
// did not succeed, the RunRiversResult as its details; canceled, it
// returns a CanceledError with the result as its details. A DAG with a
// duplicate name, an unknown dependency or a cycle, or a Progress of
// another DAG, fails at once with ErrTypeInvalidArgument.
func RunRivers(ctx workflow.Context, in RunRiversInput) (*RunRiversResult, error) {
	nodes, err := checkDAG(in.Rivers)
	if err == nil {
		err = checkProgress(nodes, in.Progress)
	}
	if err != nil {
		return nil, temporal.NewNonRetryableApplicationError(err.Error(), ErrTypeInvalidArgument, nil)
	}
	conc := in.Concurrency
	if conc <= 0 {
		conc = DefaultConcurrency
	}
	d := &dag{nodes: nodes, index: map[string]int{}, res: &RunRiversResult{Rivers: make([]RiverOutcome, len(nodes))}, running: map[int]bool{}}
	for i, n := range nodes {
		d.index[n.Name] = i
		d.res.Rivers[i] = RiverOutcome{Name: n.Name, RiverID: n.RiverID}
	}
	if workflow.GetVersion(ctx, versionSharedPolling, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		d.runChildren(ctx, conc, in.Run)
	} else if err := d.follow(ctx, conc, in); err != nil {
		return nil, err // continue as new
	}
	if ctx.Err() != nil {
		return nil, temporal.NewCanceledError(d.res)
	}
	if failed := d.res.Failed(); len(failed) > 0 {
		msg := fmt.Sprintf("rivery: %d of %d rivers did not succeed: %s", len(failed), len(nodes), strings.Join(failed, ", "))
		return nil, temporal.NewNonRetryableApplicationError(msg, ErrTypeRunFailed, nil, d.res)
	}
	return d.res, nil
}

type dag struct {
	nodes   []RiverNode
	index   map[string]int
	res     *RunRiversResult
	running map[int]bool // the rivers started and not ended
	done    int          // the rivers ended
}

// scan settles the rivers not started yet, in the input's order: canceled
// when the workflow is, skipped when a river they run after did not
// succeed, and started with start while room says there is room.
func (d *dag) scan(ctx workflow.Context, room func() bool, start func(i int)) {
	for i := 0; i < len(d.nodes); i++ {
		if d.res.Rivers[i].Outcome != "" || d.started(i) {
			continue
		}
		switch {
		case ctx.Err() != nil:
			d.res.Rivers[i].Outcome, d.res.Rivers[i].Error = OutcomeCanceled, "the workflow was canceled before it started"
			d.done++
		case d.blocked(i):
			d.res.Rivers[i].Outcome, d.res.Rivers[i].Error = OutcomeSkipped, "a river it runs after did not succeed"
			d.done++
			i = -1 // a skip may unblock or skip others: look again from the start
		case d.ready(i) && room():
			d.running[i] = true
			start(i)
		}
	}
}

// ended records that river i ended as o says.
func (d *dag) ended(i int, o Outcome, why string) {
	d.res.Rivers[i].Outcome, d.res.Rivers[i].Error = o, why
	delete(d.running, i)
	d.done++
}

// versionSharedPolling is the change ID of RunRivers' shared polling:
// histories recorded before it ran each river as a whole RunRiver child,
// and replay so (runChildren).
const versionSharedPolling = "rivery.shared-polling"

// runChildren runs every river as a RunRiver child that triggers and
// follows its run: RunRivers before shared polling, kept for the
// histories it recorded.
func (d *dag) runChildren(ctx workflow.Context, conc int, tmpl RunRiverInput) {
	sel := workflow.NewSelector(ctx)
	base := workflow.GetInfo(ctx).WorkflowExecution.ID
	for d.done < len(d.nodes) {
		d.scan(ctx, func() bool { return len(d.running) < conc }, func(i int) {
			d.start(ctx, sel, base, i, tmpl)
		})
		if d.done < len(d.nodes) {
			sel.Select(ctx)
		}
	}
}

func (d *dag) started(i int) bool { return d.running[i] }

// ready reports whether every dependency of node i succeeded.
func (d *dag) ready(i int) bool {
	for _, dep := range d.nodes[i].After {
		if d.res.Rivers[d.index[dep]].Outcome != OutcomeSucceeded {
			return false
		}
	}
	return true
}

// blocked reports whether a dependency of node i ended without success.
func (d *dag) blocked(i int) bool {
	for _, dep := range d.nodes[i].After {
		if o := d.res.Rivers[d.index[dep]].Outcome; o != "" && o != OutcomeSucceeded {
			return true
		}
	}
	return false
}

// start runs node i as a RunRiver child that triggers and follows its
// run (runChildren), and records its outcome when it ends.
func (d *dag) start(ctx workflow.Context, sel workflow.Selector, base string, i int, tmpl RunRiverInput) {
	f := d.child(ctx, base, i, tmpl)
	sel.AddFuture(f, func(f workflow.Future) {
		var run *rivery.Run
		err := f.Get(ctx, &run)
		d.res.Rivers[i].Run = run
		o, why := childOutcome(err, &d.res.Rivers[i])
		d.ended(i, o, why)
	})
}

// child starts node i's RunRiver child, with tmpl's settings.
func (d *dag) child(ctx workflow.Context, base string, i int, tmpl RunRiverInput) workflow.ChildWorkflowFuture {
	n := d.nodes[i]
	in := tmpl
	in.RiverID, in.RunID = n.RiverID, "" // each child triggers its own run
	cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
		WorkflowID:          base + "/" + n.Name,
		WaitForCancellation: true, // the child cancels its run before the parent ends
	})
	return workflow.ExecuteChildWorkflow(cctx, WorkflowRunRiver, in)
}

// childOutcome classifies a RunRiver child's error, picking the final run
// out of a failed run's details.
func childOutcome(err error, o *RiverOutcome) (Outcome, string) {
	if err == nil {
		return OutcomeSucceeded, ""
	}
	if temporal.IsCanceledError(err) {
		return OutcomeCanceled, err.Error()
	}
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		if appErr.Type() == ErrTypeRunFailed && appErr.HasDetails() {
			var run rivery.Run
			if appErr.Details(&run) == nil {
				o.Run = &run
			}
		}
		return OutcomeFailed, appErr.Error()
	}
	return OutcomeFailed, err.Error()
}

// checkDAG fills in names and refuses duplicates, unknown dependencies and
// cycles.
func checkDAG(in []RiverNode) ([]RiverNode, error) {
	if len(in) == 0 {
		return nil, fmt.Errorf("%w: RunRivers needs at least one river", rivery.ErrInvalidArgument)
	}
	nodes := make([]RiverNode, len(in))
	index := map[string]int{}
	for i, n := range in {
		if n.Name == "" {
			n.Name = n.RiverID
		}
		if n.RiverID == "" {
			return nil, fmt.Errorf("%w: river %d (%q) has no RiverID", rivery.ErrInvalidArgument, i, n.Name)
		}
		if _, dup := index[n.Name]; dup {
			return nil, fmt.Errorf("%w: two rivers are named %q: give them distinct Names", rivery.ErrInvalidArgument, n.Name)
		}
		index[n.Name] = i
		nodes[i] = n
	}
	for _, n := range nodes {
		for _, dep := range n.After {
			if _, ok := index[dep]; !ok {
				return nil, fmt.Errorf("%w: river %q runs after %q, which is not in the list", rivery.ErrInvalidArgument, n.Name, dep)
			}
		}
	}
	// Kahn's algorithm: what cannot be ordered is on a cycle.
	indeg := make([]int, len(nodes))
	next := make([][]int, len(nodes))
	for i, n := range nodes {
		for _, dep := range n.After {
			indeg[i]++
			next[index[dep]] = append(next[index[dep]], i)
		}
	}
	var queue []int
	for i := range nodes {
		if indeg[i] == 0 {
			queue = append(queue, i)
		}
	}
	seen := 0
	for len(queue) > 0 {
		i := queue[0]
		queue = queue[1:]
		seen++
		for _, j := range next[i] {
			indeg[j]--
			if indeg[j] == 0 {
				queue = append(queue, j)
			}
		}
	}
	if seen < len(nodes) {
		var cyc []string
		for i, n := range nodes {
			if indeg[i] > 0 {
				cyc = append(cyc, n.Name)
			}
		}
		return nil, fmt.Errorf("%w: the rivers %s depend on each other in a cycle", rivery.ErrInvalidArgument, strings.Join(cyc, ", "))
	}
	return nodes, nil
}
