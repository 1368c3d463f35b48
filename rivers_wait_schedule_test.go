package rivery

import (
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The poll schedule of WaitForRun, RunAndWait and WaitForOperation, on a
// clock that records each wait and returns at once: the first wait is the
// minimum interval, each next one doubles, and none exceeds the maximum.

// stepClock records every wait asked of it and ends it at once.
type stepClock struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (c *stepClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	c.waits = append(c.waits, d)
	c.mu.Unlock()
	ch := make(chan time.Time, 1)
	ch <- time.Time{}
	return ch
}

func (c *stepClock) recorded() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.waits)
}

// script answers each request with the next of its bodies (the last one
// repeats) and notes how many waits the clock had recorded before each.
type script struct {
	clk    *stepClock
	mu     sync.Mutex
	bodies []scripted
	seen   []string // "METHOD path after N waits"
}

type scripted struct {
	status int
	body   string
}

func (s *script) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seen = append(s.seen, req.Method+" "+req.URL.Path+" after "+strconv.Itoa(len(s.clk.recorded()))+" waits")
	r := s.bodies[0]
	if len(s.bodies) > 1 {
		s.bodies = s.bodies[1:]
	}
	return &http.Response{
		StatusCode: r.status,
		Header:     http.Header{"Content-Type": {"application/json"}},
		Body:       io.NopCloser(strings.NewReader(r.body)),
		Request:    req,
	}, nil
}

func (s *script) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.seen)
}

// scheduleClient returns a v1 client whose requests s answers and whose
// waits s.clk records, without retries so each request is one status call.
func scheduleClient(t *testing.T, s *script, opts ...Option) *Client {
	t.Helper()
	s.clk = &stepClock{}
	base := []Option{WithHTTPClient(&http.Client{Transport: s}), WithoutRetries(),
		WithAccountID("5f1a2b3c4d5e6f7081920a1b"), WithEnvironmentID("6a7b8c9d0e1f2a3b4c5d6e7f")}
	c, err := NewClient("schedule-token", append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	c.clock = s.clk
	return c
}

const (
	schedRiver = "63b724fc690def001131d242"
	schedRun   = "0d3f1c6a9b8e4d2f8a7c6b5e4d3c2b1a"
	schedOp    = "7c1f0e2d3b4a59687f6e5d4c"
)

func v1Run(status string) scripted {
	return scripted{200, `{"run_id":"` + schedRun + `","river_cross_id":"` + schedRiver + `","status":"` + status + `"}`}
}

func runningThen(n int, final string) []scripted {
	var out []scripted
	for range n {
		out = append(out, v1Run("running"))
	}
	return append(out, v1Run(final))
}

func seconds(s ...float64) []time.Duration {
	out := make([]time.Duration, len(s))
	for i, v := range s {
		out[i] = time.Duration(v * float64(time.Second))
	}
	return out
}

func TestWaitForRunSchedule(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		clientO []Option
		opts    *WaitOptions
		polls   int // status calls before the terminal one
		want    []time.Duration
	}{
		{"defaults: 1s doubling to 30s", nil, nil, 8, seconds(1, 2, 4, 8, 16, 30, 30, 30)},
		{"WaitOptions bounds", nil, &WaitOptions{MinInterval: 3 * time.Second, MaxInterval: 10 * time.Second}, 5, seconds(3, 6, 10, 10, 10)},
		{"WaitOptions min only", nil, &WaitOptions{MinInterval: 20 * time.Second}, 3, seconds(20, 30, 30)},
		{"WaitOptions max only", nil, &WaitOptions{MaxInterval: 5 * time.Second}, 4, seconds(1, 2, 4, 5)},
		{"min equals max", nil, &WaitOptions{MinInterval: 7 * time.Second, MaxInterval: 7 * time.Second}, 3, seconds(7, 7, 7)},
		{"WithPollInterval", []Option{WithPollInterval(2*time.Second, 5*time.Second)}, nil, 4, seconds(2, 4, 5, 5)},
		{"WaitOptions over WithPollInterval", []Option{WithPollInterval(2*time.Second, 5*time.Second)},
			&WaitOptions{MinInterval: 500 * time.Millisecond}, 4, seconds(0.5, 1, 2, 4)},
		{"cap that is not a doubling", nil, &WaitOptions{MinInterval: 3 * time.Second, MaxInterval: 7 * time.Second}, 3, seconds(3, 6, 7)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := &script{bodies: runningThen(tc.polls, "succeeded")}
			c := scheduleClient(t, s, tc.clientO...)
			run, err := c.Rivers.WaitForRun(context.Background(), schedRiver, schedRun, tc.opts)
			if err != nil || run.Status != StatusSucceeded {
				t.Fatalf("WaitForRun = %+v, %v", run, err)
			}
			if got := s.clk.recorded(); !slices.Equal(got, tc.want) {
				t.Errorf("waits = %v, want %v", got, tc.want)
			}
			// No wait before the first status call; one between each pair.
			reqs := s.requests()
			if len(reqs) != tc.polls+1 {
				t.Fatalf("%d status calls, want %d: %v", len(reqs), tc.polls+1, reqs)
			}
			for i, r := range reqs {
				if !strings.HasSuffix(r, " after "+strconv.Itoa(i)+" waits") {
					t.Errorf("status call %d: %s, want it after %d waits", i+1, r, i)
				}
			}
		})
	}
}

