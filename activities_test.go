package rivery_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/rivery-go/rivery"
)

// day is the window most tests ask about, and how it is sent.
var day = rivery.Window{
	Start: time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC),
	End:   time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC),
}

const dayQuery = "start_time=2026-11-26T10%3A00%3A00&end_time=2026-11-27T10%3A00%3A00"

func TestActivitiesList(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodGet, v1Env+"/activities", rec.reply(200, fixture(t, "v1_activities_page1.json")))

	rows, resp, err := c.Activities.List(context.Background(), &rivery.ActivitiesOptions{
		ListOptions: rivery.ListOptions{PerPage: 2}, Window: day, GroupID: "64c0ffee0000000000000a01",
	})
	if err != nil {
		t.Fatal(err)
	}
	req := rec.only(t)
	checkHeaders(t, req, false)
	u, _ := url.Parse(req.URL)
	want := url.Values{"start_time": {"2026-11-26T10:00:00"}, "end_time": {"2026-11-27T10:00:00"},
		"items_per_page": {"2"}, "group_id": {"64c0ffee0000000000000a01"}}
	if got := u.Query(); got.Encode() != want.Encode() {
		t.Errorf("query = %s, want %s", got.Encode(), want.Encode())
	}
	if resp.TotalItems != 3 || resp.NextPage == "" || resp.Page != 1 {
		t.Errorf("pagination = page %d, total %d, next %q", resp.Page, resp.TotalItems, resp.NextPage)
	}
	if len(rows) != 2 {
		t.Fatalf("rows = %d, want 2", len(rows))
	}
	first := rivery.Activity{
		RiverID: riverID, RiverName: "orders to snowflake", GroupID: "64c0ffee0000000000000a01",
		MasterRiverID: riverID, Scheduled: true,
		Counts: rivery.StatusCounts{Succeeded: 11, Failed: 2, Running: 1, Canceled: 1},
		Units:  3.75, Bytes: 18250000, Files: 14,
		LastRun: time.Date(2026, 11, 27, 10, 0, 4, 123456000, time.UTC),
	}
	if *rows[0] != first {
		t.Errorf("row 0 = %+v\nwant    %+v", *rows[0], first)
	}
	// units as a string, rpu null, last_run in milliseconds
	second := rows[1]
	if second.Units != 0.5 || second.Counts.Failed != 3 || second.Counts.Pending != 1 || !second.LastRun.Equal(time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("row 1 = %+v", *second)
	}
	if got := first.Counts.Total(); got != 15 {
		t.Errorf("Total = %d, want 15", got)
	}
	if got := first.Counts.Of(rivery.StatusFailed); got != 2 {
		t.Errorf("Of(failed) = %d, want 2", got)
	}
}

func TestActivitiesAllFollowsNextPage(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponderWithQuery(http.MethodGet, v1Env+"/activities", dayQuery+"&items_per_page=2", rec.reply(200, fixture(t, "v1_activities_page1.json")))
	mock.RegisterResponderWithQuery(http.MethodGet, v1Env+"/activities", dayQuery+"&items_per_page=2&page=2", rec.reply(200, fixture(t, "v1_activities_page2.json")))

	opts := &rivery.ActivitiesOptions{ListOptions: rivery.ListOptions{PerPage: 2}, Window: day}
	var names []string
	var last *rivery.Activity
	for a, err := range c.Activities.All(context.Background(), opts) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, a.RiverName)
		last = a
	}
	if want := []string{"orders to snowflake", "daily rollup", "crm sync"}; !slices.Equal(names, want) {
		t.Errorf("names = %q, want %q", names, want)
	}
	// the older names of the counts: success, waiting
	if last.Counts.Succeeded != 1 || last.Counts.Pending != 2 {
		t.Errorf("counts = %+v, want succeeded 1 and pending 2", last.Counts)
	}
	if n := len(rec.all()); n != 2 {
		t.Errorf("requests = %d, want 2", n)
	}
	if opts.Page != 0 || opts.PerPage != 2 {
		t.Errorf("All changed the caller's options: %+v", *opts)
	}
}

func TestActivitiesAllStopsWhenAsked(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodGet, v1Env+"/activities", rec.reply(200, fixture(t, "v1_activities_page1.json")))
	for a, err := range c.Activities.All(context.Background(), &rivery.ActivitiesOptions{Window: day}) {
		if err != nil || a == nil {
			t.Fatal(err)
		}
		break
	}
	rec.only(t) // no second page asked for
}

