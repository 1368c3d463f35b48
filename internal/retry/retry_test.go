package retry

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"
)

var now = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

func policy() Policy {
	return Policy{MaxWait: 30 * time.Second, Now: func() time.Time { return now }}
}

func response(code int, retryAfter string) *http.Response {
	h := http.Header{}
	if retryAfter != "" {
		h.Set("Retry-After", retryAfter)
	}
	return &http.Response{StatusCode: code, Header: h}
}

func dialErr() error {
	return &url.Error{Op: "Post", URL: "https://x", Err: &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}}
}

func TestCheckRetry(t *testing.T) {
	t.Parallel()
	readErr := &url.Error{Op: "Post", URL: "https://x", Err: &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}}
	dnsErr := &url.Error{Op: "Get", URL: "https://x", Err: &net.DNSError{Err: "no such host", Name: "x", IsNotFound: true}}
	certErr := &url.Error{Op: "Get", URL: "https://x", Err: x509.UnknownAuthorityError{}}
	tests := []struct {
		name          string
		nonIdempotent bool
		resp          *http.Response
		err           error
		want          bool
	}{
		{"GET 200", false, response(200, ""), nil, false},
		{"GET 404", false, response(404, ""), nil, false},
		{"GET 429", false, response(429, ""), nil, true},
		{"GET 500", false, response(500, ""), nil, true},
		{"GET 501", false, response(501, ""), nil, false},
		{"GET 502", false, response(502, ""), nil, true},
		{"GET 503", false, response(503, ""), nil, true},
		{"GET 504", false, response(504, ""), nil, true},
		{"GET 503 Retry-After above cap", false, response(503, "31"), nil, false},
		{"GET read error", false, nil, readErr, true},
		{"GET EOF", false, nil, io.ErrUnexpectedEOF, true},
		{"GET dial error", false, nil, dialErr(), true},
		{"GET DNS error", false, nil, dnsErr, true},
		{"GET certificate error", false, nil, certErr, false},
		{"POST 200", true, response(200, ""), nil, false},
		{"POST 429", true, response(429, ""), nil, true},
		{"POST 429 Retry-After within cap", true, response(429, "30"), nil, true},
		{"POST 429 Retry-After above cap", true, response(429, "31"), nil, false},
		{"POST 500", true, response(500, ""), nil, false},
		{"POST 502", true, response(502, ""), nil, false},
		{"POST 503", true, response(503, ""), nil, false},
		{"POST 504", true, response(504, ""), nil, false},
		{"POST read error", true, nil, readErr, false},
		{"POST EOF", true, nil, io.EOF, false},
		{"POST timeout", true, nil, &url.Error{Op: "Post", URL: "https://x", Err: context.DeadlineExceeded}, false},
		{"POST dial error", true, nil, dialErr(), true},
		{"POST DNS error", true, nil, dnsErr, true},
		{"POST certificate error", true, nil, certErr, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			if tt.nonIdempotent {
				ctx = NonIdempotent(ctx)
			}
			got, err := policy().CheckRetry(ctx, tt.resp, tt.err)
			if err != nil {
				t.Fatalf("CheckRetry error = %v", err)
			}
			if got != tt.want {
				t.Errorf("CheckRetry = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCheckRetryStopsOnDoneContext(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	got, err := policy().CheckRetry(ctx, response(503, ""), nil)
	if got || !errors.Is(err, context.Canceled) {
		t.Fatalf("CheckRetry = %v, %v; want false, context.Canceled", got, err)
	}
}

func TestNonIdempotentMarker(t *testing.T) {
	t.Parallel()
	if IsNonIdempotent(context.Background()) {
		t.Fatal("plain context reported non-idempotent")
	}
	if !IsNonIdempotent(NonIdempotent(context.Background())) {
		t.Fatal("marked context not reported non-idempotent")
	}
}

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	in90 := now.Add(90 * time.Second)
	tests := []struct {
		in     string
		want   time.Duration
		wantOK bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{"5", 5 * time.Second, true},
		{" 12 ", 12 * time.Second, true},
		{"-3", 0, false},
		{"1.5", 0, false},
		{"soon", 0, false},
		{"99999999999999999", time.Duration(1<<63-1) / time.Second * time.Second, true},
		{"99999999999999999999", time.Duration(1<<63-1) / time.Second * time.Second, true}, // past int64: beyond any cap
		{"+99999999999999999999", time.Duration(1<<63-1) / time.Second * time.Second, true},
		{"-99999999999999999999", 0, false},
		{in90.Format(http.TimeFormat), 90 * time.Second, true},    // IMF-fixdate
		{in90.Format(time.RFC850), 90 * time.Second, true},        // obsolete RFC 850
		{in90.Format(time.ANSIC), 90 * time.Second, true},         // asctime
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},    // in the past
		{"Fri, 27 Nov 2026 12:00:30 GMT", 30 * time.Second, true}, // literal
		{"Friday, 27-Nov-26 12:01:00 GMT", time.Minute, true},     // literal RFC 850
		{"Fri Nov 27 12:00:10 2026", 10 * time.Second, true},      // literal asctime
		{"Fri, 27 Nov 2026 12:00:30", 0, false},                   // no zone
	}
	for _, tt := range tests {
		got, ok := ParseRetryAfter(tt.in, now)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("ParseRetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestBackoff(t *testing.T) {
	t.Parallel()
	p := policy()
	const minW, maxW = 100 * time.Millisecond, 2 * time.Second
	for attempt := range 8 {
		want := Exponential(minW, maxW, attempt)
		for range 50 {
			got := p.Backoff(minW, maxW, attempt, nil)
			if got < want/2 || got > want {
				t.Fatalf("Backoff(attempt %d) = %v, want within [%v, %v]", attempt, got, want/2, want)
			}
		}
	}
	tests := []struct {
		retryAfter string
		want       time.Duration
	}{
		{"1", time.Second},
		{"0", minW},
		{"60", maxW},
		{now.Add(1500 * time.Millisecond).Format(http.TimeFormat), time.Second}, // dates have whole seconds
	}
	for _, tt := range tests {
		if got := p.Backoff(minW, maxW, 0, response(429, tt.retryAfter)); got != tt.want {
			t.Errorf("Backoff with Retry-After %q = %v, want %v", tt.retryAfter, got, tt.want)
		}
	}
}

func TestExponential(t *testing.T) {
	t.Parallel()
	want := []time.Duration{1, 2, 4, 8, 16, 30, 30, 30}
	for attempt, w := range want {
		if got := Exponential(time.Second, 30*time.Second, attempt); got != w*time.Second {
			t.Errorf("Exponential(attempt %d) = %v, want %v", attempt, got, w*time.Second)
		}
	}
	if got := Exponential(time.Second, 30*time.Second, 1000); got != 30*time.Second {
		t.Errorf("Exponential(attempt 1000) = %v, want the cap", got)
	}
}

func TestJitterBounds(t *testing.T) {
	t.Parallel()
	for _, d := range []time.Duration{0, 1, 2, 3, time.Millisecond, time.Hour} {
		for i := range 100 {
			got := Jitter(d)
			if got < d/2 || got > d {
				t.Fatalf("Jitter(%v) try %d = %v, outside [%v, %v]", d, i, got, d/2, d)
			}
		}
	}
}

func ExampleParseRetryAfter() {
	for _, v := range []string{"120", "Fri, 27 Nov 2026 12:00:30 GMT", "later"} {
		d, ok := ParseRetryAfter(v, now)
		fmt.Println(strconv.Quote(v), d, ok)
	}
	// Output:
	// "120" 2m0s true
	// "Fri, 27 Nov 2026 12:00:30 GMT" 30s true
	// "later" 0s false
}

// A Retry-After too large for an integer is beyond the cap, not absent:
// the 429 is not retried.
func TestRetryAfterOverflowIsBeyondCap(t *testing.T) {
	t.Parallel()
	if again, _ := policy().CheckRetry(context.Background(), response(429, "99999999999999999999"), nil); again {
		t.Error("a 429 with a Retry-After past int64 is retried")
	}
}

// reacher is a Call that reports a fixed answer to Reached.
type reacher struct{ reached bool }

func (reacher) NonIdempotent() bool  { return true }
func (r reacher) Reached(error) bool { return r.reached }

// A non-idempotent request is decided from what the Call saw, and never
// retried after an error that came with a response; Stop errors are final.
func TestCheckRetryAsksTheCall(t *testing.T) {
	t.Parallel()
	p := policy()
	for _, tc := range []struct {
		name string
		call Call
		resp *http.Response
		err  error
		want bool
	}{
		{"dial error, the call saw a connection", reacher{true}, nil, dialErr(), false},
		{"read error, the call saw no connection", reacher{false}, nil, io.ErrUnexpectedEOF, true},
		{"dial error while reading an answer", reacher{false}, response(200, ""), dialErr(), false},
		{"plain marker, dial error", nonIdempotent{}, nil, dialErr(), true},
	} {
		if got, _ := p.CheckRetry(WithCall(context.Background(), tc.call), tc.resp, tc.err); got != tc.want {
			t.Errorf("%s: retry = %v, want %v", tc.name, got, tc.want)
		}
	}
	if got, _ := p.CheckRetry(context.Background(), nil, Stop(errors.New("loop"))); got {
		t.Error("a Stop error on a GET is retried")
	}
	if !errors.Is(Stop(io.EOF), io.EOF) {
		t.Error("Stop hides its cause")
	}
}
