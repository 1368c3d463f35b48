package rivery

// Benchmarks of the SDK against the floor: a hand-written net/http client
// doing the same work (same request, same keep-alive transport, decoding
// the same fields). Run them side by side with scripts/bench.sh.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"

	"sync"
	"testing"
	"time"

	"github.com/rivery-go/rivery/internal/wire"
)

const (
	benchRiver = "63b724fc690def001131d242"
	benchRun   = "0d3f1c6a9b8e4d2f8a7c6b5e4d3c2b1a"
	benchToken = "bench-token-0123456789"
)

var benchRunBody = []byte(`{"run_id":"` + benchRun + `","river_id":"` + benchRiver + `","river_run_status":"W","river_run_message":"","run_insert_date":1732701600000,"run_update_date":1732701600000,"run_end_date":null}`)

// newTransport is the keep-alive transport both sides use.
func newTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 64
	return t
}

// loopback serves POST /api/run with a canned run.
func loopback(b *testing.B) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(benchRunBody)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// rawRun is the floor: the seed's request by hand, decoding the same fields.
func rawRun(ctx context.Context, hc *http.Client, base string) (*wire.ConsoleRun, error) {
	body, err := json.Marshal(wire.RunRiver{RiverID: benchRiver})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/run", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+benchToken)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Content-Type", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status %d", resp.StatusCode)
	}
	var run wire.ConsoleRun
	if err := json.NewDecoder(resp.Body).Decode(&run); err != nil {
		return nil, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return &run, nil
}

