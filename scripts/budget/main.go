// Command budget is the API budget benchmark of issue #25 (run it with
// scripts/budget.sh): 100 rivers of one environment triggered at once and
// waited on with RunAndWait from 100 goroutines, against riverytest
// enforcing Rivery's limits (15 requests a minute per token, 2 runs a
// minute per river), with time scaled so that a minute lasts a second.
// Run lengths are 5 to 30 minutes, drawn from a fixed seed.
//
// It runs the same scenario three times: polling each run on its own
// (0.2.x) without a limiter, the same with WithRateLimit at 15 a minute,
// and the shared poller with WithRequestBudget at 15 a minute. It prints
// for each: the requests sent, the most sent in any minute, the 429
// answers, the waits that failed, and how long after each run's end its
// RunAndWait returned (p50, p95, max), in scaled minutes. The 100 triggers
// are RunAndWait's own and count like every other request.
//
// It exits 0 only when the shared poller meets the goal: no 429, at most
// 15 requests in any minute, every wait returned, and ends noticed within
// 1 minute at p95 and 2 minutes at most.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

// The scenario.
const (
	rivers   = 100
	perMin   = 15 // Rivery's requests a minute per user
	runsMin  = 2  // Rivery's runs a minute per river
	shortest = 5 * time.Minute
	longest  = 30 * time.Minute
	seed     = 25
)

// The goal for the shared poller, in scaled time.
const (
	goalP95 = time.Minute
	goalMax = 2 * time.Minute
)

func main() {
	scale := flag.Float64("scale", 60, "time scale: a minute lasts a minute divided by this")
	only := flag.String("only", "", "run only the column whose name starts with this")
	flag.Parse()
	os.Exit(run(*scale, *only))
}

// column is one way of waiting.
type column struct {
	name string
	opts func(scaled func(time.Duration) time.Duration) []rivery.Option
}

var columns = []column{
	{"per-run, no limiter", func(func(time.Duration) time.Duration) []rivery.Option {
		return []rivery.Option{rivery.WithoutSharedPolling()}
	}},
	{"per-run, WithRateLimit 15/min", func(sc func(time.Duration) time.Duration) []rivery.Option {
		return []rivery.Option{rivery.WithoutSharedPolling(), rivery.WithRateLimit(sc(time.Minute/perMin), 1)}
	}},
	{"shared, WithRequestBudget 15/min", func(sc func(time.Duration) time.Duration) []rivery.Option {
		return []rivery.Option{rivery.WithRequestBudget(perMin, sc(time.Minute))}
	}},
}

// result is what one column measured.
type result struct {
	requests, peak, tooMany, failed int
	delays                          []time.Duration // scaled
	lastTrigger                     time.Duration   // scaled, from the start
	wall                            time.Duration
}

func run(scale float64, only string) int {
	scaled := func(d time.Duration) time.Duration { return time.Duration(float64(d) / scale) }
	rng := rand.New(rand.NewPCG(seed, seed)) //nolint:gosec // G404: a fixed seed is the point
	lengths := make([]time.Duration, rivers)
	for i := range lengths {
		lengths[i] = shortest + time.Duration(rng.Int64N(int64(longest-shortest)))
	}
	var names []string
	var results []result
	for _, col := range columns {
		if only != "" && (len(col.name) < len(only) || col.name[:len(only)] != only) {
			continue
		}
		fmt.Fprintf(os.Stderr, "running %q...\n", col.name)
		res := measure(scale, scaled, lengths, col)
		names = append(names, col.name)
		results = append(results, res)
	}
	printTable(os.Stdout, names, results, scale)
	if len(results) == 0 || names[len(names)-1] != columns[len(columns)-1].name {
		return 1
	}
	shared := results[len(results)-1]
	ok := shared.tooMany == 0 && shared.peak <= perMin && shared.failed == 0 &&
		percentile(shared.delays, 95) <= goalP95 && percentile(shared.delays, 100) <= goalMax
	if ok {
		fmt.Println("goal (shared poller: 0 429s, <= 15 requests in any minute, p95 <= 1 min, max <= 2 min): holds")
		return 0
	}
	fmt.Println("goal (shared poller: 0 429s, <= 15 requests in any minute, p95 <= 1 min, max <= 2 min): DOES NOT HOLD")
	return 1
}

