package rivery

import (
	"context"
	"fmt"
	"io"
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

// guard holds ctx and the per-attempt timeout on every read of body, for
// transports the SDK did not build (whose bodies may not heed the request's
// context): the body is closed when either ends, which ends a blocked read.
// The returned func releases the guard.
func (st *callState) guard(ctx context.Context, body io.Closer, timeout time.Duration) (release func()) {
	stopCtx := context.AfterFunc(ctx, func() { _ = body.Close() })
	if timeout <= 0 {
		return func() { stopCtx() }
	}
	t := time.AfterFunc(max(timeout-time.Since(st.start), 0), func() { _ = body.Close() })
	return func() {
		stopCtx()
		t.Stop()
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
