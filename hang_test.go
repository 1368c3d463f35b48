package rivery_test

// Never hang on a hostile answer (issue 11): each test would block for the
// client's 10-minute timeout (or for good) without its fix, and fails
// after 10 s instead.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

const runStatusJSON = `{"run_id":"` + runID + `","river_id":"` + riverID + `","river_run_status":"R"}`

// A 101 Switching Protocols (any 1xx as a final answer) ends the call at
// once with a clear error: nothing reads the connection it hands over, and
// nothing sends the request again.
func TestSwitchingProtocolsEndsTheCall(t *testing.T) {
	t.Parallel()
	for _, method := range []string{"GET", "POST"} {
		t.Run(method, func(t *testing.T) {
			t.Parallel()
			srv := newRawServer(t, func(conn net.Conn, _ *http.Request, _ int) bool {
				_, _ = io.WriteString(conn, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: evil\r\nConnection: Upgrade\r\n\r\n{")
				return hold(conn)
			})
			c := srv.client(t)
			var err error
			took := within(t, func() {
				if method == "GET" {
					_, _, err = c.Rivers.GetRun(context.Background(), riverID, runID)
				} else {
					_, _, err = c.Rivers.Run(context.Background(), riverID)
				}
			})
			t.Logf("101 answer to %s: returned in %v: %v", method, took, err)
			if err == nil || !strings.Contains(err.Error(), "101 Switching Protocols") {
				t.Fatalf("error = %v, want one naming the 101", err)
			}
			if n := srv.requests(); n != 1 {
				t.Errorf("the server read %d requests, want 1", n)
			}
			if method == "POST" && !rivery.MaybeApplied(err) {
				t.Errorf("a trigger answered 101 is not MaybeApplied: %v", err)
			}
		})
	}
}

// blockingBody blocks every Read until Close, as a body from a transport
// that ignores the request's context might; it records whether it was read.
type blockingBody struct {
	once   sync.Once
	closed chan struct{}
	read   atomic.Bool
}

func newBlockingBody() *blockingBody { return &blockingBody{closed: make(chan struct{})} }

func (b *blockingBody) Read([]byte) (int, error) {
	b.read.Store(true)
	<-b.closed
	return 0, errors.New("body closed")
}

func (b *blockingBody) Close() error {
	b.once.Do(func() { close(b.closed) })
	return nil
}

// roundTripFunc is a RoundTripper from a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// A custom transport's 1xx final answer is not read either.
func TestInformationalFromTransportIsNotRead(t *testing.T) {
	t.Parallel()
	body := newBlockingBody()
	var calls atomic.Int32
	rt := roundTripFunc(func(req *http.Request) (*http.Response, error) {
		calls.Add(1)
		return &http.Response{StatusCode: 103, Header: http.Header{}, Body: body, Request: req}, nil
	})
	c, err := rivery.NewClient(testToken, rivery.WithHTTPClient(&http.Client{Transport: rt}), rivery.WithRetry(3, time.Millisecond, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	within(t, func() { _, _, err = c.Rivers.GetRun(context.Background(), riverID, runID) })
	if err == nil || !strings.Contains(err.Error(), "103") || body.read.Load() || calls.Load() != 1 {
		t.Errorf("error %v, body read %v, %d calls; want an error naming the 103, no read, 1 call", err, body.read.Load(), calls.Load())
	}
}

// A custom transport whose body ignores the context: canceling ctx, or the
// per-attempt timeout, still ends a read that blocks.
func TestBlockedBodyReadHeedsContextAndTimeout(t *testing.T) {
	t.Parallel()
	client := func(t *testing.T, opts ...rivery.Option) *rivery.Client {
		rt := roundTripFunc(func(req *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: 200, Header: http.Header{}, Body: newBlockingBody(), ContentLength: -1, Request: req}, nil
		})
		c, err := rivery.NewClient(testToken, append([]rivery.Option{rivery.WithHTTPClient(&http.Client{Transport: rt}), rivery.WithoutRetries()}, opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	t.Run("context", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		var err error
		within(t, func() { _, _, err = client(t, rivery.WithTimeout(time.Hour)).Rivers.GetRun(ctx, riverID, runID) })
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("error = %v, want context.DeadlineExceeded", err)
		}
	})
	t.Run("timeout", func(t *testing.T) {
		t.Parallel()
		var err error
		within(t, func() {
			_, _, err = client(t, rivery.WithTimeout(50*time.Millisecond)).Rivers.GetRun(context.Background(), riverID, runID)
		})
		_ = asRequestError(t, err)
	})
	// The response names a request of some other making: ctx still holds.
	t.Run("context, foreign request", func(t *testing.T) {
		t.Parallel()
		rt := roundTripFunc(func(req *http.Request) (*http.Response, error) {
			foreign, _ := http.NewRequestWithContext(context.Background(), req.Method, req.URL.String(), http.NoBody)
			return &http.Response{StatusCode: 200, Header: http.Header{}, Body: newBlockingBody(), ContentLength: -1, Request: foreign}, nil
		})
		c, err := rivery.NewClient(testToken, rivery.WithHTTPClient(&http.Client{Transport: rt}), rivery.WithoutRetries(), rivery.WithTimeout(0))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		within(t, func() { _, _, err = c.Rivers.GetRun(ctx, riverID, runID) })
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("error = %v, want context.DeadlineExceeded", err)
		}
	})
	// The response names a request of this call whose context carries no
	// deadline (the transport dropped it): the timeout still holds.
	t.Run("timeout, request without deadline", func(t *testing.T) {
		t.Parallel()
		rt := roundTripFunc(func(req *http.Request) (*http.Response, error) {
			plain := req.WithContext(context.WithoutCancel(req.Context()))
			return &http.Response{StatusCode: 200, Header: http.Header{}, Body: newBlockingBody(), ContentLength: -1, Request: plain}, nil
		})
		c, err := rivery.NewClient(testToken, rivery.WithHTTPClient(&http.Client{Transport: rt}), rivery.WithoutRetries(),
			rivery.WithTimeout(50*time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		within(t, func() { _, _, err = c.Rivers.GetRun(context.Background(), riverID, runID) })
		_ = asRequestError(t, err)
	})
}

// A complete answer followed by a tail that never comes returns at once:
// the drain for connection reuse is bounded in time, and closes the
// connection instead.
func TestStalledTailAfterCompleteAnswer(t *testing.T) {
	t.Parallel()
	for name, head := range map[string]string{
		"Content-Length longer than sent": fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(runStatusJSON)+100, runStatusJSON),
		"chunked without its last chunk":  fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n", len(runStatusJSON), runStatusJSON),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := newRawServer(t, func(conn net.Conn, _ *http.Request, _ int) bool {
				_, _ = io.WriteString(conn, head)
				return hold(conn)
			})
			c := srv.client(t)
			var (
				run *rivery.Run
				err error
			)
			took := within(t, func() { run, _, err = c.Rivers.GetRun(context.Background(), riverID, runID) })
			t.Logf("%s: returned in %v", name, took)
			if err != nil || run.ID != runID {
				t.Fatalf("GetRun = %+v, %v", run, err)
			}
		})
	}
}

