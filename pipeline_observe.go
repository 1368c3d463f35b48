package rivery

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/rivery-go/rivery/internal/wire"
)

// callObs follows one observed call (WithObserver) through its attempts.
// It exists only when the client has an observer: without one, the
// pipeline's only cost is a nil check at each point below.
type callObs struct {
	o       Observer
	ctx     context.Context // what CallStart returned
	ev      CallEvent
	attempt AttemptEvent
	actx    context.Context // what AttemptStart returned
	lastEnd time.Time       // when the previous attempt ended
	header  TraceHeader
	trace   bool // attempts may carry trace headers (the request goes to Rivery)
}

// startCall reports the start of a call to e (see endpointOf); trace
// says whether its attempts may carry trace headers.
func (c *Client) startCall(ctx context.Context, e Endpoint, trace bool) *callObs {
	o := &callObs{o: c.obs, trace: trace}
	o.ev.Endpoint = e
	o.ev.Start = time.Now()
	o.ctx = orCtx(o.o.CallStart(ctx, o.ev), ctx)
	return o
}

// orCtx is what a Start method returned, or ctx if that was nil.
func orCtx(returned, ctx context.Context) context.Context {
	if returned == nil {
		return ctx
	}
	return returned
}

// observedDo is do with the call reported to the client's observer.
func (c *Client) observedDo(ctx context.Context, cl call) (*Response, error) {
	e := c.endpointOf(cl.method, cl.url, "")
	consoleIDs(&e.IDs, cl)
	o := c.startCall(ctx, e, true)
	resp, err := c.doCall(o.ctx, cl, o)
	o.end(err)
	return resp, err
}

// consoleIDs adds the IDs a call sends outside its path: the console
// API's river, run or run group in the body or the query.
func consoleIDs(ids *IDs, cl call) {
	switch b := cl.body.(type) {
	case wire.RunRiver:
		ids.RiverID = firstNonEmpty(ids.RiverID, b.RiverID)
	case wire.CancelRun:
		ids.RunID = firstNonEmpty(ids.RunID, b.RunID)
	case wire.CancelRunGroup:
		ids.RunGroupID = firstNonEmpty(ids.RunGroupID, b.RunGroupID)
	}
	if _, q, ok := strings.Cut(cl.url, "?"); ok && ids.RunID == "" {
		for q != "" {
			var kv string
			kv, q, _ = strings.Cut(q, "&")
			if v, ok := strings.CutPrefix(kv, "run_id="); ok && plainID(v) {
				ids.RunID = v
			}
		}
	}
}

// plainID reports whether v can stand in IDs as it is: what validateID
// accepts, which needs no escaping in a query.
func plainID(v string) bool { return validateID("", v) == nil }

// end reports the end of the call, with the error the caller gets.
func (o *callObs) end(err error) {
	e := &o.ev
	e.Duration = time.Since(e.Start)
	e.StatusCode = o.attempt.StatusCode // the last attempt's
	if err != nil {
		e.ErrorType, e.MaybeApplied = ErrorType(err), MaybeApplied(err)
	}
	o.o.CallEnd(o.ctx, *e)
}

// startAttempt reports that an attempt of the call is about to send req.
func (o *callObs) startAttempt(req *http.Request) {
	now := time.Now()
	o.ev.Attempts++
	a := AttemptEvent{Endpoint: o.ev.Endpoint, Attempt: o.ev.Attempts, Start: now}
	if !o.lastEnd.IsZero() {
		a.RetryDelay = now.Sub(o.lastEnd)
	}
	if o.trace {
		o.header.reset(req)
		a.Header = &o.header
	}
	o.attempt = a
	o.actx = orCtx(o.o.AttemptStart(o.ctx, a), o.ctx)
	o.header.req = nil // valid only during AttemptStart
	o.attempt.Header = nil
}

// endAttempt reports how the attempt ended: resp or err as the retry
// policy saw them, whether it may have reached the server, and whether
// another attempt follows.
func (o *callObs) endAttempt(resp *http.Response, err error, reached, again bool) {
	a := &o.attempt
	o.lastEnd = time.Now()
	a.Duration = o.lastEnd.Sub(a.Start)
	if resp != nil {
		a.StatusCode = resp.StatusCode
	}
	switch {
	case err != nil:
		a.ErrorType = ErrorType(err)
	case a.StatusCode >= 400:
		a.ErrorType = statusString(a.StatusCode)
	}
	a.Reached, a.WillRetry = reached, again
	o.o.AttemptEnd(o.actx, *a)
}
