package riverytest_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

// Fail with a count of zero or less queues nothing: the next request gets
// the normal answer.
func TestFailWithoutCountQueuesNothing(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.Fail(riverytest.RouteRivers, 0, riverytest.Fault{Status: 500})
	s.Fail(riverytest.RouteRivers, -3, riverytest.Fault{Status: 500})
	rivers, _, err := s.Client(rivery.WithoutRetries()).Rivers.List(context.Background(), nil)
	if err != nil || len(rivers) != 1 {
		t.Errorf("List = %d rivers, %v; want the normal answer", len(rivers), err)
	}
}

// Faults are used in the order queued, each its count of times, then the
// route answers normally again.
func TestFaultsQueueInOrder(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.Fail(riverytest.RouteRivers, 2, riverytest.Fault{Status: 503})
	s.Fail(riverytest.RouteRivers, 1, riverytest.Fault{Status: 404, Body: `{"message":"custom"}`})
	c := s.Client(rivery.WithoutRetries())
	var got []string
	for range 5 {
		_, _, err := c.Rivers.List(context.Background(), nil)
		var apiErr *rivery.APIError
		switch {
		case err == nil:
			got = append(got, "ok")
		case errors.As(err, &apiErr):
			got = append(got, http.StatusText(apiErr.StatusCode)+":"+apiErr.Message)
		default:
			t.Fatal(err)
		}
	}
	want := "Service Unavailable:Service Unavailable,Service Unavailable:Service Unavailable,Not Found:custom,ok,ok"
	if strings.Join(got, ",") != want {
		t.Errorf("answers %v\nwant    %s", got, want)
	}
	// A fault on one route leaves the others alone.
	s.Fail(riverytest.RouteRiver, 1, riverytest.Fault{Status: 500})
	if _, _, err := c.Rivers.List(context.Background(), nil); err != nil {
		t.Errorf("List with a fault on another route: %v", err)
	}
}

// Retry-After reaches the client as the server sent it: a delay in
// seconds or an HTTP date. Longer than the client's max wait, the 429
// comes back at once with RetryAfter set.
func TestFaultRetryAfter(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		header   func() string
		min, max time.Duration
	}{
		"seconds": {func() string { return "7" }, 7 * time.Second, 7 * time.Second},
		"date":    {func() string { return time.Now().Add(90 * time.Second).UTC().Format(http.TimeFormat) }, 80 * time.Second, 91 * time.Second},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t)
			s.Fail(riverytest.RouteRivers, 1, riverytest.Fault{Status: 429, RetryAfter: tc.header()})
			_, resp, err := s.Client().Rivers.List(context.Background(), nil)
			var apiErr *rivery.APIError
			if !errors.As(err, &apiErr) || !errors.Is(err, rivery.ErrRateLimited) {
				t.Fatalf("error = %v, want a 429 *APIError", err)
			}
			if apiErr.RetryAfter < tc.min || apiErr.RetryAfter > tc.max {
				t.Errorf("RetryAfter = %v, want within [%v, %v]", apiErr.RetryAfter, tc.min, tc.max)
			}
			if resp == nil || resp.Header.Get("Retry-After") == "" {
				t.Errorf("response %v: want the Retry-After header", resp)
			}
			if n := len(s.RequestsTo(riverytest.RouteRivers)); n != 1 {
				t.Errorf("%d requests, want 1 (no wait beyond the max)", n)
			}
		})
	}
	// A short Retry-After is waited out and the call then succeeds.
	s := newServer(t)
	s.Fail(riverytest.RouteRivers, 1, riverytest.Fault{Status: 429, RetryAfter: "0"})
	if _, _, err := s.Client().Rivers.List(context.Background(), nil); err != nil {
		t.Errorf("after Retry-After 0: %v", err)
	}
	if n := len(s.RequestsTo(riverytest.RouteRivers)); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

