package integration_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/server/common/dynamicconfig"
	"go.temporal.io/server/temporal"
	"go.temporal.io/server/temporaltest"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
	riverytemporal "github.com/rivery-go/rivery/temporal"
	"github.com/rivery-go/rivery/temporal/internal/testkit"
)

const (
	riverA = "63b724fc690def001131d2a1"
	riverB = "63b724fc690def001131d2b2"
	riverC = "63b724fc690def001131d2c3"
	riverD = "63b724fc690def001131d2d4"
	riverE = "63b724fc690def001131d2e5"
)

// fastRun polls every few hundred milliseconds and gives each activity
// more than a loaded machine needs.
var fastRun = riverytemporal.RunRiverInput{
	MinPollInterval: 100 * time.Millisecond,
	MaxPollInterval: 400 * time.Millisecond,
	ActivityTimeout: 20 * time.Second,
}

// fastRate is the activity rate of the tests that do not measure it: high
// enough not to slow them.
const fastRate = 200

// env is one test's Temporal server, fake Rivery and worker.
type env struct {
	t     testing.TB
	ts    *temporaltest.TestServer
	c     client.Client
	srv   *riverytest.Server
	acts  *riverytemporal.Activities
	queue string
	logs  *testkit.LogRecorder
	calls *callLog
}

// options of newEnv.
type envOptions struct {
	rivers     []riverytest.River
	partitions int    // task queue partitions (read and write); 0: the server's default (4)
	baseURL    string // where the activities send requests: the fake (default) or a proxy of it
	fakeOnly   bool   // start the fake only; the caller sets baseURL and calls startTemporal
}

// newEnv starts a fake Rivery and a Temporal server for one test. The
// task queue is named after the test.
func newEnv(t testing.TB, opts envOptions) *env {
	t.Helper()
	srvOpts := make([]riverytest.Option, len(opts.rivers))
	for i := range opts.rivers {
		srvOpts[i] = riverytest.WithRiver(opts.rivers[i])
	}
	e := &env{
		t:     t,
		srv:   riverytest.NewServer(srvOpts...),
		queue: "rivery-" + strings.ToLower(strings.NewReplacer("/", "-", " ", "-").Replace(t.Name())),
		logs:  &testkit.LogRecorder{},
		calls: &callLog{},
	}
	t.Cleanup(e.srv.Close)
	if !opts.fakeOnly {
		e.startTemporal(opts)
	}
	return e
}

// startTemporal starts the Temporal server and the activities' client.
func (e *env) startTemporal(opts envOptions) {
	dc := dynamicconfig.StaticClient{
		// As temporaltest sets it: search attributes show at once.
		dynamicconfig.ForceSearchAttributesCacheRefreshOnRead.Key(): true,
	}
	if opts.partitions > 0 {
		one := []dynamicconfig.ConstrainedValue{{
			Constraints: dynamicconfig.Constraints{TaskQueueName: e.queue},
			Value:       opts.partitions,
		}}
		dc[dynamicconfig.MatchingNumTaskqueueReadPartitions.Key()] = one
		dc[dynamicconfig.MatchingNumTaskqueueWritePartitions.Key()] = one
	}
	serverOpts := []temporaltest.TestServerOption{
		temporaltest.WithBaseServerOptions(temporal.WithDynamicConfigClient(dc)),
		temporaltest.WithBaseClientOptions(client.Options{Identity: "integration-test", Logger: e.logs}),
	}
	if t, ok := e.t.(*testing.T); ok {
		serverOpts = append(serverOpts, temporaltest.WithT(t)) // stops the server at the end
	}
	e.ts = temporaltest.NewServer(serverOpts...)
	if _, ok := e.t.(*testing.T); !ok {
		e.t.Cleanup(e.ts.Stop)
	}
	e.c = e.ts.GetDefaultClient()
	base := opts.baseURL
	if base == "" {
		base = e.srv.URL
	}
	e.acts = &riverytemporal.Activities{Client: e.srv.ClientV1(
		rivery.WithBaseURL(base),
		rivery.WithHTTPClient(&http.Client{Transport: &recordingTransport{log: e.calls, next: http.DefaultTransport}}),
		rivery.WithTimeout(10*time.Second),
	)}
}

// worker starts a worker of the task queue with the module's NewWorker;
// it is stopped at the end of the test if it is still running.
func (e *env) worker(opts worker.Options) worker.Worker {
	e.t.Helper()
	w := riverytemporal.NewWorker(e.c, e.queue, e.acts, opts)
	if err := w.Start(); err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(w.Stop)
	return w
}

// start starts a workflow as ID id on the test's task queue.
func (e *env) start(id, workflow string, in any) client.WorkflowRun {
	e.t.Helper()
	run, err := e.c.ExecuteWorkflow(context.Background(), client.StartWorkflowOptions{ID: id, TaskQueue: e.queue}, workflow, in)
	if err != nil {
		e.t.Fatal(err)
	}
	return run
}

// result waits (at most two minutes) for a workflow's end.
func result(t testing.TB, run client.WorkflowRun, valuePtr any) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	return run.Get(ctx, valuePtr)
}

// waitFor polls cond until it holds, failing the test after a minute.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
	}
}

// history reads a workflow run's full history from the server.
func (e *env) history(run client.WorkflowRun) *historypb.History {
	e.t.Helper()
	h := &historypb.History{}
	it := e.c.GetWorkflowHistory(context.Background(), run.GetID(), run.GetRunID(), false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			e.t.Fatal(err)
		}
		h.Events = append(h.Events, ev)
	}
	return h
}

// call is one HTTP request the activities sent.
type call struct {
	at     time.Time
	method string
	path   string
}

// callLog keeps the requests the activities sent, with their times.
type callLog struct {
	mu    sync.Mutex
	calls []call
}

func (l *callLog) all() []call {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]call(nil), l.calls...)
}

// recordingTransport logs each request before sending it.
type recordingTransport struct {
	log  *callLog
	next http.RoundTripper
}

func (rt *recordingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rt.log.mu.Lock()
	rt.log.calls = append(rt.log.calls, call{time.Now(), r.Method, r.URL.Path})
	rt.log.mu.Unlock()
	return rt.next.RoundTrip(r)
}
