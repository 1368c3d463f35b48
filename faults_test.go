package rivery_test

// The fault suite (DESIGN.md section 4): every request the SDK makes,
// under each fault, on the real HTTP stack against riverytest and on a
// scripted in-memory transport, with the outcome checked and no secret in
// any log record or error.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

// leakCheck collects what a scenario printed and fails the test if any
// 8-byte piece of the token is in it.
type leakCheck struct {
	token string
	logs  *capture
	mu    sync.Mutex
	texts []string
}

func newLeakCheck(t *testing.T, token string) *leakCheck {
	lc := &leakCheck{token: token, logs: &capture{}}
	t.Cleanup(func() {
		lc.mu.Lock()
		defer lc.mu.Unlock()
		for _, s := range append(lc.texts, lc.logs.all()...) {
			if leaks(s, lc.token) {
				t.Errorf("token leaked in %q", s)
			}
		}
	})
	return lc
}

// logger is a debug logger whose records the check reads.
func (lc *leakCheck) logger() rivery.Option { return rivery.WithLogger(slog.New(lc.logs)) }

// err records every printing of err.
func (lc *leakCheck) err(err error) {
	if err == nil {
		return
	}
	lc.mu.Lock()
	defer lc.mu.Unlock()
	lc.texts = append(lc.texts, err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
}

// values records every printing of the values.
func (lc *leakCheck) values(vs ...any) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	for _, v := range vs {
		lc.texts = append(lc.texts, fmt.Sprintf("%v", v), fmt.Sprintf("%+v", v), fmt.Sprintf("%#v", v), fmt.Sprintf("%s", v))
	}
}

// Post-send faults on the run trigger, over real HTTP: the server sees
// exactly one trigger and the caller learns it may have been applied.
func TestFaultSuiteTriggerPostSend(t *testing.T) {
	t.Parallel()
	faults := []struct {
		name  string
		fault riverytest.Fault
	}{
		{"500", riverytest.Fault{Status: 500, Apply: true}},
		{"502", riverytest.Fault{Status: 502}},
		{"503", riverytest.Fault{Status: 503, Apply: true}},
		{"504", riverytest.Fault{Status: 504}},
		{"connection closed after read", riverytest.Fault{CloseConnection: true, Apply: true}},
		{"response timeout", riverytest.Fault{Delay: time.Hour}}, // ends with the client's attempt
		{"truncated 2xx body", riverytest.Fault{Truncate: true}},
		{"301 redirect", riverytest.Fault{Status: 301, Header: http.Header{"Location": {"/api/run"}}}},
		{"302 redirect", riverytest.Fault{Status: 302, Header: http.Header{"Location": {"/api/run"}}}},
		{"307 redirect", riverytest.Fault{Status: 307, Header: http.Header{"Location": {"/api/run"}}}},
	}
	for _, f := range faults {
		for _, family := range []string{"console", "v1"} {
			t.Run(family+"/"+f.name, func(t *testing.T) {
				t.Parallel()
				srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: riverID}))
				defer srv.Close()
				lc := newLeakCheck(t, srv.AdminToken())
				// A per-attempt timeout (which also bounds dialing) far above
				// what a loaded machine takes to connect and send.
				opts := []rivery.Option{lc.logger(), rivery.WithTimeout(time.Second)}
				c := srv.Client(opts...)
				if family == "v1" {
					c = srv.ClientV1(opts...)
				}
				srv.Fail(riverytest.RouteRun, 1, f.fault)
				run, _, err := c.Rivers.Run(context.Background(), riverID)
				lc.err(err)
				lc.values(c)
				if run != nil || err == nil {
					t.Fatalf("Run = %+v, %v; want an error", run, err)
				}
				if n := len(srv.RequestsTo(riverytest.RouteRun)); n != 1 {
					t.Errorf("the server saw %d triggers, want exactly 1", n)
				}
				var apiErr *rivery.APIError
				var reqErr *rivery.RequestError
				switch {
				case errors.As(err, &apiErr):
				case errors.As(err, &reqErr):
					if !reqErr.MaybeApplied {
						t.Errorf("RequestError without MaybeApplied: %v", err)
					}
				default:
					t.Errorf("error %T: %v", err, err)
				}
				if n := srv.RunsStarted(riverID); n > 1 {
					t.Errorf("%d runs started", n)
				}
			})
		}
	}
}

