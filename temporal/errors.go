package riverytemporal

import (
	"context"
	"errors"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/rivery-go/rivery"
)

// Error types of the ApplicationErrors the activities and workflows return,
// for temporal.ApplicationError.Type and RetryPolicy.NonRetryableErrorTypes.
const (
	// ErrTypeInvalidArgument: bad input (an empty or malformed ID, a bad
	// DAG); nothing was sent. Not retried.
	ErrTypeInvalidArgument = "RiveryInvalidArgument"
	// ErrTypeRejected: Rivery answered with a 4xx other than 429 (bad
	// request, unauthorized, forbidden, not found, conflict, validation).
	// Not retried: it would be answered the same.
	ErrTypeRejected = "RiveryRejected"
	// ErrTypeRateLimited: Rivery answered 429. Retried after the server's
	// Retry-After. The request was not applied.
	ErrTypeRateLimited = "RiveryRateLimited"
	// ErrTypeUnavailable: the request did not get an answer, or got a 5xx,
	// and (for a trigger) provably never reached Rivery. Retried.
	ErrTypeUnavailable = "RiveryUnavailable"
	// ErrTypeOutcomeUnknown: a trigger may have reached Rivery but its
	// answer was lost (connection cut after sending, timeout, unreadable
	// answer, 5xx). Not retried: RunRiver looks for the run instead.
	ErrTypeOutcomeUnknown = "RiveryOutcomeUnknown"
	// ErrTypeRunFailed: a run ended in a status other than succeeded. The
	// error's details hold the final *rivery.Run (RunRiver) or the
	// RunRiversResult (RunRivers).
	ErrTypeRunFailed = "RiveryRunFailed"
)

// Non-retryable failure types the server applies to a lost worker, and the
// SDK's type for an activity panic.
const (
	timeoutStartToClose = "TemporalTimeout:StartToClose"
	timeoutHeartbeat    = "TemporalTimeout:Heartbeat"
	panicErrorType      = "PanicError"
)

// callKind says whether a failed call may have changed something on Rivery.
type callKind int

const (
	readCall    callKind = iota // GET: safe to repeat
	triggerCall                 // starts a run: never repeated blindly
	cancelCall                  // idempotent in effect: repeating is harmless
)

// activityError turns an error of the rivery SDK into the ApplicationError
// an activity returns, retryable exactly when repeating the call is safe
// and may help.
func activityError(kind callKind, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		if kind == triggerCall {
			// The activity was canceled or timed out mid-call: the trigger
			// may have been sent.
			return temporal.NewNonRetryableApplicationError(err.Error(), ErrTypeOutcomeUnknown, nil)
		}
		return err
	}
	if errors.Is(err, rivery.ErrInvalidArgument) {
		return temporal.NewNonRetryableApplicationError(err.Error(), ErrTypeInvalidArgument, nil)
	}
	var apiErr *rivery.APIError
	if errors.As(err, &apiErr) {
		switch {
		case apiErr.StatusCode == 429:
			return temporal.NewApplicationErrorWithOptions(err.Error(), ErrTypeRateLimited, temporal.ApplicationErrorOptions{
				NextRetryDelay: retryDelay(apiErr.RetryAfter),
			})
		case apiErr.StatusCode >= 500 && kind == triggerCall:
			// Rivery may have started the run and then failed.
			return temporal.NewNonRetryableApplicationError(err.Error(), ErrTypeOutcomeUnknown, nil)
		case apiErr.StatusCode >= 500:
			return temporal.NewApplicationErrorWithOptions(err.Error(), ErrTypeUnavailable, temporal.ApplicationErrorOptions{})
		}
		return temporal.NewNonRetryableApplicationError(err.Error(), ErrTypeRejected, nil)
	}
	var reqErr *rivery.RequestError
	if kind == triggerCall && (!errors.As(err, &reqErr) || reqErr.MaybeApplied) {
		return temporal.NewNonRetryableApplicationError(err.Error(), ErrTypeOutcomeUnknown, nil)
	}
	return temporal.NewApplicationErrorWithOptions(err.Error(), ErrTypeUnavailable, temporal.ApplicationErrorOptions{})
}

// minRetryAfter is the next delay of a 429 that came without Retry-After.
const minRetryAfter = 5 * time.Second

func retryDelay(d time.Duration) time.Duration {
	if d <= 0 {
		return minRetryAfter
	}
	return d
}

// errorType returns the ApplicationError type in err's chain, or "".
func errorType(err error) string {
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		return appErr.Type()
	}
	return ""
}

// triggerNotApplied reports whether a failed trigger activity provably
// started no run: its last attempt was refused, rate limited or never
// reached Rivery. Anything else (an unknown outcome, a lost worker, a
// panic) may have started one.
func triggerNotApplied(err error) bool {
	var timeoutErr *temporal.TimeoutError
	var panicErr *temporal.PanicError
	if errors.As(err, &timeoutErr) || errors.As(err, &panicErr) {
		// A lost worker or a crash: whatever an earlier attempt got, this
		// one may have been sent.
		return false
	}
	switch errorType(err) {
	case ErrTypeInvalidArgument, ErrTypeRejected, ErrTypeRateLimited, ErrTypeUnavailable:
		return true
	}
	return false
}
