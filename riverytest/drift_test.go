package riverytest_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/rivery-go/rivery/riverytest"
)

// By default the fake answers in the reference's shapes, string booleans
// included.
func TestEnvironmentsInTheReferenceShape(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	status, body := raw(t, s, s.AdminToken(), "/v1/accounts/"+s.AccountID+"/environments")
	for _, want := range []string{`"is_deleted":"False"`, `"is_default":"True"`, `"environment_name":"Production"`, `"cross_id":"` + s.EnvironmentID + `"`} {
		if status != 200 || !strings.Contains(body, want) {
			t.Errorf("environments lack %s: %d %s", want, status, body)
		}
	}
}

// With drift on, each answer writes its optional fields in other forms,
// answer after answer, and keeps the fields a client acts on; a client that
// decodes the forms it expects into typed fields fails on them, as it
// would on the live API.
func TestDriftServesOtherTypes(t *testing.T) {
	t.Parallel()
	s := newServer(t, riverytest.WithRiver(riverytest.River{ID: "63b724fc690def001131d2d1", Polls: 1}), riverytest.WithDrift())
	run := postJSON(t, s, envPath(s)+"/rivers/63b724fc690def001131d2d1/run", `{}`)
	runs, _ := run["runs"].([]any)
	if len(runs) != 1 {
		t.Fatalf("trigger answered %v", run)
	}
	id, _ := runs[0].(map[string]any)["run_id"].(string)
	if id == "" {
		if oid, ok := runs[0].(map[string]any)["run_id"].(map[string]any); ok {
			id, _ = oid["$oid"].(string)
		}
	}
	seen := map[string]bool{}
	strict := 0
	for i := 0; i < 10; i++ {
		_, body := raw(t, s, s.AdminToken(), envPath(s)+"/rivers/63b724fc690def001131d2d1/runs/"+id)
		seen[body] = true
		if !strings.Contains(body, `"status":"`) || !strings.Contains(body, id) {
			t.Errorf("an essential field drifted: %s", body)
		}
		var typed struct {
			Units         float64 `json:"units"`
			IsSubRiverRun bool    `json:"is_sub_river_run"`
			RunID         string  `json:"run_id"`
		}
		if json.Unmarshal([]byte(body), &typed) != nil {
			strict++
		}
	}
	if len(seen) < 3 {
		t.Errorf("%d different answers in 10: the forms do not turn", len(seen))
	}
	if strict == 0 {
		t.Error("a client that expects the usual types read every drifted answer")
	}
	s.SetDrift(false)
	_, body := raw(t, s, s.AdminToken(), envPath(s)+"/rivers/63b724fc690def001131d2d1/runs/"+id)
	if !strings.Contains(body, `"is_sub_river_run":false`) || !strings.Contains(body, `"run_id":"`+id+`"`) {
		t.Errorf("drift off: %s", body)
	}
}
