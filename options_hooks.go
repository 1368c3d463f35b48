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

// backoff wraps the retry policy's backoff so that it reports each wait to
// the WithRetryNotify func, if any.
func (c *config) backoff(next retryablehttp.Backoff) retryablehttp.Backoff {
	notify, attempts := c.retryNotify, c.maxRetries+1
	if notify == nil {
		return next
	}
	return func(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
		wait := next(minWait, maxWait, attempt, resp)
		info := RetryInfo{Attempt: attempt + 2, MaxAttempts: attempts, Wait: wait}
		if resp != nil {
			info.StatusCode = resp.StatusCode
		}
		notify(info)
		return wait
	}
}