// Pre-send faults (connection refused, unknown host) prove the trigger
// never left: it is retried, and the river runs exactly once.
func TestFaultSuiteTriggerPreSend(t *testing.T) {
	t.Parallel()
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: riverID}))
	defer srv.Close()
	lc := newLeakCheck(t, srv.AdminToken())

	// A port with nothing listening: dials to it are refused for real.
	l, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := l.Addr().String()
	_ = l.Close()

	var dials int
	var mu sync.Mutex
	dialer := &net.Dialer{}
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		mu.Lock()
		dials++
		n := dials
		mu.Unlock()
		switch n {
		case 1:
			return dialer.DialContext(ctx, network, refused)
		case 2:
			return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: "console.example", IsNotFound: true}}
		}
		return dialer.DialContext(ctx, network, addr)
	}}
	defer tr.CloseIdleConnections()
	c := srv.Client(rivery.WithHTTPClient(&http.Client{Transport: tr}), lc.logger())
	run, _, err := c.Rivers.Run(context.Background(), riverID)
	lc.err(err)
	if err != nil || run == nil {
		t.Fatalf("Run = %+v, %v", run, err)
	}
	if n := srv.RunsStarted(riverID); n != 1 {
		t.Errorf("runs started = %d, want 1", n)
	}
	if dials != 3 {
		t.Errorf("dials = %d, want 3", dials)
	}
}

// The same faults on idempotent calls are retried up to the limit, and the
// last error comes back.
func TestFaultSuiteIdempotentExhaustion(t *testing.T) {
	t.Parallel()
	calls := []struct {
		name  string
		route riverytest.Route
		do    func(c *rivery.Client, runID string) error
	}{
		{"GET run status", riverytest.RouteRunStatus, func(c *rivery.Client, runID string) error {
			_, _, err := c.Rivers.GetRun(context.Background(), riverID, runID)
			return err
		}},
		{"GET rivers", riverytest.RouteRivers, func(c *rivery.Client, _ string) error {
			_, _, err := c.Rivers.List(context.Background(), nil)
			return err
		}},
		{"DELETE token", riverytest.RouteDeleteToken, func(c *rivery.Client, _ string) error {
			_, err := c.Tokens.Delete(context.Background(), "650000000000000000000001")
			return err
		}},
	}
	faults := []struct {
		name  string
		fault riverytest.Fault
		check func(t *testing.T, err error)
	}{
		{"503", riverytest.Fault{Status: 503}, func(t *testing.T, err error) {
			if apiErr := asAPIError(t, err); apiErr.StatusCode != 503 {
				t.Errorf("error = %v", err)
			}
		}},
		{"connection closed", riverytest.Fault{CloseConnection: true}, func(t *testing.T, err error) {
			if reqErr := asRequestError(t, err); reqErr.MaybeApplied || reqErr.Attempts != 4 {
				t.Errorf("RequestError = %+v", reqErr)
			}
		}},
		{"truncated body", riverytest.Fault{Truncate: true}, func(t *testing.T, err error) {
			if reqErr := asRequestError(t, err); reqErr.Attempts != 4 {
				t.Errorf("RequestError = %+v", reqErr)
			}
		}},
	}
	for _, call := range calls {
		for _, f := range faults {
			t.Run(call.name+"/"+f.name, func(t *testing.T) {
				t.Parallel()
				srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: riverID}))
				defer srv.Close()
				lc := newLeakCheck(t, srv.AdminToken())
				// Without keep-alive, net/http's own replay of a GET on a
				// reused connection does not blur the attempt count.
				tr := &http.Transport{DisableKeepAlives: true}
				defer tr.CloseIdleConnections()
				c := srv.ClientV1(lc.logger(), rivery.WithHTTPClient(&http.Client{Transport: tr})) // 3 retries
				run, _, err := c.Rivers.Run(context.Background(), riverID)
				if err != nil {
					t.Fatal(err)
				}
				if f.fault.Truncate && call.route == riverytest.RouteDeleteToken {
					t.Skip("a 204 has no body to cut")
				}
				srv.Fail(call.route, 4, f.fault)
				err = call.do(c, run.ID)
				lc.err(err)
				f.check(t, err)
				if n := len(srv.RequestsTo(call.route)); n != 4 {
					t.Errorf("attempts = %d, want 4 (1 + 3 retries)", n)
				}
				// And once the fault clears, the same call succeeds.
				srv.Fail(call.route, 2, f.fault)
				if err := call.do(c, run.ID); err != nil {
					t.Errorf("after 2 faults: %v", err)
				}
			})
		}
	}
}

