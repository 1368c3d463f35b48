package rivery_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/rivery-go/rivery"
)

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
	if want := v1Env + "/rivers/" + riverID + "/runs?end_time=2026-11-27T12%3A30%3A00&items_per_page=10&start_time=2026-11-27T10%3A00%3A00"; req.URL != want {
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

// The live runs list names its river once, beside its items, not in each
// run: every run ListRuns and AllRuns return names the river they asked about.
func TestListedRunsNameTheirRiver(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	body := `{"items": [{"run_id": "5cbc6bbbc90a4658b00c70a3bb0f3b31", "status": "succeeded",
		"start_date_utc": "2026-03-01T10:00:00", "end_date_utc": "2026-03-01T10:05:00"}],
		"river_cross_id": "` + riverID + `", "next_page": ""}`
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/runs", httpmock.NewStringResponder(200, body))
	opts := &rivery.ListRunsOptions{StartTime: time.Now().Add(-time.Hour), EndTime: time.Now()}
	runs, _, err := c.Rivers.ListRuns(context.Background(), riverID, opts)
	if err != nil || len(runs) != 1 || runs[0].RiverID != riverID {
		t.Fatalf("ListRuns = %+v, %v", runs, err)
	}
	n := 0
	for run, err := range c.Rivers.AllRuns(context.Background(), riverID, opts) {
		if err != nil || run.RiverID != riverID {
			t.Fatalf("AllRuns = %+v, %v", run, err)
		}
		n++
	}
	if n != 1 {
		t.Errorf("AllRuns gave %d runs, want 1", n)
	}
}