// An empty page ends the walk even when it names a next page.
func TestActivitiesAllEmptyPage(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodGet, v1Env+"/activities", rec.reply(200,
		`{"items": [], "page": 1, "total_items": 0, "next_page": "`+v1Env+`/activities?page=2"}`))
	n := 0
	for _, err := range c.Activities.All(context.Background(), &rivery.ActivitiesOptions{Window: day}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 0 {
		t.Errorf("yielded %d rows from an empty page", n)
	}
	rec.only(t)
}

func TestActivitiesStatistics(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponderWithQuery(http.MethodGet, v1Env+"/activities_statistics", dayQuery, rec.reply(200, fixture(t, "v1_activities_statistics.json")))
	mock.RegisterResponderWithQuery(http.MethodGet, v1Env+"/rivers/"+riverID+"/activities_statistics", dayQuery+"&status=failed", rec.reply(200, fixture(t, "v1_activities_statistics.json")))

	ctx := context.Background()
	st, _, err := c.Activities.Statistics(ctx, &rivery.StatisticsOptions{Window: day})
	if err != nil {
		t.Fatal(err)
	}
	want := rivery.Statistics{Counts: rivery.StatusCounts{Running: 1, Canceled: 1, Failed: 5, Succeeded: 12, Skipped: 2}, Units: 4.5}
	if *st != want {
		t.Errorf("statistics = %+v, want %+v", *st, want)
	}
	if _, _, err := c.Activities.RiverStatistics(ctx, riverID, &rivery.StatisticsOptions{Window: day, Status: rivery.StatusFailed}); err != nil {
		t.Fatal(err)
	}
	if n := len(rec.all()); n != 2 {
		t.Errorf("requests = %d, want 2", n)
	}
}

func TestActivitiesRunGroups(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	const groupID = "7c1e0f3a5b2d4e6f8a9b0c1d2e3f4a5b"
	mock.RegisterResponderWithQuery(http.MethodGet, v1Env+"/rivers/"+riverID+"/activities_run_groups", dayQuery, rec.reply(200, fixture(t, "v1_activities_run_groups.json")))
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/activities_run_groups/"+groupID, rec.reply(200, fixture(t, "v1_activities_run_group.json")))

	ctx := context.Background()
	groups, _, err := c.Activities.RunGroups(ctx, riverID, &rivery.WindowOptions{Window: day})
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 2 {
		t.Fatalf("groups = %d, want 2", len(groups))
	}
	g := groups[0]
	start := time.Date(2026, 11, 27, 10, 0, 4, 123e6, time.UTC)
	if g.ID != groupID || g.Status != rivery.StatusPartial || g.RawStatus != "partially succeeded" || g.Units != 1.25 ||
		!g.StartedAt.Equal(start) || g.MaxDuration != 93500*time.Millisecond || g.Trigger != "scheduler" {
		t.Errorf("group 0 = %+v", *g)
	}
	if groups[1].Status != rivery.StatusRunning || !groups[1].EndedAt.IsZero() {
		t.Errorf("group 1 = %+v", *groups[1])
	}

	one, _, err := c.Activities.RunGroup(ctx, riverID, groupID)
	if err != nil {
		t.Fatal(err)
	}
	want := rivery.RunGroupActivity{
		ID: groupID, RiverID: riverID, Status: rivery.StatusPartial, RawStatus: "partially succeeded",
		Counts: rivery.StatusCounts{Failed: 1, Succeeded: 4}, Units: 1.25,
		StartedAt: start, EndedAt: time.Date(2026, 11, 27, 10, 1, 37, 623e6, time.UTC), MaxDuration: 93500 * time.Millisecond,
	}
	if *one != want {
		t.Errorf("group = %+v\nwant    %+v", *one, want)
	}
}

