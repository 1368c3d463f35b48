package integration_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/worker"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
	riverytemporal "github.com/rivery-go/rivery/temporal"
)

// The happy path on a real server: one trigger, polls until the run ends,
// the final run returned; the log lines name Rivery's run rivery_run_id
// (the server's loggers already carry RunID, the workflow's run).
func TestRunRiverSucceeds(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{rivers: []riverytest.River{{ID: riverA, Polls: 3}}})
	e.worker(worker.Options{TaskQueueActivitiesPerSecond: fastRate})
	in := fastRun
	in.RiverID = riverA
	var run rivery.Run
	if err := result(t, e.start("happy", riverytemporal.WorkflowRunRiver, in), &run); err != nil {
		t.Fatal(err)
	}
	runs := e.srv.Runs(riverA)
	if len(runs) != 1 || run.ID != runs[0].ID || run.Status != rivery.StatusSucceeded || run.EndedAt.IsZero() {
		t.Errorf("run %+v, the fake's %+v", run, runs)
	}
	if n := len(e.srv.RequestsTo(riverytest.RouteRun)); n != 1 {
		t.Errorf("trigger requests: %d, want 1", n)
	}
	if n := len(e.srv.RequestsTo(riverytest.RouteRunStatus)); n != 4 {
		t.Errorf("status requests: %d, want 4 (3 in progress, then the end)", n)
	}
	if named := e.logs.CheckRunIDs(t, run.ID); named < 2 { // "run triggered" (activity), "following run" (workflow)
		t.Errorf("%d log lines name Rivery's run: %+v", named, e.logs.Module())
	}
}

// A worker stopped while the workflow waits between two polls, and a new
// one started: the durable timer and the run survive, nothing is
// triggered again.
func TestRunRiverSurvivesAWorkerRestart(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{rivers: []riverytest.River{{ID: riverA, Polls: 12}}})
	w1 := e.worker(worker.Options{TaskQueueActivitiesPerSecond: fastRate})
	in := fastRun
	in.RiverID = riverA
	in.MinPollInterval, in.MaxPollInterval = 300*time.Millisecond, 300*time.Millisecond
	wf := e.start("restart", riverytemporal.WorkflowRunRiver, in)
	waitFor(t, "two status calls", func() bool { return len(e.srv.RequestsTo(riverytest.RouteRunStatus)) >= 2 })
	w1.Stop()
	before := len(e.srv.RequestsTo(riverytest.RouteRunStatus))
	e.worker(worker.Options{TaskQueueActivitiesPerSecond: fastRate})
	var run rivery.Run
	if err := result(t, wf, &run); err != nil {
		t.Fatal(err)
	}
	if run.Status != rivery.StatusSucceeded || run.ID != e.srv.Runs(riverA)[0].ID {
		t.Errorf("run %+v", run)
	}
	if n := e.srv.RunsStarted(riverA); n != 1 {
		t.Errorf("runs started: %d, want 1", n)
	}
	if n := len(e.srv.RequestsTo(riverytest.RouteRun)); n != 1 {
		t.Errorf("trigger requests: %d, want 1", n)
	}
	if after := len(e.srv.RequestsTo(riverytest.RouteRunStatus)); after <= before {
		t.Errorf("status calls: %d before the restart, %d at the end: the new worker did not poll", before, after)
	}
}

// holdingProxy forwards to the fake Rivery, except that while holding is
// set it forwards a trigger and keeps its answer back until the client
// gives up: the run is started, the caller never learns it.
type holdingProxy struct {
	*httptest.Server
	holding atomic.Bool
	held    atomic.Int32
	release chan struct{}
}