// A redirect loop is an error at once, not a fault retried: A -> A and
// A -> B -> A each stop at the first repeat.
func TestRedirectLoopIsNotRetried(t *testing.T) {
	t.Parallel()
	for name, to := range map[string]func(r *http.Request) string{
		"to itself": func(r *http.Request) string { return r.URL.String() },
		"A, B, A": func(r *http.Request) string {
			return map[bool]string{true: "/api/check_run?run_id=" + runID, false: "/api/b#x"}[r.URL.Path == "/api/b"]
		},
		"with parts": func(r *http.Request) string { return r.URL.String() + "#again" },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var hits atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				http.Redirect(w, r, to(r), http.StatusFound)
			}))
			defer srv.Close()
			c, err := rivery.NewClient(testToken, rivery.WithBaseURL(srv.URL), rivery.WithRetry(3, time.Millisecond, time.Millisecond))
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			_, _, err = c.Rivers.GetRun(context.Background(), riverID, runID)
			reqErr := asRequestError(t, err)
			t.Logf("%s: %d requests: %v", name, hits.Load(), err)
			if !strings.Contains(err.Error(), "redirect loop") || reqErr.Attempts != 1 || hits.Load() > 2 {
				t.Errorf("error %v after %d requests in %d attempts; want a redirect loop after at most 2 requests, 1 attempt", err, hits.Load(), reqErr.Attempts)
			}
		})
	}
}

