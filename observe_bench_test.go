package rivery

import (
	"context"
	"net/http"
	"testing"
)

// BenchmarkObserver measures what observing costs per call, in memory (no
// network, so the SDK's own cost shows): observer=none is a client
// without WithObserver, which must allocate exactly what main does
// (BenchmarkGetRun/impl=sdk and BenchmarkRunInMemory/impl=sdk on main;
// scripts/bench-observe.sh compares them); observer=nop is the price of
// the events themselves, with an observer that does nothing. The otel
// module's BenchmarkOtelObserver adds OpenTelemetry's spans and metrics.
func BenchmarkObserver(b *testing.B) {
	ctx := context.Background()
	observers := []struct {
		name string
		opts []Option
	}{
		{"none", nil},
		{"nop", []Option{WithObserver(NopObserver{})}},
	}
	for _, o := range observers {
		b.Run("call=GetRun/observer="+o.name, func(b *testing.B) {
			c := benchObservedClient(b, canned{200, fixed(benchV1RunBody)}, true, o.opts)
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := c.Rivers.GetRun(ctx, benchRiver, benchRun); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("call=Run/observer="+o.name, func(b *testing.B) {
			c := benchObservedClient(b, canned{200, fixed(benchRunBody)}, false, o.opts)
			b.ReportAllocs()
			for b.Loop() {
				if run, _, err := c.Rivers.Run(ctx, benchRiver); err != nil || run.ID != benchRun {
					b.Fatal(err)
				}
			}
		})
	}
}

// benchObservedClient is benchV1Client (v1) or benchClient (console) with
// opts.
func benchObservedClient(b *testing.B, rt http.RoundTripper, v1 bool, opts []Option) *Client {
	b.Helper()
	base := []Option{WithHTTPClient(&http.Client{Transport: rt})}
	if v1 {
		base = append(base, WithBaseURL(benchBase), WithAccountID("5f1a2b3c4d5e6f7081920a1b"), WithEnvironmentID("6a7b8c9d0e1f2a3b4c5d6e7f"))
	} else {
		base = append(base, WithBaseURL("https://console.rivery.io"))
	}
	c, err := NewClient(benchToken, append(base, opts...)...)
	if err != nil {
		b.Fatal(err)
	}
	return c
}