func TestActivitiesSubRiverRunsUnpaged(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponderWithQuery(http.MethodGet, v1Env+"/rivers/"+riverID+"/activities_sub_rivers", dayQuery, rec.reply(200, fixture(t, "v1_activities_sub_rivers.json")))

	runs, resp, err := c.Activities.SubRiverRuns(context.Background(), riverID, &rivery.WindowOptions{Window: day})
	if err != nil {
		t.Fatal(err)
	}
	if resp.NextPage != "" || len(runs) != 2 {
		t.Fatalf("next %q, runs %d", resp.NextPage, len(runs))
	}
	want := rivery.RunRecord{
		RunID: "1a2b3c4d5e6f708192a3b4c5d6e7f802", RunGroupID: "7c1e0f3a5b2d4e6f8a9b0c1d2e3f4a5b",
		SubRiverID: "63b724fc690def001131d251", Name: "orders (us)", Status: rivery.StatusFailed, RawStatus: "failed",
		Message: "Target table is locked", Units: 0.5,
		StartedAt: time.UnixMilli(1795773605000).UTC(), EndedAt: time.UnixMilli(1795773697000).UTC(),
	}
	if *runs[1] != want {
		t.Errorf("run = %+v\nwant  %+v", *runs[1], want)
	}
	if runs[0].Rows != 120000 || runs[0].Status != rivery.StatusSucceeded {
		t.Errorf("run 0 = %+v", *runs[0])
	}
}

func TestActivitiesTargets(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/activities_targets", rec.reply(200, fixture(t, "v1_activities_targets.json")))

	targets, _, err := c.Activities.Targets(context.Background(), riverID, &rivery.TargetsOptions{
		Window: day, Statuses: []rivery.RunStatus{rivery.StatusFailed, rivery.StatusSucceeded},
		RunGroupID: "7c1e0f3a5b2d4e6f8a9b0c1d2e3f4a5b", SubRiverID: "63b724fc690def001131d250",
		SortBy: rivery.TargetSortUnits, SortOrder: rivery.SortDescending,
	})
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(rec.only(t).URL)
	q := u.Query()
	if !slices.Equal(q["status"], []string{"failed", "succeeded"}) || q.Get("sort_by") != "units" || q.Get("sort_order") != "desc" ||
		q.Get("run_group_id") != "7c1e0f3a5b2d4e6f8a9b0c1d2e3f4a5b" || q.Get("sub_river_id") != "63b724fc690def001131d250" ||
		q.Get("start_time") != "2026-11-26T10:00:00" || q.Get("end_time") != "2026-11-27T10:00:00" {
		t.Errorf("query = %s", u.RawQuery)
	}
	if len(targets) != 2 {
		t.Fatalf("targets = %d", len(targets))
	}
	tb := targets[0]
	if tb.Name != "public.orders" || tb.Units != 2.5 || tb.Rows != 1500000 || tb.Bytes != 98000000 ||
		!tb.LastRun.Equal(time.Date(2026, 11, 27, 10, 0, 4, 0, time.UTC)) {
		t.Errorf("target 0 = %+v", *tb)
	}
	if targets[1].Status != rivery.StatusFailed || targets[1].Message == "" {
		t.Errorf("target 1 = %+v", *targets[1])
	}
}

// Windows are required and checked before any request: setup fails the
// test on any request sent.
func TestActivitiesValidate(t *testing.T) {
	t.Parallel()
	c, _ := setup(t, v1()...)
	ctx := context.Background()
	backwards := rivery.Window{Start: day.End, End: day.Start}
	open := rivery.Window{Start: day.Start}
	calls := map[string]func() error{
		"nil options": func() error { _, _, err := c.Activities.List(ctx, nil); return err },
		"no window":   func() error { _, _, err := c.Activities.List(ctx, &rivery.ActivitiesOptions{}); return err },
		"open window": func() error { _, _, err := c.Activities.List(ctx, &rivery.ActivitiesOptions{Window: open}); return err },
		"backwards window": func() error {
			_, _, err := c.Activities.Statistics(ctx, &rivery.StatisticsOptions{Window: backwards})
			return err
		},
		"nil statistics": func() error { _, _, err := c.Activities.Statistics(ctx, nil); return err },
		"bad group": func() error {
			_, _, err := c.Activities.List(ctx, &rivery.ActivitiesOptions{Window: day, GroupID: "a/b"})
			return err
		},
		"bad page": func() error {
			_, _, err := c.Activities.RunGroups(ctx, riverID, &rivery.WindowOptions{Window: day, ListOptions: rivery.ListOptions{PerPage: 501}})
			return err
		},
		"empty river": func() error {
			_, _, err := c.Activities.RunGroups(ctx, "", &rivery.WindowOptions{Window: day})
			return err
		},
		"bad river": func() error {
			_, _, err := c.Activities.RiverStatistics(ctx, "..", &rivery.StatisticsOptions{Window: day})
			return err
		},
		"empty group": func() error { _, _, err := c.Activities.RunGroup(ctx, riverID, ""); return err },
		"nil targets": func() error { _, _, err := c.Activities.Targets(ctx, riverID, nil); return err },
		"bad sub-river": func() error {
			_, _, err := c.Activities.Targets(ctx, riverID, &rivery.TargetsOptions{Window: day, SubRiverID: "x?y"})
			return err
		},
		"nil sub-rivers": func() error { _, _, err := c.Activities.SubRiverRuns(ctx, riverID, nil); return err },
		"All without window": func() error {
			for _, err := range c.Activities.All(ctx, nil) {
				return err
			}
			return nil
		},
		"AllRunGroups bad river": func() error {
			for _, err := range c.Activities.AllRunGroups(ctx, "", &rivery.WindowOptions{Window: day}) {
				return err
			}
			return nil
		},
	}
	for name, call := range calls {
		if err := call(); !errors.Is(err, rivery.ErrInvalidArgument) {
			t.Errorf("%s: err = %v, want ErrInvalidArgument", name, err)
		}
	}
}