func newHoldingProxy(t *testing.T, target string) *holdingProxy {
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	p := &holdingProxy{release: make(chan struct{})}
	forward := httputil.NewSingleHostReverseProxy(u)
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/run") || !p.holding.Load() {
			forward.ServeHTTP(w, r)
			return
		}
		forward.ServeHTTP(httptest.NewRecorder(), r) // the run starts
		p.held.Add(1)
		select { // the answer is lost
		case <-r.Context().Done():
		case <-p.release:
		}
		panic(http.ErrAbortHandler) // close the connection, answer nothing
	}))
	t.Cleanup(func() {
		close(p.release)
		p.Close()
	})
	return p
}

// A worker stopped while its trigger's answer is held (the run started on
// Rivery, the worker never learned it), and a new one started: the
// trigger is not sent again; the recovery lookup finds the run and adopts
// it, and since that run has already ended, its final state is read
// (EndedAt set). Exactly one run.
func TestRunRiverAdoptsTheRunOfALostTrigger(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{rivers: []riverytest.River{{ID: riverA, Duration: time.Millisecond}}, fakeOnly: true})
	proxy := newHoldingProxy(t, e.srv.URL)
	proxy.holding.Store(true)
	e.startTemporal(envOptions{baseURL: proxy.URL})
	w1 := e.worker(worker.Options{TaskQueueActivitiesPerSecond: fastRate})
	in := fastRun
	in.RiverID = riverA
	in.ActivityTimeout = 5 * time.Second // the held trigger times out after this
	wf := e.start("lost-trigger", riverytemporal.WorkflowRunRiver, in)
	waitFor(t, "the held trigger", func() bool { return proxy.held.Load() == 1 })
	w1.Stop()
	proxy.holding.Store(false)
	e.worker(worker.Options{TaskQueueActivitiesPerSecond: fastRate})
	var run rivery.Run
	if err := result(t, wf, &run); err != nil {
		t.Fatal(err)
	}
	runs := e.srv.Runs(riverA)
	if len(runs) != 1 || e.srv.RunsStarted(riverA) != 1 {
		t.Fatalf("runs on the fake: %+v, want exactly one", runs)
	}
	if run.ID != runs[0].ID || run.Status != rivery.StatusSucceeded {
		t.Errorf("run %+v, the fake's %+v", run, runs[0])
	}
	if run.EndedAt.IsZero() {
		t.Errorf("the adopted run has no end time: %+v", run)
	}
	if n := len(e.srv.RequestsTo(riverytest.RouteRun)); n != 1 {
		t.Errorf("trigger requests: %d, want 1", n)
	}
	if n := len(e.srv.RequestsTo(riverytest.RouteRuns)); n != 1 {
		t.Errorf("recovery lookups: %d, want 1", n)
	}
	saveHistory(t, "runriver-real-adopted", e.history(wf))
}

// Canceling the workflow cancels the run on Rivery, and the workflow ends
// canceled.
func TestRunRiverCancel(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{rivers: []riverytest.River{{ID: riverA, Polls: 100000}}})
	e.worker(worker.Options{TaskQueueActivitiesPerSecond: fastRate})
	in := fastRun
	in.RiverID = riverA
	wf := e.start("cancel", riverytemporal.WorkflowRunRiver, in)
	waitFor(t, "a status call", func() bool { return len(e.srv.RequestsTo(riverytest.RouteRunStatus)) >= 1 })
	if err := e.c.CancelWorkflow(context.Background(), wf.GetID(), wf.GetRunID()); err != nil {
		t.Fatal(err)
	}
	err := result(t, wf, nil)
	if !temporal.IsCanceledError(err) {
		t.Fatalf("err = %v, want canceled", err)
	}
	runs := e.srv.Runs(riverA)
	if len(runs) != 1 || runs[0].Status != "canceled" {
		t.Errorf("runs on the fake: %+v", runs)
	}
	cancels := e.srv.RequestsTo(riverytest.RouteCancelRun)
	if len(cancels) != 1 || !strings.Contains(cancels[0].Path+string(cancels[0].Body), runs[0].ID) {
		t.Errorf("cancel requests: %+v", cancels)
	}
}
