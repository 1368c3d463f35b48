package rivery_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/rivery-go/rivery"
)

func TestRiversList(t *testing.T) {
	t.Parallel()
	t.Run("console", func(t *testing.T) {
		t.Parallel()
		c, mock := setup(t)
		var rec recorder
		mock.RegisterResponder(http.MethodGet, consoleBase+"/api/rivers", rec.reply(200, fixture(t, "console_rivers.json")))
		rivers, _, err := c.Rivers.List(context.Background(), &rivery.ListRiversOptions{Name: "ignored"})
		if err != nil {
			t.Fatal(err)
		}
		req := rec.only(t)
		checkHeaders(t, req, false)
		if req.URL != consoleBase+"/api/rivers" {
			t.Errorf("URL = %s", req.URL)
		}
		if len(rivers) != 2 || rivers[0].ID != riverID || rivers[0].Type != "source_to_target" || rivers[0].GroupName != "Sales" || rivers[1].Name != "refunds" {
			t.Errorf("rivers = %+v %+v", rivers[0], rivers[1])
		}
	})
	t.Run("v1", func(t *testing.T) {
		t.Parallel()
		c, mock := setup(t, v1()...)
		var rec recorder
		mock.RegisterResponder(http.MethodGet, v1Env+"/rivers", rec.reply(200, fixture(t, "v1_rivers_page.json")))
		rivers, resp, err := c.Rivers.List(context.Background(), &rivery.ListRiversOptions{
			ListOptions: rivery.ListOptions{Page: 2, PerPage: 50}, Name: "orders & more", GroupID: "g-sales",
		})
		if err != nil {
			t.Fatal(err)
		}
		req := rec.only(t)
		checkHeaders(t, req, false)
		if want := v1Env + "/rivers?group_id=g-sales&items_per_page=50&name=orders+%26+more&page=2"; req.URL != want {
			t.Errorf("URL = %s\nwant  %s", req.URL, want)
		}
		want := rivery.River{ID: riverID, Name: "orders to warehouse", Type: "source_to_target", GroupID: "g-sales",
			GroupName: "Sales", Description: "Nightly orders load", Status: rivery.RiverActive}
		if fmt.Sprint(*rivers[0]) != fmt.Sprint(want) || rivers[1].Status != rivery.RiverDisabled || resp.TotalItems != 2 {
			t.Errorf("rivers[0] = %+v\nwant %+v", *rivers[0], want)
		}
	})
}

func TestRiversGet(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		opts []rivery.Option
		url  string
	}{
		{"console", nil, consoleBase + "/api/rivers/" + riverID},
		{"v1", v1(), v1Env + "/rivers/" + riverID},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mock := setup(t, tt.opts...)
			var rec recorder
			mock.RegisterResponder(http.MethodGet, tt.url, rec.reply(200, fixture(t, "v1_river_detail.json")))
			r, _, err := c.Rivers.Get(context.Background(), riverID)
			if err != nil {
				t.Fatal(err)
			}
			checkHeaders(t, rec.only(t), false)
			if r.ID != riverID || r.Kind != "main_river" || r.Type != "source_to_target" || r.Status != rivery.RiverActive ||
				r.Description != "Nightly orders load" || len(r.Schedulers) != 2 ||
				r.Schedulers[0] != (rivery.Scheduler{CronExpression: "0 3 * * *", Enabled: true}) {
				t.Errorf("river = %+v", r)
			}
			var settings struct {
				RunType string `json:"run_type"`
			}
			if err := json.Unmarshal(r.Settings, &settings); err != nil || settings.RunType != "incremental" || !strings.Contains(string(r.Properties), "connection_id") {
				t.Errorf("settings %s, properties %s", r.Settings, r.Properties)
			}
		})
	}
}

// pageBody is a rivers page with one river and the given next_page.
func pageBody(id, next string, page int) string {
	n := "null"
	if next != "" {
		n = fmt.Sprintf("%q", next)
	}
	return fmt.Sprintf(`{"items":[{"river_cross_id":%q,"name":"r-%s"}],"page":%d,"total_items":3,"next_page":%s}`, id, id, page, n)
}