// A window the server refuses as too large is a clear error that still
// matches the API error.
func TestActivitiesWindowTooLarge(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	mock.RegisterResponder(http.MethodGet, v1Env+"/activities", (&recorder{}).reply(400,
		`{"detail": "The time range between start_time and end_time must be at most 31 days"}`))
	mock.RegisterResponder(http.MethodGet, v1Env+"/activities_statistics", (&recorder{}).reply(422,
		`{"detail": [{"type": "value_error", "loc": ["query", "end_time"], "msg": "Value error, time window exceeds the maximum of 31 days", "input": "x"}]}`))
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/activities_statistics", (&recorder{}).reply(400,
		`{"detail": "Data Flow is disabled"}`))
	ctx := context.Background()
	long := rivery.Window{Start: day.End.Add(-90 * 24 * time.Hour), End: day.End}

	_, _, err := c.Activities.List(ctx, &rivery.ActivitiesOptions{Window: long})
	if !errors.Is(err, rivery.ErrWindowTooLarge) || !errors.Is(err, rivery.ErrBadRequest) {
		t.Errorf("List: err = %v, want ErrWindowTooLarge and ErrBadRequest", err)
	}
	_ = asAPIError(t, err)
	for _, err := range c.Activities.All(ctx, &rivery.ActivitiesOptions{Window: long}) {
		if !errors.Is(err, rivery.ErrWindowTooLarge) {
			t.Errorf("All: err = %v, want ErrWindowTooLarge", err)
		}
	}
	if _, _, err := c.Activities.Statistics(ctx, &rivery.StatisticsOptions{Window: long}); !errors.Is(err, rivery.ErrWindowTooLarge) || !errors.Is(err, rivery.ErrValidation) {
		t.Errorf("Statistics: err = %v, want ErrWindowTooLarge and ErrValidation", err)
	}
	// other 400s are left as they are
	if _, _, err := c.Activities.RiverStatistics(ctx, riverID, &rivery.StatisticsOptions{Window: long}); errors.Is(err, rivery.ErrWindowTooLarge) || !errors.Is(err, rivery.ErrBadRequest) {
		t.Errorf("RiverStatistics: err = %v, want a plain ErrBadRequest", err)
	}
}

