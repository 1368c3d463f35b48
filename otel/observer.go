package riveryotel

import (
	"context"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/rivery-go/rivery"
)

// ScopeName is the instrumentation scope of the spans and metrics.
const ScopeName = "github.com/rivery-go/rivery/otel"

// Option configures NewObserver.
type Option func(*config)

type config struct {
	tracerProvider trace.TracerProvider
	meterProvider  metric.MeterProvider
	propagator     propagation.TextMapPropagator
}

// WithTracerProvider makes the observer start its spans with tp instead
// of the global provider (otel.GetTracerProvider). A nil tp is ignored.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return func(c *config) {
		if tp != nil {
			c.tracerProvider = tp
		}
	}
}

// WithMeterProvider makes the observer record its metrics with mp instead
// of the global provider (otel.GetMeterProvider). A nil mp is ignored.
func WithMeterProvider(mp metric.MeterProvider) Option {
	return func(c *config) {
		if mp != nil {
			c.meterProvider = mp
		}
	}
}

// WithPropagators makes every request to Rivery carry the trace context
// of its attempt's span, written by p: propagation.TraceContext{} sends
// W3C traceparent and tracestate. Without it (the default) nothing is
// sent: Rivery is a third party, and a propagator such as
// propagation.Baggage{} sends whatever the context's baggage holds.
// Requests that do not go to Rivery (the Boomi token exchange, presigned
// URLs: step logs, dataframe and Logicode files) never carry it. A nil p
// is ignored.
func WithPropagators(p propagation.TextMapPropagator) Option {
	return func(c *config) {
		if p != nil {
			c.propagator = p
		}
	}
}

// Observer is a rivery.Observer that records spans and metrics; give it
// to a client with rivery.WithObserver. It is safe for concurrent use, and
// one Observer can serve many clients.
type Observer struct {
	tracer trace.Tracer
	prop   propagation.TextMapPropagator // nil: none sent
	inst   instruments
}

var _ rivery.Observer = (*Observer)(nil)

// NewObserver returns an Observer on the global tracer and meter
// providers, or those the options give. An instrument that cannot be made
// is reported to otel.Handle and left out.
func NewObserver(opts ...Option) *Observer {
	c := config{}
	for _, opt := range opts {
		if opt != nil {
			opt(&c)
		}
	}
	if c.tracerProvider == nil {
		c.tracerProvider = otel.GetTracerProvider()
	}
	if c.meterProvider == nil {
		c.meterProvider = otel.GetMeterProvider()
	}
	scope := []trace.TracerOption{trace.WithInstrumentationVersion(rivery.Version), trace.WithSchemaURL(semconv.SchemaURL)}
	meter := c.meterProvider.Meter(ScopeName, metric.WithInstrumentationVersion(rivery.Version), metric.WithSchemaURL(semconv.SchemaURL))
	return &Observer{
		tracer: c.tracerProvider.Tracer(ScopeName, scope...),
		prop:   c.propagator,
		inst:   newInstruments(meter),
	}
}

// spanKey keys the span an Observer started in a context: its own, so
// that another observer's span there (two Observers on one client) is not
// taken for it.
type spanKey struct{ o *Observer }

// start starts a span named name of kind at start, as a child of ctx's
// span, and returns ctx with it.
func (o *Observer) start(ctx context.Context, name string, kind trace.SpanKind, start time.Time, attrs []rivery.Attr) context.Context {
	ctx, span := o.tracer.Start(ctx, name, trace.WithSpanKind(kind), trace.WithTimestamp(start),
		trace.WithAttributes(kvs(attrs)...))
	return context.WithValue(ctx, spanKey{o}, span)
}

// spanOf returns the span o started in ctx, or a no-op span.
func (o *Observer) spanOf(ctx context.Context) trace.Span {
	if s, ok := ctx.Value(spanKey{o}).(trace.Span); ok {
		return s
	}
	return trace.SpanFromContext(context.Background())
}

// end sets the span's outcome attributes and ends it at t; a non-empty
// failure makes its status Error, with failure as its description.
func end(span trace.Span, attrs []rivery.Attr, failure string, t time.Time) {
	if !span.IsRecording() {
		return
	}
	span.SetAttributes(kvs(attrs)...)
	if failure != "" {
		span.SetStatus(codes.Error, failure)
	}
	span.End(trace.WithTimestamp(t))
}

// kvs returns attrs as OpenTelemetry attributes.
func kvs(attrs []rivery.Attr) []attribute.KeyValue {
	out := make([]attribute.KeyValue, 0, len(attrs))
	for _, a := range attrs {
		switch a.Kind {
		case rivery.AttrString:
			out = append(out, attribute.String(a.Key, a.Str))
		case rivery.AttrInt:
			out = append(out, attribute.Int64(a.Key, a.Int))
		case rivery.AttrFloat:
			out = append(out, attribute.Float64(a.Key, a.Float))
		case rivery.AttrBool:
			out = append(out, attribute.Bool(a.Key, a.Bool))
		}
	}
	return out
}
