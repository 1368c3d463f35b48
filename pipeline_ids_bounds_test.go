package rivery_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/rivery-go/rivery"
)

// An ID of exactly 128 bytes is sent; 129 bytes is refused before any
// request, with an error giving both lengths.
func TestIDLengthBound(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	at := strings.Repeat("a", 128)
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/runs/"+at, rec.reply(200, v1RunBody("running", "")))
	if _, _, err := c.Rivers.GetRun(context.Background(), riverID, at); err != nil {
		t.Errorf("128-byte ID: %v", err)
	}
	rec.only(t)
	_, _, err := c.Rivers.GetRun(context.Background(), riverID, at+"a")
	if !errors.Is(err, rivery.ErrInvalidArgument) || !strings.Contains(err.Error(), "run ID is 129 bytes long (at most 128)") {
		t.Errorf("129-byte ID: error = %v", err)
	}
	if n := len(rec.all()); n != 1 {
		t.Errorf("%d requests, want the 129-byte ID refused unsent", n)
	}
	// A multi-byte ID is measured in bytes, not runes.
	if _, _, err := c.Rivers.GetRun(context.Background(), riverID, strings.Repeat("é", 65)); !errors.Is(err, rivery.ErrInvalidArgument) {
		t.Errorf("130-byte ID of 65 runes: error = %v", err)
	}
	// Unicode letters are fine; the replacement character and spaces of
	// any script are not.
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/runs/%C3%A9t%C3%A9", rec.reply(200, v1RunBody("running", "")))
	if _, _, err := c.Rivers.GetRun(context.Background(), riverID, "été"); err != nil {
		t.Errorf("ID été: %v", err)
	}
	for _, id := range []string{"a\u00a0b", "a\u2028b", "a\u3000b", "\ufffd", "é\x80", "a\x80b", "\xff"} {
		_, _, err := c.Rivers.GetRun(context.Background(), riverID, id)
		if !errors.Is(err, rivery.ErrInvalidArgument) || !strings.Contains(err.Error(), "run ID") {
			t.Errorf("ID %q: error = %v", id, err)
		}
	}
}

// Console URLs are accepted only on console.rivery.io and its regional
// subdomains; hosts that merely end in the same letters are not consoles.
func TestParseRiverURLConsoleHosts(t *testing.T) {
	t.Parallel()
	path := "/dashboard/" + accountID + "/" + envID + "/river/" + riverID
	for _, host := range []string{"console.rivery.io", "eu-west-1.console.rivery.io", "a.b.console.rivery.io", "Console.Rivery.IO"} {
		for _, scheme := range []string{"https", "http"} {
			a, e, r, err := rivery.ParseRiverURL(scheme + "://" + host + path)
			if err != nil || a != accountID || e != envID || r != riverID {
				t.Errorf("%s://%s: %q %q %q %v", scheme, host, a, e, r, err)
			}
		}
	}
	for _, host := range []string{"evilconsole.rivery.io", "console-rivery.io", "console.rivery.io.evil.com", "rivery.io", "xconsole.rivery.io", "console.rivery.iox"} {
		_, _, _, err := rivery.ParseRiverURL("https://" + host + path)
		if !errors.Is(err, rivery.ErrInvalidArgument) || !strings.Contains(err.Error(), "not a Rivery console URL") {
			t.Errorf("host %s: error = %v", host, err)
		}
	}
	// A path that is almost right names what it lacks.
	_, _, _, err := rivery.ParseRiverURL("https://console.rivery.io/dashboard/" + accountID + "/" + envID + "/pipelines/" + riverID)
	if !errors.Is(err, rivery.ErrInvalidArgument) || !strings.Contains(err.Error(), "has no /dashboard/") {
		t.Errorf("wrong path: error = %v", err)
	}
	// The dashboard path may come after other segments.
	if _, _, r, err := rivery.ParseRiverURL("https://console.rivery.io/app/dashboard/" + accountID + "/" + envID + "/river/" + riverID); err != nil || r != riverID {
		t.Errorf("prefixed path: %q %v", r, err)
	}
}

