package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

func TestEnvironmentsList(t *testing.T) {
	srv := fake(t, false)
	staging := srv.AddEnvironment(riverytest.Environment{Name: "Staging", Description: "pre-release"})
	code, out, errOut := invoke("environments", "list")
	if code != exitOK || !strings.Contains(out, "ENVIRONMENT ID") || !strings.Contains(out, srv.EnvironmentID) ||
		!strings.Contains(out, staging.ID) || !strings.Contains(out, "pre-release") {
		t.Errorf("environments list: %d %q %q", code, out, errOut)
	}
	code, out, _ = invoke("environments", "list", "--json")
	var envs []rivery.Environment
	if err := json.Unmarshal([]byte(out), &envs); code != exitOK || err != nil || len(envs) != 2 || envs[1].Name != "Staging" {
		t.Errorf("environments list --json: %d %q", code, out)
	}
	if code, _, errOut := invoke("environments"); code != exitError || !strings.Contains(errOut, "environments needs a subcommand: create, delete, list or update") {
		t.Errorf("environments: %d %q", code, errOut)
	}
	// A token without environment:list gets 403.
	user := srv.AddToken(riverytest.Token{Scopes: []rivery.Scope{rivery.ScopeRiverList}})
	t.Setenv("RIVERY_API_TOKEN", user.Value)
	if code, _, errOut := invoke("environments", "list"); code != exitError || !strings.Contains(errOut, "403") {
		t.Errorf("environments list without the scope: %d %q", code, errOut)
	}
}
