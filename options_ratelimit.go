package rivery

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"golang.org/x/time/rate"
)

// WithRateLimit makes the client send at most one request every interval,
// with bursts of up to burst requests, waiting (as long as the call's
// context allows) instead of meeting 429s. Every attempt counts: first
// tries, retries, the second try after a token refresh, and each status
// call of WaitForRun and RunAndWait (and of the shared poller), but not
// requests outside Rivery's API (presigned URLs, the Boomi token
// exchange). To keep
// to a number of requests a minute, as Rivery counts, WithRequestBudget
// is the closer fit. Clients made with InEnvironment share
// their parent's limiter.
//
// Rivery documents about 15 requests a minute per user overall, 2 runs a
// minute per river and 15 executions a minute per user; Boomi's own tooling
// sends at most one request a second. WithRateLimit(4*time.Second, 1) keeps
// a program under the documented 15 a minute however many goroutines share
// the client. Several clients of one user should share one limiter: see
// WithRateLimiter.
func WithRateLimit(interval time.Duration, burst int) Option {
	return func(c *config) error {
		switch {
		case interval <= 0:
			return fmt.Errorf("rivery: WithRateLimit: interval must be positive, not %v", interval)
		case burst < 1:
			return fmt.Errorf("rivery: WithRateLimit: burst must be at least 1, not %d", burst)
		}
		c.limiter = rate.NewLimiter(rate.Every(interval), burst)
		return nil
	}
}

// WithRateLimiter is WithRateLimit with a limiter of the caller's, so that
// several clients (of other regions, say) share one budget. The client only
// waits on it; its limit may be changed while the client is in use.
func WithRateLimiter(l *rate.Limiter) Option {
	return func(c *config) error {
		if l == nil {
			return errors.New("rivery: WithRateLimiter: nil *rate.Limiter")
		}
		c.limiter = l
		return nil
	}
}

// beforeRetry waits for the budget and the rate limiter before a retry
// (go-retryablehttp's PrepareRetry hook), unless the request is outside
// the Rivery API.
func (c *Client) beforeRetry(req *http.Request) error {
	ctx := req.Context()
	if st := stateFrom(ctx); st != nil {
		if st.outside {
			return nil
		}
		t, err := c.budget.admit(ctx, c.clock, st.poll)
		if err != nil {
			return err
		}
		st.ticket = t
		if err := waitRate(ctx, c.limiter); err != nil {
			c.notSent(admission{ticket: t})
			st.ticket = budgetTicket{}
			return err
		}
		return nil
	}
	return waitRate(ctx, c.limiter)
}

// waitRate takes one token from l (nil: no limit), waiting until ctx ends
// at most. Unlike rate.Limiter.Wait it reports an end of ctx as ctx's own
// error, also when the wait would outlast ctx's deadline.
func waitRate(ctx context.Context, l *rate.Limiter) error {
	if l == nil {
		return nil
	}
	r := l.Reserve()
	if !r.OK() {
		return errors.New("rivery: rate limiter refuses every request (burst 0)")
	}
	d := r.Delay()
	if d == 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		r.Cancel()
		return ctx.Err()
	}
}
