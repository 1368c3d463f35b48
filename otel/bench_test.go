package riveryotel_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"

	"go.opentelemetry.io/otel/metric/noop"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	tracenoop "go.opentelemetry.io/otel/trace/noop"

	"github.com/rivery-go/rivery"
	riveryotel "github.com/rivery-go/rivery/otel"
)

const (
	benchRun     = "0d3f1c6a9b8e4d2f8a7c6b5e4d3c2b1a"
	benchAccount = "5f1a2b3c4d5e6f7081920a1b"
	benchEnv     = "6a7b8c9d0e1f2a3b4c5d6e7f"
)

var benchRunBody = []byte(`{"run_id":"` + benchRun + `","river_cross_id":"` + riverID + `","run_group_id":"a1b2c3d4e5f60718293a4b5c6d7e8f90","status":"running","error_description":null,"units":0.5,"rpu":0.1,"source_name":"PostgreSQL","target_name":"Snowflake","start_date_utc":"2026-11-27T10:00:00Z","end_date_utc":null,"total_rows":120345}`)

// canned answers every request with 200 and body, in memory: the cost of
// the SDK and of observing it, without the network's.
type canned []byte

func (c canned) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
	return &http.Response{
		StatusCode: 200, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:        http.Header{"Content-Type": {"application/json"}},
		Body:          io.NopCloser(bytes.NewReader(c)),
		ContentLength: int64(len(c)),
		Request:       req,
	}, nil
}

// BenchmarkOtelObserver is what the module adds to a call (a v1 GetRun,
// in memory): observer=none is the SDK alone; observer=otel-noop is the
// Observer on OpenTelemetry's no-op providers (instrumented, but nothing
// recorded); observer=otel records a sampled span per call and per
// attempt and the metrics, on the SDK's providers (spans not exported).
// The core's BenchmarkObserver has observer=nop, the events alone.
func BenchmarkOtelObserver(b *testing.B) {
	sampled := sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.AlwaysSample()))
	meters := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	b.Cleanup(func() {
		_ = sampled.Shutdown(context.Background())
		_ = meters.Shutdown(context.Background())
	})
	for _, o := range []struct {
		name string
		opts []rivery.Option
	}{
		{"none", nil},
		{"otel-noop", []rivery.Option{rivery.WithObserver(riveryotel.NewObserver(
			riveryotel.WithTracerProvider(tracenoop.NewTracerProvider()), riveryotel.WithMeterProvider(noop.NewMeterProvider())))}},
		{"otel", []rivery.Option{rivery.WithObserver(riveryotel.NewObserver(
			riveryotel.WithTracerProvider(sampled), riveryotel.WithMeterProvider(meters)))}},
	} {
		b.Run("call=GetRun/observer="+o.name, func(b *testing.B) {
			opts := append([]rivery.Option{rivery.WithHTTPClient(&http.Client{Transport: canned(benchRunBody)}),
				rivery.WithAccountID(benchAccount), rivery.WithEnvironmentID(benchEnv)}, o.opts...)
			c, err := rivery.NewClient("bench-token", opts...)
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := c.Rivers.GetRun(ctx, riverID, benchRun); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
