package riveryotel_test

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

// A trigger-and-wait whose trigger is answered 429 once and whose first
// status call is answered 503 once, both retried: one trace, the wait's
// span over the trigger's and the status calls' spans, an attempt span per
// HTTP request, a status event per change, and the metrics of each.
func TestTriggerAndWait(t *testing.T) {
	t.Parallel()
	for _, family := range []string{"v1", "console"} {
		t.Run(family, func(t *testing.T) {
			t.Parallel()
			srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: riverID, Polls: 2}))
			defer srv.Close()
			srv.Fail(riverytest.RouteRun, 1, riverytest.Fault{Status: 429, RetryAfter: "0"})
			srv.Fail(riverytest.RouteRunStatus, 1, riverytest.Fault{Status: 503})
			tm := newTelemetry(t)
			c := srv.Client(rivery.WithObserver(tm.obs))
			trigger, status, triggerStatus := "POST /api/run", "GET /api/check_run", "200"
			if family == "v1" {
				c = srv.ClientV1(rivery.WithObserver(tm.obs))
				e := "/v1/accounts/{account_id}/environments/{environment_id}/rivers/{river_id}"
				trigger, status, triggerStatus = "POST "+e+"/run", "GET "+e+"/runs/{run_id}", "202"
			}
			run, err := c.Rivers.RunAndWait(context.Background(), riverID, nil)
			if err != nil {
				t.Fatal(err)
			}
			port := portOf(t, srv.URL)
			spans := tm.spans.GetSpans()
			checkWaitSpan(t, spans, run, family)
			wait := byName(spans, "rivery.RunAndWait")[0]

			// The calls: the trigger, then three status calls (pending,
			// running, succeeded), each a client span under the wait's.
			var calls []string
			for _, s := range spans {
				if s.Parent.SpanID() == wait.SpanContext.SpanID() {
					calls = append(calls, s.Name)
					if s.SpanKind != trace.SpanKindClient || s.SpanContext.TraceID() != wait.SpanContext.TraceID() {
						t.Errorf("call span %s: kind %v, trace %v", s.Name, s.SpanKind, s.SpanContext.TraceID())
					}
				}
			}
			if want := []string{trigger, status, status, status}; !slices.Equal(calls, want) {
				t.Fatalf("call spans under the wait: %q\nwant %q", calls, want)
			}
			triggerCall := children(spans, wait)[0]
			common := fmt.Sprintf("http.request.method=%s server.address=127.0.0.1 server.port=%d url.template=%s",
				"POST", port, strings.TrimPrefix(trigger, "POST "))
			ids := "rivery.river_id=" + riverID
			if family == "v1" {
				ids = "rivery.account_id=" + srv.AccountID + " rivery.environment_id=" + srv.EnvironmentID + " " + ids
			}
			if got, want := attrs(triggerCall.Attributes), sorted("http.request.resend_count=1 http.response.status_code="+triggerStatus+" "+common+" "+ids); got != want {
				t.Errorf("trigger call attributes:\n%s\nwant\n%s", got, want)
			}
			if triggerCall.Status.Code != codes.Unset {
				t.Errorf("trigger call status %+v", triggerCall.Status)
			}
			attempts := children(spans, triggerCall)
			if len(attempts) != 2 {
				t.Fatalf("trigger attempts: %d", len(attempts))
			}
			if got, want := attrs(attempts[0].Attributes), sorted("error.type=429 http.response.status_code=429 "+common+" "+ids); got != want {
				t.Errorf("first trigger attempt:\n%s\nwant\n%s", got, want)
			}
			if attempts[0].Status.Code != codes.Error || attempts[0].SpanKind != trace.SpanKindClient {
				t.Errorf("first trigger attempt: %+v %v", attempts[0].Status, attempts[0].SpanKind)
			}
			second := attrs(attempts[1].Attributes)
			if !strings.Contains(second, "http.request.resend_count=1 http.response.status_code="+triggerStatus) || !strings.Contains(second, "rivery.retry.delay=") ||
				attempts[1].Status.Code != codes.Unset {
				t.Errorf("second trigger attempt: %s", second)
			}

			// The first status call: 503, then its retry.
			first := children(spans, wait)[1]
			var codesSeen []string
			for _, a := range children(spans, first) {
				codesSeen = append(codesSeen, attr(a.Attributes, "http.response.status_code")+"/"+attr(a.Attributes, "error.type"))
			}
			if want := []string{"503/503", "200/"}; !slices.Equal(codesSeen, want) {
				t.Errorf("first status call's attempts: %q, want %q", codesSeen, want)
			}
			if attr(first.Attributes, "rivery.run_id") != run.ID {
				t.Errorf("status call attributes: %s", attrs(first.Attributes))
			}

			checkTriggerAndWaitMetrics(t, tm.collect(t), family, trigger, status, triggerStatus)
		})
	}
}