// WaitForRun rides out status calls that fail now and then, and when its
// deadline passes it returns the last run it saw with the context's error.
func TestFaultSuiteWaitForRun(t *testing.T) {
	t.Parallel()
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: riverID, Polls: 6}))
	defer srv.Close()
	lc := newLeakCheck(t, srv.AdminToken())
	c := srv.ClientV1(lc.logger(), rivery.WithoutRetries())
	ctx := context.Background()
	run, _, err := c.Rivers.Run(ctx, riverID)
	if err != nil {
		t.Fatal(err)
	}
	srv.Fail(riverytest.RouteRunStatus, 1, riverytest.Fault{Status: 503})
	srv.Fail(riverytest.RouteRunStatus, 1, riverytest.Fault{CloseConnection: true})
	srv.Fail(riverytest.RouteRunStatus, 1, riverytest.Fault{Status: 429, RetryAfter: "0"})
	srv.Fail(riverytest.RouteRunStatus, 1, riverytest.Fault{Truncate: true})
	done, err := c.Rivers.WaitForRun(ctx, riverID, run.ID, nil)
	lc.err(err)
	if err != nil || done.Status != rivery.StatusSucceeded {
		t.Fatalf("WaitForRun = %+v, %v", done, err)
	}
	// The truncated answer was a poll the server counted: 7 polls see the
	// run through, the 3 other faults come on top.
	if n := len(srv.RequestsTo(riverytest.RouteRunStatus)); n != 3+7 {
		t.Errorf("status calls = %d, want 3 failed + 7", n)
	}

	slow := srv.AddRiver(riverytest.River{Duration: time.Hour})
	run, _, err = c.Rivers.Run(ctx, slow.ID)
	if err != nil {
		t.Fatal(err)
	}
	srv.Fail(riverytest.RouteRunStatus, 1, riverytest.Fault{}) // one poll goes through
	srv.Fail(riverytest.RouteRunStatus, 3, riverytest.Fault{Status: 502})
	// The deadline passes once the poll that goes through has been seen.
	dctx, expire := expiringContext(t)
	last, err := c.Rivers.WaitForRun(dctx, slow.ID, run.ID, &rivery.WaitOptions{OnStatus: func(*rivery.Run) { expire() }})
	lc.err(err)
	if !errors.Is(err, context.DeadlineExceeded) || last == nil || last.Status.Terminal() {
		t.Fatalf("WaitForRun at the deadline = %+v, %v; want the last run and DeadlineExceeded", last, err)
	}
}

// outcome is one scripted answer of the in-memory transport.
type outcome int

const (
	oDial outcome = iota
	oDNS
	o429
	o500
	o502
	o503
	o504
	oReset
	oEOF
	oTimeout
	oTruncated
	oRedirect
	oOK
	numOutcomes
)

var outcomeNames = [...]string{"dial", "dns", "429", "500", "502", "503", "504", "reset", "eof", "timeout", "truncated", "redirect", "ok"}

func (o outcome) String() string { return outcomeNames[o] }

// preSend reports whether the answer proves the request never left.
func (o outcome) preSend() bool { return o == oDial || o == oDNS }

// scripted answers requests with its script, then with success.
type scripted struct {
	mu        sync.Mutex
	script    []outcome
	okStatus  int
	okBody    string
	attempts  int
	delivered int // requests that reached the "server"
	accepted  int // delivered and not answered 429: for a trigger, a started run
}

func (s *scripted) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
	}
	s.mu.Lock()
	o := oOK
	if s.attempts < len(s.script) {
		o = s.script[s.attempts]
	}
	s.attempts++
	if !o.preSend() {
		s.delivered++
		if o != o429 {
			s.accepted++
		}
	}
	s.mu.Unlock()

	resp := func(code int, body io.Reader) *http.Response {
		return &http.Response{StatusCode: code, Status: http.StatusText(code), Header: http.Header{}, Body: io.NopCloser(body), ContentLength: -1, Request: req}
	}
	switch o {
	case oDial:
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	case oDNS:
		return nil, &net.DNSError{Err: "no such host", Name: req.URL.Host, IsNotFound: true}
	case o429:
		r := resp(429, strings.NewReader(`{"detail":"Too many requests"}`))
		r.Header.Set("Retry-After", "0")
		return r, nil
	case o500, o502, o503, o504:
		code := map[outcome]int{o500: 500, o502: 502, o503: 503, o504: 504}[o]
		return resp(code, strings.NewReader(`{"message":"server fault"}`)), nil
	case oReset:
		return nil, &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}
	case oEOF:
		return nil, io.ErrUnexpectedEOF
	case oTimeout:
		return nil, &net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded}
	case oTruncated:
		return resp(s.okStatus, io.MultiReader(strings.NewReader(s.okBody[:len(s.okBody)/2]), errReader{})), nil
	case oRedirect:
		r := resp(302, strings.NewReader(""))
		r.Header.Set("Location", req.URL.String())
		return r, nil
	}
	return resp(s.okStatus, strings.NewReader(s.okBody)), nil
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }

