package rivery_test

import (
	"context"
	"fmt"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/rivery-go/rivery"
)

func TestWindowString(t *testing.T) {
	t.Parallel()
	cet := time.FixedZone("CET", 3600)
	w := rivery.Window{
		Start: time.Date(2026, 11, 26, 11, 0, 0, 900e6, cet), // rounded down
		End:   time.Date(2026, 11, 27, 11, 0, 0, 1, cet),     // rounded up
	}
	if got, want := w.String(), "2026-11-26T10:00:00/2026-11-27T10:00:01"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
}

func TestWindowSplit(t *testing.T) {
	t.Parallel()
	week := 7 * 24 * time.Hour
	end := day.End
	w := rivery.Window{Start: end.Add(-20 * 24 * time.Hour), End: end}
	var got []rivery.Window
	for sub := range w.Split(week) {
		got = append(got, sub)
	}
	want := []rivery.Window{
		{Start: end.Add(-week), End: end},
		{Start: end.Add(-2 * week), End: end.Add(-week)},
		{Start: w.Start, End: end.Add(-2 * week)},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Split = %v\nwant    %v", got, want)
	}
	n := 0
	for range w.Split(0) {
		n++
	}
	if n != 1 {
		t.Errorf("Split(0) yielded %d windows, want 1", n)
	}
	for range w.Split(week) {
		break // stopping early must not panic
	}
}

// groupsPage serves a river's run groups in pages of per, newest first,
// count of them per window: generated, so memory is the client's alone.
func groupsPage(count, per int) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		q := req.URL.Query()
		page, _ := strconv.Atoi(q.Get("page"))
		page = max(page, 1)
		end, err := time.Parse("2006-01-02T15:04:05", q.Get("end_time"))
		if err != nil {
			return httpmock.NewStringResponse(422, `{"detail": "bad end_time"}`), nil
		}
		var b []byte
		b = append(b, `{"items": [`...)
		for i := (page - 1) * per; i < min(page*per, count); i++ {
			if i > (page-1)*per {
				b = append(b, ',')
			}
			at := end.Add(-time.Duration(i) * time.Minute)
			b = fmt.Appendf(b, `{"run_group_id": "g%d-%d", "status": "succeeded", "rpu": 0.25, "run_date_utc": %q}`,
				end.Unix(), i, at.Format("2006-01-02T15:04:05"))
		}
		b = append(b, `], "page": `...)
		b = strconv.AppendInt(b, int64(page), 10)
		b = append(b, `, "next_page": `...)
		if page*per < count {
			q.Set("page", strconv.Itoa(page+1))
			b = strconv.AppendQuote(b, v1Env+"/rivers/"+riverID+"/activities_run_groups?"+q.Encode())
		} else {
			b = append(b, "null"...)
		}
		b = append(b, '}')
		resp := httpmock.NewBytesResponse(200, b)
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	}
}