// A fault's Header is sent with its status, and its Body replaces the
// family's error body.
func TestFaultHeaderAndBody(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.Fail(riverytest.RouteRivers, 1, riverytest.Fault{Status: 418, Body: "short and stout", Header: http.Header{"X-Request-Id": {"req-42"}}})
	_, _, err := s.Client().Rivers.List(context.Background(), nil)
	var apiErr *rivery.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 418 || apiErr.Message != "short and stout" || apiErr.RequestID != "req-42" {
		t.Errorf("error = %+v", apiErr)
	}
	// Without a Body, the error is in the family's style: v1's detail.
	s.Fail(riverytest.RouteRivers, 1, riverytest.Fault{Status: 409})
	_, _, err = s.ClientV1().Rivers.List(context.Background(), nil)
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 409 || string(apiErr.Body) != "{\"detail\":\"Conflict\"}\n" {
		t.Errorf("v1 error = %+v, body %q", apiErr, apiErr.Body)
	}
}

// A Delay with no Status holds the normal answer back, then sends it.
func TestFaultDelayThenAnswer(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.Fail(riverytest.RouteRivers, 1, riverytest.Fault{Delay: 20 * time.Millisecond})
	start := time.Now()
	rivers, _, err := s.Client().Rivers.List(context.Background(), nil)
	if err != nil || len(rivers) != 1 {
		t.Fatalf("List = %d rivers, %v", len(rivers), err)
	}
	if took := time.Since(start); took < 20*time.Millisecond {
		t.Errorf("answered after %v, want the 20 ms delay first", took)
	}
}

// An operation goes W (from activate), R on the first poll, then D, and
// only then changes the river; with OperationError it ends E instead.
func TestOperationIntermediateState(t *testing.T) {
	t.Parallel()
	const disabled, failing = "63b724fc690def001131d244", "63b724fc690def001131d245"
	s := newServer(t,
		riverytest.WithRiver(riverytest.River{ID: disabled, Disabled: true}),
		riverytest.WithRiver(riverytest.River{ID: failing, Disabled: true, OperationError: "RVR-9: no"}))
	c := s.ClientV1()
	ctx := context.Background()
	op, _, err := c.Rivers.Activate(ctx, disabled)
	if err != nil || op.Status != rivery.OperationWaiting || op.ID == "" {
		t.Fatalf("Activate = %+v, %v", op, err)
	}
	opPath := envPath(s) + "/operations/" + op.ID
	token := s.AdminToken()
	var statuses []string
	for range 3 {
		code, body := raw(t, s, token, opPath)
		if code != 200 {
			t.Fatalf("operation: %d %s", code, body)
		}
		statuses = append(statuses, body[strings.Index(body, `"status":"`)+10:][:1])
		if len(statuses) == 1 {
			// Still running: the river is not active yet.
			if _, _, err := c.Rivers.Run(ctx, disabled); !errors.Is(err, rivery.ErrBadRequest) {
				t.Errorf("Run while the operation runs: %v, want 400 (still disabled)", err)
			}
		}
	}
	if strings.Join(statuses, "") != "RDD" {
		t.Errorf("operation statuses %v, want R, D, D", statuses)
	}
	if _, _, err := c.Rivers.Run(ctx, disabled); err != nil {
		t.Errorf("Run after activation: %v", err)
	}

	op, _, err = c.Rivers.Activate(ctx, failing)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Rivers.WaitForOperation(ctx, op, nil)
	var opErr *rivery.OperationError
	if !errors.As(err, &opErr) || opErr.Operation.Status != rivery.OperationFailed || opErr.Operation.ErrorMessage != "RVR-9: no" {
		t.Errorf("failing operation: %v", err)
	}
	// Activating an active river is a finished operation (204).
	if op, resp, err := c.Rivers.Activate(ctx, riverID); err != nil || resp.StatusCode != http.StatusNoContent || op.Status != rivery.OperationDone {
		t.Errorf("Activate of an active river = %+v, %v", op, err)
	}
	code, _ := raw(t, s, token, envPath(s)+"/operations/nope")
	if code != 404 {
		t.Errorf("unknown operation: %d, want 404", code)
	}
}

