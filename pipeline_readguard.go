package rivery

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/rivery-go/rivery/internal/retry"
)

// informational ends an attempt answered with a 1xx status as its final
// answer (a 101 Switching Protocols hands over the raw connection): the
// body is closed unread and the call ends with an error that is not
// retried.
func (st *callState) informational(resp *http.Response) error {
	st.closed = true
	_ = resp.Body.Close()
	return retry.Stop(fmt.Errorf("the server answered %d %s, which is no answer to this request: connection closed unread",
		resp.StatusCode, http.StatusText(resp.StatusCode)))
}

// guard holds ctx and the per-attempt timeout on every read of resp's
// body, for transports the SDK did not build (whose bodies may not heed the
// request's context): the body is closed when either ends, which ends a
// blocked read. When the transport handed back the request it was given,
// that request's context carries both (http.Client set the attempt's
// deadline on it), and one hook does. The returned func releases the guard.
func (st *callState) guard(ctx context.Context, resp *http.Response, timeout time.Duration) (release func() bool) {
	body := resp.Body
	closeBody := func() { _ = body.Close() }
	if r := resp.Request; r != nil && stateFrom(r.Context()) == st {
		if _, ok := r.Context().Deadline(); ok || timeout <= 0 {
			return context.AfterFunc(r.Context(), closeBody)
		}
	}
	stopCtx := context.AfterFunc(ctx, closeBody)
	if timeout <= 0 {
		return stopCtx
	}
	t := time.AfterFunc(max(timeout-time.Since(st.start), 0), closeBody)
	return func() bool {
		stopped := stopCtx()
		return t.Stop() && stopped
	}
}

// stdTransport reports whether rt is net/http's own transport, whose
// bodies end their reads when the request's context ends.
func stdTransport(rt http.RoundTripper) bool {
	_, ok := rt.(*http.Transport)
	return rt == nil || ok
}

// maxRedirects bounds a chain of redirects, as net/http's default does.
const maxRedirects = 10

// redirectLoop refuses a redirect back to a URL already requested, and a
// chain past maxRedirects, with an error no retry repeats: asking again
// would only go round the loop again.
func redirectLoop(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return retry.Stop(fmt.Errorf("stopped after %d redirects", len(via)))
	}
	next := requestedURL(req.URL)
	for _, v := range via {
		if requestedURL(v.URL) == next {
			return retry.Stop(fmt.Errorf("redirect loop: %s was already requested", safeText(truncate(next))))
		}
	}
	return nil
}

// finish reads what the SDK keeps of an attempt's answer (the capped body
// of a non-2xx, the decoded value of a 2xx) and closes the body, every read
// bounded in bytes and time: by ctx and the per-attempt timeout (guarded
// for transports the SDK did not build), and the drain by drainWait. It is
// go-retryablehttp's response handler.
func (c *Client) finish(ctx context.Context, st *callState, resp *http.Response, cl call) (err error) {
	st.handled = true
	if c.guardReads {
		defer st.guard(ctx, resp, c.hc.Timeout)()
	}
	switch {
	case resp.StatusCode < 200:
		return st.informational(resp)
	case resp.StatusCode > 299:
		st.errBody = readErrorBytes(resp.Body)
		st.atEOF = len(st.errBody) < maxErrorBody
	case resp.StatusCode != http.StatusNoContent:
		err = st.decodeBody(resp, cl.out, cl.limit)
		if _, ok := err.(*undecodableError); ok { //nolint:errorlint // decodeBody returns it unwrapped
			st.badBody = err // the whole body came: trying again gets the same
			err = nil
		}
	}
	st.drainClose(resp.Body)
	return err
}
