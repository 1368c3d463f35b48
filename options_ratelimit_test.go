package rivery_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

func TestWithRateLimitChecks(t *testing.T) {
	t.Parallel()
	for _, o := range []rivery.Option{rivery.WithRateLimit(0, 1), rivery.WithRateLimit(time.Second, 0), rivery.WithRateLimiter(nil)} {
		if _, err := rivery.NewClient("t", o); err == nil || !strings.Contains(err.Error(), "WithRateLimit") {
			t.Errorf("error = %v", err)
		}
	}
}

// shortCtx bounds a call that must wait on the limiter: the wait ends it.
func shortCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	t.Cleanup(cancel)
	return ctx
}

// ctxUntil returns a context canceled once srv has seen n requests on route
// and 50 ms more have passed (room for a request too many to show), or
// after 10 s: however slow the machine, the calls allowed get through.
func ctxUntil(t *testing.T, srv *riverytest.Server, route riverytest.Route, n int) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	go func() {
		for len(srv.RequestsTo(route)) < n && ctx.Err() == nil {
			time.Sleep(time.Millisecond)
		}
		time.Sleep(50 * time.Millisecond)
		cancel()
	}()
	return ctx
}

// WaitForRun's status calls count against the limit: with a burst of 2 and
// no refill, a wait makes two calls, then waits until its context ends.
func TestRateLimitCountsWaitForRunPolls(t *testing.T) {
	t.Parallel()
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: riverID, Polls: 10}))
	defer srv.Close()
	c := srv.ClientV1(rivery.WithRateLimit(time.Hour, 3))
	run, _, err := c.Rivers.Run(context.Background(), riverID)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Rivers.WaitForRun(ctxUntil(t, srv, riverytest.RouteRunStatus, 2), riverID, run.ID, nil)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("WaitForRun: error = %v, want context.Canceled", err)
	}
	if n := len(srv.RequestsTo(riverytest.RouteRunStatus)); n != 2 {
		t.Errorf("status calls = %d, want 2 (the burst of 3 less the trigger)", n)
	}
}

// Retries count too: a 503 answered first try and a retry use a burst of
// 2; the next retry waits.
func TestRateLimitCountsRetries(t *testing.T) {
	t.Parallel()
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: riverID}))
	defer srv.Close()
	c := srv.ClientV1(rivery.WithRateLimit(time.Hour, 2))
	srv.Fail(riverytest.RouteRiver, 5, riverytest.Fault{Status: 503})
	_, _, err := c.Rivers.Get(ctxUntil(t, srv, riverytest.RouteRiver, 2), riverID)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want context.Canceled", err)
	}
	if n := len(srv.RequestsTo(riverytest.RouteRiver)); n != 2 {
		t.Errorf("attempts = %d, want 2", n)
	}
}

// WithRateLimiter shares one budget between separately built clients.
func TestWithRateLimiterShared(t *testing.T) {
	t.Parallel()
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: riverID}))
	defer srv.Close()
	l := rate.NewLimiter(rate.Every(time.Hour), 1)
	a, b := srv.ClientV1(rivery.WithRateLimiter(l)), srv.Client(rivery.WithRateLimiter(l))
	if _, _, err := a.Rivers.Get(context.Background(), riverID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.Rivers.Get(shortCtx(t), riverID); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("second client: error = %v, want DeadlineExceeded", err)
	}
	l.SetLimit(rate.Inf)
	if _, _, err := b.Rivers.Get(context.Background(), riverID); err != nil {
		t.Errorf("after lifting the limit: %v", err)
	}
}