func TestRiversAllWalksPages(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	base := v1Env + "/rivers"
	mock.RegisterResponderWithQuery(http.MethodGet, base, "items_per_page=1&name=r", rec.reply(200, pageBody("a1", base+"?page=2&items_per_page=1&name=r", 1)))
	mock.RegisterResponderWithQuery(http.MethodGet, base, "page=2&items_per_page=1&name=r", rec.reply(200, pageBody("a2", base+"?page=3&items_per_page=1&name=r", 2)))
	mock.RegisterResponderWithQuery(http.MethodGet, base, "page=3&items_per_page=1&name=r", rec.reply(200, pageBody("a3", "", 3)))
	opts := &rivery.ListRiversOptions{ListOptions: rivery.ListOptions{PerPage: 1}, Name: "r"}
	var ids []string
	for r, err := range c.Rivers.All(context.Background(), opts) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	if strings.Join(ids, ",") != "a1,a2,a3" || len(rec.all()) != 3 {
		t.Errorf("ids = %v after %d requests", ids, len(rec.all()))
	}
	if opts.Page != 0 {
		t.Errorf("All changed the caller's options: %+v", opts)
	}
}

func TestRiversAllBreakStopsPaging(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers", rec.reply(200, pageBody("a1", v1Env+"/rivers?page=2", 1)))
	n := 0
	for _, err := range c.Rivers.All(context.Background(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		break
	}
	if n != 1 {
		t.Fatalf("yielded %d", n)
	}
	rec.only(t) // the second page was never asked for
}

func TestRiversAllRefusesOtherHost(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var other recorder
	mock.RegisterResponder(http.MethodGet, "https://attacker.example.com/v1/rivers", other.reply(200, pageBody("x", "", 2)))
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers", httpmock.NewStringResponder(200, pageBody("a1", "https://attacker.example.com/v1/rivers?page=2", 1)))
	var errs []error
	for _, err := range c.Rivers.All(context.Background(), nil) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "attacker.example.com") {
		t.Errorf("errors = %v", errs)
	}
	if n := len(other.all()); n != 0 {
		t.Errorf("the other host got %d requests", n)
	}
}

func TestRiversAllStopsWhenPageDoesNotAdvance(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	// Page 2 claims to be page 1 again and points at itself.
	mock.RegisterResponderWithQuery(http.MethodGet, v1Env+"/rivers", "", rec.reply(200, pageBody("a1", v1Env+"/rivers?page=2", 1)))
	mock.RegisterResponderWithQuery(http.MethodGet, v1Env+"/rivers", "page=2", rec.reply(200, pageBody("a2", v1Env+"/rivers?page=2", 1)))
	var ids []string
	var lastErr error
	for r, err := range c.Rivers.All(context.Background(), nil) {
		if err != nil {
			lastErr = err
			continue
		}
		ids = append(ids, r.ID)
	}
	if len(ids) != 2 || lastErr == nil || !strings.Contains(lastErr.Error(), "does not advance") || len(rec.all()) != 2 {
		t.Errorf("ids %v, error %v, %d requests", ids, lastErr, len(rec.all()))
	}
}

func TestListRuns(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/runs", rec.reply(200, fixture(t, "v1_runs_page.json")))
	tz := time.FixedZone("UTC+2", 2*3600)
	runs, _, err := c.Rivers.ListRuns(context.Background(), riverID, &rivery.ListRunsOptions{
		ListOptions: rivery.ListOptions{PerPage: 10},
		StartTime:   time.Date(2026, 11, 27, 12, 0, 0, 999, tz), // rounded down
		EndTime:     time.Date(2026, 11, 27, 14, 29, 59, 1, tz), // rounded up
	})
	if err != nil {
		t.Fatal(err)
	}
	req := rec.only(t)
	checkHeaders(t, req, false)
	if want := v1Env + "/rivers/" + riverID + "/runs?end_time=2026-11-27T12%3A30%3A00Z&items_per_page=10&start_time=2026-11-27T10%3A00%3A00Z"; req.URL != want {
		t.Errorf("URL = %s\nwant  %s", req.URL, want)
	}
	if len(runs) != 2 || runs[0].Status != rivery.StatusRunning || runs[1].Message != "Target table is locked" ||
		!runs[1].EndedAt.Equal(time.Date(2026, 11, 27, 10, 5, 0, 0, time.UTC)) {
		t.Errorf("runs = %+v %+v", runs[0], runs[1])
	}
}

