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
// and the client is waiting on l for one more (a token reserved beyond the
// burst: l holds less than none), or after 10 s. However slow the machine,
// the calls allowed get through first, and the test does not guess how
// long a request too many would take to show.
func ctxUntil(t *testing.T, srv *riverytest.Server, route riverytest.Route, n int, l *rate.Limiter) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	go func() {
		for (len(srv.RequestsTo(route)) < n || l.Tokens() > -0.5) && ctx.Err() == nil {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	return ctx
}

// WaitForRun's status calls count against the limit: with a burst of 3 and
// no refill, a wait makes two calls after the trigger, then waits until its
// context ends.
func TestRateLimitCountsWaitForRunPolls(t *testing.T) {
	t.Parallel()
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: riverID, Polls: 10}))
	defer srv.Close()
	l := rate.NewLimiter(rate.Every(time.Hour), 3) // WithRateLimit(time.Hour, 3), watched
	c := srv.ClientV1(rivery.WithRateLimiter(l))
	run, _, err := c.Rivers.Run(context.Background(), riverID)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Rivers.WaitForRun(ctxUntil(t, srv, riverytest.RouteRunStatus, 2, l), riverID, run.ID, nil)
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
	l := rate.NewLimiter(rate.Every(time.Hour), 2) // WithRateLimit(time.Hour, 2), watched
	c := srv.ClientV1(rivery.WithRateLimiter(l))
	srv.Fail(riverytest.RouteRiver, 5, riverytest.Fault{Status: 503})
	_, _, err := c.Rivers.Get(ctxUntil(t, srv, riverytest.RouteRiver, 2, l), riverID)
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