// measure runs the scenario once with col's client options.
func measure(scale float64, scaled func(time.Duration) time.Duration, lengths []time.Duration, col column) result {
	opts := []riverytest.Option{
		riverytest.WithRequestLimit(perMin), riverytest.WithRunLimit(runsMin), riverytest.WithTimeScale(scale),
	}
	ids := make([]string, len(lengths))
	for i, d := range lengths {
		ids[i] = fmt.Sprintf("63%022x", 0xb0d9e7+i)
		opts = append(opts, riverytest.WithRiver(riverytest.River{ID: ids[i], Name: fmt.Sprintf("river-%03d", i), Duration: d}))
	}
	srv := riverytest.NewServer(opts...)
	defer srv.Close()
	rec := &recorder{next: &http.Transport{MaxIdleConnsPerHost: rivers, MaxConnsPerHost: 0}}
	defer rec.next.CloseIdleConnections()
	copts := append([]rivery.Option{
		rivery.WithHTTPClient(&http.Client{Transport: rec}),
		rivery.WithPollInterval(scaled(rivery.DefaultMinInterval), scaled(rivery.DefaultMaxInterval)),
		rivery.WithRetry(rivery.DefaultMaxRetries, scaled(rivery.DefaultMinWait), scaled(rivery.DefaultMaxWait)),
	}, col.opts(scaled)...)
	c := srv.ClientV1(copts...)

	ctx, cancel := context.WithTimeout(context.Background(), scaled(3*time.Hour))
	defer cancel()
	type outcome struct {
		run      *rivery.Run
		err      error
		returned time.Time
	}
	out := make([]outcome, len(ids))
	start := time.Now()
	var wg sync.WaitGroup
	gate := make(chan struct{})
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-gate
			run, err := c.Rivers.RunAndWait(ctx, id, nil)
			out[i] = outcome{run, err, time.Now()}
		}()
	}
	close(gate)
	wg.Wait()

	res := result{wall: time.Since(start)}
	for i, o := range out {
		if o.err != nil && !errors.Is(o.err, rivery.ErrRunFailed) || o.run == nil {
			res.failed++
			continue
		}
		for _, ri := range srv.Runs(ids[i]) {
			if ri.ID == o.run.ID {
				end := ri.StartedAt.Add(scaled(lengths[i]))
				res.delays = append(res.delays, time.Duration(float64(max(o.returned.Sub(end), 0))*scale))
				if os.Getenv("BUDGET_DEBUG") != "" {
					fmt.Fprintf(os.Stderr, "river %3d: end at %6.2f min, returned %5.2f min later\n", i, float64(end.Sub(start))*scale/float64(time.Minute), float64(o.returned.Sub(end))*scale/float64(time.Minute))
				}
			}
		}
	}
	res.requests, res.peak, res.tooMany = rec.figures(scaled(time.Minute))
	res.lastTrigger = time.Duration(float64(rec.lastPost.Sub(start)) * scale)
	return res
}

// recorder counts the requests a client sends, when, and the 429s.
type recorder struct {
	next     *http.Transport
	mu       sync.Mutex
	sent     []time.Time
	n429     int
	lastPost time.Time // the last trigger that was answered 2xx
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	sent := time.Now()
	r.mu.Lock()
	r.sent = append(r.sent, sent)
	r.mu.Unlock()
	resp, err := r.next.RoundTrip(req)
	if err == nil {
		r.mu.Lock()
		switch {
		case resp.StatusCode == http.StatusTooManyRequests:
			r.n429++
		case req.Method == http.MethodPost && resp.StatusCode < 300 && sent.After(r.lastPost):
			r.lastPost = sent
		}
		r.mu.Unlock()
	}
	return resp, err
}

// figures returns the requests sent, the most sent in any span of a
// minute, and the 429s.
func (r *recorder) figures(minute time.Duration) (total, peak, tooMany int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	t := slices.Clone(r.sent)
	slices.SortFunc(t, func(a, b time.Time) int { return a.Compare(b) })
	lo := 0
	for hi := range t {
		for t[hi].Sub(t[lo]) >= minute {
			lo++
		}
		peak = max(peak, hi-lo+1)
	}
	return len(t), peak, r.n429
}

// percentile returns the p-th percentile of d (nearest rank); 0 for none.
func percentile(d []time.Duration, p int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	i := (p*len(s)+99)/100 - 1
	return s[min(max(i, 0), len(s)-1)]
}

func printTable(w *os.File, names []string, results []result, scale float64) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	row := func(label string, f func(result) string) {
		fmt.Fprintf(tw, "%s\t", label)
		for _, r := range results {
			fmt.Fprintf(tw, "%s\t", f(r))
		}
		fmt.Fprintln(tw)
	}
	mins := func(d time.Duration) string { return fmt.Sprintf("%.2f", d.Minutes()) }
	fmt.Fprintf(w, "%d rivers, runs of %v-%v (seed %d), RunAndWait from %d goroutines; server: %d requests/min per token, %d runs/min per river; time scale %g\n",
		rivers, shortest, longest, seed, rivers, perMin, runsMin, scale)
	fmt.Fprintf(tw, "\t")
	for _, n := range names {
		fmt.Fprintf(tw, "%s\t", n)
	}
	fmt.Fprintln(tw)
	row("requests", func(r result) string { return fmt.Sprint(r.requests) })
	row("peak requests in any minute", func(r result) string { return fmt.Sprint(r.peak) })
	row("429 answers", func(r result) string { return fmt.Sprint(r.tooMany) })
	row("waits failed", func(r result) string { return fmt.Sprint(r.failed) })
	row("end-to-return p50 (min)", func(r result) string { return mins(percentile(r.delays, 50)) })
	row("end-to-return p95 (min)", func(r result) string { return mins(percentile(r.delays, 95)) })
	row("end-to-return max (min)", func(r result) string { return mins(percentile(r.delays, 100)) })
	row("last trigger accepted (min)", func(r result) string { return mins(r.lastTrigger) })
	row("wall time (s)", func(r result) string { return fmt.Sprintf("%.0f", r.wall.Seconds()) })
	_ = tw.Flush()
}
