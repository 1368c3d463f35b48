package rivery_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

func TestWithRequestBudgetChecks(t *testing.T) {
	t.Parallel()
	for _, o := range []rivery.Option{rivery.WithRequestBudget(0, time.Minute), rivery.WithRequestBudget(15, 0),
		rivery.WithRequestBudget(10_001, time.Minute), rivery.WithRequestBudget(math.MaxInt, time.Minute)} {
		if _, err := rivery.NewClient("t", o); err == nil || !strings.Contains(err.Error(), "WithRequestBudget") {
			t.Errorf("error = %v", err)
		}
	}
}

// waitAll runs RunAndWait on each river from its own goroutine and
// returns the errors, in the rivers' order.
func waitAll(ctx context.Context, c *rivery.Client, rivers []string) []error {
	errs := make([]error, len(rivers))
	var wg sync.WaitGroup
	for i, id := range rivers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = c.Rivers.RunAndWait(ctx, id, nil)
		}()
	}
	wg.Wait()
	return errs
}

// Against the fake, several waits at once share one poller: the fake
// counts an activities view of a run as a status call (River.Polls), so
// runs move as they would under per-run polling, and every wait ends with
// its run's outcome.
func TestSharedPollingAgainstTheFake(t *testing.T) {
	t.Parallel()
	var opts []riverytest.Option
	var rivers []string
	for i := range 8 {
		id := fmt.Sprintf("63d0ffee00000000000000%02d", i)
		outcome := "succeeded"
		if i == 3 {
			outcome = "failed"
		}
		opts = append(opts, riverytest.WithRiver(riverytest.River{ID: id, Outcome: outcome, Polls: 1 + i%3}))
		rivers = append(rivers, id)
	}
	srv := riverytest.NewServer(opts...)
	t.Cleanup(srv.Close)
	c := srv.ClientV1()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for i, err := range waitAll(ctx, c, rivers) {
		switch {
		case i == 3 && !errors.Is(err, rivery.ErrRunFailed):
			t.Errorf("wait %d: %v, want the failed run", i, err)
		case i != 3 && err != nil:
			t.Errorf("wait %d: %v", i, err)
		}
	}
	if n := len(srv.RequestsTo(riverytest.RouteActivities)); n == 0 {
		t.Error("no activities call: the waits did not share a poller")
	}
	// Each run is read once when its row says it ended, plus the reads of
	// the first wait while it was alone: far fewer than per-run polling.
	if n := len(srv.RequestsTo(riverytest.RouteRunStatus)); n > 2*len(rivers) {
		t.Errorf("%d status calls for %d runs", n, len(rivers))
	}
}

// WithRequestBudget keeps every request of the client within the fake's
// enforced limit, triggers included: 12 waits under 6 requests a
// (scaled) minute meet no 429, and all end.
func TestRequestBudgetMeetsTheFakesLimit(t *testing.T) {
	t.Parallel()
	const scale = 600 // a minute lasts 100 ms
	opts := []riverytest.Option{riverytest.WithRequestLimit(6), riverytest.WithTimeScale(scale)}
	var rivers []string
	for i := range 12 {
		id := fmt.Sprintf("63d0ffee00000000000001%02d", i)
		opts = append(opts, riverytest.WithRiver(riverytest.River{ID: id, Duration: time.Duration(1+i%4) * time.Minute}))
		rivers = append(rivers, id)
	}
	srv := riverytest.NewServer(opts...)
	t.Cleanup(srv.Close)
	scaled := func(d time.Duration) time.Duration { return d / scale }
	var refused atomic.Int32
	tr := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(tr.CloseIdleConnections)
	counting := roundTripperFunc(func(req *http.Request) (*http.Response, error) {
		resp, err := tr.RoundTrip(req)
		if err == nil && resp.StatusCode == http.StatusTooManyRequests {
			refused.Add(1)
		}
		return resp, err
	})
	c := srv.ClientV1(rivery.WithHTTPClient(&http.Client{Transport: counting}), rivery.WithRequestBudget(6, scaled(time.Minute)),
		rivery.WithPollInterval(scaled(time.Second), scaled(30*time.Second)))
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for i, err := range waitAll(ctx, c, rivers) {
		if err != nil {
			t.Errorf("wait %d: %v", i, err)
		}
	}
	if n := refused.Load(); n != 0 {
		t.Errorf("%d answers 429, want none", n)
	}
	if n := len(srv.RequestsTo(riverytest.RouteActivities)); n == 0 {
		t.Error("no activities call: the waits did not share a poller")
	}
}

type roundTripperFunc func(*http.Request) (*http.Response, error)

func (f roundTripperFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// waitForAll is the example of docs/runs.md: one RunAndWait per river,
// each from its own goroutine, on one client.
func waitForAll(ctx context.Context, client *rivery.Client, riverIDs []string, report func(string, *rivery.Run, error)) {
	var wg sync.WaitGroup
	for _, id := range riverIDs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			run, err := client.Rivers.RunAndWait(ctx, id, nil)
			report(id, run, err)
		}()
	}
	wg.Wait()
}

func TestWaitForAllExample(t *testing.T) {
	t.Parallel()
	ids := []string{"63d0ffee0000000000000201", "63d0ffee0000000000000202", "63d0ffee0000000000000203"}
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: ids[0]}), riverytest.WithRiver(riverytest.River{ID: ids[1]}),
		riverytest.WithRiver(riverytest.River{ID: ids[2], Outcome: "failed"}))
	t.Cleanup(srv.Close)
	var mu sync.Mutex
	outcomes := map[string]rivery.RunStatus{}
	waitForAll(context.Background(), srv.ClientV1(rivery.WithRequestBudget(15, time.Second)), ids, func(id string, run *rivery.Run, err error) {
		mu.Lock()
		defer mu.Unlock()
		if run != nil && (err == nil) == (run.Status == rivery.StatusSucceeded) {
			outcomes[id] = run.Status
		}
	})
	if outcomes[ids[0]] != rivery.StatusSucceeded || outcomes[ids[1]] != rivery.StatusSucceeded || outcomes[ids[2]] != rivery.StatusFailed {
		t.Errorf("outcomes = %v", outcomes)
	}
}