// A token-only client learns its IDs once through /api/me.
func TestActivitiesTokenOnlyResolvesScope(t *testing.T) {
	t.Parallel()
	c, mock := setup(t)
	var rec recorder
	mock.RegisterResponder(http.MethodGet, consoleBase+"/api/me", rec.reply(200, fixture(t, "me.json")))
	mock.RegisterResponder(http.MethodGet, v1Env+"/activities_statistics", rec.reply(200, fixture(t, "v1_activities_statistics.json")))
	for range 2 {
		if _, _, err := c.Activities.Statistics(context.Background(), &rivery.StatisticsOptions{Window: day}); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(rec.all()); n != 3 {
		t.Errorf("requests = %d, want 3 (one /api/me)", n)
	}
}

// A next_page on another host is refused without a request, by every
// activity iterator.
func TestActivityIteratorsRefuseForeignNextPage(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	page := `{"items": [{"cross_id": "63b724fc690def001131d242", "run_group_id": "g1", "run_id": "r1"}], "page": 1, "next_page": "https://evil.example.com/v1/steal?page=2"}`
	mock.RegisterResponder(http.MethodGet, v1Env+"/activities", rec.reply(200, page))
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/activities_run_groups", rec.reply(200, page))
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/activities_sub_rivers", rec.reply(200, page))
	ctx := context.Background()
	iters := map[string]func(yield func(error) bool){
		"All": func(yield func(error) bool) {
			for _, err := range c.Activities.All(ctx, &rivery.ActivitiesOptions{Window: day}) {
				if !yield(err) {
					return
				}
			}
		},
		"AllRunGroups": func(yield func(error) bool) {
			for _, err := range c.Activities.AllRunGroups(ctx, riverID, &rivery.WindowOptions{Window: day}) {
				if !yield(err) {
					return
				}
			}
		},
		"AllSubRiverRuns": func(yield func(error) bool) {
			for _, err := range c.Activities.AllSubRiverRuns(ctx, riverID, &rivery.WindowOptions{Window: day}) {
				if !yield(err) {
					return
				}
			}
		},
	}
	for name, it := range iters {
		var last error
		for err := range it {
			last = err
		}
		if last == nil || !strings.Contains(last.Error(), "refused") {
			t.Errorf("%s: last error = %v, want the foreign next_page refused", name, last)
		}
	}
	if n := len(rec.all()); n != 3 {
		t.Errorf("requests = %d, want 3 (none to the foreign host)", n)
	}
}

// A run group's answer that leaves out its IDs gets the ones asked for; a
// total counts every status.
func TestActivitiesRunGroupFillsIDs(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	const groupID = "7c1e0f3a5b2d4e6f8a9b0c1d2e3f4a5b"
	var rec recorder
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/activities_run_groups/"+groupID,
		rec.reply(200, `{"status":"succeeded","succeeded":2}`))
	g, _, err := c.Activities.RunGroup(context.Background(), riverID, groupID)
	if err != nil {
		t.Fatal(err)
	}
	if g.ID != groupID || g.RiverID != riverID || g.Status != rivery.StatusSucceeded {
		t.Errorf("group = %+v, want ID %s, river %s, succeeded", *g, groupID, riverID)
	}
	counts := rivery.StatusCounts{Pending: 1, Running: 2, Succeeded: 4, Failed: 8, Canceled: 16, Skipped: 32}
	if got := counts.Total(); got != 63 {
		t.Errorf("Total of %+v = %d, want 63", counts, got)
	}
}

// A row as Rivery's console receives it: the counters named success,
// waiting, running, failed, canceled; last_run in epoch milliseconds; a
// sub-river's row, whose river_id is not its cross_id; fields the SDK
// does not surface (account, env_id, is_multi, datasource_id, dry_runs,
// last_runs). Every field the shared poller reads comes through.
func TestActivitiesConsoleRowShape(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	mock.RegisterResponder(http.MethodGet, v1Env+"/activities", httpmock.NewStringResponder(200, `{"items": [{
		"account": "5a1b2c3d4e5f60718293a4b5", "env_id": "6b2c3d4e5f60718293a4b5c6",
		"cross_id": "64d1e2f3a4b5c6d7e8f90a1b", "river_id": "64d1e2f3a4b5c6d7e8f90a2c",
		"master_river_id": "64d1e2f3a4b5c6d7e8f90a3d", "river_name": "orders, EU shard",
		"is_sub_river": true, "is_master_river": false, "is_multi": false, "is_scheduled": true,
		"group_id": "64d1e2f3a4b5c6d7e8f90a4e", "total_files": 7, "units": 1.5, "total_size": 2048,
		"last_run": 1772445600000, "waiting": 2, "failed": 1, "running": 3, "success": 4, "canceled": 5,
		"datasource_id": "postgres", "dry_runs": 0, "last_runs": []
	}], "page": 1, "total_items": 1, "next_page": null}`))
	rows, _, err := c.Activities.List(context.Background(), &rivery.ActivitiesOptions{Window: day})
	if err != nil || len(rows) != 1 {
		t.Fatalf("List = %v, %v", rows, err)
	}
	want := rivery.Activity{
		RiverID: "64d1e2f3a4b5c6d7e8f90a1b", RiverName: "orders, EU shard", GroupID: "64d1e2f3a4b5c6d7e8f90a4e",
		MasterRiverID: "64d1e2f3a4b5c6d7e8f90a3d", SubRiver: true, Scheduled: true,
		Counts: rivery.StatusCounts{Pending: 2, Running: 3, Succeeded: 4, Failed: 1, Canceled: 5},
		Units:  1.5, Bytes: 2048, Files: 7, LastRun: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC),
	}
	if *rows[0] != want {
		t.Errorf("row = %+v\nwant  %+v", *rows[0], want)
	}
}