// The console API reports a canceled run as E (it has no letter for
// canceled), with the run's message; outcomes it has no letter for pass
// through as the v1 word.
func TestConsoleMapsOutcomes(t *testing.T) {
	t.Parallel()
	const failing, skipped, partial = "63b724fc690def001131d246", "63b724fc690def001131d247", "63b724fc690def001131d248"
	s := newServer(t,
		riverytest.WithRiver(riverytest.River{ID: failing, Outcome: "failed", Polls: -1}),
		riverytest.WithRiver(riverytest.River{ID: skipped, Outcome: "skipped", Polls: -1}),
		riverytest.WithRiver(riverytest.River{ID: partial, Outcome: "partially succeeded", Polls: -1, Message: "2 of 3"}))
	c := s.Client()
	ctx := context.Background()

	run, _, err := c.Rivers.Run(ctx, riverID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Rivers.CancelRun(ctx, riverID, run.ID); err != nil {
		t.Fatal(err)
	}
	got, _, err := c.Rivers.GetRun(ctx, riverID, run.ID)
	if err != nil || got.RawStatus != "E" || got.Status != rivery.StatusCanceled || got.Message != "Run canceled" {
		t.Errorf("canceled run on the console = %+v, %v; want E with the message, read as canceled", got, err)
	}
	// The v1 API says canceled in words.
	v1Run, _, err := s.ClientV1().Rivers.GetRun(ctx, riverID, run.ID)
	if err != nil || v1Run.Status != rivery.StatusCanceled {
		t.Errorf("canceled run on v1 = %+v, %v", v1Run, err)
	}
	// Canceling it again is a 400.
	if _, err := c.Rivers.CancelRun(ctx, riverID, run.ID); !errors.Is(err, rivery.ErrBadRequest) {
		t.Errorf("second cancel: %v, want ErrBadRequest", err)
	}

	for id, want := range map[string]struct {
		raw    string
		status rivery.RunStatus
		msg    string
	}{
		failing: {"E", rivery.StatusFailed, "Run ended failed"},
		skipped: {"skipped", rivery.StatusSkipped, "Run ended skipped"},
		partial: {"partially succeeded", rivery.StatusPartial, "2 of 3"},
	} {
		run, _, err := c.Rivers.Run(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		got, _, err := c.Rivers.GetRun(ctx, id, run.ID)
		if err != nil || got.RawStatus != want.raw || got.Status != want.status || got.Message != want.msg {
			t.Errorf("river %s: run = %+v, %v; want %q, %q, %q", id, got, err, want.raw, want.status, want.msg)
		}
	}
}

// rawPost sends a POST without the SDK through a client that gives up
// after 10 s, and returns the response (body unread) or the error.
func rawPost(t *testing.T, s *riverytest.Server, path, body string) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, s.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+s.AdminToken())
	client := &http.Client{Transport: &http.Transport{}, Timeout: 10 * time.Second}
	t.Cleanup(client.CloseIdleConnections)
	return client.Do(req)
}

// CloseConnection drops the connection at once: the client sees it
// closed, not its own timeout. The fault closes it itself, not the garbage
// collector once the hijacked connection is unreachable: the collector is
// off meanwhile. (Not parallel: that is for the whole process.)
func TestFaultCloseConnectionIsImmediate(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	s := newServer(t)
	s.Fail(riverytest.RouteRun, 1, riverytest.Fault{CloseConnection: true})
	resp, err := rawPost(t, s, "/api/run", `{"river_id":"`+riverID+`"}`)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("got %d, want the connection closed", resp.StatusCode)
	}
	var timeout interface{ Timeout() bool }
	if errors.As(err, &timeout) && timeout.Timeout() {
		t.Errorf("error %v is the client's timeout: the connection was left open", err)
	}
}

// Truncate sends the status, the full Content-Length and exactly half of
// the body, then closes the connection.
func TestFaultTruncateSendsHalf(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.Fail(riverytest.RouteRun, 1, riverytest.Fault{Truncate: true})
	resp, err := rawPost(t, s, "/api/run", `{"river_id":"`+riverID+`"}`)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("status %d, read error %v; want 200 and an unexpected EOF", resp.StatusCode, err)
	}
	if resp.ContentLength < 20 || int64(len(got)) != resp.ContentLength/2 {
		t.Errorf("read %d of %d bytes, want half", len(got), resp.ContentLength)
	}
	if !strings.HasPrefix(string(got), `{"`) {
		t.Errorf("partial body %q: want the start of the normal answer", got)
	}
}

// A request without a valid token gets 401 in its family's style.
func TestUnauthorizedByFamily(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	if code, body := raw(t, s, "rvt_wrong", "/api/rivers"); code != 401 || body != "{\"message\":\"Unauthorized: invalid or expired token\"}\n" {
		t.Errorf("console: %d %s", code, body)
	}
	if code, body := raw(t, s, "", envPath(s)+"/rivers"); code != 401 || body != "{\"detail\":\"Not authenticated\"}\n" {
		t.Errorf("v1: %d %s", code, body)
	}
}

