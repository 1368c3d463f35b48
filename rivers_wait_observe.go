package rivery

import (
	"context"
	"errors"
	"time"
)

// waitObs follows one observed wait (WithObserver). Its methods do
// nothing on a nil *waitObs, which is what waitStarted returns for a
// client without an observer: a wait then spends nothing on observing.
type waitObs struct {
	o   Observer
	ctx context.Context // what WaitStart returned
	ev  WaitEvent
}

// waitStarted reports that a wait (op: OpRunAndWait, ...) for riverID's
// run runID (or group, of runs runs; runID is "" before a trigger) begins,
// and returns the context the wait runs in.
func (c *Client) waitStarted(ctx context.Context, op, riverID, runID, groupID string, runs int) (context.Context, *waitObs) {
	if c.obs == nil {
		return ctx, nil
	}
	w := &waitObs{o: c.obs}
	e := &w.ev
	e.Operation, e.Runs, e.Start = op, runs, time.Now()
	e.RiverID, e.RunID, e.RunGroupID = riverID, runID, groupID
	if c.fixed != nil {
		e.AccountID, e.EnvironmentID = c.fixed.account, c.fixed.environment
	}
	w.ctx = orCtx(c.obs.WaitStart(ctx, *e), ctx)
	return w.ctx, w
}

// statusSeen reports a status of the run (or the group) the wait saw.
func (w *waitObs) statusSeen(run *Run) {
	if w == nil || run == nil {
		return
	}
	w.ev.Seen++
	w.ev.Changed = w.ev.Seen == 1 || run.Status != w.ev.Status
	w.ev.SeenAt = time.Now()
	w.record(run)
	w.o.WaitStatus(w.ctx, w.ev)
}

// record keeps what the event says of run.
func (w *waitObs) record(run *Run) {
	e := &w.ev
	e.Status, e.RawStatus = run.Status, clip(run.RawStatus, 32)
	e.RiverID = firstNonEmpty(e.RiverID, run.RiverID)
	e.RunID, e.RunGroupID = firstNonEmpty(run.ID, e.RunID), firstNonEmpty(run.GroupID, e.RunGroupID)
	if run.Group != nil {
		e.Runs = len(run.Group.Runs)
	}
	e.RunStartedAt, e.RunEndedAt = run.StartedAt, run.EndedAt
}

// waitEnded reports that the wait returns run (the last one seen, or
// nil) and err: the run ended when err is nil or a *RunError.
func (w *waitObs) waitEnded(run *Run, err error) {
	if w == nil {
		return
	}
	e := &w.ev
	e.Duration = time.Since(e.Start)
	e.Changed = false
	if run != nil {
		w.record(run)
	}
	var runErr *RunError
	e.Ended = run != nil && run.Status.Terminal() && (err == nil || errors.As(err, &runErr))
	if !e.Ended {
		e.ErrorType = ErrorType(err)
	}
	w.o.WaitEnd(w.ctx, *e)
}
