package rivery_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/rivery-go/rivery"
)

// errAfterSend is a failure after the request was written.
func errAfterSend() error {
	return &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}
}

// errDial is a failure to connect: the request was never sent.
func errDial() error {
	return &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
}

func TestGetRetriedOn503ThenSucceeds(t *testing.T) {
	t.Parallel()
	c, mock := setup(t)
	var rec recorder
	mock.RegisterResponder(http.MethodGet, consoleBase+"/api/check_run", sequence(
		rec.reply(503, `{"message":"try later"}`),
		rec.reply(200, fixture(t, "console_check_run.json")),
	))
	run, _, err := c.Rivers.GetRun(context.Background(), riverID, runID)
	if err != nil || run.ID != runID {
		t.Fatalf("GetRun = %+v, %v", run, err)
	}
	if n := len(rec.all()); n != 2 {
		t.Errorf("attempts = %d, want 2", n)
	}
}

func TestIdempotentRetriesExhausted(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name      string
		responder func(*recorder) httpmock.Responder
		check     func(t *testing.T, err error)
	}{
		{"502", func(r *recorder) httpmock.Responder { return r.reply(502, "bad gateway") }, func(t *testing.T, err error) {
			if asAPIError(t, err).StatusCode != 502 {
				t.Errorf("error = %v", err)
			}
		}},
		{"transport", func(r *recorder) httpmock.Responder { return r.fail(errAfterSend()) }, func(t *testing.T, err error) {
			reqErr := asRequestError(t, err)
			if reqErr.Attempts != 4 || reqErr.MaybeApplied || !strings.Contains(err.Error(), "connection reset by peer") {
				t.Errorf("RequestError = %+v", reqErr)
			}
		}},
	} {
		t.Run("DELETE "+tt.name, func(t *testing.T) {
			t.Parallel()
			c, mock := setup(t, v1()...)
			var rec recorder
			mock.RegisterResponder(http.MethodDelete, v1Account+"/tokens/t1", tt.responder(&rec))
			_, err := c.Tokens.Delete(context.Background(), "t1")
			tt.check(t, err)
			if n := len(rec.all()); n != 4 {
				t.Errorf("attempts = %d, want 1 + 3 retries", n)
			}
		})
	}
}

// Rule 1: a run trigger that may have reached the server is never re-sent.
func TestRunNotRetriedAfterSend(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name      string
		responder func(*recorder) httpmock.Responder
	}{
		{"500", func(r *recorder) httpmock.Responder { return r.reply(500, `{"message":"internal"}`) }},
		{"502", func(r *recorder) httpmock.Responder { return r.reply(502, "Bad Gateway") }},
		{"503", func(r *recorder) httpmock.Responder { return r.reply(503, `{"detail":"unavailable"}`) }},
		{"504", func(r *recorder) httpmock.Responder { return r.reply(504, "") }},
		{"reset", func(r *recorder) httpmock.Responder { return r.fail(errAfterSend()) }},
		{"EOF", func(r *recorder) httpmock.Responder { return r.fail(io.EOF) }},
		{"timeout", func(r *recorder) httpmock.Responder { return r.fail(context.DeadlineExceeded) }},
		{"undecodable 2xx", func(r *recorder) httpmock.Responder { return r.reply(200, `{"run_id": "abc`) }},
		{"empty 2xx", func(r *recorder) httpmock.Responder { return r.reply(200, "") }},
	} {
		for _, family := range []string{"console", "v1"} {
			t.Run(family+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				var opts []rivery.Option
				u := consoleBase + "/api/run"
				if family == "v1" {
					opts, u = v1(), v1Env+"/rivers/"+riverID+"/run"
				}
				c, mock := setup(t, opts...)
				var rec recorder
				mock.RegisterResponder(http.MethodPost, u, tt.responder(&rec))
				run, _, err := c.Rivers.Run(context.Background(), riverID)
				if run != nil || err == nil {
					t.Fatalf("Run = %+v, %v; want an error", run, err)
				}
				rec.only(t) // exactly one trigger
				var apiErr *rivery.APIError
				if !errors.As(err, &apiErr) {
					reqErr := asRequestError(t, err)
					if !reqErr.MaybeApplied || reqErr.Attempts != 1 {
						t.Errorf("RequestError = %+v, want MaybeApplied after 1 attempt", reqErr)
					}
				}
			})
		}
	}
}

func TestRunRetriedOn429(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodPost, v1Env+"/rivers/"+riverID+"/run", sequence(
		rec.reply(429, `{"detail":"Too many requests"}`),
		rec.reply(429, `{"detail":"Too many requests"}`),
		rec.reply(202, fixture(t, "v1_run_group.json")),
	))
	run, _, err := c.Rivers.Run(context.Background(), riverID)
	if err != nil || run.ID != runID {
		t.Fatalf("Run = %+v, %v", run, err)
	}
	if n := len(rec.all()); n != 3 {
		t.Errorf("attempts = %d, want 3", n)
	}
}

// A connection that could not even be made proves the trigger was not sent.
func TestRunRetriedOnDialFailure(t *testing.T) {
	t.Parallel()
	c, mock := setup(t)
	var rec recorder
	mock.RegisterResponder(http.MethodPost, consoleBase+"/api/run", sequence(
		rec.fail(errDial()),
		rec.fail(&net.DNSError{Err: "no such host", Name: "console.rivery.io", IsTemporary: true}),
		rec.reply(200, fixture(t, "console_run.json")),
	))
	if _, _, err := c.Rivers.Run(context.Background(), riverID); err != nil {
		t.Fatal(err)
	}
	if n := len(rec.all()); n != 3 {
		t.Errorf("attempts = %d, want 3", n)
	}
}