// RunAndWait waits the minimum interval before its first status call (the
// trigger's answer is the first status), then doubles.
func TestRunAndWaitSchedule(t *testing.T) {
	t.Parallel()
	trigger := scripted{200, `{"run_group_id":"g1","river_cross_id":"` + schedRiver + `","runs":[{"run_id":"` + schedRun + `","status":"pending"}]}`}
	s := &script{bodies: append([]scripted{trigger}, runningThen(4, "succeeded")...)}
	c := scheduleClient(t, s)
	var seen []RunStatus
	run, err := c.Rivers.RunAndWait(context.Background(), schedRiver, &WaitOptions{
		MinInterval: 2 * time.Second, MaxInterval: 12 * time.Second,
		OnStatus: func(r *Run) { seen = append(seen, r.Status) },
	})
	if err != nil || run.Status != StatusSucceeded || run.ID != schedRun {
		t.Fatalf("RunAndWait = %+v, %v", run, err)
	}
	if got, want := s.clk.recorded(), seconds(2, 4, 8, 12, 12); !slices.Equal(got, want) {
		t.Errorf("waits = %v, want %v", got, want)
	}
	reqs := s.requests()
	if len(reqs) != 6 || !strings.HasPrefix(reqs[0], "POST ") || !strings.HasSuffix(reqs[0], " after 0 waits") ||
		!strings.HasSuffix(reqs[1], " after 1 waits") || !strings.HasSuffix(reqs[5], " after 5 waits") {
		t.Errorf("requests = %v, want the trigger, then a status call after each wait", reqs)
	}
	if want := []RunStatus{StatusPending, StatusRunning, StatusSucceeded}; !slices.Equal(seen, want) {
		t.Errorf("OnStatus saw %v, want %v", seen, want)
	}
}

// A trigger whose answer is already terminal returns at once: no wait, no
// status call.
func TestRunAndWaitTerminalTrigger(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		status string
		ok     bool
	}{{"succeeded", true}, {"failed", false}, {"partially succeeded", false}, {"skipped", false}} {
		s := &script{bodies: []scripted{{200, `{"run_group_id":"g1","runs":[{"run_id":"` + schedRun + `","status":"` + tc.status + `"}]}`}}}
		c := scheduleClient(t, s)
		run, err := c.Rivers.RunAndWait(context.Background(), schedRiver, nil)
		if run == nil || string(run.Status) != tc.status {
			t.Fatalf("%s: run = %+v", tc.status, run)
		}
		if (err == nil) != tc.ok || (!tc.ok && !errors.Is(err, ErrRunFailed)) {
			t.Errorf("%s: error = %v, want success %v", tc.status, err, tc.ok)
		}
		if n := len(s.requests()); n != 1 || len(s.clk.recorded()) != 0 {
			t.Errorf("%s: %d requests and waits %v, want the trigger alone", tc.status, n, s.clk.recorded())
		}
	}
}

