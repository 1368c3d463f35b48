package integration_test

import (
	"context"
	"flag"
	"fmt"
	"sort"
	"strconv"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/worker"

	"github.com/rivery-go/rivery/riverytest"
	riverytemporal "github.com/rivery-go/rivery/temporal"
)

var (
	benchRate   = flag.Float64("rate", riverytemporal.DefaultActivitiesPerSecond, "BenchmarkActivityRate: TaskQueueActivitiesPerSecond")
	benchRivers = flag.Int("rivers", 10, "BenchmarkActivityRate: rivers run at once")
	benchPolls  = flag.Int("polls", 2, "BenchmarkActivityRate: status calls that see each run in progress")
)

// rateRun is what one measurement saw.
type rateRun struct {
	starts  []time.Time // when each activity (each attempt) started, in order
	elapsed time.Duration
}

// activityStarts is a worker interceptor that logs when each activity
// attempt starts: the moments the server's rate limit paces (the client's
// own retries inside an activity are not).
type activityStarts struct {
	interceptor.WorkerInterceptorBase
	log *callLog
}

func (a *activityStarts) InterceptActivity(ctx context.Context, next interceptor.ActivityInboundInterceptor) interceptor.ActivityInboundInterceptor {
	i := &activityStart{log: a.log}
	i.Next = next
	return i
}

type activityStart struct {
	interceptor.ActivityInboundInterceptorBase
	log *callLog
}

func (a *activityStart) ExecuteActivity(ctx context.Context, in *interceptor.ExecuteActivityInput) (any, error) {
	info := activity.GetInfo(ctx)
	a.log.mu.Lock()
	a.log.calls = append(a.log.calls, call{time.Now(), info.ActivityType.Name, strconv.Itoa(int(info.Attempt))})
	a.log.mu.Unlock()
	return a.Next.ExecuteActivity(ctx, in)
}

// perMinute is the steady rate of the activities: their number less one
// over the time from the first start to the last.
func (r rateRun) perMinute() float64 {
	if len(r.starts) < 2 {
		return 0
	}
	span := r.starts[len(r.starts)-1].Sub(r.starts[0])
	return float64(len(r.starts)-1) / span.Minutes()
}

// longestGap is the longest wait between two activity starts.
func (r rateRun) longestGap() time.Duration {
	var gap time.Duration
	for i := 1; i < len(r.starts); i++ {
		gap = max(gap, r.starts[i].Sub(r.starts[i-1]))
	}
	return gap
}

// mostIn is the largest number of activity starts within any window of
// length d.
func (r rateRun) mostIn(d time.Duration) int {
	most := 0
	for i, j := 0, 0; j < len(r.starts); j++ {
		for r.starts[j].Sub(r.starts[i]) > d {
			i++
		}
		most = max(most, j-i+1)
	}
	return most
}

// measureRate runs rivers rivers at once (a RunRiver workflow each, every
// run in progress for polls status calls: a trigger and a GetRun activity
// per poll, as many activities as Temporal will pace) on a task queue with
// partitions partitions (0: the server's default) and a worker rate of
// rate activities a second. Polling is fast (every 100 ms), so the rate
// limit is all that paces the activities. (RunRivers would check on all
// its runs with one activity per interval: too few activities to measure.)
func measureRate(t testing.TB, partitions int, rate float64, rivers, polls int) rateRun {
	t.Helper()
	var rs []riverytest.River
	for i := range rivers {
		rs = append(rs, riverytest.River{ID: fmt.Sprintf("63b724fc690def0011%06x", i+1), Polls: polls})
	}
	e := newEnv(t, envOptions{rivers: rs, partitions: partitions})
	starts := &callLog{}
	e.worker(worker.Options{TaskQueueActivitiesPerSecond: rate, Interceptors: []interceptor.WorkerInterceptor{&activityStarts{log: starts}}})
	in := fastRun
	in.MaxPollInterval = in.MinPollInterval
	in.ActivityTimeout = time.Duration(float64(4*rivers*(polls+2))/rate) * time.Second // queued a long time
	start := time.Now()
	var runs []client.WorkflowRun
	for i := range rs {
		in.RiverID = rs[i].ID
		runs = append(runs, e.start("rate/"+in.RiverID, riverytemporal.WorkflowRunRiver, in))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	for _, run := range runs {
		if err := run.Get(ctx, nil); err != nil {
			t.Fatalf("RunRiver: %v", err)
		}
	}
	out := rateRun{elapsed: time.Since(start)}
	for _, c := range starts.all() {
		out.starts = append(out.starts, c.at)
		if c.path != "1" {
			t.Logf("%s attempt %s at %v", c.method, c.path, c.at.Sub(start))
		}
	}
	sort.Slice(out.starts, func(i, j int) bool { return out.starts[i].Before(out.starts[j]) })
	return out
}

// ActivityPartitions reads the partition count the server applies: four
// by default, one where the dynamic config says so for the task queue.
func TestActivityPartitions(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{partitions: 1})
	ctx := context.Background()
	n, err := riverytemporal.ActivityPartitions(ctx, e.c, e.ts.GetDefaultNamespace(), e.queue)
	if err != nil || n != 1 {
		t.Errorf("partitions of %s: %d, %v; want 1", e.queue, n, err)
	}
	n, err = riverytemporal.ActivityPartitions(ctx, e.c, e.ts.GetDefaultNamespace(), "another-queue")
	if err != nil || n != 4 {
		t.Errorf("partitions of another-queue: %d, %v; want the default 4", n, err)
	}
}

