package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/rivery-go/rivery/riverytest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// Without a token the quickstart runs the demo river on the embedded fake
// and succeeds.
func TestQuickstartOnTheFake(t *testing.T) {
	t.Setenv("RIVERY_API_TOKEN", "")
	var out, errOut bytes.Buffer
	if code := run(context.Background(), &out, &errOut); code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, &out, &errOut)
	}
	got := out.String()
	for _, want := range []string{
		"running against the embedded fake Rivery",
		"triggering river " + demoRiverID,
		"  pending\n",
		"  running\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if !regexp.MustCompile(`(?m)^run [0-9a-f]{32} succeeded in \d+\.\ds$`).MatchString(got) {
		t.Errorf("no final line with the run ID and status:\n%s", got)
	}
}

func TestQuickstartUsageErrors(t *testing.T) {
	for _, tt := range []struct{ river, want string }{
		{"", "RIVERY_RIVER_ID is not set"},
		{"https://example.com/dashboard/a/b/river/c", "not a Rivery console URL"},
	} {
		t.Setenv("RIVERY_API_TOKEN", "not-a-real-token")
		t.Setenv("RIVERY_RIVER_ID", tt.river)
		var out, errOut bytes.Buffer
		if code := run(context.Background(), &out, &errOut); code != 2 {
			t.Errorf("river %q: exit %d, want 2", tt.river, code)
		}
		if !strings.Contains(errOut.String(), tt.want) || strings.Contains(out.String()+errOut.String(), "not-a-real-token") {
			t.Errorf("river %q: stderr %q", tt.river, &errOut)
		}
	}
}

// With a token the quickstart calls the API it is configured for: here a
// fake one, through RIVERY_BASE_URL.
func TestQuickstartWithToken(t *testing.T) {
	srv := riverytest.NewServer(
		riverytest.WithRiver(riverytest.River{ID: "63b724fc690def001131d242", Polls: -1}),
		riverytest.WithRiver(riverytest.River{ID: "63b724fc690def001131d243", Polls: -1, Outcome: "failed", Message: "disk full"}),
	)
	defer srv.Close()
	for _, tt := range []struct {
		token, river string
		code         int
		want         string
	}{
		{srv.AdminToken(), "63b724fc690def001131d242", 0, "succeeded"},
		{srv.AdminToken(), "https://console.rivery.io/dashboard/" + srv.AccountID + "/" + srv.EnvironmentID + "/river/63b724fc690def001131d243/source", 1, "disk full"},
		{srv.AdminToken(), "https://eu-west-1.console.rivery.io/river/" + srv.AccountID + "/" + srv.EnvironmentID + "/river/63b724fc690def001131d242", 0,
			"account " + srv.AccountID + ", environment " + srv.EnvironmentID + " (from the console URL)"},
		{"wrong-token", "63b724fc690def001131d242", 2, "401 Unauthorized"},
	} {
		t.Setenv("RIVERY_API_TOKEN", tt.token)
		t.Setenv("RIVERY_BASE_URL", srv.URL)
		t.Setenv("RIVERY_RIVER_ID", tt.river)
		var out, errOut bytes.Buffer
		code := run(context.Background(), &out, &errOut)
		all := out.String() + errOut.String()
		if code != tt.code || !strings.Contains(all, tt.want) {
			t.Errorf("river %s: exit %d, want %d with %q:\n%s", tt.river, code, tt.code, tt.want, all)
		}
		if strings.Contains(all, srv.AdminToken()) {
			t.Error("the token was printed")
		}
	}
}

// A console URL's IDs send the trigger to the v1 API of that account and
// environment, through the base URL the environment gives (so no region).
func TestQuickstartUsesTheURLsIDs(t *testing.T) {
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: "63b724fc690def001131d242", Polls: -1}))
	defer srv.Close()
	t.Setenv("RIVERY_API_TOKEN", srv.AdminToken())
	t.Setenv("RIVERY_BASE_URL", srv.URL)
	t.Setenv("RIVERY_RIVER_ID", "https://eu-west-1.console.rivery.io/rivers/"+srv.AccountID+"/"+srv.EnvironmentID+"/63b724fc690def001131d242")
	var out, errOut bytes.Buffer
	if code := run(context.Background(), &out, &errOut); code != 0 {
		t.Fatalf("exit %d:\n%s%s", code, &out, &errOut)
	}
	if strings.Contains(out.String(), "region") {
		t.Errorf("took the region despite RIVERY_BASE_URL:\n%s", &out)
	}
	if reqs := srv.RequestsTo(riverytest.RouteRun); len(reqs) != 1 || !strings.HasPrefix(reqs[0].Path, "/v1/accounts/"+srv.AccountID) {
		t.Errorf("trigger = %+v, want the v1 API", reqs)
	}
}

// Without RIVERY_REGION or RIVERY_BASE_URL, an EU console URL picks the EU
// region. The context is canceled, so nothing is sent.
func TestQuickstartTakesTheURLsRegion(t *testing.T) {
	t.Setenv("RIVERY_API_TOKEN", "not-a-real-token")
	t.Setenv("RIVERY_BASE_URL", "")
	t.Setenv("RIVERY_REGION", "")
	t.Setenv("RIVERY_ACCOUNT_ID", "")
	t.Setenv("RIVERY_ENVIRONMENT_ID", "")
	t.Setenv("RIVERY_RIVER_ID", "https://eu-west-1.console.rivery.io/dashboard/5f1a2b3c4d5e6f7081920a1b/6a7b8c9d0e1f2a3b4c5d6e7f/river/63b724fc690def001131d242")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errOut bytes.Buffer
	if code := run(ctx, &out, &errOut); code != 2 {
		t.Errorf("exit %d, want 2 (canceled)", code)
	}
	if !strings.Contains(out.String(), "region eu (from the console URL)") || !strings.Contains(errOut.String(), "api.eu-west-1.rivery.io") {
		t.Errorf("stdout %q, stderr %q; want the EU hosts", &out, &errOut)
	}
}
