package riveryotel

import (
	"context"
	"net/http"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/semconv/v1.43.0/httpconv"

	"github.com/rivery-go/rivery"
)

// The metrics an Observer records besides OpenTelemetry's
// http.client.request.duration (seconds per HTTP attempt, by method,
// server, url.template, status and error type).
const (
	// MetricRunDuration is a histogram of how long runs took, in seconds,
	// by rivery.river_id and rivery.run.outcome: from the run's start to
	// its end as the server reports them, or, when it reports neither,
	// from the trigger to the end RunAndWait saw. Only waits that saw
	// their run end record it.
	MetricRunDuration = "rivery.run.duration"
	// MetricRateLimited counts 429 answers, by http.request.method,
	// url.template and server.address.
	MetricRateLimited = "rivery.http.rate_limited"
	// MetricRetries counts the attempts the client retries, by
	// http.request.method, url.template, server.address and the
	// error.type of the attempt retried.
	MetricRetries = "rivery.http.retries"
	// MetricWaitsActive is the number of waits (RunAndWait, WaitForRun,
	// WaitForGroup) in flight.
	MetricWaitsActive = "rivery.waits.active"
)

// runBuckets bound run durations: seconds to a day.
var runBuckets = []float64{1, 5, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 86400}

type instruments struct {
	duration    httpconv.ClientRequestDuration
	runDuration metric.Float64Histogram
	rateLimited metric.Int64Counter
	retries     metric.Int64Counter
	waits       metric.Int64UpDownCounter
}

// newInstruments makes the instruments on m; one that fails is reported
// to otel.Handle and replaced by a no-op.
func newInstruments(m metric.Meter) instruments {
	var in instruments
	var err error
	if in.duration, err = httpconv.NewClientRequestDuration(m); err != nil {
		otel.Handle(err)
	}
	if in.runDuration, err = m.Float64Histogram(MetricRunDuration, metric.WithUnit("s"),
		metric.WithDescription("Duration of Rivery runs a wait saw end."),
		metric.WithExplicitBucketBoundaries(runBuckets...)); err != nil {
		otel.Handle(err)
		in.runDuration = noop.Float64Histogram{}
	}
	if in.rateLimited, err = m.Int64Counter(MetricRateLimited, metric.WithUnit("{response}"),
		metric.WithDescription("HTTP 429 answers from Rivery.")); err != nil {
		otel.Handle(err)
		in.rateLimited = noop.Int64Counter{}
	}
	if in.retries, err = m.Int64Counter(MetricRetries, metric.WithUnit("{retry}"),
		metric.WithDescription("HTTP attempts retried.")); err != nil {
		otel.Handle(err)
		in.retries = noop.Int64Counter{}
	}
	if in.waits, err = m.Int64UpDownCounter(MetricWaitsActive, metric.WithUnit("{wait}"),
		metric.WithDescription("Waits for Rivery runs in flight.")); err != nil {
		otel.Handle(err)
		in.waits = noop.Int64UpDownCounter{}
	}
	return in
}

// attemptEnded records an attempt's duration, and counts it when it was
// a 429 or is retried.
func (in *instruments) attemptEnded(ctx context.Context, e *rivery.AttemptEvent) {
	limited, retried := e.StatusCode == http.StatusTooManyRequests, e.WillRetry
	recorded := in.duration.Enabled(ctx) || limited && in.rateLimited.Enabled(ctx) || retried && in.retries.Enabled(ctx)
	if !recorded {
		return
	}
	route := [...]attribute.KeyValue{
		attribute.String(rivery.KeyHTTPRequestMethod, e.Method),
		attribute.String(rivery.KeyURLTemplate, e.Route),
		attribute.String(rivery.KeyServerAddress, e.ServerAddress),
	}
	var buf [6]attribute.KeyValue
	kv := append(buf[:0], route[:]...)
	if e.ServerPort != 0 {
		kv = append(kv, attribute.Int(rivery.KeyServerPort, e.ServerPort))
	}
	if e.StatusCode != 0 {
		kv = append(kv, attribute.Int(rivery.KeyHTTPResponseStatusCode, e.StatusCode))
	}
	if e.ErrorType != "" {
		kv = append(kv, attribute.String(rivery.KeyErrorType, e.ErrorType))
	}
	in.duration.RecordSet(ctx, e.Duration.Seconds(), attribute.NewSet(kv...)) // sorts kv
	if limited {
		in.rateLimited.Add(ctx, 1, metric.WithAttributes(route[:]...))
	}
	if retried {
		retried := append(route[:], attribute.String(rivery.KeyErrorType, e.ErrorType))
		in.retries.Add(ctx, 1, metric.WithAttributes(retried...))
	}
}

// waitEnded records the run's duration when the wait saw it end.
func (in *instruments) waitEnded(ctx context.Context, e *rivery.WaitEvent) {
	if !e.Ended {
		return
	}
	d := e.RunEndedAt.Sub(e.RunStartedAt)
	switch {
	case !e.RunStartedAt.IsZero() && !e.RunEndedAt.IsZero() && d >= 0:
	case e.Operation == rivery.OpRunAndWait:
		d = e.Duration
	default:
		return
	}
	in.runDuration.Record(ctx, d.Seconds(), metric.WithAttributes(
		attribute.String(rivery.KeyRiverID, e.RiverID),
		attribute.String(rivery.KeyRunOutcome, e.Outcome())))
}