// checkWaitSpan checks the wait's span: a root span of kind internal with
// the run's IDs and outcome, and an event per status change.
func checkWaitSpan(t *testing.T, spans tracetest.SpanStubs, run *rivery.Run, family string) {
	t.Helper()
	waits := byName(spans, "rivery.RunAndWait")
	if len(waits) != 1 {
		t.Fatalf("%d wait spans", len(waits))
	}
	w := waits[0]
	if w.Parent.IsValid() || w.SpanKind != trace.SpanKindInternal || w.Status.Code != codes.Unset {
		t.Errorf("wait span: parent %v kind %v status %+v", w.Parent, w.SpanKind, w.Status)
	}
	want := "rivery.river_id=" + riverID + " rivery.run.outcome=succeeded rivery.run_id=" + run.ID + " rivery.wait.runs=1 rivery.wait.statuses_seen=4"
	if family == "v1" {
		want += " rivery.account_id=" + riverytest.DefaultAccountID + " rivery.environment_id=" + riverytest.DefaultEnvironmentID +
			" rivery.run_group_id=" + run.GroupID
	}
	if got := attrs(w.Attributes); got != sorted(want) {
		t.Errorf("wait attributes:\n%s\nwant\n%s", got, want)
	}
	var events []string
	for _, e := range w.Events {
		if e.Name != rivery.EventRunStatus {
			t.Errorf("event %q", e.Name)
		}
		events = append(events, attr(e.Attributes, "rivery.run.status"))
		if e.Time.Before(w.StartTime) || e.Time.After(w.EndTime) {
			t.Errorf("event at %v, outside the wait's span (%v to %v)", e.Time, w.StartTime, w.EndTime)
		}
		if attr(e.Attributes, "rivery.run_id") != run.ID {
			t.Errorf("event attributes %s", attrs(e.Attributes))
		}
	}
	if got := strings.Join(events, " "); got != "pending running succeeded" {
		t.Errorf("status events %q", got)
	}
}

// checkTriggerAndWaitMetrics checks the metrics of TestTriggerAndWait:
// six attempts (429 and success on the trigger; 503, then three successes
// on the status calls), one 429, two retries, no wait left in flight, one
// run duration.
func checkTriggerAndWaitMetrics(t *testing.T, ms map[string]metricdata.Metrics, family, trigger, status, triggerStatus string) {
	t.Helper()
	method := func(s string) string { m, _, _ := strings.Cut(s, " "); return m }
	route := func(s string) string { _, r, _ := strings.Cut(s, " "); return r }
	durations, ok := ms["http.client.request.duration"].Data.(metricdata.Histogram[float64])
	if !ok || ms["http.client.request.duration"].Unit != "s" {
		t.Fatalf("http.client.request.duration: %+v", ms["http.client.request.duration"])
	}
	got := map[string]uint64{}
	for _, p := range durations.DataPoints {
		got[setText(p.Attributes, "server.address", "server.port")] += p.Count
	}
	key := func(s, code, errType string) string {
		k := "http.request.method=" + method(s) + " http.response.status_code=" + code + " url.template=" + route(s)
		if errType != "" {
			k = "error.type=" + errType + " " + k
		}
		return k
	}
	want := map[string]uint64{
		key(trigger, "429", "429"):      1,
		key(trigger, triggerStatus, ""): 1,
		key(status, map[string]string{"v1": "503", "console": "503"}[family], "503"): 1,
		key(status, "200", ""): 3,
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("request durations by attributes:\n%v\nwant\n%v", got, want)
	}

	limited := sumPoints(t, ms, "rivery.http.rate_limited")
	if want := map[string]int64{"http.request.method=POST url.template=" + route(trigger): 1}; fmt.Sprint(limited) != fmt.Sprint(want) {
		t.Errorf("rate limited: %v, want %v", limited, want)
	}
	retries := sumPoints(t, ms, "rivery.http.retries")
	wantRetries := map[string]int64{
		"error.type=429 http.request.method=POST url.template=" + route(trigger): 1,
		"error.type=503 http.request.method=GET url.template=" + route(status):   1,
	}
	if fmt.Sprint(retries) != fmt.Sprint(wantRetries) {
		t.Errorf("retries: %v, want %v", retries, wantRetries)
	}
	if waits := sumPoints(t, ms, "rivery.waits.active"); fmt.Sprint(waits) != "map[:0]" {
		t.Errorf("waits in flight: %v", waits)
	}
	runs, ok := ms["rivery.run.duration"].Data.(metricdata.Histogram[float64])
	if !ok || len(runs.DataPoints) != 1 || runs.DataPoints[0].Count != 1 ||
		setText(runs.DataPoints[0].Attributes) != "rivery.river_id="+riverID+" rivery.run.outcome=succeeded" {
		t.Errorf("run duration: %+v", ms["rivery.run.duration"])
	}
}

// sumPoints returns an Int64 sum's values by attributes (server.address
// dropped).
func sumPoints(t *testing.T, ms map[string]metricdata.Metrics, name string) map[string]int64 {
	t.Helper()
	sum, ok := ms[name].Data.(metricdata.Sum[int64])
	if !ok {
		t.Fatalf("%s: %+v", name, ms[name])
	}
	out := map[string]int64{}
	for _, p := range sum.DataPoints {
		out[setText(p.Attributes, "server.address")] += p.Value
	}
	return out
}

// sorted sorts the words of s, as attrs does.
func sorted(s string) string {
	words := strings.Fields(s)
	slices.Sort(words)
	return strings.Join(words, " ")
}

func byName(spans tracetest.SpanStubs, name string) tracetest.SpanStubs {
	var out tracetest.SpanStubs
	for i := range spans {
		if spans[i].Name == name {
			out = append(out, spans[i])
		}
	}
	return out
}

// children returns the spans whose parent is p, by start time.
func children(spans tracetest.SpanStubs, p tracetest.SpanStub) tracetest.SpanStubs {
	var out tracetest.SpanStubs
	for i := range spans {
		if spans[i].Parent.SpanID() == p.SpanContext.SpanID() {
			out = append(out, spans[i])
		}
	}
	slices.SortFunc(out, func(a, b tracetest.SpanStub) int { return a.StartTime.Compare(b.StartTime) })
	return out
}

func portOf(t *testing.T, raw string) int {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	var p int
	if _, err := fmt.Sscan(u.Port(), &p); err != nil {
		t.Fatal(err)
	}
	return p
}
