package riveryotel_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"slices"
	"strings"

	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/rivery-go/rivery"
	riveryotel "github.com/rivery-go/rivery/otel"
	"github.com/rivery-go/rivery/riverytest"
)

// The trace of a trigger-and-wait on the fake Rivery whose trigger is
// answered 429 once: the wait's span, a span per call under it, and a span
// per HTTP attempt under each call (the same name, the retry numbered by
// http.request.resend_count).
func ExampleNewObserver() {
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: "63b724fc690def001131d242", Polls: 1}))
	defer srv.Close()
	srv.Fail(riverytest.RouteRun, 1, riverytest.Fault{Status: 429})

	spans := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans))
	defer func() { _ = tp.Shutdown(context.Background()) }()

	client := srv.Client(rivery.WithObserver(riveryotel.NewObserver(riveryotel.WithTracerProvider(tp))))
	if _, err := client.Rivers.RunAndWait(context.Background(), "63b724fc690def001131d242", nil); err != nil {
		log.Fatal(err)
	}
	printTree(spans.GetSpans())
	// Output:
	// rivery.RunAndWait outcome=succeeded
	//   POST /api/run status=200 resends=1
	//     POST /api/run status=429 error=429
	//     POST /api/run resends=1 status=200
	//   GET /api/check_run status=200
	//     GET /api/check_run status=200
	//   GET /api/check_run status=200
	//     GET /api/check_run status=200
}

// printTree prints spans as a tree, children in the order they started,
// with a few of their attributes.
func printTree(spans tracetest.SpanStubs) {
	slices.SortFunc(spans, func(a, b tracetest.SpanStub) int { return a.StartTime.Compare(b.StartTime) })
	var walk func(parent string, depth int)
	walk = func(parent string, depth int) {
		for i := range spans {
			s := &spans[i]
			if s.Parent.SpanID().String() != parent {
				continue
			}
			line := strings.Repeat("  ", depth) + s.Name
			for _, kv := range s.Attributes {
				if short, ok := map[string]string{"rivery.run.outcome": "outcome", "http.response.status_code": "status",
					"error.type": "error", "http.request.resend_count": "resends"}[string(kv.Key)]; ok {
					line += " " + short + "=" + kv.Value.String()
				}
			}
			fmt.Println(line)
			walk(s.SpanContext.SpanID().String(), depth+1)
		}
	}
	walk("0000000000000000", 0)
}

// newObservedClient gives a program's OpenTelemetry providers to the SDK.
func newObservedClient(tp trace.TracerProvider, mp metric.MeterProvider) (*rivery.Client, error) {
	return rivery.NewClientFromEnv(rivery.WithObserver(riveryotel.NewObserver(
		riveryotel.WithTracerProvider(tp),
		riveryotel.WithMeterProvider(mp),
	)))
}

// Wire a client to OpenTelemetry: spans printed by the stdout exporter,
// metrics read by a reader (an OTLP exporter and a periodic reader in
// production).
func ExampleWithTracerProvider() {
	exporter, err := stdouttrace.New(stdouttrace.WithPrettyPrint())
	if err != nil {
		log.Fatal(err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exporter))
	defer func() { _ = tp.Shutdown(context.Background()) }()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	defer func() { _ = mp.Shutdown(context.Background()) }()

	client, err := newObservedClient(tp, mp)
	if err != nil {
		log.Fatal(err)
	}
	defer func() { _ = client.Close() }()
	run, err := client.Rivers.RunAndWait(context.Background(), os.Getenv("RIVERY_RIVER_ID"), nil)
	fmt.Println(run, err)
}

// Send each request's trace context to Rivery (W3C traceparent): off
// unless asked, as Rivery is a third party.
func ExampleWithPropagators() {
	obs := riveryotel.NewObserver(riveryotel.WithPropagators(propagation.TraceContext{}))
	client, err := rivery.NewClientFromEnv(rivery.WithObserver(obs))
	if err != nil {
		log.Fatal(err)
	}
	defer func() { _ = client.Close() }()
	run, err := client.Rivers.RunAndWait(context.Background(), os.Getenv("RIVERY_RIVER_ID"), nil)
	fmt.Println(run, err)
}
