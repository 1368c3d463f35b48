package rivery_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

const v1RunRoute = "/v1/accounts/{account_id}/environments/{environment_id}/rivers/{river_id}/runs/{run_id}"

// A GET answered 503 and then 200: one call, two attempts, each with its
// outcome, the retry's delay, and the route and IDs derived from the path.
func TestObserverRetriedCall(t *testing.T) {
	t.Parallel()
	log := &eventLog{name: "log"}
	c, mock := setup(t, append(v1(), rivery.WithObserver(log))...)
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/runs/"+runID, sequence(
		httpmock.NewStringResponder(503, `{"detail":"busy"}`),
		httpmock.NewStringResponder(200, `{"run_id":"`+runID+`","status":"running"}`),
	))
	if _, _, err := c.Rivers.GetRun(context.Background(), riverID, runID); err != nil {
		t.Fatal(err)
	}
	if got, want := log.kinds(), "call-start attempt-start attempt-end attempt-start attempt-end call-end"; got != want {
		t.Fatalf("events: %s\nwant %s", got, want)
	}
	ev := log.all()
	start, end := ev[0].call, ev[5].call
	wantIDs := rivery.IDs{AccountID: accountID, EnvironmentID: envID, RiverID: riverID, RunID: runID}
	for _, e := range []rivery.Endpoint{start.Endpoint, end.Endpoint, ev[1].attempt.Endpoint, ev[4].attempt.Endpoint} {
		if e.Method != http.MethodGet || e.Route != v1RunRoute || e.ServerAddress != "api.rivery.io" || e.ServerPort != 443 || e.IDs != wantIDs {
			t.Errorf("endpoint = %+v", e)
		}
		if e.SpanName() != "GET "+v1RunRoute {
			t.Errorf("span name %q", e.SpanName())
		}
	}
	first, retried, second := ev[2].attempt, ev[3].attempt, ev[4].attempt
	if first.Attempt != 1 || first.StatusCode != 503 || first.ErrorType != "503" || !first.WillRetry || !first.Reached {
		t.Errorf("first attempt = %+v", first)
	}
	if retried.Attempt != 2 || retried.RetryDelay <= 0 || retried.Start.Before(first.Start) {
		t.Errorf("second attempt's start = %+v", retried)
	}
	if second.StatusCode != 200 || second.ErrorType != "" || second.WillRetry || !second.Reached || second.Duration < 0 {
		t.Errorf("second attempt = %+v", second)
	}
	if end.StatusCode != 200 || end.Attempts != 2 || end.ErrorType != "" || end.MaybeApplied || end.Duration <= 0 || !end.Start.Equal(start.Start) {
		t.Errorf("call end = %+v", end)
	}
	// Each attempt runs in the call's context; the call ends in it.
	callCtx := ev[0].out
	for _, i := range []int{1, 3, 5} {
		if ev[i].in != callCtx {
			t.Errorf("%s came with context %q, want the call's %q", ev[i].kind, ev[i].in, callCtx)
		}
	}
	if ev[2].in != ev[1].out || ev[4].in != ev[3].out {
		t.Errorf("attempt ends came with %q, %q; want their starts' %q, %q", ev[2].in, ev[4].in, ev[1].out, ev[3].out)
	}
}

// A console trigger answered 503 is not sent again: one attempt, which
// reached the server, and a call that may have started a run. The river
// ID comes from the body, as the console path names none.
func TestObserverTriggerMaybeApplied(t *testing.T) {
	t.Parallel()
	log := &eventLog{name: "log"}
	c, mock := setup(t, rivery.WithObserver(log))
	mock.RegisterResponder(http.MethodPost, consoleBase+"/api/run", httpmock.NewStringResponder(503, `{"message":"oops"}`))
	_, _, err := c.Rivers.Run(context.Background(), riverID)
	if !rivery.MaybeApplied(err) {
		t.Fatalf("Run: %v, want a 503 that may have applied", err)
	}
	if got, want := log.kinds(), "call-start attempt-start attempt-end call-end"; got != want {
		t.Fatalf("events: %s, want %s", got, want)
	}
	a, end := log.of("attempt-end")[0].attempt, log.of("call-end")[0].call
	if a.WillRetry || !a.Reached || a.ErrorType != "503" {
		t.Errorf("attempt = %+v", a)
	}
	// The IDs are known when the call starts (a span takes them there).
	if start := log.of("call-start")[0].call; start.Endpoint != end.Endpoint || a.Endpoint != end.Endpoint {
		t.Errorf("call start %+v, attempt %+v, call end %+v", start.Endpoint, a.Endpoint, end.Endpoint)
	}
	if end.Route != "/api/run" || end.RiverID != riverID || end.RunID != "" || end.ServerAddress != "console.rivery.io" ||
		end.Attempts != 1 || end.StatusCode != 503 || end.ErrorType != "503" || !end.MaybeApplied {
		t.Errorf("call end = %+v", end)
	}
}