// The v1 trigger answers with a run group: the run is its first run, the
// river is the group's river_cross_id when present, else the one asked for.
func TestRunGroupRiverCrossID(t *testing.T) {
	t.Parallel()
	const other = "7a8b9c0d1e2f3a4b5c6d7e8f"
	for name, tc := range map[string]struct{ body, wantRiver string }{
		"group names its river": {`{"run_group_id":"g1","river_cross_id":"` + other + `","runs":[{"run_id":"` + runID + `","status":"pending","message":"queued"},{"run_id":"second","status":"pending"}]}`, other},
		"group names none":      {`{"run_group_id":"g1","runs":[{"run_id":"` + runID + `","status":"running"}]}`, riverID},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, mock := setup(t, v1()...)
			mock.RegisterResponder(http.MethodPost, v1Env+"/rivers/"+riverID+"/run", httpmock.NewStringResponder(200, tc.body))
			run, _, err := c.Rivers.Run(context.Background(), riverID)
			if err != nil {
				t.Fatal(err)
			}
			if run.ID != runID || run.GroupID != "g1" || run.RiverID != tc.wantRiver {
				t.Errorf("run = %+v, want ID %s, group g1, river %s", run, runID, tc.wantRiver)
			}
		})
	}
	// A group without runs is an ambiguous answer: maybe applied, never retried.
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodPost, v1Env+"/rivers/"+riverID+"/run", rec.reply(200, `{"run_group_id":"g9","runs":[]}`))
	run, _, err := c.Rivers.Run(context.Background(), riverID)
	if reqErr := asRequestError(t, err); run != nil || !reqErr.MaybeApplied || !errors.Is(err, rivery.ErrNoRunStarted) || !strings.Contains(err.Error(), `"g9" lists no runs`) {
		t.Errorf("empty group: run %+v, error %v", run, err)
	}
	rec.only(t)
}

// "partially succeeded" is its own status, in either spelling and any
// case; it is terminal and not a success.
func TestPartiallySucceeded(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{"partially succeeded", "partially_succeeded", "Partially Succeeded", " PARTIALLY_SUCCEEDED "} {
		if got := rivery.ParseRunStatus(raw); got != rivery.StatusPartial {
			t.Errorf("ParseRunStatus(%q) = %q, want %q", raw, got, rivery.StatusPartial)
		}
	}
	for _, raw := range []string{"partially", "partially  succeeded", "partiallysucceeded", "succeeded partially"} {
		if got := rivery.ParseRunStatus(raw); got != rivery.StatusUnknown {
			t.Errorf("ParseRunStatus(%q) = %q, want unknown", raw, got)
		}
	}
	if !rivery.StatusPartial.Terminal() {
		t.Error("partially succeeded is not terminal")
	}

	c, mock := setup(t, v1()...)
	mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/runs/"+runID, sequence(
		httpmock.NewStringResponder(200, v1RunBody("running", "")),
		httpmock.NewStringResponder(200, v1RunBody("partially_succeeded", "2 of 3 tables loaded")),
	))
	run, err := c.Rivers.WaitForRun(context.Background(), riverID, runID, fastWait())
	var runErr *rivery.RunError
	if !errors.As(err, &runErr) || !errors.Is(err, rivery.ErrRunFailed) || run == nil || run.Status != rivery.StatusPartial {
		t.Fatalf("WaitForRun = %+v, %v; want the partial run and a *RunError", run, err)
	}
	if want := "rivery: run " + runID + " of river " + riverID + ` ended partially succeeded ("partially_succeeded"): 2 of 3 tables loaded`; err.Error() != want {
		t.Errorf("error = %q\nwant    %q", err.Error(), want)
	}
}