// AllRunGroups asks about at most WindowSplit at a time, newest window
// first, and drops what two windows both return at their shared boundary.
func TestAllRunGroupsSplitsTheWindow(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	var windows []string
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/activities_run_groups", func(req *http.Request) (*http.Response, error) {
		rec.record(req)
		q := req.URL.Query()
		start, _ := time.Parse("2006-01-02T15:04:05", q.Get("start_time"))
		end, _ := time.Parse("2006-01-02T15:04:05", q.Get("end_time"))
		if q.Get("page") == "" {
			windows = append(windows, q.Get("start_time")+"/"+q.Get("end_time"))
		}
		if end.Sub(start) > rivery.WindowSplit {
			return httpmock.NewStringResponse(400, `{"detail": "time window too large"}`), nil
		}
		// 3 groups per window; the last starts at the window's start, and
		// the next window returns it again as its first.
		body := fmt.Sprintf(`{"items": [
			{"run_group_id": "g-%[1]d", "status": "succeeded", "run_date_utc": %[2]q},
			{"run_group_id": "g-%[3]d", "status": "failed", "run_date_utc": %[4]q},
			{"run_group_id": "g-%[5]d", "status": "succeeded", "run_date_utc": %[6]q}],
			"page": 1, "next_page": null}`,
			end.Unix(), end.Format(time.RFC3339),
			end.Unix()-1, end.Add(-time.Hour).Format(time.RFC3339),
			start.Unix(), start.Format(time.RFC3339))
		return httpmock.NewStringResponse(200, body), nil
	})
	end := day.End
	w := rivery.Window{Start: end.Add(-20 * 24 * time.Hour), End: end}
	opts := &rivery.WindowOptions{Window: w}
	seen := map[string]bool{}
	var order []time.Time
	for g, err := range c.Activities.AllRunGroups(context.Background(), riverID, opts) {
		if err != nil {
			t.Fatal(err)
		}
		if seen[g.ID] {
			t.Errorf("group %s yielded twice", g.ID)
		}
		seen[g.ID] = true
		order = append(order, g.StartedAt)
	}
	if len(windows) != 3 {
		t.Errorf("windows asked = %q, want 3", windows)
	}
	if len(seen) != 7 { // 3 windows of 3, less the 2 boundary repeats
		t.Errorf("groups = %d, want 7", len(seen))
	}
	for i := 1; i < len(order); i++ {
		if order[i].After(order[i-1]) {
			t.Errorf("groups not newest first: %v after %v", order[i], order[i-1])
		}
	}
	if opts.Window != w {
		t.Errorf("AllRunGroups changed the caller's options")
	}
}

func TestAllRunGroupsStopsWhenAsked(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	gen := groupsPage(1000, 10)
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/activities_run_groups", func(req *http.Request) (*http.Response, error) {
		rec.record(req)
		return gen(req)
	})
	w := rivery.Window{Start: day.End.Add(-60 * 24 * time.Hour), End: day.End}
	n := 0
	for _, err := range c.Activities.AllRunGroups(context.Background(), riverID, &rivery.WindowOptions{Window: w}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		if n == 15 {
			break
		}
	}
	if got := len(rec.all()); got != 2 {
		t.Errorf("requests = %d, want 2 (the loop broke on the second page)", got)
	}
}

// Walking many pages holds one page at a time: the live heap after a
// collection stays flat whether 5 or 200 pages were walked. (Not parallel:
// it measures the process's heap.)
func TestAllRunGroupsFlatMemory(t *testing.T) {
	const per, pages = 200, 200
	c, mock := setup(t, v1()...)
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/activities_run_groups", groupsPage(per*pages, per))
	live := func() uint64 {
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	var early, peak uint64
	n := 0
	for _, err := range c.Activities.AllRunGroups(context.Background(), riverID, &rivery.WindowOptions{
		Window: day, ListOptions: rivery.ListOptions{PerPage: per},
	}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		switch {
		case n == 5*per:
			early = live()
		case n%(20*per) == 0:
			peak = max(peak, live())
		}
	}
	if n != per*pages {
		t.Fatalf("walked %d groups, want %d", n, per*pages)
	}
	if peak > early+(2<<20) {
		t.Errorf("live heap grew from %d KiB after 5 pages to %d KiB over %d pages", early>>10, peak>>10, pages)
	}
	t.Logf("live heap: %d KiB after 5 pages, at most %d KiB over %d pages of %d", early>>10, peak>>10, pages, per)
}

// Split windows stay within the size once sent in whole seconds.
func TestWindowSplitWholeSeconds(t *testing.T) {
	t.Parallel()
	w := rivery.Window{Start: day.Start.Add(-300 * time.Millisecond), End: day.End.Add(14*24*time.Hour + 700*time.Millisecond)}
	n := 0
	for sub := range w.Split(rivery.WindowSplit) {
		n++
		var start, end time.Time
		parts := strings.Split(sub.String(), "/")
		start, _ = time.Parse("2006-01-02T15:04:05", parts[0])
		end, _ = time.Parse("2006-01-02T15:04:05", parts[1])
		if end.Sub(start) > rivery.WindowSplit {
			t.Errorf("window %s is %v long, over %v", sub, end.Sub(start), rivery.WindowSplit)
		}
	}
	if n != 3 {
		t.Errorf("windows = %d, want 3", n)
	}
}