// Canceling names the run's own river on v1; another river is a 400 and
// leaves the run alone.
func TestCancelChecksRiver(t *testing.T) {
	t.Parallel()
	const other = "63b724fc690def001131d249"
	s := newServer(t, riverytest.WithRiver(riverytest.River{ID: other}))
	c := s.ClientV1()
	ctx := context.Background()
	run, _, err := c.Rivers.Run(ctx, riverID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Rivers.CancelRun(ctx, other, run.ID); !errors.Is(err, rivery.ErrBadRequest) {
		t.Errorf("cancel through another river: %v, want ErrBadRequest", err)
	}
	if got, _, err := c.Rivers.GetRun(ctx, riverID, run.ID); err != nil || got.Status == rivery.StatusCanceled {
		t.Errorf("run after a refused cancel = %+v, %v", got, err)
	}
	if _, err := c.Rivers.CancelRun(ctx, riverID, run.ID); err != nil {
		t.Errorf("cancel through its own river: %v", err)
	}
}

// AddRiver fills in what is left empty, and keeps what is given.
func TestAddRiverDefaults(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	r := s.AddRiver(riverytest.River{})
	if len(r.ID) != 24 || !strings.HasPrefix(r.Name, "river-") || r.Type != "source_to_target" || r.Outcome != "succeeded" || r.Polls != 2 {
		t.Errorf("defaults = %+v", r)
	}
	given := riverytest.River{ID: "63b724fc690def001131d250", Name: "n", Type: "logic", Outcome: "failed", Polls: -1}
	if got := s.AddRiver(given); got.ID != given.ID || got.Name != "n" || got.Type != "logic" || got.Outcome != "failed" || got.Polls != -1 {
		t.Errorf("given %+v came back %+v", given, got)
	}
}

// A token's scopes come back as a list: empty for a token without any,
// never null.
func TestTokenScopesJSON(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	scoped := s.AddToken(riverytest.Token{Name: "reader", Scopes: []rivery.Scope{rivery.ScopeRiverList}})
	bare := s.AddToken(riverytest.Token{Name: "bare"})
	tokens := "/v1/accounts/" + s.AccountID + "/tokens/"
	if code, body := raw(t, s, s.AdminToken(), tokens+scoped.ID); code != 200 || !strings.Contains(body, `"scopes":["river:list"]`) {
		t.Errorf("scoped token: %d %s", code, body)
	}
	if code, body := raw(t, s, s.AdminToken(), tokens+bare.ID); code != 200 || !strings.Contains(body, `"scopes":[]`) {
		t.Errorf("token without scopes: %d %s", code, body)
	}
}

// The v1 list's paging at its bounds: page from 1, items_per_page from 1 to
// 500; previous_page only after page 1; name and group_id filter.
func TestV1PagingBounds(t *testing.T) {
	t.Parallel()
	s := newServer(t,
		riverytest.WithRiver(riverytest.River{ID: "63b724fc690def001131d251", Name: "orders", GroupID: "g1"}),
		riverytest.WithRiver(riverytest.River{ID: "63b724fc690def001131d252", Name: "orders", GroupID: "g2"}),
		riverytest.WithRiver(riverytest.River{ID: "63b724fc690def001131d253", Name: "users", GroupID: "g1"}))
	rivers := envPath(s) + "/rivers"
	for query, want := range map[string]int{
		"page=0": 422, "page=-1": 422, "page=x": 422, "page=1": 200, "page=4": 200,
		"items_per_page=0": 422, "items_per_page=1": 200, "items_per_page=500": 200, "items_per_page=501": 422,
	} {
		if code, body := raw(t, s, s.AdminToken(), rivers+"?"+query); code != want {
			t.Errorf("%s: %d %s, want %d", query, code, body, want)
		}
	}
	_, first := raw(t, s, s.AdminToken(), rivers+"?items_per_page=1")
	_, second := raw(t, s, s.AdminToken(), rivers+"?items_per_page=1&page=2")
	var env2 struct {
		Previous string `json:"previous_page"`
	}
	if err := json.Unmarshal([]byte(second), &env2); err != nil || !strings.Contains(first, `"previous_page":null`) {
		t.Fatalf("previous_page: page 1 %s; page 2 %s", first, second)
	}
	if u, err := url.Parse(env2.Previous); err != nil || u.Query().Get("page") != "1" || u.Query().Get("items_per_page") != "1" {
		t.Errorf("page 2's previous_page = %q, want page 1 of the same size", env2.Previous)
	}
	for query, want := range map[string]string{
		"name=orders":             "63b724fc690def001131d251,63b724fc690def001131d252",
		"group_id=g1":             "63b724fc690def001131d251,63b724fc690def001131d253",
		"name=orders&group_id=g2": "63b724fc690def001131d252",
		"name=none":               "",
	} {
		_, body := raw(t, s, s.AdminToken(), rivers+"?"+query)
		var env struct {
			Items []struct {
				ID string `json:"river_cross_id"`
			} `json:"items"`
		}
		if err := json.Unmarshal([]byte(body), &env); err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, it := range env.Items {
			ids = append(ids, it.ID)
		}
		if strings.Join(ids, ",") != want {
			t.Errorf("%s: %v, want %s", query, ids, want)
		}
	}
}

// A run's log is dated as the run goes: no line is dated after now, and a
// pending run has only started.
func TestLogsOfAPendingRunAreNotInTheFuture(t *testing.T) {
	t.Parallel()
	const slow = "63b724fc690def001131d2e9"
	s := newServer(t, riverytest.WithRiver(riverytest.River{ID: slow, Duration: time.Hour}))
	c := s.ClientV1()
	run, _, err := c.Rivers.Run(context.Background(), slow)
	if err != nil {
		t.Fatal(err)
	}
	logs, _, err := c.Rivers.RunLogs(context.Background(), slow, run.ID)
	now := time.Now()
	if err != nil || len(logs) == 0 || !strings.Contains(logs[len(logs)-1].Message, "started") {
		t.Fatalf("RunLogs = %+v, %v; want the run's start last (oldest)", logs, err)
	}
	for _, l := range logs {
		if l.Time.After(now) {
			t.Errorf("log line %q is dated %v, after now (%v)", l.Message, l.Time, now)
		}
	}
	// Pending (its first second), the run has only started.
	st, _, err := c.Rivers.GetRun(context.Background(), slow, run.ID)
	if err == nil && st.Status == rivery.StatusPending {
		if logs, _, err = c.Rivers.RunLogs(context.Background(), slow, run.ID); err != nil || len(logs) != 1 {
			t.Errorf("RunLogs of a pending run = %+v, %v; want one line", logs, err)
		}
	}
}

// The runs list needs both times, names the one missing, and lists the
// river's runs in the window; the logs list every line, newest first.
func TestV1RunsAndLogs(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	c := s.ClientV1()
	ctx := context.Background()
	run, _, err := c.Rivers.Run(ctx, riverID)
	if err != nil {
		t.Fatal(err)
	}
	runs := envPath(s) + "/rivers/" + riverID + "/runs"
	code, body := raw(t, s, s.AdminToken(), runs+"?start_time=2000-01-01T00:00:00Z")
	if code != 422 || !strings.Contains(body, "end_time") || strings.Contains(body, `"start_time"`) {
		t.Errorf("end_time missing: %d %s", code, body)
	}
	got, _, err := c.Rivers.ListRuns(ctx, riverID, &rivery.ListRunsOptions{StartTime: time.Now().Add(-time.Hour), EndTime: time.Now().Add(time.Hour)})
	if err != nil || len(got) != 1 || got[0].ID != run.ID {
		t.Errorf("ListRuns = %v, %v", got, err)
	}
	for range 3 {
		if _, _, err := c.Rivers.GetRun(ctx, riverID, run.ID); err != nil {
			t.Fatal(err)
		}
	}
	logs, _, err := c.Rivers.RunLogs(ctx, riverID, run.ID)
	if err != nil || len(logs) != 3 {
		t.Fatalf("RunLogs = %q, %v; want 3 lines", logs, err)
	}
	if !strings.HasPrefix(logs[0].Message, "Run ended succeeded") || logs[0].Level != "INFO" || !strings.Contains(logs[2].Message, "started") {
		t.Errorf("logs %q: want newest first, from start to a succeeded end at INFO", logs)
	}
	if now := time.Now(); logs[0].Time.After(now) || logs[0].Time.Before(logs[1].Time) || logs[1].Time.Before(logs[2].Time) {
		t.Errorf("log times %v, %v, %v: want them in the order the run went, none after now (%v)", logs[0].Time, logs[1].Time, logs[2].Time, now)
	}

	// A second run is listed first; a failed run's end is logged at ERROR.
	second, _, err := c.Rivers.Run(ctx, riverID)
	if err != nil {
		t.Fatal(err)
	}
	got, _, err = c.Rivers.ListRuns(ctx, riverID, &rivery.ListRunsOptions{StartTime: time.Now().Add(-time.Hour), EndTime: time.Now().Add(time.Hour)})
	if err != nil || len(got) != 2 || got[0].ID != second.ID || got[1].ID != run.ID {
		t.Errorf("ListRuns = %v, %v; want the newest run first", got, err)
	}
	const failing = "63b724fc690def001131d255"
	s.AddRiver(riverytest.River{ID: failing, Outcome: "failed", Polls: -1})
	bad, _, err := c.Rivers.Run(ctx, failing)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Rivers.GetRun(ctx, failing, bad.ID); err != nil {
		t.Fatal(err)
	}
	logs, _, err = c.Rivers.RunLogs(ctx, failing, bad.ID)
	if err != nil || len(logs) != 3 || logs[0].Level != "ERROR" {
		t.Errorf("failed run's logs = %q, %v; want its end at ERROR", logs, err)
	}
}

// IDs stay unique however calls interleave: runs, operations and tokens
// share one sequence.
func TestIDsUniqueAcrossKinds(t *testing.T) {
	t.Parallel()
	const disabled = "63b724fc690def001131d254"
	s := newServer(t, riverytest.WithRiver(riverytest.River{ID: disabled, Disabled: true}))
	c := s.ClientV1()
	ctx := context.Background()
	seen := map[string]bool{}
	for range 3 {
		run, _, err := c.Rivers.Run(ctx, riverID)
		if err != nil {
			t.Fatal(err)
		}
		op, _, err := c.Rivers.Activate(ctx, disabled)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{run.ID, op.ID} {
			if id != "" && seen[id] {
				t.Fatalf("ID %s given twice", id)
			}
			seen[id] = true
		}
	}
	for range 2 {
		if id := s.AddToken(riverytest.Token{}).ID; seen[id] {
			t.Fatalf("token ID %s given twice", id)
		} else {
			seen[id] = true
		}
	}
}

// A body that is not JSON is a 400 on the console API and a 422 on v1;
// tokens are listed in ID order.
func TestBadJSONByFamilyAndTokenOrder(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	resp, err := rawPost(t, s, "/api/run", "not json")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("console: %d, want 400", resp.StatusCode)
	}
	resp, err = rawPost(t, s, envPath(s)+"/rivers/"+riverID+"/cancel_run", "not json")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("v1: %d, want 422", resp.StatusCode)
	}

	for range 3 {
		s.AddToken(riverytest.Token{})
	}
	tokens, _, err := s.ClientV1().Tokens.List(context.Background(), nil)
	if err != nil || len(tokens) != 4 {
		t.Fatalf("List = %d tokens, %v", len(tokens), err)
	}
	for i := 1; i < len(tokens); i++ {
		if tokens[i-1].ID >= tokens[i].ID {
			t.Errorf("tokens out of ID order: %s before %s", tokens[i-1].ID, tokens[i].ID)
		}
	}
}

// A long Duration is pending only briefly (its first quarter, a second at
// most), then running: a ten-minute river is seen running well before its
// end, as a demo needs.
func TestLongDurationRunsSoon(t *testing.T) {
	t.Parallel()
	const slow = "63b724fc690def001131d2ea"
	s := newServer(t, riverytest.WithRiver(riverytest.River{ID: slow, Duration: 10 * time.Minute}))
	c, ctx := s.ClientV1(), context.Background()
	run, _, err := c.Rivers.Run(ctx, slow)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second) // a generous bound for a 1-second wait
	for {
		got, _, err := c.Rivers.GetRun(ctx, slow, run.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status == rivery.StatusRunning {
			return
		}
		if got.Status != rivery.StatusPending || time.Now().After(deadline) {
			t.Fatalf("status %s after %v; want running soon after the trigger", got.Status, time.Since(got.StartedAt))
		}
		time.Sleep(50 * time.Millisecond)
	}
}