// Every status word and letter maps as documented; each keeps the raw
// value on the run.
func TestEveryStatusWord(t *testing.T) {
	t.Parallel()
	want := map[string]rivery.RunStatus{
		"W": rivery.StatusPending, "P": rivery.StatusPending, "R": rivery.StatusRunning, "D": rivery.StatusSucceeded,
		"E": rivery.StatusFailed, "F": rivery.StatusFailed,
		"pending": rivery.StatusPending, "running": rivery.StatusRunning, "succeeded": rivery.StatusSucceeded,
		"failed": rivery.StatusFailed, "canceled": rivery.StatusCanceled, "cancelled": rivery.StatusCanceled, //nolint:misspell // servers send it
		"skipped": rivery.StatusSkipped, "SKIPPED": rivery.StatusSkipped, "Failed": rivery.StatusFailed,
		"": rivery.StatusUnknown, "d": rivery.StatusUnknown, "w": rivery.StatusUnknown, "done": rivery.StatusUnknown,
		"queued": rivery.StatusUnknown, "unknown": rivery.StatusUnknown,
	}
	for _, raw := range []string{" D ", "\tD\n", "  running"} { // surrounding space is ignored
		if got := rivery.ParseRunStatus(raw); got != rivery.ParseRunStatus(strings.TrimSpace(raw)) {
			t.Errorf("ParseRunStatus(%q) = %q", raw, got)
		}
	}
	for raw, w := range want {
		if got := rivery.ParseRunStatus(raw); got != w {
			t.Errorf("ParseRunStatus(%q) = %q, want %q", raw, got, w)
		}
	}
	for s, terminal := range map[rivery.RunStatus]bool{
		rivery.StatusPending: false, rivery.StatusRunning: false, rivery.StatusSucceeded: true, rivery.StatusFailed: true,
		rivery.StatusCanceled: true, rivery.StatusSkipped: true, rivery.StatusPartial: true, rivery.StatusUnknown: true,
	} {
		if s.Terminal() != terminal {
			t.Errorf("%q.Terminal() = %v, want %v", s, !terminal, terminal)
		}
	}
}

// An operation handed over without a status (as a caller may build one
// from an ID alone) is polled, not taken as ended.
func TestWaitForOperationEmptyStatus(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	var rec recorder
	mock.RegisterResponder(http.MethodGet, v1Env+"/operations/op7", sequence(
		rec.reply(200, `{"operation_id":"op7","status":"R"}`),
		rec.reply(200, `{"operation_id":"op7","status":"D"}`),
	))
	done, err := c.Rivers.WaitForOperation(context.Background(), &rivery.Operation{ID: "op7"}, fastWait())
	if err != nil || done.Status != rivery.OperationDone || len(rec.all()) != 2 {
		t.Errorf("WaitForOperation = %+v, %v after %d polls; want D after 2", done, err, len(rec.all()))
	}
	// A server answering an empty status has ended it in an unknown way: an
	// *OperationError, not a hang.
	c, mock = setup(t, v1()...)
	mock.RegisterResponder(http.MethodGet, v1Env+"/operations/op8", httpmock.NewStringResponder(200, `{"operation_id":"op8","status":""}`))
	done, err = c.Rivers.WaitForOperation(context.Background(), &rivery.Operation{ID: "op8", Status: rivery.OperationRunning}, fastWait())
	var opErr *rivery.OperationError
	if !errors.As(err, &opErr) || done == nil || done.Status != "" || opErr.Operation != done {
		t.Errorf("empty status from the server: %+v, %v", done, err)
	}
	// A finished operation with an unknown letter returns at once, failed.
	done, err = c.Rivers.WaitForOperation(context.Background(), &rivery.Operation{ID: "op9", Status: "X", ErrorMessage: "odd"}, nil)
	if !errors.As(err, &opErr) || done.Status != "X" || err.Error() != "rivery: operation op9 ended X: odd" {
		t.Errorf("unknown letter: %+v, %v", done, err)
	}
}