func TestListRunsNeedsBothTimes(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	now := time.Now()
	for _, o := range []*rivery.ListRunsOptions{
		nil, {}, {StartTime: now}, {EndTime: now}, {StartTime: now, EndTime: now.Add(-time.Second)},
		{StartTime: now, EndTime: now, ListOptions: rivery.ListOptions{PerPage: 1000}},
	} {
		if _, _, err := c.Rivers.ListRuns(context.Background(), riverID, o); !errors.Is(err, rivery.ErrInvalidArgument) {
			t.Errorf("ListRuns(%+v) error = %v", o, err)
		}
	}
	if n := mock.GetTotalCallCount(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

func TestRunLogs(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/runs/"+runID+"/logs", rec.reply(200, fixture(t, "run_logs.csv")))
	logs, _, err := c.Rivers.RunLogs(context.Background(), riverID, runID)
	if err != nil {
		t.Fatal(err)
	}
	checkHeaders(t, rec.only(t), false)
	want := []rivery.LogEntry{
		{time.Date(2026, 11, 27, 10, 5, 0, 0, time.UTC), "ERROR", "Load failed: table \"orders\" is locked\nretry later"},
		{time.Date(2026, 11, 27, 10, 0, 1, 0, time.UTC), "INFO", "Extracted 1,204 rows"},
		{time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC), "INFO", "Run started"},
	}
	if fmt.Sprint(logs) != fmt.Sprint(want) {
		t.Errorf("logs = %q\nwant %q", logs, want)
	}
}

func TestRunLogsMalformed(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/runs/"+runID+"/logs",
		httpmock.NewStringResponder(200, "timestamp,level,msg\n2026-11-27T10:00:00Z,INFO\n"))
	if _, _, err := c.Rivers.RunLogs(context.Background(), riverID, runID); err == nil || !strings.Contains(err.Error(), "has 2 fields") {
		t.Errorf("error = %v", err)
	}
}

func TestActivateAndWait(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodPost, v1Env+"/rivers/"+riverID+"/activate_river", rec.reply(202, `{"operation_id":"op1","status":"W","error_message":null}`))
	mock.RegisterResponder(http.MethodGet, v1Env+"/operations/op1", sequence(
		rec.reply(200, `{"operation_id":"op1","status":"R"}`),
		rec.reply(200, `{"operation_id":"op1","status":"D"}`),
	))
	op, resp, err := c.Rivers.Activate(context.Background(), riverID)
	if err != nil || resp.StatusCode != 202 || op.ID != "op1" || op.Status != rivery.OperationWaiting {
		t.Fatalf("Activate = %+v, %v", op, err)
	}
	checkHeaders(t, rec.all()[0], true)
	done, err := c.Rivers.WaitForOperation(context.Background(), op, fastWait())
	if err != nil || done.Status != rivery.OperationDone || len(rec.all()) != 3 {
		t.Fatalf("WaitForOperation = %+v, %v after %d requests", done, err, len(rec.all()))
	}
}

func TestDisableAlreadyDisabled(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	mock.RegisterResponder(http.MethodPost, v1Env+"/rivers/"+riverID+"/disable_river", httpmock.NewStringResponder(204, ""))
	op, _, err := c.Rivers.Disable(context.Background(), riverID)
	if err != nil || op.Status != rivery.OperationDone {
		t.Fatalf("Disable = %+v, %v", op, err)
	}
	if done, err := c.Rivers.WaitForOperation(context.Background(), op, nil); err != nil || done != op {
		t.Errorf("WaitForOperation on a finished op = %+v, %v", done, err)
	}
	if n := mock.GetTotalCallCount(); n != 1 {
		t.Errorf("requests = %d, want 1", n)
	}
}

func TestOperationError(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	mock.RegisterResponder(http.MethodGet, v1Env+"/operations/op2",
		httpmock.NewStringResponder(200, `{"operation_id":"op2","status":"E","error_message":"RVR-ACTIVATE-500: source connection missing"}`))
	op, err := c.Rivers.WaitForOperation(context.Background(), &rivery.Operation{ID: "op2", Status: rivery.OperationWaiting}, fastWait())
	var opErr *rivery.OperationError
	if !errors.As(err, &opErr) || opErr.Operation != op || !strings.Contains(err.Error(), "RVR-ACTIVATE-500: source connection missing") {
		t.Fatalf("error = %v", err)
	}
	if _, err := c.Rivers.WaitForOperation(context.Background(), nil, nil); !errors.Is(err, rivery.ErrInvalidArgument) {
		t.Errorf("nil op: error = %v", err)
	}
}

func TestTokensScopes(t *testing.T) {
	t.Parallel()
	c, mock := setup(t)
	var rec recorder
	mock.RegisterResponder(http.MethodGet, "https://api.rivery.io/v1/scopes", rec.reply(200, fixture(t, "scopes.json")))
	scopes, _, err := c.Tokens.Scopes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	checkHeaders(t, rec.only(t), false)
	if len(scopes) != 2 || scopes[1] != (rivery.ScopeInfo{Name: rivery.ScopeRiverExecute, Description: "Run rivers"}) {
		t.Errorf("scopes = %+v", scopes)
	}
}