func TestRunDialFailuresExhaustedNotApplied(t *testing.T) {
	t.Parallel()
	c, mock := setup(t)
	var rec recorder
	mock.RegisterResponder(http.MethodPost, consoleBase+"/api/run", rec.fail(errDial()))
	_, _, err := c.Rivers.Run(context.Background(), riverID)
	reqErr := asRequestError(t, err)
	if reqErr.MaybeApplied || reqErr.Attempts != 4 || !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("RequestError = %+v", reqErr)
	}
	// A dial failure, then a reset after sending: the trigger may have run.
	c2, mock2 := setup(t)
	mock2.RegisterResponder(http.MethodPost, consoleBase+"/api/run", sequence(
		httpmock.NewErrorResponder(errDial()), httpmock.NewErrorResponder(errAfterSend())))
	_, _, err = c2.Rivers.Run(context.Background(), riverID)
	if reqErr := asRequestError(t, err); !reqErr.MaybeApplied || reqErr.Attempts != 2 {
		t.Errorf("RequestError = %+v, want MaybeApplied after 2 attempts", reqErr)
	}
}

// Rule 2: a Retry-After beyond the cap returns the 429 at once.
func TestRetryAfterBeyondCapReturnsAtOnce(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, rivery.WithRetry(3, time.Millisecond, time.Second))
	var rec recorder
	mock.RegisterResponder(http.MethodPost, consoleBase+"/api/run", func(req *http.Request) (*http.Response, error) {
		resp, _ := rec.reply(429, `{"message":"rate limited"}`)(req)
		resp.Header.Set("Retry-After", "120")
		return resp, nil
	})
	_, _, err := c.Rivers.Run(context.Background(), riverID)
	apiErr := asAPIError(t, err)
	if apiErr.StatusCode != 429 || apiErr.RetryAfter != 2*time.Minute {
		t.Errorf("APIError = %+v", apiErr)
	}
	rec.only(t)
}

// A Retry-After within the cap is waited for, then the call succeeds.
func TestRetryAfterHonoured(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, rivery.WithRetry(2, time.Millisecond, 2*time.Second))
	var rec recorder
	mock.RegisterResponder(http.MethodGet, consoleBase+"/api/check_run", sequence(
		func(req *http.Request) (*http.Response, error) {
			resp, _ := rec.reply(429, "")(req)
			resp.Header.Set("Retry-After", "1")
			return resp, nil
		},
		rec.reply(200, fixture(t, "console_check_run.json")),
	))
	start := time.Now()
	if _, _, err := c.Rivers.GetRun(context.Background(), riverID, runID); err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(start); waited < time.Second {
		t.Errorf("retried after %v, before the 1 s Retry-After", waited)
	}
	if n := len(rec.all()); n != 2 {
		t.Errorf("attempts = %d", n)
	}
}

// Canceling the context interrupts a backoff wait.
func TestContextCancelInterruptsBackoff(t *testing.T) {
	t.Parallel()
	// Canceled once the SDK is about to wait the minute before the second
	// attempt (WithRetryNotify), not after a time.
	waiting := make(chan struct{}, 1)
	c, mock := setup(t, rivery.WithRetry(3, time.Minute, time.Minute),
		rivery.WithRetryNotify(func(rivery.RetryInfo) {
			select {
			case waiting <- struct{}{}:
			default:
			}
		}))
	var attempts atomic.Int32
	mock.RegisterResponder(http.MethodGet, consoleBase+"/api/check_run", func(*http.Request) (*http.Response, error) {
		attempts.Add(1)
		return httpmock.NewStringResponse(503, ""), nil
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, _, err := c.Rivers.GetRun(ctx, riverID, runID)
		done <- err
	}()
	<-waiting
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("error = %v, want context.Canceled", err)
		}
		if asRequestError(t, err).Err != context.Canceled { //nolint:errorlint // the context's own error, unwrapped, is the point
			t.Errorf("the cause is not the context's own error: %v", err)
		}
		if n := attempts.Load(); n != 1 {
			t.Errorf("%d attempts, want 1: the wait for the second was cut short", n)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("GetRun kept waiting after its context was canceled")
	}
}

func TestContextDeadlineDuringRequest(t *testing.T) {
	t.Parallel()
	c, mock := setup(t)
	// The deadline passes once the request is in flight (the responder has
	// it), however long the machine took to get there.
	ctx, expire := expiringContext(t)
	mock.RegisterResponder(http.MethodPost, consoleBase+"/api/run", func(req *http.Request) (*http.Response, error) {
		expire()
		<-req.Context().Done()
		return nil, req.Context().Err()
	})
	_, _, err := c.Rivers.Run(ctx, riverID)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error = %v, want context.DeadlineExceeded", err)
	}
	if reqErr := asRequestError(t, err); !reqErr.MaybeApplied || reqErr.Err != context.DeadlineExceeded { //nolint:errorlint // as above
		t.Errorf("RequestError = %+v", reqErr)
	}
}

func TestWithoutRetries(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, rivery.WithoutRetries())
	var rec recorder
	mock.RegisterResponder(http.MethodGet, consoleBase+"/api/check_run", rec.reply(503, ""))
	if _, _, err := c.Rivers.GetRun(context.Background(), riverID, runID); !errors.Is(err, rivery.ErrServer) {
		t.Fatalf("error = %v", err)
	}
	rec.only(t)
}