func benchClient(b *testing.B, base string, rt http.RoundTripper) *Client {
	c, err := NewClient(benchToken, WithBaseURL(base), WithHTTPClient(&http.Client{Transport: rt}))
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// BenchmarkRun triggers a river on a loopback server, sequentially.
func BenchmarkRun(b *testing.B) {
	srv := loopback(b)
	ctx := context.Background()
	b.Run("impl=sdk", func(b *testing.B) {
		tr := newTransport()
		defer tr.CloseIdleConnections()
		c := benchClient(b, srv.URL, tr)
		b.ReportAllocs()
		for b.Loop() {
			if run, _, err := c.Rivers.Run(ctx, benchRiver); err != nil || run.ID != benchRun {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=raw", func(b *testing.B) {
		tr := newTransport()
		defer tr.CloseIdleConnections()
		hc := &http.Client{Transport: tr}
		b.ReportAllocs()
		for b.Loop() {
			if run, err := rawRun(ctx, hc, srv.URL); err != nil || run.RunID != benchRun {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkRunParallel triggers from 32 goroutines at once.
func BenchmarkRunParallel(b *testing.B) {
	srv := loopback(b)
	ctx := context.Background()
	parallelism := max(1, 32/runtime.GOMAXPROCS(0)) // 32 goroutines
	b.Run("impl=sdk", func(b *testing.B) {
		tr := newTransport()
		defer tr.CloseIdleConnections()
		c := benchClient(b, srv.URL, tr)
		b.ReportAllocs()
		b.SetParallelism(parallelism)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if run, _, err := c.Rivers.Run(ctx, benchRiver); err != nil || run.ID != benchRun {
					b.Error(err)
					return
				}
			}
		})
	})
	b.Run("impl=raw", func(b *testing.B) {
		tr := newTransport()
		defer tr.CloseIdleConnections()
		hc := &http.Client{Transport: tr}
		b.ReportAllocs()
		b.SetParallelism(parallelism)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if run, err := rawRun(ctx, hc, srv.URL); err != nil || run.RunID != benchRun {
					b.Error(err)
					return
				}
			}
		})
	})
}

// paired times the SDK and the floor alternately in one loop, so both meet
// the same machine noise, and reports each one's time per call and their
// throughput ratio (floor time / SDK time: 1.0 is parity).
type paired struct {
	sdk, raw time.Duration
	n        int64
	mu       sync.Mutex
}

func (p *paired) add(sdk, raw time.Duration) {
	p.mu.Lock()
	p.sdk += sdk
	p.raw += raw
	p.n++
	p.mu.Unlock()
}

// pair times one SDK call and one floor call, in the order given: the
// order alternates so neither always runs right after the other.
func (p *paired) pair(sdkFirst bool, sdk, raw func() error) (sdkTime, rawTime time.Duration, err error) {
	timed := func(f func() error) (time.Duration, error) {
		t := time.Now()
		err := f()
		return time.Since(t), err
	}
	var e1, e2 error
	if sdkFirst {
		sdkTime, e1 = timed(sdk)
		rawTime, e2 = timed(raw)
	} else {
		rawTime, e2 = timed(raw)
		sdkTime, e1 = timed(sdk)
	}
	return sdkTime, rawTime, errors.Join(e1, e2)
}

func (p *paired) report(b *testing.B) {
	b.ReportMetric(float64(p.sdk.Nanoseconds())/float64(p.n), "sdk-ns/call")
	b.ReportMetric(float64(p.raw.Nanoseconds())/float64(p.n), "raw-ns/call")
	b.ReportMetric(float64(p.raw)/float64(p.sdk), "throughput-ratio")
}

// runCalls returns one trigger by the SDK and one by the floor, both on tr.
func runCalls(ctx context.Context, b *testing.B, base string, tr http.RoundTripper) (sdk, raw func() error) {
	c := benchClient(b, base, tr)
	hc := &http.Client{Transport: tr}
	sdk = func() error { _, _, err := c.Rivers.Run(ctx, benchRiver); return err }
	raw = func() error { _, err := rawRun(ctx, hc, base); return err }
	return sdk, raw
}

// BenchmarkRunPaired alternates SDK and floor triggers on one loopback
// server, sequentially.
func BenchmarkRunPaired(b *testing.B) {
	srv := loopback(b)
	ctx := context.Background()
	tr := newTransport()
	defer tr.CloseIdleConnections()
	sdkCall, rawCall := runCalls(ctx, b, srv.URL, tr)
	var p paired
	sdkFirst := false
	for b.Loop() {
		sdkFirst = !sdkFirst
		sdk, raw, err := p.pair(sdkFirst, sdkCall, rawCall)
		if err != nil {
			b.Fatal(err)
		}
		p.add(sdk, raw)
	}
	p.report(b)
}

// BenchmarkRunParallelPaired does the same from 32 goroutines.
func BenchmarkRunParallelPaired(b *testing.B) {
	srv := loopback(b)
	ctx := context.Background()
	tr := newTransport()
	defer tr.CloseIdleConnections()
	sdkCall, rawCall := runCalls(ctx, b, srv.URL, tr)
	var p paired
	b.SetParallelism(max(1, 32/runtime.GOMAXPROCS(0)))
	b.RunParallel(func(pb *testing.PB) {
		sdkFirst := false
		for pb.Next() {
			sdkFirst = !sdkFirst
			sdk, raw, err := p.pair(sdkFirst, sdkCall, rawCall)
			if err != nil {
				b.Error(err)
				return
			}
			p.add(sdk, raw)
		}
	})
	p.report(b)
}

// canned is an in-memory RoundTripper answering every request with body:
// the SDK's own cost, without the network.
type canned struct {
	status int
	body   func(*http.Request) []byte
}

func (c canned) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
	}
	body := c.body(req)
	return &http.Response{
		StatusCode: c.status, Status: strconv.Itoa(c.status), Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:        http.Header{"Content-Type": {"application/json"}},
		Body:          io.NopCloser(bytes.NewReader(body)),
		ContentLength: int64(len(body)),
		Request:       req,
	}, nil
}

func fixed(b []byte) func(*http.Request) []byte { return func(*http.Request) []byte { return b } }

