package riverytest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

func TestAddRunChecks(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	if _, err := s.AddRun(riverytest.RecordedRun{RiverID: "nope", Started: time.Now()}); err == nil {
		t.Error("AddRun accepted an unknown river")
	}
	if _, err := s.AddRun(riverytest.RecordedRun{RiverID: riverID}); err == nil {
		t.Error("AddRun accepted a run without a start")
	}
	if _, err := s.AddRun(riverytest.RecordedRun{RiverID: riverID, Started: time.Now(), SubRiverID: "64c1d2e3f4a5b6c7d8e9f401"}); err == nil {
		t.Error("AddRun accepted a sub-river the river does not have")
	}
}

func TestActivityWindows(t *testing.T) {
	t.Parallel()
	s := newServer(t, riverytest.WithMaxWindow(24*time.Hour))
	tok := s.AdminToken()
	for path, want := range map[string]int{
		"/activities": http.StatusUnprocessableEntity,
		"/activities?start_time=2026-11-26T10:00:00&end_time=yesterday":                                  http.StatusUnprocessableEntity,
		"/activities?start_time=2026-11-20T10:00:00&end_time=2026-11-27T10:00:00":                        http.StatusBadRequest,
		"/activities?start_time=2026-11-26T10:00:00&end_time=2026-11-27T10:00:00":                        http.StatusOK,
		"/rivers/nope/activities_run_groups?start_time=2026-11-26T10:00:00&end_time=2026-11-27T10:00:00": http.StatusNotFound,
	} {
		if code, body := raw(t, s, tok, envPath(s)+path); code != want {
			t.Errorf("GET %s = %d %s, want %d", path, code, body, want)
		}
	}
}

// The presigned log host refuses a request carrying a token, and one
// without the signature.
func TestPresignedLogs(t *testing.T) {
	t.Parallel()
	s := newServer(t, riverytest.WithRiver(riverytest.River{ID: "63b724fc690def001131d2aa", Type: "logic", Polls: -1}))
	c := s.ClientV1()
	run, err := c.Rivers.RunAndWait(context.Background(), "63b724fc690def001131d2aa", nil)
	if err != nil {
		t.Fatal(err)
	}
	steps, _, err := c.Rivers.LogicSteps(context.Background(), "63b724fc690def001131d2aa", run.ID)
	if err != nil {
		t.Fatal(err)
	}
	code, body := raw(t, s, s.AdminToken(), envPath(s)+"/rivers/63b724fc690def001131d2aa/runs/"+run.ID+"/logic_steps/"+steps[0].ID+"/logs")
	var answer struct {
		LogsURL string `json:"logs_url"`
	}
	if code != http.StatusOK || json.Unmarshal([]byte(body), &answer) != nil {
		t.Fatalf("step log = %d %s", code, body)
	}
	path := strings.TrimPrefix(answer.LogsURL, s.URL)
	if code, _ := raw(t, s, s.AdminToken(), path); code != http.StatusBadRequest {
		t.Errorf("with a token: %d, want 400", code)
	}
	if code, _ := raw(t, s, "", path); code != http.StatusOK {
		t.Errorf("without a token: %d, want 200", code)
	}
	if code, _ := raw(t, s, "", strings.Split(path, "?")[0]); code != http.StatusForbidden {
		t.Errorf("without the signature: %d, want 403", code)
	}
}

// A sub-river without an Outcome ends as its master river does; the
// sub-river runs view reports the runs the trigger started, named.
func TestSubRiverOutcomeDefaultsToTheMasters(t *testing.T) {
	t.Parallel()
	const master, a, b = "63b724fc690def001131d2c0", "64c1d2e3f4a5b6c7d8e9f401", "64c1d2e3f4a5b6c7d8e9f402"
	s := newServer(t, riverytest.WithRiver(riverytest.River{ID: master, Outcome: "failed", Message: "source is down", Polls: -1,
		SubRivers: []riverytest.SubRiver{{ID: a, Name: "a"}, {ID: b, Name: "b", Outcome: "succeeded"}}}))
	c := s.ClientV1()
	ctx := context.Background()
	done, err := c.Rivers.RunAndWait(ctx, master, nil)
	if err == nil || done == nil || done.Group == nil || len(done.Group.Runs) != 2 {
		t.Fatalf("RunAndWait = %+v, %v", done, err)
	}
	subs, _, err := c.Activities.SubRiverRuns(ctx, master, &rivery.WindowOptions{Window: rivery.LastWindow(time.Hour)})
	if err != nil || len(subs) != 2 {
		t.Fatalf("SubRiverRuns = %v, %v", subs, err)
	}
	for i, want := range []string{"a failed source is down", "b succeeded "} {
		if got := subs[i].Name + " " + string(subs[i].Status) + " " + subs[i].Message; got != want || subs[i].RunID != done.Group.Runs[i].ID {
			t.Errorf("sub-river run %d = %q (run %s), want %q (run %s)", i, got, subs[i].RunID, want, done.Group.Runs[i].ID)
		}
	}

	// a recorded sub-river run is listed too, in a group of its own
	id, err := s.AddRun(riverytest.RecordedRun{RiverID: master, SubRiverID: b, Started: time.Now().Add(-30 * time.Minute), Status: "failed"})
	if err != nil {
		t.Fatal(err)
	}
	subs, _, err = c.Activities.SubRiverRuns(ctx, master, &rivery.WindowOptions{Window: rivery.LastWindow(time.Hour)})
	if err != nil || len(subs) != 3 || subs[2].RunID != id || subs[2].Name != "b" || subs[2].Status != rivery.StatusFailed || subs[2].RunGroupID == done.GroupID {
		t.Errorf("SubRiverRuns with a recorded run = %v, %v", subs, err)
	}
}

// Fail reaches the presigned log host too: a fault on RoutePresignedLogs
// replaces the log's answer, once.
func TestPresignedLogsFault(t *testing.T) {
	t.Parallel()
	const logic = "63b724fc690def001131d2ab"
	s := newServer(t, riverytest.WithRiver(riverytest.River{ID: logic, Type: "logic", Polls: -1}))
	c, ctx := s.ClientV1(rivery.WithoutRetries()), context.Background()
	run, err := c.Rivers.RunAndWait(ctx, logic, nil)
	if err != nil {
		t.Fatal(err)
	}
	steps, _, err := c.Rivers.LogicSteps(ctx, logic, run.ID)
	if err != nil || len(steps) == 0 {
		t.Fatalf("LogicSteps = %+v, %v", steps, err)
	}
	s.Fail(riverytest.RoutePresignedLogs, 1, riverytest.Fault{Status: http.StatusServiceUnavailable})
	if _, err := c.Rivers.StepLogContent(ctx, logic, run.ID, steps[0].ID, nil); err == nil {
		t.Error("StepLogContent behind a 503 fault succeeded")
	}
	if b, err := c.Rivers.StepLogContent(ctx, logic, run.ID, steps[0].ID, nil); err != nil || !strings.Contains(string(b), run.ID) {
		t.Errorf("StepLogContent after the fault = %q, %v", b, err)
	}
	if n := len(s.RequestsTo(riverytest.RoutePresignedLogs)); n != 2 {
		t.Errorf("%d presigned log requests recorded, want 2", n)
	}
}
