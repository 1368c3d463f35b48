package rivery_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

// endless streams prefix, then filler bytes up to size.
type endless struct {
	prefix string
	size   int64
	read   int64
}

func (e *endless) Read(p []byte) (int, error) {
	if e.read >= e.size {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && e.read < e.size {
		if e.read < int64(len(e.prefix)) {
			p[n] = e.prefix[e.read]
		} else {
			p[n] = 'a'
		}
		n++
		e.read++
	}
	return n, nil
}

func (e *endless) Close() error { return nil }

// allocated reports the bytes allocated while f ran.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

const hundredMiB = 100 << 20

// Rule 4: a 100 MiB answer, success or error, with or without a
// Content-Length, ends in a clear error having allocated under 2 MiB.
// (Not parallel: it measures the process's allocations.)
func TestHugeBodiesBounded(t *testing.T) {
	cases := []struct {
		name          string
		status        int
		prefix        string
		contentLength int64
		check         func(t *testing.T, err error)
	}{
		{"success, streamed", 200, `{"run_id":"`, -1, func(t *testing.T, err error) {
			if !strings.Contains(asRequestError(t, err).Error(), "response body exceeds") {
				t.Errorf("error = %v", err)
			}
		}},
		{"success, Content-Length", 200, `{"run_id":"`, hundredMiB, func(t *testing.T, err error) {
			if !strings.Contains(asRequestError(t, err).Error(), "response body exceeds") {
				t.Errorf("error = %v", err)
			}
		}},
		{"error, streamed", 500, `{"message":"`, -1, func(t *testing.T, err error) {
			if apiErr := asAPIError(t, err); apiErr.StatusCode != 500 || len(apiErr.Body) != 64<<10 {
				t.Errorf("APIError status %d, body %d bytes", apiErr.StatusCode, len(apiErr.Body))
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, mock := setup(t, rivery.WithoutRetries())
			var body *endless
			mock.RegisterResponder(http.MethodGet, consoleBase+"/api/check_run", func(req *http.Request) (*http.Response, error) {
				body = &endless{prefix: tc.prefix, size: hundredMiB}
				return &http.Response{StatusCode: tc.status, Header: http.Header{}, Body: body, ContentLength: tc.contentLength, Request: req}, nil
			})
			var err error
			n := allocated(func() { _, _, err = c.Rivers.GetRun(context.Background(), riverID, runID) })
			tc.check(t, err)
			t.Logf("%s: %d bytes allocated, %d of %d bytes read", tc.name, n, body.read, body.size)
			if n >= 2<<20 {
				t.Errorf("allocated %d bytes, want under 2 MiB", n)
			}
			if body.read > 1<<20 {
				t.Errorf("read %d bytes of the body", body.read)
			}
		})
	}
}

// latencies measures, n times, how long a call takes to return after its
// context is canceled, and returns them sorted.
func latencies(t *testing.T, n int, call func(ctx context.Context) error, started func() <-chan struct{}) []time.Duration {
	t.Helper()
	var out []time.Duration
	for range n {
		ctx, cancel := context.WithCancel(context.Background())
		ready := started()
		done := make(chan error, 1)
		go func() { done <- call(ctx) }()
		<-ready
		at := time.Now()
		cancel()
		err := <-done
		out = append(out, time.Since(at))
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("error = %v, want context.Canceled", err)
		}
	}
	slices.Sort(out)
	return out
}

// Canceling the context interrupts a backoff wait and a request in flight
// at once.
func TestCancellationLatency(t *testing.T) {
	t.Parallel()
	const n = 20
	t.Run("during backoff", func(t *testing.T) {
		t.Parallel()
		c, mock := setup(t, rivery.WithRetry(3, time.Hour, time.Hour))
		var attempted chan struct{}
		mock.RegisterResponder(http.MethodGet, consoleBase+"/api/check_run", func(*http.Request) (*http.Response, error) {
			close(attempted) // the wait starts right after this answer
			return httpmock.NewStringResponse(503, ""), nil
		})
		l := latencies(t, n, func(ctx context.Context) error {
			_, _, err := c.Rivers.GetRun(ctx, riverID, runID)
			return err
		}, func() <-chan struct{} { attempted = make(chan struct{}); return attempted })
		report(t, "backoff", l)
	})
	t.Run("in flight", func(t *testing.T) {
		t.Parallel()
		srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: riverID}))
		defer srv.Close()
		c := srv.Client()
		var arrived chan struct{}
		l := latencies(t, n, func(ctx context.Context) error {
			_, _, err := c.Rivers.Run(ctx, riverID)
			return err
		}, func() <-chan struct{} {
			arrived = make(chan struct{})
			before := len(srv.RequestsTo(riverytest.RouteRun))
			srv.Fail(riverytest.RouteRun, 1, riverytest.Fault{Delay: time.Hour})
			ch := arrived
			go func() { // the request is in flight once the server has it
				for len(srv.RequestsTo(riverytest.RouteRun)) == before {
					time.Sleep(time.Millisecond)
				}
				close(ch)
			}()
			return ch
		})
		report(t, "in flight", l)
	})
}

// report logs the latencies and holds them to bounds far below the hour
// each call would otherwise wait, and far above anything a busy machine
// adds to waking a goroutine (tens of microseconds when idle, see
// docs/reliability.md): the median to 1 s, every sample to hangLimit.
func report(t *testing.T, what string, l []time.Duration) {
	t.Helper()
	p50, worst := l[len(l)/2], l[len(l)-1]
	t.Logf("cancellation %s: median %v, worst %v over %d", what, p50, worst, len(l))
	if p50 > time.Second || worst > hangLimit {
		t.Errorf("cancellation %s: median %v, worst %v; want the median under 1 s and none past %v", what, p50, worst, hangLimit)
	}
}