func TestWaitForOperationSchedule(t *testing.T) {
	t.Parallel()
	op := func(status string) scripted {
		return scripted{200, `{"operation_id":"` + schedOp + `","status":"` + status + `"}`}
	}
	s := &script{bodies: []scripted{op("W"), op("R"), op("R"), op("R"), op("R"), op("D")}}
	c := scheduleClient(t, s, WithPollInterval(1500*time.Millisecond, 10*time.Second))
	done, err := c.Rivers.WaitForOperation(context.Background(), &Operation{ID: schedOp, Status: OperationWaiting}, nil)
	if err != nil || done.Status != OperationDone || done.ID != schedOp {
		t.Fatalf("WaitForOperation = %+v, %v", done, err)
	}
	if got, want := s.clk.recorded(), seconds(1.5, 3, 6, 10, 10); !slices.Equal(got, want) {
		t.Errorf("waits = %v, want %v", got, want)
	}
	if reqs := s.requests(); len(reqs) != 6 || !strings.HasSuffix(reqs[0], "/operations/"+schedOp+" after 0 waits") {
		t.Errorf("requests = %v, want six GETs of the operation, the first before any wait", reqs)
	}
}

// A transient failure (5xx, 429, no answer) is ridden out on the same
// schedule; any other API error ends the wait after no further wait.
func TestWaitForRunScheduleAcrossFailures(t *testing.T) {
	t.Parallel()
	s := &script{bodies: []scripted{
		v1Run("running"), {503, `{"detail":"busy"}`}, {429, `{"detail":"slow down"}`}, v1Run("running"), v1Run("succeeded"),
	}}
	c := scheduleClient(t, s)
	run, err := c.Rivers.WaitForRun(context.Background(), schedRiver, schedRun, &WaitOptions{MinInterval: time.Second, MaxInterval: 3 * time.Second})
	if err != nil || run.Status != StatusSucceeded {
		t.Fatalf("WaitForRun = %+v, %v", run, err)
	}
	if got, want := s.clk.recorded(), seconds(1, 2, 3, 3); !slices.Equal(got, want) {
		t.Errorf("waits = %v, want %v", got, want)
	}

	s = &script{bodies: []scripted{v1Run("running"), v1Run("running"), {404, `{"detail":"run not found"}`}, v1Run("succeeded")}}
	c = scheduleClient(t, s)
	run, err = c.Rivers.WaitForRun(context.Background(), schedRiver, schedRun, nil)
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("error = %v, want ErrNotFound", err)
	}
	if run == nil || run.Status != StatusRunning {
		t.Errorf("run = %+v, want the last run seen (running)", run)
	}
	if got, want := s.clk.recorded(), seconds(1, 2); !slices.Equal(got, want) {
		t.Errorf("waits = %v, want %v (none after the 404)", got, want)
	}
}

// blockedClock never ends a wait; it cancels the waiter's context instead.
type blockedClock struct {
	cancel context.CancelFunc
	waits  int
}

func (c *blockedClock) After(time.Duration) <-chan time.Time {
	c.waits++
	c.cancel()
	return make(chan time.Time)
}

// A context that ends during a wait ends the wait with its error and the
// last run seen; one that ends before RunAndWait's first wait has no run
// to return but the trigger's.
func TestWaitEndsWithContext(t *testing.T) {
	t.Parallel()
	s := &script{bodies: runningThen(3, "succeeded")}
	c := scheduleClient(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	clk := &blockedClock{cancel: cancel}
	c.clock = clk
	run, err := c.Rivers.WaitForRun(ctx, schedRiver, schedRun, nil)
	if !errors.Is(err, context.Canceled) || run == nil || run.Status != StatusRunning {
		t.Errorf("WaitForRun = %+v, %v; want the running run and context.Canceled", run, err)
	}
	if n := len(s.requests()); n != 1 || clk.waits != 1 {
		t.Errorf("%d status calls, %d waits; want 1 and 1", n, clk.waits)
	}

	s = &script{bodies: []scripted{{200, `{"run_group_id":"g1","runs":[{"run_id":"` + schedRun + `","status":"running"}]}`}, v1Run("succeeded")}}
	c = scheduleClient(t, s)
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	c.clock = &blockedClock{cancel: cancel2}
	run, err = c.Rivers.RunAndWait(ctx2, schedRiver, nil)
	if !errors.Is(err, context.Canceled) || run == nil || run.ID != schedRun || run.Status != StatusRunning {
		t.Errorf("RunAndWait = %+v, %v; want the triggered run and context.Canceled", run, err)
	}
	if n := len(s.requests()); n != 1 {
		t.Errorf("%d requests, want the trigger alone", n)
	}
}
