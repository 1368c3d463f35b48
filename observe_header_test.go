package rivery_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

// An observer can put trace headers on each attempt through TraceHeader,
// and nothing else: not the SDK's own headers, not invalid ones, and it
// cannot read what it did not set.
func TestTraceHeader(t *testing.T) {
	t.Parallel()
	var checks []string
	log := &eventLog{name: "log", setHeader: func(e rivery.AttemptEvent) {
		h := e.Header
		h.Set("Authorization", "Bearer stolen")
		h.Set("content-type", "text/evil")
		h.Set("Idempotency-Key", "1")
		h.Set("X-Bad\r\nName", "v")
		h.Set("tracestate", "a=1\r\nInjected: yes")
		h.Set("traceparent", fmt.Sprintf("00-%032d-%016d-01", e.Attempt, e.Attempt))
		checks = append(checks, h.Get("Authorization")+"|"+h.Get("Accept")+"|"+fmt.Sprint(h.Keys()))
	}}
	c, mock := setup(t, append(v1(), rivery.WithObserver(log))...)
	var rec recorder
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/runs/"+runID, sequence(
		rec.reply(503, `{"detail":"busy"}`),
		rec.reply(200, `{"run_id":"`+runID+`","status":"running"}`),
	))
	if _, _, err := c.Rivers.GetRun(context.Background(), riverID, runID); err != nil {
		t.Fatal(err)
	}
	reqs := rec.all()
	if len(reqs) != 2 {
		t.Fatalf("%d requests", len(reqs))
	}
	for i, req := range reqs {
		checkHeaders(t, req, false)
		if got, want := req.Header.Get("Traceparent"), fmt.Sprintf("00-%032d-%016d-01", i+1, i+1); got != want {
			t.Errorf("attempt %d: traceparent %q, want %q", i+1, got, want)
		}
		for _, k := range []string{"Idempotency-Key", "Tracestate", "Injected"} {
			if v := req.Header.Values(k); v != nil {
				t.Errorf("attempt %d sent %s: %q", i+1, k, v)
			}
		}
	}
	if want := "||[Traceparent]"; len(checks) != 2 || checks[0] != want || checks[1] != want {
		t.Errorf("Get and Keys saw %q, want %q twice", checks, want)
	}
}

// Requests that do not go to Rivery (the Boomi exchange, presigned step
// logs and files, uploads included) get no Header: trace context stays
// with Rivery.
func TestTraceHeaderOnlyToRivery(t *testing.T) {
	t.Parallel()
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: riverID, Type: "logic"}),
		riverytest.WithDataframe(riverytest.Dataframe{Name: "daily_orders", Files: []riverytest.File{{Content: []byte("id\n1\n")}}}))
	defer srv.Close()
	var routes []string
	log := &eventLog{name: "log", setHeader: func(e rivery.AttemptEvent) {
		if e.Header != nil {
			e.Header.Set("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
			routes = append(routes, e.Route)
		}
	}}
	c := srv.BoomiClient(rivery.WithObserver(log))
	ctx := context.Background()
	run, err := c.Rivers.RunAndWait(ctx, riverID, nil)
	if err != nil {
		t.Fatal(err)
	}
	steps, _, err := c.Rivers.LogicSteps(ctx, riverID, run.ID)
	if err != nil {
		t.Fatal(err)
	}
	var logged bool
	for _, st := range steps {
		if _, err := c.Rivers.StepLogContent(ctx, riverID, run.ID, st.ID, nil); err == nil {
			logged = true
		}
	}
	if !logged {
		t.Fatal("no step log read")
	}
	if _, err := c.Dataframes.Download(ctx, "daily_orders", io.Discard, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Logicode.Upload(ctx, "step.py", strings.NewReader("x = 1\n"), 6); err != nil {
		t.Fatal(err)
	}
	calls := log.of("call-start")
	var fixed []string
	for _, e := range calls {
		if e.call.Route == "{logs_url}" || e.call.Route == "{presigned_url}" || e.call.Route == "/auth/jwt/generate/{boomi_account_id}" {
			fixed = append(fixed, e.call.Route)
		}
	}
	if !slices.Contains(fixed, "{logs_url}") || !slices.Contains(fixed, "{presigned_url}") || !slices.Contains(fixed, "/auth/jwt/generate/{boomi_account_id}") {
		t.Fatalf("calls seen: %v", fixed)
	}
	for _, r := range routes {
		if r == "{logs_url}" || r == "{presigned_url}" || r == "/auth/jwt/generate/{boomi_account_id}" {
			t.Errorf("%s was offered a trace header", r)
		}
	}
	for _, req := range srv.Requests() {
		has := req.Header.Get("Traceparent") != ""
		outside := req.Route == riverytest.RoutePresignedLogs || req.Route == riverytest.RoutePresignedFiles || req.Route == riverytest.RouteBoomiExchange
		if has == outside {
			t.Errorf("%s %s: traceparent sent %v", req.Method, req.Path, has)
		}
	}
}

// NopObserver and a client without an observer send no trace header.
func TestNoTraceHeaderByDefault(t *testing.T) {
	t.Parallel()
	for _, opts := range [][]rivery.Option{nil, {rivery.WithObserver(rivery.NopObserver{})}} {
		c, mock := setup(t, opts...)
		var rec recorder
		mock.RegisterResponder(http.MethodGet, consoleBase+"/api/check_run", rec.reply(200, fixture(t, "console_check_run.json")))
		if _, _, err := c.Rivers.GetRun(context.Background(), riverID, runID); err != nil {
			t.Fatal(err)
		}
		for k := range rec.only(t).Header {
			if k != "Authorization" && k != "Accept" && k != "User-Agent" {
				t.Errorf("header %s sent", k)
			}
		}
	}
}