// BenchmarkRunInMemory is BenchmarkRun through an in-memory transport.
func BenchmarkRunInMemory(b *testing.B) {
	rt := canned{200, fixed(benchRunBody)}
	ctx := context.Background()
	b.Run("impl=sdk", func(b *testing.B) {
		c := benchClient(b, "https://console.rivery.io", rt)
		b.ReportAllocs()
		for b.Loop() {
			if run, _, err := c.Rivers.Run(ctx, benchRiver); err != nil || run.ID != benchRun {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=raw", func(b *testing.B) {
		hc := &http.Client{Transport: rt}
		b.ReportAllocs()
		for b.Loop() {
			if run, err := rawRun(ctx, hc, "https://console.rivery.io"); err != nil || run.RunID != benchRun {
				b.Fatal(err)
			}
		}
	})
}

var benchV1RunBody = []byte(`{"run_id":"` + benchRun + `","river_cross_id":"` + benchRiver + `","run_group_id":"a1b2c3d4e5f60718293a4b5c6d7e8f90","status":"running","error_description":null,"units":0.5,"rpu":0.1,"source_name":"PostgreSQL","target_name":"Snowflake","start_date_utc":"2026-11-27T10:00:00Z","end_date_utc":null,"total_rows":120345}`)

// rawGet is the floor of a GET that decodes JSON into out.
func rawGet(ctx context.Context, hc *http.Client, url string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, http.NoBody)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+benchToken)
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return nil
}

const benchBase = "https://api.rivery.io"

