package rivery

import (
	"context"
	"errors"
	"net/http/httptrace"
	"sync/atomic"

	"github.com/rivery-go/rivery/internal/retry"
)

// MaybeApplied reports whether err leaves it unknown if a non-idempotent
// request (a run trigger, a cancel, a token creation) took effect: a
// *RequestError with MaybeApplied set (the connection failed after the
// request may have been sent, or the answer could not be read), or a 5xx
// *APIError to such a request, since a server that fails after starting a
// run answers just that. It is false for a context canceled or expired
// before anything was sent, for other API errors, and for nil.
//
// After a trigger for which MaybeApplied is true, do not trigger again
// blindly: look for the run first (Rivers.FindRunSince, on the v1 API).
func MaybeApplied(err error) bool {
	var reqErr *RequestError
	if errors.As(err, &reqErr) {
		return reqErr.MaybeApplied
	}
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.nonIdempotent &&
		apiErr.StatusCode >= 500 && apiErr.StatusCode <= 599
}

// attemptTrace is what the transport reports, through net/http/httptrace,
// of how far one attempt of a non-idempotent request got. The flags are
// set from the transport's goroutines.
type attemptTrace struct {
	traced    atomic.Bool // the transport reports its progress (it asked for a connection)
	connected atomic.Bool // it got one: from here the request may be written
	hooks     httptrace.ClientTrace
}

// withTrace returns ctx reporting the attempt's progress into t, on top of
// any trace the caller's context already carries. The hooks live in t, so
// only their two closures are allocated.
func (t *attemptTrace) withTrace(ctx context.Context) context.Context {
	t.hooks = httptrace.ClientTrace{
		GetConn: func(string) { t.traced.Store(true) },
		GotConn: func(httptrace.GotConnInfo) { t.connected.Store(true) },
	}
	return httptrace.WithClientTrace(ctx, &t.hooks)
}

// reset clears the flags before an attempt.
func (t *attemptTrace) reset() {
	t.traced.Store(false)
	t.connected.Store(false)
}

// reached reports whether the attempt that failed with err may have reached
// the server. It is decided from what happened, the error's type coming
// last: any answer (a status line, even if reading its body then failed)
// means yes; a transport that reports its progress and never got a
// connection means no; a context that was done before the attempt began
// means no; otherwise only a dial or DNS error means no.
func (st *callState) reached(resp bool, err error) bool {
	switch {
	case resp || st.handled:
		return true
	case st.trace.connected.Load():
		return true
	case st.trace.traced.Load():
		return false
	case st.doneAtStart:
		return false
	}
	return !retry.PreSend(err)
}

// Reached is reached for the retry policy, which sees only the context.
func (st *callState) Reached(err error) bool { return st.reached(false, err) }