// A console status call names its run in the query: the run ID is taken
// from it, and the route keeps no query.
func TestObserverConsoleQueryIDs(t *testing.T) {
	t.Parallel()
	log := &eventLog{name: "log"}
	c, mock := setup(t, rivery.WithObserver(log))
	mock.RegisterResponder(http.MethodGet, consoleBase+"/api/check_run", httpmock.NewStringResponder(200, fixture(t, "console_check_run.json")))
	if _, _, err := c.Rivers.GetRun(context.Background(), riverID, runID); err != nil {
		t.Fatal(err)
	}
	start := log.of("call-start")[0].call
	if start.Route != "/api/check_run" || start.RunID != runID || start.RiverID != "" || log.of("call-end")[0].call.Endpoint != start.Endpoint {
		t.Errorf("call start = %+v", start.Endpoint)
	}
}

// An attempt that never left (a dial error) did not reach the server; the
// call that ran out of retries on it reports the error's kind.
func TestObserverTransportErrors(t *testing.T) {
	t.Parallel()
	log := &eventLog{name: "log"}
	c, mock := setup(t, append(v1(), rivery.WithObserver(log), rivery.WithRetry(1, 0, 0))...)
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID, sequence(
		httpmock.NewErrorResponder(errDial()),
		httpmock.NewErrorResponder(errAfterSend()),
	))
	_, _, err := c.Rivers.Get(context.Background(), riverID)
	if err == nil {
		t.Fatal("Get succeeded")
	}
	attempts := log.of("attempt-end")
	if len(attempts) != 2 {
		t.Fatalf("events: %s", log.kinds())
	}
	if a := attempts[0].attempt; a.Reached || a.ErrorType != rivery.ErrorTypeConnect || !a.WillRetry || a.StatusCode != 0 {
		t.Errorf("dial failure = %+v", a)
	}
	if a := attempts[1].attempt; !a.Reached || a.ErrorType != rivery.ErrorTypeOther || a.WillRetry {
		t.Errorf("failure after sending = %+v", a)
	}
	if end := log.of("call-end")[0].call; end.Attempts != 2 || end.ErrorType != rivery.ErrorTypeOther || end.StatusCode != 0 {
		t.Errorf("call end = %+v", end)
	}
}

// RunAndWait reports its wait: it starts before the trigger (which runs in
// the wait's context, as every status call does), sees each status, and
// ends with the run's outcome and the IDs learned on the way.
func TestObserverRunAndWait(t *testing.T) {
	t.Parallel()
	for _, family := range []string{"console", "v1"} {
		t.Run(family, func(t *testing.T) {
			t.Parallel()
			srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: riverID, Polls: 2}))
			defer srv.Close()
			log := &eventLog{name: "log"}
			c := srv.Client(rivery.WithObserver(log))
			if family == "v1" {
				c = srv.ClientV1(rivery.WithObserver(log))
			}
			run, err := c.Rivers.RunAndWait(context.Background(), riverID, nil)
			if err != nil {
				t.Fatal(err)
			}
			starts := log.of("wait-start")
			if len(starts) != 1 {
				t.Fatalf("events: %s", log.kinds())
			}
			ws := starts[0]
			if ws.wait.Operation != rivery.OpRunAndWait || ws.wait.RiverID != riverID || ws.wait.RunID != "" || ws.wait.Runs != 1 {
				t.Errorf("wait start = %+v", ws.wait)
			}
			if ws.wait.SpanName() != "rivery.RunAndWait" {
				t.Errorf("span name %q", ws.wait.SpanName())
			}
			if family == "v1" && (ws.wait.AccountID != srv.AccountID || ws.wait.EnvironmentID != srv.EnvironmentID) {
				t.Errorf("v1 wait without the client's account and environment: %+v", ws.wait.IDs)
			}
			for _, e := range log.of("call-start") {
				if e.in != ws.out {
					t.Errorf("call %s came with context %q, want the wait's %q", e.call.Route, e.in, ws.out)
				}
			}
			var seen []string
			for _, e := range log.of("wait-status") {
				mark := ""
				if e.wait.Changed {
					mark = "*"
				}
				seen = append(seen, string(e.wait.Status)+mark)
				if e.in != ws.out || e.wait.RunID != run.ID || e.wait.SeenAt.Before(ws.wait.Start) {
					t.Errorf("status event %+v with context %q", e.wait, e.in)
				}
			}
			if got, want := strings.Join(seen, " "), "pending* pending running* succeeded*"; got != want {
				t.Errorf("statuses seen %q, want %q", got, want)
			}
			end := log.of("wait-end")[0].wait
			if !end.Ended || end.Outcome() != "succeeded" || end.ErrorType != "" || end.Seen != 4 || end.RunID != run.ID ||
				end.Duration <= 0 || end.RunStartedAt.IsZero() {
				t.Errorf("wait end = %+v", end)
			}
			if got := log.kinds(); !strings.HasPrefix(got, "wait-start call-start") || !strings.HasSuffix(got, "call-end wait-status wait-end") {
				t.Errorf("events: %s", got)
			}
		})
	}
}

