package riveryotel_test

import (
	"context"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/rivery-go/rivery"
	riveryotel "github.com/rivery-go/rivery/otel"
	"github.com/rivery-go/rivery/riverytest"
)

// By default no trace context goes to Rivery.
func TestNoPropagationByDefault(t *testing.T) {
	t.Parallel()
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: riverID}))
	defer srv.Close()
	tm := newTelemetry(t)
	ctx := context.Background()
	if _, err := srv.ClientV1(rivery.WithObserver(tm.obs)).Rivers.RunAndWait(ctx, riverID, nil); err != nil {
		t.Fatal(err)
	}
	if len(tm.spans.GetSpans()) == 0 {
		t.Fatal("no spans")
	}
	for _, req := range srv.Requests() {
		for _, h := range []string{"Traceparent", "Tracestate", "Baggage"} {
			if v := req.Header.Get(h); v != "" {
				t.Errorf("%s %s sent %s: %q", req.Method, req.Path, h, v)
			}
		}
	}
}

// WithPropagators sends each attempt's own span context with the request
// it made, retries included, and only what the propagator writes.
func TestPropagationOptIn(t *testing.T) {
	t.Parallel()
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: riverID}))
	defer srv.Close()
	srv.Fail(riverytest.RouteRunStatus, 1, riverytest.Fault{Status: 503})
	tm := newTelemetry(t, riveryotel.WithPropagators(propagation.TraceContext{}))
	if _, err := srv.ClientV1(rivery.WithObserver(tm.obs)).Rivers.RunAndWait(context.Background(), riverID, nil); err != nil {
		t.Fatal(err)
	}
	spans := map[string]tracetest.SpanStub{}
	for _, s := range tm.spans.GetSpans() {
		spans[s.SpanContext.SpanID().String()] = s
	}
	attempts := 0
	for _, s := range spans {
		if p, ok := spans[s.Parent.SpanID().String()]; ok && p.Name == s.Name {
			attempts++
		}
	}
	reqs := srv.Requests()
	if len(reqs) != attempts || attempts < 3 {
		t.Fatalf("%d requests, %d attempt spans", len(reqs), attempts)
	}
	seen := map[string]bool{}
	for _, req := range reqs {
		parts := strings.Split(req.Header.Get("Traceparent"), "-")
		if len(parts) != 4 || parts[0] != "00" || parts[3] != "01" {
			t.Fatalf("%s %s: traceparent %q", req.Method, req.Path, req.Header.Get("Traceparent"))
		}
		s, ok := spans[parts[2]]
		parent, isChild := spans[s.Parent.SpanID().String()]
		if !ok || !isChild || parent.Name != s.Name || s.SpanContext.TraceID().String() != parts[1] || seen[parts[2]] {
			t.Errorf("%s %s: traceparent %q names no attempt span of its own", req.Method, req.Path, req.Header.Get("Traceparent"))
		}
		seen[parts[2]] = true
		if req.Header.Get("Baggage") != "" {
			t.Errorf("baggage sent")
		}
	}
}
