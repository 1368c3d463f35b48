package riverytest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rivery-go/rivery"
)

// FuzzHandlers sends fuzzed requests straight to the server's handler (no
// network) and checks what any client may rely on: no panic, a status
// from 100 to 599, and no 2xx without a valid token.
func FuzzHandlers(f *testing.F) {
	env := "/v1/accounts/" + DefaultAccountID + "/environments/" + DefaultEnvironmentID
	const river = "63b724fc690def001131d242"
	for _, path := range []string{
		"/api/me", "/api/run", "/api/check_run?run_id=x", "/api/run/cancel", "/api/rivers", "/api/rivers/" + river,
		env + "/rivers", env + "/rivers?page=2&items_per_page=1", env + "/rivers?page=9223372036854775807&items_per_page=500",
		env + "/rivers?page=-1", env + "/rivers/" + river, env + "/rivers/" + river + "/run",
		env + "/rivers/" + river + "/runs?start_time=2026-11-27T00:00:00Z&end_time=2026-11-28T00:00:00Z",
		env + "/rivers/" + river + "/runs?start_time=x", env + "/rivers/" + river + "/runs/r1", env + "/rivers/" + river + "/runs/r1/logs",
		env + "/rivers/" + river + "/cancel_run", env + "/rivers/" + river + "/activate_river", env + "/rivers/" + river + "/disable_river",
		env + "/operations/op1", "/v1/accounts/" + DefaultAccountID + "/tokens", "/v1/accounts/" + DefaultAccountID + "/tokens/t1",
		"/v1/accounts/other/tokens", "/v1/scopes", "/", "/v1/../api/me", "//api/me", "/api/rivers/%2e%2e",
	} {
		for _, method := range []byte{0, 1, 2, 3} {
			for _, who := range []byte{0, 1, 2} {
				f.Add(method, path, who, []byte(`{"river_id":"`+river+`","run_id":"r1","name":"n","scopes":["river:list"]}`))
			}
		}
	}
	f.Add(byte(1), "/api/run", byte(0), []byte(`{"river_id": 5}`))
	f.Add(byte(1), "/v1/accounts/"+DefaultAccountID+"/tokens", byte(0), []byte(`{"name":" ","scopes":[]}`))
	f.Add(byte(1), env+"/rivers/"+river+"/cancel_run", byte(0), []byte(`not json`))

	s := NewServer(WithRiver(River{ID: river, Polls: 1}), WithRiver(River{Disabled: true}))
	f.Cleanup(s.Close)
	scoped := s.AddToken(Token{Name: "reader", Scopes: []rivery.Scope{rivery.ScopeRiverList}}).Value
	h := s.srv.Config.Handler
	methods := []string{http.MethodGet, http.MethodPost, http.MethodDelete, http.MethodPut, http.MethodPatch, http.MethodHead, "BREW"}
	f.Fuzz(func(t *testing.T, method byte, path string, who byte, body []byte) {
		if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, " \r\n\x00") {
			return // not what an HTTP server can receive
		}
		req, err := http.NewRequestWithContext(t.Context(), methods[int(method)%len(methods)], "http://fake"+path, strings.NewReader(string(body)))
		if err != nil {
			return
		}
		valid := true
		switch who % 4 {
		case 0:
			req.Header.Set("Authorization", "Bearer "+s.AdminToken())
		case 1:
			req.Header.Set("Authorization", "Bearer "+scoped)
		case 2:
			req.Header.Set("Authorization", "Bearer rvt_not-a-token")
			valid = false
		default:
			valid = false
		}
		rec := httptest.NewRecorder()
		defer func() {
			if p := recover(); p != nil {
				t.Fatalf("%s %s panicked: %v", req.Method, path, p)
			}
		}()
		h.ServeHTTP(rec, req)
		switch code := rec.Code; {
		case code < 100 || code > 599:
			t.Fatalf("%s %s: status %d", req.Method, path, code)
		case code >= 200 && code <= 299 && !valid:
			t.Fatalf("%s %s answered %d without a valid token: %s", req.Method, path, code, rec.Body.String())
		}
	})
}