// Randomized fault sequences (seeded): over 2,000 calls, a run trigger is
// never sent twice, and idempotent calls make exactly the attempts the
// policy allows.
func TestFaultSuiteRandomSequences(t *testing.T) {
	t.Parallel()
	const seed = 20261127
	rng := rand.New(rand.NewPCG(seed, seed))
	lc := newLeakCheck(t, testToken)
	consoleRun := fixture(t, "console_run.json")
	checkRun := fixture(t, "console_check_run.json")

	var sequences, duplicates, triggersStarted int
	for i := range 2400 {
		maxRetries := rng.IntN(5)
		script := make([]outcome, rng.IntN(7))
		for j := range script {
			script[j] = outcome(rng.IntN(int(numOutcomes)))
		}
		kind := i % 3 // 0: POST trigger, 1: GET status, 2: DELETE token
		tr := &scripted{script: script, okStatus: 200, okBody: consoleRun}
		opts := []rivery.Option{
			rivery.WithHTTPClient(&http.Client{Transport: tr}),
			rivery.WithRetry(maxRetries, time.Microsecond, time.Microsecond),
			lc.logger(),
		}
		var err error
		switch kind {
		case 0:
			c, cerr := rivery.NewClient(testToken, opts...)
			if cerr != nil {
				t.Fatal(cerr)
			}
			_, _, err = c.Rivers.Run(context.Background(), riverID)
		case 1:
			// A followed redirect would consume script entries: GETs
			// follow same-host redirects, so the alphabet leaves them out.
			for j, o := range script {
				if o == oRedirect {
					script[j] = o503
				}
			}
			tr.okBody = checkRun
			c, _ := rivery.NewClient(testToken, opts...)
			_, _, err = c.Rivers.GetRun(context.Background(), riverID, runID)
		case 2:
			for j, o := range script {
				if o == oRedirect || o == oTruncated {
					script[j] = o502
				}
			}
			tr.okStatus, tr.okBody = 204, ""
			c, _ := rivery.NewClient(testToken, append(opts, v1()...)...)
			_, err = c.Tokens.Delete(context.Background(), "t1")
		}
		lc.err(err)
		sequences++
		desc := fmt.Sprintf("sequence %d (%v, %d retries, call %d)", i, script, maxRetries, kind)

		if kind == 0 {
			duplicates += max(tr.accepted-1, 0)
			triggersStarted += tr.accepted
			checkTriggerOutcome(t, desc, tr, err)
			continue
		}
		// Idempotent: every failure is retried until the retries run out.
		want := maxRetries + 1
		for j, o := range script {
			if o == oOK {
				want = min(j+1, want)
				break
			}
		}
		if len(script) < want {
			want = len(script) + 1
		}
		if tr.attempts != want {
			t.Errorf("%s: %d attempts, want %d", desc, tr.attempts, want)
		}
		if (err == nil) != (want <= len(script) && script[want-1] == oOK || want == len(script)+1) {
			t.Errorf("%s: error %v after %d attempts", desc, err, tr.attempts)
		}
	}
	t.Logf("%d sequences (seed %d), %d runs started, %d duplicate triggers", sequences, seed, triggersStarted, duplicates)
	if duplicates != 0 {
		t.Errorf("%d duplicate triggers", duplicates)
	}
}

// checkTriggerOutcome checks what a trigger call told its caller against
// what the scripted server saw.
func checkTriggerOutcome(t *testing.T, desc string, tr *scripted, err error) {
	t.Helper()
	if tr.accepted > 1 {
		t.Errorf("%s: %d triggers reached the server", desc, tr.accepted)
	}
	var apiErr *rivery.APIError
	var reqErr *rivery.RequestError
	switch {
	case err == nil:
		if tr.accepted != 1 {
			t.Errorf("%s: success with %d triggers accepted", desc, tr.accepted)
		}
	case errors.As(err, &apiErr):
		if (apiErr.StatusCode == 429) != (tr.accepted == 0) {
			t.Errorf("%s: %v with %d triggers accepted", desc, err, tr.accepted)
		}
	case errors.As(err, &reqErr):
		if reqErr.MaybeApplied != (tr.accepted == 1) || reqErr.Attempts != tr.attempts {
			t.Errorf("%s: %+v with %d accepted in %d attempts", desc, reqErr, tr.accepted, tr.attempts)
		}
	default:
		t.Errorf("%s: error %T %v", desc, err, err)
	}
}