func benchV1Client(b *testing.B, rt http.RoundTripper) *Client {
	c, err := NewClient(benchToken, WithBaseURL(benchBase), WithHTTPClient(&http.Client{Transport: rt}),
		WithAccountID("5f1a2b3c4d5e6f7081920a1b"), WithEnvironmentID("6a7b8c9d0e1f2a3b4c5d6e7f"))
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// BenchmarkGetRun decodes a v1 run status, in memory.
func BenchmarkGetRun(b *testing.B) {
	rt := canned{200, fixed(benchV1RunBody)}
	ctx := context.Background()
	b.Run("impl=sdk", func(b *testing.B) {
		c := benchV1Client(b, rt)
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := c.Rivers.GetRun(ctx, benchRiver, benchRun); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=raw", func(b *testing.B) {
		hc := &http.Client{Transport: rt}
		u := benchBase + "/v1/accounts/5f1a2b3c4d5e6f7081920a1b/environments/6a7b8c9d0e1f2a3b4c5d6e7f/rivers/" + benchRiver + "/runs/" + benchRun
		b.ReportAllocs()
		for b.Loop() {
			var run wire.Run
			if err := rawGet(ctx, hc, u, &run); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// riversPage renders page (from 1) of total rivers, per to a page, with an
// absolute next_page.
func riversPage(page, per, total int) []byte {
	var buf bytes.Buffer
	buf.WriteString(`{"items":[`)
	start := (page - 1) * per
	for i := start; i < min(start+per, total); i++ {
		if i > start {
			buf.WriteByte(',')
		}
		fmt.Fprintf(&buf, `{"river_cross_id":"%024x","name":"river %d","river_type":"source_to_target","group_id":"g%d","group_name":"Group %d","river_status":"active","description":"Loads table %d"}`, i, i, i%7, i%7, i)
	}
	fmt.Fprintf(&buf, `],"page":%d,"current_page_size":%d,"total_items":%d,"next_page":`, page, min(per, max(total-start, 0)), total)
	if start+per < total {
		fmt.Fprintf(&buf, `"%s/v1/accounts/5f1a2b3c4d5e6f7081920a1b/environments/6a7b8c9d0e1f2a3b4c5d6e7f/rivers?items_per_page=%d&page=%d"`, benchBase, per, page+1)
	} else {
		buf.WriteString("null")
	}
	buf.WriteString(`,"previous_page":null}`)
	return buf.Bytes()
}

// BenchmarkListRivers500 decodes one page of 500 rivers, in memory.
func BenchmarkListRivers500(b *testing.B) {
	page := riversPage(1, 500, 500)
	rt := canned{200, fixed(page)}
	ctx := context.Background()
	b.Run("impl=sdk", func(b *testing.B) {
		c := benchV1Client(b, rt)
		opts := &ListRiversOptions{ListOptions: ListOptions{PerPage: 500}}
		b.ReportAllocs()
		b.SetBytes(int64(len(page)))
		for b.Loop() {
			rivers, _, err := c.Rivers.List(ctx, opts)
			if err != nil || len(rivers) != 500 {
				b.Fatal(err, len(rivers))
			}
		}
	})
	b.Run("impl=raw", func(b *testing.B) {
		hc := &http.Client{Transport: rt}
		u := benchBase + "/v1/accounts/5f1a2b3c4d5e6f7081920a1b/environments/6a7b8c9d0e1f2a3b4c5d6e7f/rivers?items_per_page=500"
		b.ReportAllocs()
		b.SetBytes(int64(len(page)))
		for b.Loop() {
			var env wire.Envelope[*wire.River]
			if err := rawGet(ctx, hc, u, &env); err != nil || len(env.Items) != 500 {
				b.Fatal(err)
			}
		}
	})
}

// pagedRivers serves total rivers in pages, generated per request.
func pagedRivers(total int) canned {
	return canned{200, func(req *http.Request) []byte {
		q := req.URL.Query()
		page, _ := strconv.Atoi(q.Get("page"))
		per, _ := strconv.Atoi(q.Get("items_per_page"))
		return riversPage(max(page, 1), per, total)
	}}
}

// BenchmarkRiversAll walks every page with All and reports the peak heap:
// it must stay flat as the total grows.
func BenchmarkRiversAll(b *testing.B) {
	for _, total := range []int{10_000, 100_000} {
		b.Run("rivers="+strconv.Itoa(total/1000)+"k", func(b *testing.B) {
			c := benchV1Client(b, pagedRivers(total))
			opts := &ListRiversOptions{ListOptions: ListOptions{PerPage: 500}}
			var peak uint64
			var ms runtime.MemStats
			b.ReportAllocs()
			for b.Loop() {
				runtime.GC()
				n := 0
				for _, err := range c.Rivers.All(context.Background(), opts) {
					if err != nil {
						b.Fatal(err)
					}
					n++
					if n%500 == 0 { // once a page
						runtime.ReadMemStats(&ms)
						peak = max(peak, ms.HeapAlloc)
					}
				}
				if n != total {
					b.Fatalf("walked %d rivers, want %d", n, total)
				}
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
		})
	}
}

// fakeClock is a virtual clock: After returns at once, moving time on.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeClock) After(d time.Duration) <-chan time.Time {
	f.mu.Lock()
	f.now = f.now.Add(d)
	now := f.now
	f.mu.Unlock()
	ch := make(chan time.Time, 1)
	ch <- now
	return ch
}

// BenchmarkWaitForRun30m waits, on a virtual clock, for a run that ends 30
// minutes after it started, and reports the status calls made and how late
// the end was noticed.
func BenchmarkWaitForRun30m(b *testing.B) {
	const runFor = 30 * time.Minute
	var polls, delay float64
	for b.Loop() {
		clk := &fakeClock{now: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)}
		start := clk.Now()
		n := 0
		rt := canned{200, func(*http.Request) []byte {
			n++
			status := "running"
			if clk.Now().Sub(start) >= runFor {
				status = "succeeded"
			}
			return []byte(`{"run_id":"` + benchRun + `","status":"` + status + `"}`)
		}}
		c := benchV1Client(b, rt)
		c.clock = clk
		if _, err := c.Rivers.WaitForRun(context.Background(), benchRiver, benchRun, nil); err != nil {
			b.Fatal(err)
		}
		polls = float64(n)
		delay = clk.Now().Sub(start.Add(runFor)).Seconds()
	}
	b.ReportMetric(polls, "polls")
	b.ReportMetric(delay, "notice-delay-s")
}
