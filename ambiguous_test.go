package rivery_test

// A trigger is sent once, whatever fails after the answer starts, and the
// caller can tell an ambiguous failure (MaybeApplied) from one where
// nothing was sent (issue 11).

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

// failingBody fails every Read with err, as a user's transport might when
// the answer breaks off after its status line.
type failingBody struct{ err error }

func (b failingBody) Read([]byte) (int, error) { return 0, b.err }
func (failingBody) Close() error               { return nil }

// Once a status line has come back, reading its body failing with an error
// that looks like a dial or DNS failure does not make the trigger
// resendable: over real HTTP, through a RoundTripper that breaks the body.
func TestTriggerNotResentAfterAnswerBegan(t *testing.T) {
	t.Parallel()
	for name, bodyErr := range map[string]error{
		"dial error":    &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")},
		"DNS error":     &net.DNSError{Err: "no such host", Name: "api.rivery.io", IsNotFound: true},
		"other failure": io.ErrUnexpectedEOF,
	} {
		for _, family := range []string{"console", "v1"} {
			t.Run(family+"/"+name, func(t *testing.T) {
				t.Parallel()
				srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: riverID}))
				defer srv.Close()
				inner := &http.Transport{}
				defer inner.CloseIdleConnections()
				rt := roundTripFunc(func(req *http.Request) (*http.Response, error) {
					resp, err := inner.RoundTrip(req)
					if err != nil {
						return nil, err
					}
					_ = resp.Body.Close()
					resp.Body = failingBody{bodyErr}
					return resp, nil
				})
				opts := []rivery.Option{rivery.WithHTTPClient(&http.Client{Transport: rt})}
				c := familyClient(srv, family, opts...)
				_, _, err := c.Rivers.Run(context.Background(), riverID)
				if n := len(srv.RequestsTo(riverytest.RouteRun)); n != 1 {
					t.Errorf("the server saw %d triggers, want 1", n)
				}
				if reqErr := asRequestError(t, err); !reqErr.MaybeApplied || !rivery.MaybeApplied(err) {
					t.Errorf("MaybeApplied = %v, %v; want both true: %v", reqErr.MaybeApplied, rivery.MaybeApplied(err), err)
				}
				if n := srv.RunsStarted(riverID); n != 1 {
					t.Errorf("%d runs started, want 1", n)
				}
			})
		}
	}
}

// A dial that fails before anything was sent is still retried, and its
// error is not MaybeApplied.
func TestTriggerRetriedWhenNeverSent(t *testing.T) {
	t.Parallel()
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: riverID}))
	defer srv.Close()
	var dials atomic.Int32
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		if dials.Add(1) == 1 {
			return nil, errors.New("connection refused")
		}
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}}
	defer tr.CloseIdleConnections()
	c := srv.Client(rivery.WithHTTPClient(&http.Client{Transport: tr}))
	if _, _, err := c.Rivers.Run(context.Background(), riverID); err != nil {
		t.Fatalf("Run after a failed dial: %v", err)
	}
	if n := srv.RunsStarted(riverID); n != 1 || dials.Load() != 2 {
		t.Errorf("%d runs after %d dials, want 1 run after 2", n, dials.Load())
	}
}

