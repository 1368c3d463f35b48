package rivery_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/rivery-go/rivery"
)

// The seed's curl: with only a token and a river ID, Run sends exactly
// POST https://console.rivery.io/api/run {"river_id": ...}.
func TestRunSendsTheSeedRequest(t *testing.T) {
	t.Parallel()
	c, mock := setup(t)
	var rec recorder
	mock.RegisterResponder(http.MethodPost, consoleBase+"/api/run", rec.reply(200, fixture(t, "console_run.json")))

	run, resp, err := c.Rivers.Run(context.Background(), riverID)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	req := rec.only(t)
	if req.Method != http.MethodPost || req.URL != "https://console.rivery.io/api/run" {
		t.Errorf("request = %s %s, want POST https://console.rivery.io/api/run", req.Method, req.URL)
	}
	checkHeaders(t, req, true)
	if got, want := string(req.Body), `{"river_id":"63b724fc690def001131d242"}`; got != want {
		t.Errorf("body = %s, want %s", got, want)
	}
	checkJSON(t, req.Body, `{"river_id": "63b724fc690def001131d242"}`) // the seed's body, in meaning
	if resp == nil || resp.StatusCode != 200 {
		t.Errorf("Response = %+v, want the 200", resp)
	}
	want := rivery.Run{
		ID: runID, RiverID: riverID, Status: rivery.StatusPending, RawStatus: "W",
		StartedAt: time.UnixMilli(1732701600000).UTC(),
	}
	if *run != want {
		t.Errorf("run = %+v, want %+v", *run, want)
	}
}

// A token-only client keeps the seed's request after a v1-only call made it
// learn its account and environment.
func TestRunStaysOnConsoleAfterMeLookup(t *testing.T) {
	t.Parallel()
	c, mock := setup(t)
	var rec recorder
	mock.RegisterResponder(http.MethodGet, consoleBase+"/api/me", rec.reply(200, fixture(t, "me.json")))
	mock.RegisterResponder(http.MethodGet, v1Account+"/tokens", rec.reply(200, `{"items":[],"page":1,"next_page":null}`))
	mock.RegisterResponder(http.MethodPost, consoleBase+"/api/run", rec.reply(200, fixture(t, "console_run.json")))

	ctx := context.Background()
	if _, _, err := c.Rivers.Run(ctx, riverID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Tokens.List(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Rivers.Run(ctx, riverID); err != nil {
		t.Fatal(err)
	}
	var urls []string
	for _, r := range rec.all() {
		urls = append(urls, r.Method+" "+r.URL)
	}
	want := []string{
		"POST " + consoleBase + "/api/run",
		"GET " + consoleBase + "/api/me",
		"GET " + v1Account + "/tokens",
		"POST " + consoleBase + "/api/run",
	}
	if len(urls) != len(want) {
		t.Fatalf("requests = %q, want %q", urls, want)
	}
	for i := range want {
		if urls[i] != want[i] {
			t.Errorf("request %d = %q, want %q", i, urls[i], want[i])
		}
	}
	if last := rec.all()[3]; string(last.Body) != `{"river_id":"63b724fc690def001131d242"}` {
		t.Errorf("second trigger body = %s", last.Body)
	}
}

func TestRunV1ReturnsFirstRunOfGroup(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodPost, v1Env+"/rivers/"+riverID+"/run", rec.reply(202, fixture(t, "v1_run_group.json")))

	run, resp, err := c.Rivers.Run(context.Background(), riverID)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	req := rec.only(t)
	checkHeaders(t, req, true)
	if string(req.Body) != "{}" {
		t.Errorf("body = %s, want {}", req.Body)
	}
	if resp.StatusCode != 202 {
		t.Errorf("status = %d", resp.StatusCode)
	}
	want := rivery.Run{
		ID: runID, GroupID: "a1b2c3d4e5f60718293a4b5c6d7e8f90", RiverID: riverID,
		Status: rivery.StatusPending, RawStatus: "pending", Message: "Run was triggered",
	}
	if *run != want {
		t.Errorf("run = %+v, want %+v", *run, want)
	}
}

func TestRunV1EmptyGroupIsAnError(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodPost, v1Env+"/rivers/"+riverID+"/run", rec.reply(202, `{"run_group_id":"g1","runs":[]}`))
	run, _, err := c.Rivers.Run(context.Background(), riverID)
	if run != nil || !asRequestError(t, err).MaybeApplied {
		t.Fatalf("Run = %v, %v; want no run and a MaybeApplied error", run, err)
	}
	rec.only(t)
}