// A run that fails ends its wait with its outcome; a wait stopped by its
// context is abandoned, with the reason.
func TestObserverWaitOutcomes(t *testing.T) {
	t.Parallel()
	srv := riverytest.NewServer(
		riverytest.WithRiver(riverytest.River{ID: riverID, Outcome: "failed", Message: "boom"}),
		riverytest.WithRiver(riverytest.River{ID: "63b724fc690def001131d243", Polls: 50}),
	)
	defer srv.Close()
	log := &eventLog{name: "log"}
	c := srv.ClientV1(rivery.WithObserver(log))
	_, err := c.Rivers.RunAndWait(context.Background(), riverID, nil)
	if !errors.Is(err, rivery.ErrRunFailed) {
		t.Fatalf("RunAndWait: %v", err)
	}
	if end := log.of("wait-end")[0].wait; !end.Ended || end.Outcome() != "failed" || end.ErrorType != "" {
		t.Errorf("failed run's wait end = %+v", end)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opts := &rivery.WaitOptions{OnStatus: func(r *rivery.Run) {
		if r.Status == rivery.StatusRunning {
			cancel()
		}
	}}
	if _, err := c.Rivers.RunAndWait(ctx, "63b724fc690def001131d243", opts); !errors.Is(err, context.Canceled) {
		t.Fatalf("RunAndWait: %v", err)
	}
	ends := log.of("wait-end")
	if end := ends[len(ends)-1].wait; end.Ended || end.Outcome() != rivery.OutcomeAbandoned || end.ErrorType != rivery.ErrorTypeCanceled ||
		end.Status != rivery.StatusRunning {
		t.Errorf("canceled wait end = %+v", end)
	}
}

// WaitForRun and WaitForGroup report their waits too; a group's names its
// run group and how many runs it follows.
func TestObserverWaitForRunAndGroup(t *testing.T) {
	t.Parallel()
	subs := []riverytest.SubRiver{{ID: "63b724fc690def001131d250"}, {ID: "63b724fc690def001131d251"}}
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: riverID, SubRivers: subs}))
	defer srv.Close()
	log := &eventLog{name: "log"}
	c := srv.ClientV1(rivery.WithObserver(log))
	group, _, err := c.Rivers.Run(context.Background(), riverID)
	if err != nil || group.Group == nil {
		t.Fatalf("Run = %+v, %v", group, err)
	}
	if _, err := c.Rivers.WaitForGroup(context.Background(), group, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Rivers.WaitForRun(context.Background(), riverID, group.Group.Runs[1].ID, nil); err != nil {
		t.Fatal(err)
	}
	starts, ends := log.of("wait-start"), log.of("wait-end")
	if len(starts) != 2 || len(ends) != 2 {
		t.Fatalf("events: %s", log.kinds())
	}
	if w := starts[0].wait; w.Operation != rivery.OpWaitForGroup || w.Runs != 2 || w.RunGroupID != group.GroupID || w.RunID != group.ID {
		t.Errorf("group wait start = %+v", w)
	}
	if w := ends[0].wait; !w.Ended || w.Outcome() != "succeeded" || w.RunGroupID != group.GroupID {
		t.Errorf("group wait end = %+v", w)
	}
	if w := starts[1].wait; w.Operation != rivery.OpWaitForRun || w.RunID != group.Group.Runs[1].ID || w.Runs != 1 {
		t.Errorf("run wait start = %+v", w)
	}
	if w := ends[1].wait; !w.Ended || w.Outcome() != "succeeded" {
		t.Errorf("run wait end = %+v", w)
	}
}