// BenchmarkActivityRate measures what the rate limit delivers with the
// server's default 4 partitions and with one: -rivers rivers at once, each
// run seen in progress by -polls status calls, at -rate activities a
// second (Rivery's 0.25 by default). scripts/temporal-ratelimit.sh runs it.
func BenchmarkActivityRate(b *testing.B) {
	for _, partitions := range []int{4, 1} {
		b.Run(fmt.Sprintf("partitions=%d", partitions), func(b *testing.B) {
			for range b.N {
				r := measureRate(b, partitions, *benchRate, *benchRivers, *benchPolls)
				b.ReportMetric(r.perMinute(), "activities/min")
				b.ReportMetric(*benchRate*60, "limit/min")
				b.ReportMetric(r.longestGap().Seconds(), "s-longest-gap")
				b.ReportMetric(float64(len(r.starts)), "activities")
				b.ReportMetric(r.elapsed.Seconds(), "s-elapsed")
			}
		})
	}
}

// The activity rate limit on a real server, on a task queue of one
// partition as docs/temporal.md asks users to set it: NewWorker's rate
// reaches the server and holds across the activities of five RunRiver
// workflows. How close to the rate the activities come depends on the
// machine as much as on the server (a 2-core machine shared with other
// builds measured 60% of it at 4 a second), so CI checks that the server applies one partition
// (TestActivityPartitions) and that the limit holds, and
// scripts/temporal-ratelimit.sh measures the throughput with four
// partitions and with one.
func TestRateLimitHoldsOnOnePartition(t *testing.T) {
	t.Parallel()
	const rate, burst = 2.0, 2 // the server's burst: the rate, rounded up
	r := measureRate(t, 1, rate, 5, 2)
	t.Logf("%d activities in %v: %.0f a minute (limit %.0f), longest gap %v",
		len(r.starts), r.elapsed, r.perMinute(), rate*60, r.longestGap())
	if got, want := len(r.starts), 5*(1+3); got < want {
		t.Fatalf("%d activities, want at least %d (a trigger and 3 status calls a river)", got, want)
	}
	// The server lets the first 2 activities start at once and then one
	// every 1/rate: the 20 take at least 9 s. The bound leaves 30% of that
	// for a worker slow to start the first ones. Unlimited, they took
	// 4.4 s on a machine loaded 8 times over.
	minSpan := time.Duration(0.7 * float64(len(r.starts)-burst) / rate * float64(time.Second))
	if span := r.starts[len(r.starts)-1].Sub(r.starts[0]); span < minSpan {
		t.Errorf("%d activities in %v, want at least %v: the limit of %v a second did not hold", len(r.starts), span, minSpan, rate)
	}
	// Nor do any 3 s hold more than burst + 3*rate starts (2 more for the
	// jitter between the server's dispatch and the worker's start).
	if most := r.mostIn(3 * time.Second); most > burst+3*rate+2 {
		t.Errorf("%d activities within 3 s: the limit of %v a second did not hold", most, rate)
	}
}
