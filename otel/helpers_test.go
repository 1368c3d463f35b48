package riveryotel_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	riveryotel "github.com/rivery-go/rivery/otel"
)

const riverID = "63b724fc690def001131d242"

// telemetry is an Observer on an in-memory span exporter and a manual
// metric reader.
type telemetry struct {
	obs    *riveryotel.Observer
	spans  *tracetest.InMemoryExporter
	reader *sdkmetric.ManualReader
}

func newTelemetry(t testing.TB, opts ...riveryotel.Option) *telemetry {
	t.Helper()
	spans := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans))
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	t.Cleanup(func() {
		_ = tp.Shutdown(context.Background())
		_ = mp.Shutdown(context.Background())
	})
	base := []riveryotel.Option{riveryotel.WithTracerProvider(tp), riveryotel.WithMeterProvider(mp)}
	return &telemetry{obs: riveryotel.NewObserver(append(base, opts...)...), spans: spans, reader: reader}
}

// collect returns every metric recorded so far, by name.
func (tm *telemetry) collect(t testing.TB) map[string]metricdata.Metrics {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := tm.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	out := map[string]metricdata.Metrics{}
	for _, sm := range rm.ScopeMetrics {
		if sm.Scope.Name != riveryotel.ScopeName {
			t.Errorf("scope %q", sm.Scope.Name)
		}
		for _, m := range sm.Metrics {
			out[m.Name] = m
		}
	}
	return out
}

// attrs renders a set of attributes as sorted key=value text.
func attrs(kvs []attribute.KeyValue) string {
	var parts []string
	for _, kv := range kvs {
		parts = append(parts, fmt.Sprintf("%s=%s", kv.Key, kv.Value.String()))
	}
	slices.Sort(parts)
	return strings.Join(parts, " ")
}

// attr returns the value of key in kvs as text, or "" when absent.
func attr(kvs []attribute.KeyValue, key string) string {
	for _, kv := range kvs {
		if string(kv.Key) == key {
			return kv.Value.String()
		}
	}
	return ""
}

// without returns the text of a set's attributes, keys dropped.
func setText(s attribute.Set, drop ...string) string {
	var kept []attribute.KeyValue
	for _, kv := range s.ToSlice() {
		if !slices.Contains(drop, string(kv.Key)) {
			kept = append(kept, kv)
		}
	}
	return attrs(kept)
}