// Observers given together each see every event in order, the second's
// Start getting the context the first returned.
func TestObserverSeveral(t *testing.T) {
	t.Parallel()
	a, b := &eventLog{name: "a"}, &eventLog{name: "b"}
	c, mock := setup(t, append(v1(), rivery.WithObserver(a), rivery.WithObserver(b))...)
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/runs/"+runID, httpmock.NewStringResponder(200, `{"run_id":"`+runID+`","status":"running"}`))
	if _, _, err := c.Rivers.GetRun(context.Background(), riverID, runID); err != nil {
		t.Fatal(err)
	}
	if a.kinds() != b.kinds() || a.kinds() != "call-start attempt-start attempt-end call-end" {
		t.Fatalf("a saw %s; b saw %s", a.kinds(), b.kinds())
	}
	// The context the call runs in carries what both returned.
	for _, l := range []*eventLog{a, b} {
		start := l.of("call-start")[0].out
		if got := l.of("attempt-start")[0].in; got != start {
			t.Errorf("%s: attempt start with %q, want %q", l.name, got, start)
		}
		if got := l.of("call-end")[0].in; got != start {
			t.Errorf("%s: call end with %q, want %q", l.name, got, start)
		}
	}
	if _, err := rivery.NewClient(testToken, rivery.WithObserver(nil)); err == nil {
		t.Error("WithObserver(nil) accepted")
	}
}

// The Boomi token exchange is a call of its own inside the call that
// needs the token, with a fixed route; a 401 after the JWT expired makes
// the call exchange again and resend, its attempts counted on.
func TestObserverBoomiExchange(t *testing.T) {
	t.Parallel()
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: riverID}))
	defer srv.Close()
	log := &eventLog{name: "log"}
	c := srv.BoomiClient(rivery.WithObserver(log))
	ctx := context.Background()
	if _, _, err := c.Rivers.Get(ctx, riverID); err != nil {
		t.Fatal(err)
	}
	want := "call-start call-start attempt-start attempt-end call-end attempt-start attempt-end call-end"
	if got := log.kinds(); got != want {
		t.Fatalf("events: %s\nwant %s", got, want)
	}
	ev := log.all()
	outer, exchange := ev[0], ev[1]
	if exchange.in != outer.out || exchange.call.Route != "/auth/jwt/generate/{boomi_account_id}" || exchange.call.IDs != (rivery.IDs{}) {
		t.Errorf("exchange = %+v in %q", exchange.call, exchange.in)
	}
	if end := ev[4].call; end.StatusCode != 200 || end.ErrorType != "" || end.Attempts != 1 {
		t.Errorf("exchange end = %+v", end)
	}

	srv.ExpireJWTs()
	before := len(log.all())
	if _, _, err := c.Rivers.Get(ctx, riverID); err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range log.all()[before:] {
		kinds = append(kinds, e.kind)
	}
	want = "call-start attempt-start attempt-end call-start attempt-start attempt-end call-end attempt-start attempt-end call-end"
	if got := strings.Join(kinds, " "); got != want {
		t.Fatalf("events: %s\nwant %s", got, want)
	}
	rest := log.all()[before:]
	if a := rest[2].attempt; a.Attempt != 1 || a.StatusCode != 401 || a.WillRetry {
		t.Errorf("first attempt = %+v", a)
	}
	if a := rest[7].attempt; a.Attempt != 2 || a.RetryDelay <= 0 {
		t.Errorf("resend = %+v", a)
	}
	if end := rest[9].call; end.Attempts != 2 || end.StatusCode != 200 || end.ErrorType != "" {
		t.Errorf("call end = %+v", end)
	}
}

// nilContexts returns nil from every Start method.
type nilContexts struct{ rivery.NopObserver }

func (nilContexts) CallStart(context.Context, rivery.CallEvent) context.Context       { return nil }
func (nilContexts) AttemptStart(context.Context, rivery.AttemptEvent) context.Context { return nil }
func (nilContexts) WaitStart(context.Context, rivery.WaitEvent) context.Context       { return nil }

// An observer that returns a nil context leaves the call's own.
func TestObserverNilContext(t *testing.T) {
	t.Parallel()
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: riverID}))
	defer srv.Close()
	if _, err := srv.Client(rivery.WithObserver(nilContexts{})).Rivers.RunAndWait(context.Background(), riverID, nil); err != nil {
		t.Fatal(err)
	}
}

// Among several observers, one that returns a nil context hands the next
// the context it was given, as a lone one leaves the call's own.
func TestObserverNilContextBeforeAnother(t *testing.T) {
	t.Parallel()
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: riverID}))
	defer srv.Close()
	log := &eventLog{name: "log"}
	c := srv.Client(rivery.WithObserver(nilContexts{}), rivery.WithObserver(log))
	if _, err := c.Rivers.RunAndWait(context.Background(), riverID, nil); err != nil {
		t.Fatal(err)
	}
	ev := log.all()
	if len(ev) == 0 || ev[0].kind != "wait-start" || ev[len(ev)-1].kind != "wait-end" {
		t.Fatalf("events: %s", log.kinds())
	}
	if end := ev[len(ev)-1]; end.in != ev[0].out {
		t.Errorf("wait end came with %q, want %q", end.in, ev[0].out)
	}
}
