package riverytest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/rivery-go/rivery/riverytest"
)

// send makes a request with the admin token and a JSON body, without the SDK.
func send(t *testing.T, s *riverytest.Server, method, path, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, s.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+s.AdminToken())
	req.Header.Set("Content-Type", "application/json")
	client := &http.Client{Transport: &http.Transport{}}
	defer client.CloseIdleConnections()
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestConnectionShapes(t *testing.T) {
	t.Parallel()
	s := newServer(t, riverytest.WithConnection(riverytest.Connection{ID: "66a1b2c3d4e5f60718293a4b", Name: "pg", Type: "postgres", TypeName: "PostgreSQL", Settings: map[string]any{"password": "x"}}))
	status, body := raw(t, s, s.AdminToken(), envPath(s)+"/connections")
	var page struct {
		Items []map[string]any `json:"items"`
	}
	if status != 200 || json.Unmarshal([]byte(body), &page) != nil || len(page.Items) != 1 {
		t.Fatalf("list: %d %s", status, body)
	}
	// The list calls the display type connection_type and the slug connection_type_id.
	if it := page.Items[0]; it["connection_type"] != "PostgreSQL" || it["connection_type_id"] != "postgres" || it["password_exists"] != true {
		t.Errorf("list item = %v", it)
	}
	// The detail calls the slug connection_type and the display name connection_type_name.
	status, body = raw(t, s, s.AdminToken(), envPath(s)+"/connections/66a1b2c3d4e5f60718293a4b")
	var detail map[string]any
	if status != 200 || json.Unmarshal([]byte(body), &detail) != nil || detail["connection_type"] != "postgres" || detail["connection_type_name"] != "PostgreSQL" {
		t.Errorf("detail: %d %s", status, body)
	}
	if status, _ := raw(t, s, s.AdminToken(), envPath(s)+"/connections/nope"); status != 404 {
		t.Errorf("missing connection: %d", status)
	}
	if status, body := raw(t, s, s.AdminToken(), "/v1/connections_types"); status != 200 || !strings.Contains(body, `"fields"`) {
		t.Errorf("connection types: %d %s", status, body)
	}
	tok := s.AddToken(riverytest.Token{Scopes: nil})
	if status, _ := raw(t, s, tok.Value, envPath(s)+"/connections"); status != 403 {
		t.Errorf("connections without connection:list: %d", status)
	}
	if n := len(s.Connections()); n != 1 {
		t.Errorf("Connections() = %d", n)
	}
}

func TestRiverVariablesPagesOfTwenty(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	vars := make([]riverytest.RiverVariable, 25)
	for i := range vars {
		vars[i] = riverytest.RiverVariable{Name: fmt.Sprint("v", i), Value: "x"}
	}
	s.SetRiverVariables(riverID, vars...)
	status, body := raw(t, s, s.AdminToken(), envPath(s)+"/rivers/"+riverID+"/variables?items_per_page=500")
	var page struct {
		Items      []any  `json:"items"`
		TotalItems int    `json:"total_items"`
		NextPage   string `json:"next_page"`
	}
	if status != 200 || json.Unmarshal([]byte(body), &page) != nil || len(page.Items) != 20 || page.TotalItems != 25 || !strings.Contains(page.NextPage, "page=2") {
		t.Errorf("page 1: %d %s", status, body)
	}
	// The PUT replaces the whole set; each item needs a name and settings.
	for _, bad := range []string{`{}`, `{"items": [{"name": "a"}]}`, `{"items": [{"settings": {}}]}`, `{"items": [{"name": "a", "settings": {}}, {"name": "a", "settings": {}}]}`, `not json`} {
		if status, body := send(t, s, http.MethodPut, envPath(s)+"/rivers/"+riverID+"/variables", bad); status != 422 {
			t.Errorf("PUT %s: %d %s", bad, status, body)
		}
	}
	// The flag is is_private; the live API drops other settings keys,
	// is_encrypted among them.
	if status, _ := send(t, s, http.MethodPut, envPath(s)+"/rivers/"+riverID+"/variables", `{"items": [{"name": "only", "value": "1", "settings": {"is_private": true, "is_encrypted": true}}]}`); status != 200 {
		t.Fatalf("PUT: %d", status)
	}
	if got := s.RiverVariables(riverID); len(got) != 1 || !got[0].IsEncrypted {
		t.Errorf("after PUT: %+v", got)
	}
	if _, body := send(t, s, http.MethodGet, envPath(s)+"/rivers/"+riverID+"/variables", ""); strings.Contains(body, "is_encrypted") || !strings.Contains(body, `"is_private":true`) {
		t.Errorf("after PUT: %s; want is_private kept and is_encrypted dropped", body)
	}
	if status, _ := send(t, s, http.MethodPut, envPath(s)+"/rivers/"+riverID+"/variables", `{"items": [{"name": "only", "value": "1", "settings": {"is_encrypted": true}}]}`); status != 200 {
		t.Fatalf("PUT: %d", status)
	}
	if got := s.RiverVariables(riverID); len(got) != 1 || got[0].IsEncrypted {
		t.Errorf("after a PUT of is_encrypted: %+v; want it dropped", got)
	}
	if status, _ := raw(t, s, s.AdminToken(), envPath(s)+"/rivers/63ffffffffffffffffffffff/variables"); status != 404 {
		t.Errorf("unknown river: %d", status)
	}
}

