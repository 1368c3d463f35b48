package rivery

import (
	"context"
	"runtime"
	"testing"
)

// BenchmarkManyClients builds 1,000 clients (one per tenant), each making
// one call on loopback, and reports, with every client still reachable
// after a GC, the heap each one holds (heap-B/client), the goroutines
// (goroutines/client) and the connections opened (conns). The loopback
// server runs in this process, so its per-connection state is in the heap
// figure too: impl=floor (1,000 hand-written clients, each with its own
// transport) measures the same with the floor, and the difference is the
// SDK's own.
func BenchmarkManyClients(b *testing.B) {
	const n = 1000
	srv := newFloorServer(b)
	ctx := context.Background()
	sdk := func(opts ...Option) func() (func() error, error) {
		return func() (func() error, error) {
			c, err := NewClient(benchToken, append([]Option{WithBaseURL(srv.URL)}, opts...)...)
			if err != nil {
				return nil, err
			}
			_, _, err = c.Rivers.GetRun(ctx, benchRiver, benchRun)
			return c.Close, err
		}
	}
	for _, bc := range []struct {
		name string
		// client builds one client, makes its call, and returns its Close.
		client func() (func() error, error)
	}{
		{"impl=sdk/transport=own", sdk()},
		{"impl=sdk/transport=shared", sdk(WithSharedTransport())},
		{"impl=floor/transport=own", func() (func() error, error) {
			f := newFloor(srv.URL, 0)
			_, err := f.getRunConsole(ctx, benchRun)
			return func() error { f.hc.CloseIdleConnections(); return nil }, err
		}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var heap, goroutines, conns float64
			for b.Loop() {
				closers := make([]func() error, 0, n)
				runtime.GC()
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				g0 := runtime.NumGoroutine()
				c0 := srv.conns.Load()
				for range n {
					closeFn, err := bc.client()
					if err != nil {
						b.Fatal(err)
					}
					closers = append(closers, closeFn)
				}
				runtime.GC()
				runtime.ReadMemStats(&after)
				heap = float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / n
				goroutines = float64(runtime.NumGoroutine()-g0) / n
				conns = float64(srv.conns.Load() - c0)
				runtime.KeepAlive(closers) // the clients stay reachable until measured
				for _, closeFn := range closers {
					_ = closeFn()
				}
			}
			b.ReportMetric(heap, "heap-B/client")
			b.ReportMetric(goroutines, "goroutines/client")
			b.ReportMetric(conns, "conns")
		})
	}
}