// A malformed /api/me answer fails the call with a clear error, sends
// nothing further, and is not cached: the next call asks again.
func TestMalformedMe(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		body, want string
	}{
		"empty account":     {`{"account_id":"","environment_id":"` + envID + `"}`, "account ID from /api/me is empty"},
		"empty environment": {`{"account_id":"` + accountID + `"}`, "environment ID from /api/me is empty"},
		"path in account":   {`{"account_id":"../x","environment_id":"` + envID + `"}`, `account ID from /api/me "../x" contains '/'`},
		"not JSON":          {`<html>hello</html>`, "decoding response"},
		"a list":            {`[]`, "decoding response"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, mock := setup(t, rivery.WithoutRetries()) // a GET whose answer cannot be decoded is otherwise retried
			var me recorder
			mock.RegisterResponder(http.MethodGet, consoleBase+"/api/me", sequence(me.reply(200, tc.body), me.reply(200, fixture(t, "me.json"))))
			_, _, err := c.Rivers.ListRuns(context.Background(), riverID, &rivery.ListRunsOptions{StartTime: time.Unix(0, 0), EndTime: time.Unix(60, 0)})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want it to say %q", err, tc.want)
			}
			// The lookup is asked again next time, and then works.
			mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/runs", httpmock.NewStringResponder(200, `{"items":[]}`))
			if _, _, err := c.Rivers.ListRuns(context.Background(), riverID, &rivery.ListRunsOptions{StartTime: time.Unix(0, 0), EndTime: time.Unix(60, 0)}); err != nil {
				t.Errorf("second call: %v", err)
			}
			if n := len(me.all()); n != 2 {
				t.Errorf("/api/me asked %d times, want 2", n)
			}
		})
	}
}

// The log CSV: unquoted fields, commas and quotes inside messages, a
// header in any case, blank lines, and bad rows named by number.
func TestRunLogsCSVShapes(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		body string
		want []string // "level|message" per entry
		err  string
	}{
		"unquoted":               {"2026-11-27T10:00:00Z,INFO,Run started\n", []string{"INFO|Run started"}, ""},
		"unquoted commas joined": {"2026-11-27T10:00:00Z,WARN,a, b,c\n", []string{"WARN|a, b,c"}, ""},
		"quoted comma":           {"2026-11-27T10:00:00Z,INFO,\"x,y\"\n", []string{"INFO|x,y"}, ""},
		"header any case":        {" TimeStamp ,level,msg\n2026-11-27T10:00:00Z,INFO,m\n", []string{"INFO|m"}, ""},
		"header only":            {"timestamp,level,msg\n", nil, ""},
		"empty":                  {"", nil, ""},
		"no header, no newline":  {"2026-11-27T10:00:00Z,ERROR,boom", []string{"ERROR|boom"}, ""},
		"CRLF":                   {"timestamp,level,msg\r\n2026-11-27T10:00:00Z,INFO,m\r\n", []string{"INFO|m"}, ""},
		"header later is a row":  {"2026-11-27T10:00:00Z,INFO,m\ntimestamp,level,msg\n", []string{"INFO|m", "level|msg"}, ""},
		"short row named":        {"timestamp,level,msg\n2026-11-27T10:00:00Z,INFO,m\nbad,row\n", nil, "record 3 has 2 fields, want 3"},
		"bare quote":             {"2026-11-27T10:00:00Z,INFO,say \"hi\n", nil, "reading log CSV"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, mock := setup(t, v1()...)
			mock.RegisterResponder(http.MethodGet, v1Env+"/rivers/"+riverID+"/runs/"+runID+"/logs", httpmock.NewStringResponder(200, tc.body))
			logs, _, err := c.Rivers.RunLogs(context.Background(), riverID, runID)
			if tc.err != "" {
				if reqErr := asRequestError(t, err); !strings.Contains(reqErr.Error(), tc.err) || logs != nil {
					t.Errorf("logs %q, error %v; want an error saying %q", logs, err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, l := range logs {
				got = append(got, l.Level+"|"+l.Message)
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("entries %q, want %q", got, tc.want)
			}
			if len(logs) > 0 && logs[0].Level != "level" && !logs[0].Time.Equal(time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)) {
				t.Errorf("time = %v", logs[0].Time)
			}
		})
	}
}