func TestEnvironmentVariables(t *testing.T) {
	t.Parallel()
	s := newServer(t, riverytest.WithVariables(map[string]string{"A": "1"}))
	if status, _ := send(t, s, http.MethodPut, envPath(s)+"/variables", `{"variables": {"B": "2"}}`); status != 200 {
		t.Fatal(status)
	}
	// Deleting a key that is not there succeeds, as on the live API.
	for _, key := range []string{"A", "A"} {
		if status, _ := send(t, s, http.MethodDelete, envPath(s)+"/variables?variable_key="+key, ""); status != 200 {
			t.Errorf("DELETE %s: %d", key, status)
		}
	}
	if v := s.Variables(); len(v) != 1 || v["B"] != "2" {
		t.Errorf("variables = %v", v)
	}
	if status, _ := send(t, s, http.MethodDelete, envPath(s)+"/variables", ""); status != 422 {
		t.Errorf("DELETE without a key: %d", status)
	}
	if status, _ := send(t, s, http.MethodPut, envPath(s)+"/variables", `{}`); status != 422 {
		t.Errorf("PUT without variables: %d", status)
	}
}

func TestDefinitionsVersionsAndRules(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	rivers := envPath(s) + "/rivers"
	// Server-owned fields and a missing name or metadata are refused.
	for _, bad := range []string{`{"name": "x", "metadata": {}, "cross_id": "1"}`, `{"name": "x", "metadata": {}, "account_id": "1"}`, `{"metadata": {}}`, `{"name": "x"}`, `[]`} {
		if status, body := send(t, s, http.MethodPost, rivers, bad); status != 422 {
			t.Errorf("POST %s: %d %s", bad, status, body)
		}
	}
	status, body := send(t, s, http.MethodPost, rivers, `{"name": "logic one", "type": "logic", "metadata": {"description": "d"}}`)
	var created map[string]any
	if status != 201 || json.Unmarshal([]byte(body), &created) != nil {
		t.Fatalf("POST: %d %s", status, body)
	}
	id := created["cross_id"].(string)
	if md := created["metadata"].(map[string]any); md["river_status"] != "active" || md["current_version_id"] == "" {
		t.Errorf("a new logic river: %v", md)
	}
	if s.Versions(id) != 1 || s.Versions("nope") != 0 || s.Definition("nope") != nil {
		t.Errorf("versions = %d", s.Versions(id))
	}
	if status, _ := send(t, s, http.MethodPut, rivers+"/"+id, `{"name": "logic two", "metadata": {}}`); status != 200 || s.Versions(id) != 2 {
		t.Errorf("PUT: %d, %d versions", status, s.Versions(id))
	}
	if status, body := raw(t, s, s.AdminToken(), envPath(s)+"/rivers_search?name=two&river_type=logic&river_status=active"); status != 200 || !strings.Contains(body, id) {
		t.Errorf("search: %d %s", status, body)
	}
	if status, body := raw(t, s, s.AdminToken(), envPath(s)+"/rivers_search?river_status=disabled"); status != 200 || strings.Contains(body, id) {
		t.Errorf("search disabled: %d %s", status, body)
	}
	status, body = raw(t, s, s.AdminToken(), rivers+"/"+id+"/versions")
	var versions struct {
		Items []struct {
			VersionID string `json:"version_id"`
		} `json:"items"`
	}
	if status != 200 || json.Unmarshal([]byte(body), &versions) != nil || len(versions.Items) != 2 {
		t.Fatalf("versions: %d %s", status, body)
	}
	first := versions.Items[1].VersionID // newest first
	if status, body := raw(t, s, s.AdminToken(), rivers+"/"+id+"/versions/"+first); status != 200 || !strings.Contains(body, "logic one") {
		t.Errorf("version: %d %s", status, body)
	}
	restore := `{"version_id": "` + first + `"}`
	if status, body := send(t, s, http.MethodPut, rivers+"/"+id+"/restore", restore); status != 400 || !strings.Contains(body, "disable") {
		t.Errorf("restore an active river: %d %s", status, body)
	}
	status, body = send(t, s, http.MethodPost, rivers+"/"+id+"/copy", `{}`)
	if status != 201 || !strings.Contains(body, `"river_status":"disabled"`) || !strings.Contains(body, "logic two - copy") {
		t.Errorf("copy: %d %s", status, body)
	}
	if status, _ := send(t, s, http.MethodPut, rivers+"/"+id+"/restore", `{"version_id": "nope"}`); status != 404 {
		t.Errorf("restore a missing version: %d", status)
	}
}

func TestFaultsOnNewRoutes(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.Fail(riverytest.RouteVersions, 1, riverytest.Fault{Status: 503})
	if status, _ := raw(t, s, s.AdminToken(), envPath(s)+"/rivers/"+riverID+"/versions"); status != 503 {
		t.Errorf("faulted: %d", status)
	}
	if status, _ := raw(t, s, s.AdminToken(), envPath(s)+"/rivers/"+riverID+"/versions"); status != 200 {
		t.Errorf("after the fault: %d", status)
	}
	if n := len(s.RequestsTo(riverytest.RouteVersions)); n != 2 {
		t.Errorf("recorded %d", n)
	}
}
