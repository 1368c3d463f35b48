package main

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/worker"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
	riverytemporal "github.com/rivery-go/rivery/temporal"
)

const (
	riverA = "63b724fc690def001131d2a1"
	riverB = "63b724fc690def001131d2b2"
)

// tracedEnv is a test environment whose worker has the telemetry's
// interceptor and whose activities' client has its observer, on an
// in-memory span exporter: the wiring of run.
func tracedEnv(t *testing.T, rivers ...riverytest.River) (*testsuite.TestWorkflowEnvironment, *tracetest.InMemoryExporter) {
	t.Helper()
	spans := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	tel, err := newTelemetry(tp)
	if err != nil {
		t.Fatal(err)
	}
	var opts []riverytest.Option
	for i := range rivers {
		opts = append(opts, riverytest.WithRiver(rivers[i]))
	}
	srv := riverytest.NewServer(opts...)
	t.Cleanup(srv.Close)
	var suite testsuite.WorkflowTestSuite
	suite.SetLogger(log.NewStructuredLogger(slog.New(slog.DiscardHandler)))
	env := suite.NewTestWorkflowEnvironment()
	env.SetTestTimeout(5 * time.Minute)
	var wi []interceptor.WorkerInterceptor
	for _, ic := range tel.interceptors() {
		wi = append(wi, ic.(interceptor.WorkerInterceptor)) // client.Dial hands them to the worker so
	}
	env.SetWorkerOptions(worker.Options{DeadlockDetectionTimeout: 5 * time.Minute, Interceptors: wi})
	riverytemporal.Register(env, &riverytemporal.Activities{Client: srv.ClientV1(tel.clientOptions()...)})
	return env, spans
}

// Every span of a RunRivers workflow is in one trace, and every Rivery
// call's span is the child of the span of the activity that made it:
// RunActivity:rivery.TriggerRun over the trigger, RunActivity:rivery.CheckRuns
// over the activities call and the status calls.
func TestTracesActivitiesAndRiveryCallsTogether(t *testing.T) {
	env, exp := tracedEnv(t, riverytest.River{ID: riverA, Polls: 1}, riverytest.River{ID: riverB, Polls: 2})
	env.ExecuteWorkflow(riverytemporal.WorkflowRunRivers, riverytemporal.RunRiversInput{
		Rivers: []riverytemporal.RiverNode{{RiverID: riverA}, {RiverID: riverB}},
	})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	spans := exp.GetSpans()
	byID := map[string]tracetest.SpanStub{}
	traces := map[string]bool{}
	for _, s := range spans {
		byID[s.SpanContext.SpanID().String()] = s
		traces[s.SpanContext.TraceID().String()] = true
	}
	if len(traces) != 1 {
		t.Errorf("%d traces, want one", len(traces))
	}
	under := map[string][]string{} // Rivery routes by the activity span over them
	for _, s := range spans {
		route := attr(s.Attributes, rivery.KeyURLTemplate)
		if route == "" || isAttempt(s, byID) {
			continue // not a Rivery call, or an HTTP attempt under one
		}
		parent, ok := byID[s.Parent.SpanID().String()]
		if !ok {
			t.Errorf("Rivery call %s has no parent span", s.Name)
			continue
		}
		under[parent.Name] = append(under[parent.Name], s.Name)
	}
	checkUnder(t, under, "RunActivity:rivery.TriggerRun", "POST", "/rivers/{river_id}/run", 2)
	checkUnder(t, under, "RunActivity:rivery.CheckRuns", "GET", "/activities", 3)
	checkUnder(t, under, "RunActivity:rivery.CheckRuns", "GET", "/runs/{run_id}", 2)
	for parent := range under {
		if !strings.HasPrefix(parent, "RunActivity:") {
			t.Errorf("Rivery calls under %q: %v", parent, under[parent])
		}
	}
	for _, name := range []string{"RunWorkflow:rivery.RunRivers", "StartChildWorkflow:rivery.RunRiver", "RunWorkflow:rivery.RunRiver", "StartActivity:rivery.CheckRuns"} {
		if !hasSpan(spans, name) {
			t.Errorf("no %s span", name)
		}
	}
}

// isAttempt reports whether s is an HTTP attempt: a child of a span of the
// same route.
func isAttempt(s tracetest.SpanStub, byID map[string]tracetest.SpanStub) bool {
	p, ok := byID[s.Parent.SpanID().String()]
	return ok && attr(p.Attributes, rivery.KeyURLTemplate) == attr(s.Attributes, rivery.KeyURLTemplate)
}

// checkUnder checks that parent holds n Rivery calls of method on a route
// ending in suffix.
func checkUnder(t *testing.T, under map[string][]string, parent, method, suffix string, n int) {
	t.Helper()
	got := 0
	for _, name := range under[parent] {
		if strings.HasPrefix(name, method+" ") && strings.HasSuffix(name, suffix) {
			got++
		}
	}
	if got != n {
		t.Errorf("%d %s ...%s calls under %s, want %d (all: %v)", got, method, suffix, parent, n, under)
	}
}

func attr(kvs []attribute.KeyValue, key string) string {
	for _, kv := range kvs {
		if string(kv.Key) == key {
			return kv.Value.String()
		}
	}
	return ""
}

func hasSpan(spans tracetest.SpanStubs, name string) bool {
	for i := range spans {
		if spans[i].Name == name {
			return true
		}
	}
	return false
}

// Telemetry is off unless an OTLP endpoint is configured, and
// OTEL_SDK_DISABLED turns it off.
func TestTelemetryFromEnv(t *testing.T) {
	for _, tc := range []struct {
		env map[string]string
		on  bool
	}{
		{map[string]string{}, false},
		{map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:1"}, true},
		{map[string]string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://127.0.0.1:1/v1/traces"}, true},
		{map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:1", "OTEL_SDK_DISABLED": "true"}, false},
		{map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:1", "OTEL_TRACES_EXPORTER": "none"}, false},
	} {
		for _, k := range []string{"OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_SDK_DISABLED", "OTEL_TRACES_EXPORTER"} {
			t.Setenv(k, tc.env[k])
		}
		tel, err := telemetryFromEnv(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if (tel != nil) != tc.on {
			t.Errorf("%v: telemetry on = %v", tc.env, tel != nil)
		}
		if tel != nil {
			if n := len(tel.clientOptions()); n != 1 {
				t.Errorf("%d client options", n)
			}
			if err := tel.shutdown(context.Background()); err != nil {
				t.Error(err)
			}
		}
	}
}
