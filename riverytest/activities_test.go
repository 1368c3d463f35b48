package riverytest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

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