func TestGetRun(t *testing.T) {
	t.Parallel()
	t.Run("console", func(t *testing.T) {
		t.Parallel()
		c, mock := setup(t)
		var rec recorder
		mock.RegisterResponder(http.MethodGet, consoleBase+"/api/check_run", rec.reply(200, fixture(t, "console_check_run.json")))
		run, _, err := c.Rivers.GetRun(context.Background(), riverID, runID)
		if err != nil {
			t.Fatal(err)
		}
		req := rec.only(t)
		if req.URL != consoleBase+"/api/check_run?run_id="+runID || req.Method != http.MethodGet {
			t.Errorf("request = %s %s", req.Method, req.URL)
		}
		checkHeaders(t, req, false)
		want := rivery.Run{
			ID: runID, RiverID: riverID, Status: rivery.StatusFailed, RawStatus: "E",
			Message:   "RVR-SRC-401: source connection refused the credentials",
			StartedAt: time.UnixMilli(1732701600000).UTC(), EndedAt: time.UnixMilli(1732701725500).UTC(),
		}
		if *run != want {
			t.Errorf("run = %+v\nwant %+v", *run, want)
		}
	})
	t.Run("v1", func(t *testing.T) {
		t.Parallel()
		c, mock := setup(t, v1()...)
		var rec recorder
		mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/runs/"+runID, rec.reply(200, fixture(t, "v1_run.json")))
		run, _, err := c.Rivers.GetRun(context.Background(), riverID, runID)
		if err != nil {
			t.Fatal(err)
		}
		checkHeaders(t, rec.only(t), false)
		want := rivery.Run{
			ID: runID, GroupID: "a1b2c3d4e5f60718293a4b5c6d7e8f90", RiverID: riverID,
			Status: rivery.StatusSucceeded, RawStatus: "succeeded",
			StartedAt: time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC),
			EndedAt:   time.Date(2026, 11, 27, 10, 2, 5, 500e6, time.UTC),
			Units:     0.5, SourceName: "PostgreSQL", TargetName: "Snowflake",
		}
		if *run != want {
			t.Errorf("run = %+v\nwant %+v", *run, want)
		}
	})
}

func TestCancelRun(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		opts []rivery.Option
		url  string
	}{
		{"console", nil, consoleBase + "/api/run/cancel"},
		{"v1", v1(), v1Env + "/rivers/" + riverID + "/cancel_run"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mock := setup(t, tt.opts...)
			var rec recorder
			mock.RegisterResponder(http.MethodPost, tt.url, rec.reply(200, `{"status":"ok"}`))
			resp, err := c.Rivers.CancelRun(context.Background(), riverID, runID)
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("CancelRun = %v, %v", resp, err)
			}
			req := rec.only(t)
			checkHeaders(t, req, true)
			if string(req.Body) != `{"run_id":"`+runID+`"}` {
				t.Errorf("body = %s", req.Body)
			}
		})
	}
}

func TestCancelEndedRunIsBadRequest(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodPost, v1Env+"/rivers/"+riverID+"/cancel_run", rec.reply(400, `{"detail":"no runs found to cancel"}`))
	_, err := c.Rivers.CancelRun(context.Background(), riverID, runID)
	if !errors.Is(err, rivery.ErrBadRequest) || asAPIError(t, err).Message != "no runs found to cancel" {
		t.Fatalf("CancelRun error = %v", err)
	}
	rec.only(t) // a POST answered 400 is not retried
}

func TestParseRunStatus(t *testing.T) {
	t.Parallel()
	tests := map[string]rivery.RunStatus{
		"W": rivery.StatusPending, "P": rivery.StatusPending, "R": rivery.StatusRunning,
		"D": rivery.StatusSucceeded, "E": rivery.StatusFailed, "F": rivery.StatusFailed,
		"pending": rivery.StatusPending, "running": rivery.StatusRunning, "succeeded": rivery.StatusSucceeded,
		"failed": rivery.StatusFailed, "canceled": rivery.StatusCanceled, "cancelled": rivery.StatusCanceled, //nolint:misspell // a spelling servers send
		"skipped": rivery.StatusSkipped, "partially succeeded": rivery.StatusPartial, "Running": rivery.StatusRunning,
		" D ": rivery.StatusSucceeded, "": rivery.StatusUnknown, "X": rivery.StatusUnknown, "queued": rivery.StatusUnknown,
		"d": rivery.StatusUnknown,
	}
	for raw, want := range tests {
		if got := rivery.ParseRunStatus(raw); got != want {
			t.Errorf("ParseRunStatus(%q) = %q, want %q", raw, got, want)
		}
	}
	for _, s := range []rivery.RunStatus{rivery.StatusPending, rivery.StatusRunning} {
		if s.Terminal() {
			t.Errorf("%s.Terminal() = true", s)
		}
	}
	for _, s := range []rivery.RunStatus{rivery.StatusSucceeded, rivery.StatusFailed, rivery.StatusCanceled,
		rivery.StatusSkipped, rivery.StatusPartial, rivery.StatusUnknown} {
		if !s.Terminal() {
			t.Errorf("%s.Terminal() = false", s)
		}
	}
}
