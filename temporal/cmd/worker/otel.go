package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
	"go.temporal.io/sdk/contrib/opentelemetry"
	"go.temporal.io/sdk/interceptor"

	"github.com/rivery-go/rivery"
	riveryotel "github.com/rivery-go/rivery/otel"
)

// serviceName is the worker's service.name unless OTEL_SERVICE_NAME (or
// OTEL_RESOURCE_ATTRIBUTES) says otherwise.
const serviceName = "rivery-worker"

// telemetry is the worker's OpenTelemetry: Temporal's tracing interceptor
// (a span per workflow, activity, child workflow and timer, whose context
// travels in Temporal's headers from the starter to the workflow and on to
// each activity) and the rivery client's observer (a span per Rivery call
// and HTTP attempt), on one tracer provider. An activity's context holds
// its span, and the activities pass that context to the rivery client:
// each Rivery call's span is a child of the activity's span, so a
// workflow, its activities and their Rivery calls make one trace.
type telemetry struct {
	interceptor interceptor.Interceptor // for client.Options.Interceptors: the worker gets it too
	observer    *riveryotel.Observer    // for rivery.WithObserver
	shutdown    func(context.Context) error
}

// newTelemetry wires both onto tp.
func newTelemetry(tp trace.TracerProvider) (*telemetry, error) {
	ic, err := opentelemetry.NewTracingInterceptor(opentelemetry.TracerOptions{Tracer: tp.Tracer("temporal-sdk-go")})
	if err != nil {
		return nil, err
	}
	return &telemetry{
		interceptor: ic,
		observer:    riveryotel.NewObserver(riveryotel.WithTracerProvider(tp)),
		shutdown:    func(context.Context) error { return nil },
	}, nil
}

// telemetryFromEnv returns the worker's telemetry exporting over OTLP/HTTP
// when OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is
// set, or nil: it is off by default, and OTEL_SDK_DISABLED=true or
// OTEL_TRACES_EXPORTER=none turn it off. The exporter reads the other
// OTEL_EXPORTER_OTLP_* variables itself (headers, timeout, TLS); the
// resource reads OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES.
func telemetryFromEnv(ctx context.Context) (*telemetry, error) {
	if os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT") == "" && os.Getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") == "" ||
		strings.EqualFold(os.Getenv("OTEL_SDK_DISABLED"), "true") || os.Getenv("OTEL_TRACES_EXPORTER") == "none" {
		return nil, nil
	}
	exporter, err := otlptracehttp.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("OpenTelemetry exporter: %w", err)
	}
	res, err := resource.New(ctx,
		resource.WithAttributes(semconv.ServiceName(serviceName)),
		resource.WithFromEnv(), // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win
		resource.WithTelemetrySDK())
	if err != nil {
		return nil, fmt.Errorf("OpenTelemetry resource: %w", err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exporter), sdktrace.WithResource(res))
	t, err := newTelemetry(tp)
	if err != nil {
		_ = tp.Shutdown(ctx)
		return nil, err
	}
	t.shutdown = tp.Shutdown
	return t, nil
}

// clientOptions returns the rivery client options of t (none when t is
// nil).
func (t *telemetry) clientOptions() []rivery.Option {
	if t == nil {
		return nil
	}
	return []rivery.Option{rivery.WithObserver(t.observer)}
}

// interceptors returns the Temporal client's interceptors of t (none when
// t is nil).
func (t *telemetry) interceptors() []interceptor.ClientInterceptor {
	if t == nil {
		return nil
	}
	return []interceptor.ClientInterceptor{t.interceptor}
}