// A context canceled or expired before anything was sent is not
// MaybeApplied; one that ends after the server has the request is.
func TestContextEndedBeforeSendNotMaybeApplied(t *testing.T) {
	t.Parallel()
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: riverID}))
	defer srv.Close()
	check := func(t *testing.T, err error, want error, applied bool) {
		t.Helper()
		if !errors.Is(err, want) {
			t.Fatalf("error = %v, want %v", err, want)
		}
		if reqErr := asRequestError(t, err); reqErr.MaybeApplied != applied || rivery.MaybeApplied(err) != applied {
			t.Errorf("MaybeApplied = %v, %v; want %v: %v", reqErr.MaybeApplied, rivery.MaybeApplied(err), applied, err)
		}
	}
	t.Run("canceled before the call", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, _, err := srv.ClientV1().Rivers.Run(ctx, riverID)
		check(t, err, context.Canceled, false)
	})
	t.Run("expired while dialing", func(t *testing.T) {
		t.Parallel()
		tr := &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			<-ctx.Done()
			return nil, ctx.Err()
		}}
		defer tr.CloseIdleConnections()
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		_, _, err := srv.Client(rivery.WithHTTPClient(&http.Client{Transport: tr})).Rivers.Run(ctx, riverID)
		check(t, err, context.DeadlineExceeded, false)
	})
	t.Run("expired after the server had it", func(t *testing.T) {
		t.Parallel()
		srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: riverID}))
		defer srv.Close()
		srv.Fail(riverytest.RouteRun, 1, riverytest.Fault{Delay: time.Hour})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go func() {
			for len(srv.RequestsTo(riverytest.RouteRun)) == 0 {
				time.Sleep(time.Millisecond)
			}
			cancel()
		}()
		_, _, err := srv.Client().Rivers.Run(ctx, riverID)
		check(t, err, context.Canceled, true)
	})
	if n := srv.RunsStarted(riverID); n != 0 {
		t.Errorf("%d runs started", n)
	}
}

// MaybeApplied is true for a 5xx answer to a trigger (with or without the
// run started) and false for a 5xx to a GET, a 4xx or a 429 to a trigger.
func TestMaybeAppliedOnAPIErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		route   riverytest.Route
		fault   riverytest.Fault
		applied bool
	}{
		{"503 to a trigger, run started", riverytest.RouteRun, riverytest.Fault{Status: 503, Apply: true}, true},
		{"500 to a trigger", riverytest.RouteRun, riverytest.Fault{Status: 500}, true},
		{"502 to a cancel", riverytest.RouteCancelRun, riverytest.Fault{Status: 502}, true},
		{"599 to a trigger", riverytest.RouteRun, riverytest.Fault{Status: 599}, true},
		{"400 to a trigger", riverytest.RouteRun, riverytest.Fault{Status: 400}, false},
		{"429 to a trigger", riverytest.RouteRun, riverytest.Fault{Status: 429, RetryAfter: "3600"}, false},
		{"503 to a GET", riverytest.RouteRunStatus, riverytest.Fault{Status: 503}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: riverID}))
			defer srv.Close()
			c := srv.ClientV1()
			run, _, err := c.Rivers.Run(context.Background(), riverID)
			if tc.route == riverytest.RouteRun {
				srv.Fail(tc.route, 1, tc.fault)
				_, _, err = c.Rivers.Run(context.Background(), riverID)
			} else {
				if err != nil {
					t.Fatal(err)
				}
				srv.Fail(tc.route, 4, tc.fault)
				if tc.route == riverytest.RouteCancelRun {
					_, err = c.Rivers.CancelRun(context.Background(), riverID, run.ID)
				} else {
					_, _, err = c.Rivers.GetRun(context.Background(), riverID, run.ID)
				}
			}
			_ = asAPIError(t, err)
			if got := rivery.MaybeApplied(err); got != tc.applied {
				t.Errorf("MaybeApplied(%v) = %v, want %v", err, got, tc.applied)
			}
		})
	}
	if rivery.MaybeApplied(nil) || rivery.MaybeApplied(errors.New("x")) {
		t.Error("MaybeApplied of nil or a plain error is true")
	}
}

// A transport that reports nothing of its progress (no httptrace) and fails
// with an error that is not a dial or DNS failure may have sent the
// trigger: MaybeApplied, and not sent again.
func TestTriggerThroughSilentTransportMaybeApplied(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	rt := roundTripFunc(func(*http.Request) (*http.Response, error) {
		calls.Add(1)
		return nil, errAfterSend()
	})
	c, err := rivery.NewClient(testToken, rivery.WithHTTPClient(&http.Client{Transport: rt}), rivery.WithRetry(3, time.Millisecond, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = c.Rivers.Run(context.Background(), riverID)
	if reqErr := asRequestError(t, err); !reqErr.MaybeApplied || calls.Load() != 1 {
		t.Errorf("MaybeApplied = %v after %d attempts; want true after 1: %v", reqErr.MaybeApplied, calls.Load(), err)
	}
}
