package rivery

import (
	"errors"
	"net/http"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// RetryInfo describes a retry the client is about to wait for.
type RetryInfo struct {
	// Attempt is the number of the attempt that follows the wait (2 for
	// the first retry); MaxAttempts is the most a call makes (WithRetry's
	// maxRetries + 1).
	Attempt, MaxAttempts int
	// Wait is how long the client waits before that attempt.
	Wait time.Duration
	// StatusCode is the HTTP status of the attempt that failed, or 0 when
	// it got no answer (a transport error).
	StatusCode int
	// Err is why the attempt that failed got no complete answer: the
	// transport error (connection refused, a timeout, a reset, ...) or the
	// error that cut its body off; nil when it got a status to retry (429,
	// 5xx). It names no URL, and its text never holds the token, so a
	// program can print it ("retrying: connection refused"); errors.Is and
	// errors.As see the cause (syscall.ECONNREFUSED, a net.Error). It is
	// set for every call, requests to presigned URLs and the Boomi token
	// exchange included.
	Err error
}

// WithRetryNotify calls notify each time a call is about to be retried,
// before the wait, so a program can show "retrying (attempt 2 of 5) in
// 1.2s". notify must be quick and safe for concurrent use: calls running
// at once report from their own goroutines. Nothing secret reaches it.
func WithRetryNotify(notify func(RetryInfo)) Option {
	return func(c *config) error {
		if notify == nil {
			return errors.New("rivery: WithRetryNotify: nil func")
		}
		c.retryNotify = notify
		return nil
	}
}

// notifyBackoff wraps the retry policy's backoff so that it reports each
// wait to notify. st, when not nil, is the call's state, which holds the
// error of the attempt that failed: go-retryablehttp hands its Backoff the
// response but not the error, so a call that reports errors gets a
// backoff (and a retry client) of its own (see Client.retrier).
func notifyBackoff(next retryablehttp.Backoff, notify func(RetryInfo), attempts int, st *callState, scrub secret) retryablehttp.Backoff {
	return func(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
		wait := next(minWait, maxWait, attempt, resp)
		info := RetryInfo{Attempt: attempt + 2, MaxAttempts: attempts, Wait: wait}
		if resp != nil {
			info.StatusCode = resp.StatusCode
		}
		if st != nil && st.lastErr != nil {
			info.Err = &attemptError{err: st.lastErr, scrub: scrub}
		}
		notify(info)
		return wait
	}
}

// attemptError is RetryInfo.Err: the cause without the URL that
// net/http's *url.Error adds, its text scrubbed of the token.
type attemptError struct {
	err   error
	scrub secret
}

func (e *attemptError) Error() string { return e.scrub.printable(e.err.Error()) }

// Unwrap returns the cause, for errors.Is and errors.As.
func (e *attemptError) Unwrap() error { return e.err }
