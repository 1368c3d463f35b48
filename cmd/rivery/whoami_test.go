package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestWhoami(t *testing.T) {
	srv := fake(t, false)
	code, out, errOut := invoke("whoami")
	if code != exitOK || !strings.Contains(out, "account:     "+srv.AccountID) || !strings.Contains(out, "environment: "+srv.EnvironmentID) {
		t.Errorf("whoami: %d\n%s%s", code, out, errOut)
	}
	code, out, _ = invoke("whoami", "--json")
	var got identityJSON
	if code != exitOK || json.Unmarshal([]byte(out), &got) != nil || got.AccountID != srv.AccountID || got.EnvironmentID != srv.EnvironmentID {
		t.Errorf("whoami --json: %d %s", code, out)
	}
	t.Setenv("RIVERY_API_TOKEN", "not-the-token")
	code, out, errOut = invoke("whoami")
	if code != exitError || !strings.Contains(errOut, "401") || !strings.Contains(errOut, "check the token's region") || strings.Contains(out+errOut, "not-the-token") {
		t.Errorf("bad token: %d\n%s%s", code, out, errOut)
	}
}

// Names and the user are shown when /api/me sends them.
func TestWhoamiWithNames(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/me" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"account_id": "5f1a2b3c4d5e6f7081920a1b", "account_name": "Acme", "environment_id": "6a7b8c9d0e1f2a3b4c5d6e7f",
			"environment_name": "Prod\u001b[2J", "user_id": "u1", "user_name": "Dana", "user_email": "dana@example.com"}`)
	}))
	defer srv.Close()
	t.Setenv("RIVERY_API_TOKEN", "t")
	t.Setenv("RIVERY_BASE_URL", srv.URL)
	t.Setenv("RIVERY_REGION", "")
	t.Setenv("RIVERY_ACCOUNT_ID", "")
	t.Setenv("RIVERY_ENVIRONMENT_ID", "")
	code, out, errOut := invoke("whoami")
	want := "account:     5f1a2b3c4d5e6f7081920a1b (Acme)\nenvironment: 6a7b8c9d0e1f2a3b4c5d6e7f (Prod\\x1b[2J)\nuser:        Dana <dana@example.com> (u1)\n"
	if code != exitOK || out != want {
		t.Errorf("exit %d:\n%s%s\nwant:\n%s", code, out, errOut, want)
	}
	code, out, _ = invoke("whoami", "--json")
	var got identityJSON
	if code != exitOK || json.Unmarshal([]byte(out), &got) != nil || got.Email != "dana@example.com" || got.UserName != "Dana" || got.AccountName != "Acme" {
		t.Errorf("--json: %d %s", code, out)
	}
}
