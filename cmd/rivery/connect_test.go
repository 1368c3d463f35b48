package main

import (
	"strings"
	"testing"

	"github.com/rivery-go/rivery/riverytest"
)

// A token-only client learns its account from /api/me for --environment.
func TestEnvironmentFlagWithoutAccount(t *testing.T) {
	srv := fake(t, false)
	staging := srv.AddEnvironment(riverytest.Environment{Name: "Staging"})
	code, out, errOut := invoke("runs", "list", okRiver, "--environment", staging.ID, "--json")
	if code != exitOK {
		t.Fatalf("exit %d:\n%s%s", code, out, errOut)
	}
	if n := len(srv.RequestsTo(riverytest.RouteMe)); n != 1 {
		t.Errorf("/api/me asked %d times, want 1", n)
	}
	reqs := srv.RequestsTo(riverytest.RouteRuns)
	if len(reqs) != 1 || !strings.HasPrefix(reqs[0].Path, "/v1/accounts/"+srv.AccountID+"/environments/"+staging.ID+"/") {
		t.Errorf("runs list went to %+v", reqs)
	}
	// /api/me refusing the token ends the command before any other call.
	t.Setenv("RIVERY_API_TOKEN", "not-the-token")
	if code, _, errOut := invoke("rivers", "list", "--environment", staging.ID); code != exitError || !strings.Contains(errOut, "--environment: looking up the token's account") || !strings.Contains(errOut, "401") {
		t.Errorf("bad token: %d %s", code, errOut)
	}
}
