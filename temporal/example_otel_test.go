package riverytemporal_test

import (
	"log"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/trace"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/contrib/opentelemetry"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/worker"

	"github.com/rivery-go/rivery"
	riveryotel "github.com/rivery-go/rivery/otel"
	riverytemporal "github.com/rivery-go/rivery/temporal"
)

// newTracedWorker is the example of docs/observability.md: Temporal's
// tracing interceptor and the rivery client's observer on one tracer
// provider (cmd/worker does the same, and its test checks the trace).
func newTracedWorker(tp trace.TracerProvider, taskQueue string) (worker.Worker, func(), error) {
	ic, err := opentelemetry.NewTracingInterceptor(opentelemetry.TracerOptions{Tracer: tp.Tracer("temporal-sdk-go")})
	if err != nil {
		return nil, nil, err
	}
	rc, err := rivery.NewClientFromEnv(rivery.WithObserver(riveryotel.NewObserver(riveryotel.WithTracerProvider(tp))))
	if err != nil {
		return nil, nil, err
	}
	c, err := client.Dial(client.Options{Interceptors: []interceptor.ClientInterceptor{ic}}) // the worker gets it too
	if err != nil {
		_ = rc.Close()
		return nil, nil, err
	}
	w := riverytemporal.NewWorker(c, taskQueue, &riverytemporal.Activities{Client: rc}, worker.Options{})
	return w, func() { c.Close(); _ = rc.Close() }, nil
}

// A worker whose workflows, activities and Rivery calls make one trace.
func ExampleNewWorker_traced() {
	w, closeAll, err := newTracedWorker(otel.GetTracerProvider(), "rivery")
	if err != nil {
		log.Fatal(err)
	}
	defer closeAll()
	if err := w.Run(worker.InterruptCh()); err != nil {
		log.Print(err)
	}
}
