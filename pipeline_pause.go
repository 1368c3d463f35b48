package rivery

import (
	"context"
	"errors"
	"time"
)

// pauseAfter returns how long a poller waits after a status call that
// failed with err (nil: it did not fail): interval, or the server's
// Retry-After when that is longer. When ctx's deadline comes before that
// wait ends, it returns err at once instead, as the SDK does with a
// Retry-After beyond its max wait: waiting out the deadline would only
// trade the server's answer for context.DeadlineExceeded.
func pauseAfter(ctx context.Context, err error, interval time.Duration) (time.Duration, error) {
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.RetryAfter <= interval {
		return interval, nil
	}
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < apiErr.RetryAfter {
		return 0, err
	}
	return apiErr.RetryAfter, nil
}