// A Retry-After too large for an integer is beyond any cap: the 429 comes
// back at once, over real HTTP, with RetryAfter set.
func TestRetryAfterOverflowReturnsAtOnce(t *testing.T) {
	t.Parallel()
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: riverID}))
	defer srv.Close()
	srv.Fail(riverytest.RouteRivers, 1, riverytest.Fault{Status: 429, RetryAfter: "99999999999999999999999"})
	_, _, err := srv.Client().Rivers.List(context.Background(), nil)
	apiErr := asAPIError(t, err)
	if n := len(srv.RequestsTo(riverytest.RouteRivers)); n != 1 || apiErr.RetryAfter <= time.Hour {
		t.Errorf("%d requests, RetryAfter %v; want 1 request and a RetryAfter beyond any cap", n, apiErr.RetryAfter)
	}
}

// WaitForRun honors a 429's Retry-After on a status call: it waits at
// least that long before the next one, and when its deadline comes first
// it returns the 429 at once.
func TestWaitForRunHonorsRetryAfter(t *testing.T) {
	t.Parallel()
	setupRun := func(t *testing.T, retryAfter string) (*riverytest.Server, *rivery.Client, string) {
		srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: riverID, Polls: 1}))
		t.Cleanup(srv.Close)
		c := srv.Client(rivery.WithRetry(3, time.Millisecond, 10*time.Millisecond))
		run, _, err := c.Rivers.Run(context.Background(), riverID)
		if err != nil {
			t.Fatal(err)
		}
		srv.Fail(riverytest.RouteRunStatus, 1, riverytest.Fault{Status: 429, RetryAfter: retryAfter})
		return srv, c, run.ID
	}
	t.Run("waits", func(t *testing.T) {
		t.Parallel()
		_, c, id := setupRun(t, "1")
		start := time.Now()
		run, err := c.Rivers.WaitForRun(context.Background(), riverID, id, nil)
		took := time.Since(start)
		t.Logf("429 with Retry-After: 1 on a poll: WaitForRun took %v", took)
		if err != nil || run.Status != rivery.StatusSucceeded {
			t.Fatalf("WaitForRun = %+v, %v", run, err)
		}
		if took < time.Second {
			t.Errorf("WaitForRun took %v, want at least the 1 s Retry-After", took)
		}
	})
	t.Run("deadline first", func(t *testing.T) {
		t.Parallel()
		srv, c, id := setupRun(t, "60")
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, err := c.Rivers.WaitForRun(ctx, riverID, id, nil)
		if !errors.Is(err, rivery.ErrRateLimited) || ctx.Err() != nil {
			t.Errorf("error = %v (ctx %v), want the 429 before the deadline", err, ctx.Err())
		}
		if n := len(srv.RequestsTo(riverytest.RouteRunStatus)); n != 1 {
			t.Errorf("%d status calls, want 1", n)
		}
	})
}

// A 503 to be retried whose body stalls does not hold the retry: the SDK
// closes it (after a drain bounded in time) and asks again, also when the
// retry is the last one allowed.
func TestStalledBodyOfRetriedAnswer(t *testing.T) {
	t.Parallel()
	for _, retries := range []int{3, 1} {
		t.Run(fmt.Sprintf("%d retries", retries), func(t *testing.T) {
			t.Parallel()
			srv := newRawServer(t, func(conn net.Conn, _ *http.Request, n int) bool {
				if n == 1 {
					_, _ = io.WriteString(conn, "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"message\": \"busy\"}")
					return hold(conn)
				}
				_, _ = fmt.Fprintf(conn, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(runStatusJSON), runStatusJSON)
				return true
			})
			var (
				run *rivery.Run
				err error
			)
			c := srv.client(t, rivery.WithRetry(retries, time.Millisecond, 5*time.Millisecond))
			took := within(t, func() { run, _, err = c.Rivers.GetRun(context.Background(), riverID, runID) })
			t.Logf("503 with a stalled body, then 200: returned in %v", took)
			if err != nil || run.ID != runID || srv.requests() != 2 {
				t.Fatalf("GetRun = %+v, %v after %d requests; want the run after 2", run, err, srv.requests())
			}
		})
	}
}
