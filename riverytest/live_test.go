package riverytest_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/rivery-go/rivery/riverytest"
)

// The fake answers in the live shapes (API.md section 6), read here without
// the SDK.

func TestConsoleRiversAreNested(t *testing.T) {
	t.Parallel()
	s := newServer(t, riverytest.WithRiver(riverytest.River{ID: "63b724fc690def001131d243", GroupID: "g1", GroupName: "Sales", Schedule: "0 0 3 * * ? *"}))
	code, body := raw(t, s, s.AdminToken(), "/api/rivers")
	var list []struct {
		ID      string `json:"_id"`
		CrossID string `json:"cross_id"`
		Defs    struct {
			Name        string `json:"river_name"`
			IsScheduled bool   `json:"is_scheduled"`
			Group       *struct {
				ID   string `json:"_id"`
				Name string `json:"name"`
			} `json:"group_id"`
		} `json:"river_definitions"`
	}
	if err := json.Unmarshal([]byte(body), &list); err != nil || code != http.StatusOK || len(list) != 2 {
		t.Fatalf("GET /api/rivers = %d %s (%v)", code, body, err)
	}
	if r := list[1]; r.CrossID != "63b724fc690def001131d243" || r.ID == "" || r.ID == r.CrossID || r.Defs.Group == nil ||
		r.Defs.Group.Name != "Sales" || !r.Defs.IsScheduled || list[0].Defs.Name != "demo" || list[0].Defs.Group != nil {
		t.Errorf("rivers = %+v", list)
	}
}

func TestConsoleRiverIsAnArray(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	code, body := raw(t, s, s.AdminToken(), "/api/rivers/"+riverID)
	if code != http.StatusOK || !strings.HasPrefix(body, "[{") || !strings.Contains(body, `"river_definitions"`) {
		t.Errorf("GET /api/rivers/{id} = %d %s", code, body)
	}
	code, body = raw(t, s, s.AdminToken(), "/api/rivers/63b724fc690def001131d2ee")
	if code != http.StatusOK || strings.TrimSpace(body) != "[]" {
		t.Errorf("GET of an unknown river = %d %s, want 200 []", code, body)
	}
}

func TestConsoleStatusOmittedWhileWaiting(t *testing.T) {
	t.Parallel()
	s := newServer(t, riverytest.WithRiver(riverytest.River{ID: "63b724fc690def001131d243", OmitPendingStatus: true, Polls: 2}))
	run, _, err := s.Client().Rivers.Run(t.Context(), "63b724fc690def001131d243")
	if err != nil {
		t.Fatal(err)
	}
	_, first := raw(t, s, s.AdminToken(), "/api/check_run?run_id="+run.ID)
	_, second := raw(t, s, s.AdminToken(), "/api/check_run?run_id="+run.ID)
	if strings.Contains(first, "river_run_status") || !strings.Contains(second, `"river_run_status":"R"`) {
		t.Errorf("check_run = %s then %s", first, second)
	}
}

func TestWithoutTokenRoutes(t *testing.T) {
	t.Parallel()
	s := newServer(t, riverytest.WithoutTokenRoutes())
	for _, path := range []string{"/v1/accounts/" + s.AccountID + "/tokens", "/v1/scopes"} {
		code, body := raw(t, s, s.AdminToken(), path)
		if code != http.StatusNotFound || strings.TrimSpace(body) != `{"detail":"Not Found"}` {
			t.Errorf("GET %s = %d %s", path, code, body)
		}
	}
	s = newServer(t)
	if code, _ := raw(t, s, s.AdminToken(), "/v1/scopes"); code != http.StatusOK {
		t.Errorf("scopes on a default server = %d", code)
	}
}
