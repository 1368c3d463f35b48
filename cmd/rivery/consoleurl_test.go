package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

const (
	euURL       = "https://eu-west-1.console.rivery.io/dashboard/5f1a2b3c4d5e6f7081920a1b/6a7b8c9d0e1f2a3b4c5d6e7f/river/" + okRiver
	euAccount   = "5f1a2b3c4d5e6f7081920a1b"
	euEnvironID = "6a7b8c9d0e1f2a3b4c5d6e7f"
)

func TestURLDefaults(t *testing.T) {
	u, err := rivery.ParseConsoleURL(euURL)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name                       string
		region, base, account, env string
		wantRegion                 rivery.Region
		wantAccount, wantEnv       string
	}{
		{"nothing set", "", "", "", "", rivery.RegionEU, euAccount, euEnvironID},
		{"RIVERY_REGION wins", "us", "", "", "", "", euAccount, euEnvironID},
		{"RIVERY_BASE_URL wins", "", "http://127.0.0.1:1", "", "", "", euAccount, euEnvironID},
		{"the IDs set win", "", "", "64b0c0ffee000000000a0001", "64b0c0ffee000000000e0001", rivery.RegionEU, "", ""},
	} {
		r, a, e := urlDefaults(u, tt.region, tt.base, tt.account, tt.env)
		if r != tt.wantRegion || a != tt.wantAccount || e != tt.wantEnv {
			t.Errorf("%s: got %q %q %q", tt.name, r, a, e)
		}
	}
	if r, a, e := urlDefaults(&rivery.ConsoleURL{RiverID: okRiver}, "", "", "", ""); r != "" || a != "" || e != "" {
		t.Errorf("bare river ID: got %q %q %q", r, a, e)
	}
	if r, a, e := urlDefaults(nil, "", "", "", ""); r != "" || a != "" || e != "" {
		t.Errorf("no URL: got %q %q %q", r, a, e)
	}
}

// invokeCanceled runs the command with a context already canceled: the
// client is built, but nothing is sent; the error names the URL it was
// for.
func invokeCanceled(args ...string) (int, string, string) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errOut bytes.Buffer
	code := run(ctx, args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// Without RIVERY_REGION or RIVERY_BASE_URL an EU console URL sends the
// trigger to the EU host (to the v1 API of the URL's IDs), not the US one.
// What the variables set wins.
func TestConsoleURLPicksTheRegion(t *testing.T) {
	t.Setenv("RIVERY_API_TOKEN", "not-a-real-token")
	t.Setenv("RIVERY_BASE_URL", "")
	t.Setenv("RIVERY_REGION", "")
	t.Setenv("RIVERY_ACCOUNT_ID", "")
	t.Setenv("RIVERY_ENVIRONMENT_ID", "")
	code, out, errOut := invokeCanceled("run", euURL, "--verbose")
	if code != exitError || !strings.Contains(errOut, "https://api.eu-west-1.rivery.io/v1/accounts/"+euAccount+"/environments/"+euEnvironID+"/rivers/"+okRiver+"/run") {
		t.Errorf("exit %d, want the EU v1 host:\n%s%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "from the console URL: region eu; account "+euAccount) {
		t.Errorf("--verbose does not say what it took from the URL:\n%s", errOut)
	}
	if strings.Contains(out+errOut, "not-a-real-token") {
		t.Error("the token was printed")
	}

	t.Setenv("RIVERY_REGION", "us")
	if _, _, errOut := invokeCanceled("run", euURL); !strings.Contains(errOut, "https://api.rivery.io/v1/accounts/"+euAccount) {
		t.Errorf("RIVERY_REGION=us: %s", errOut)
	}
	t.Setenv("RIVERY_REGION", "")
	t.Setenv("RIVERY_ACCOUNT_ID", "64b0c0ffee000000000a0001")
	t.Setenv("RIVERY_ENVIRONMENT_ID", "64b0c0ffee000000000e0001")
	if _, _, errOut := invokeCanceled("run", euURL); !strings.Contains(errOut, "https://api.eu-west-1.rivery.io/v1/accounts/64b0c0ffee000000000a0001/environments/64b0c0ffee000000000e0001/") {
		t.Errorf("RIVERY_ACCOUNT_ID set: %s", errOut)
	}
}

// The 401 hint names the region taken from the URL.
func TestWhereNamesTheURLsRegion(t *testing.T) {
	t.Setenv("RIVERY_BASE_URL", "")
	t.Setenv("RIVERY_REGION", "")
	c := &cli{urlRegion: rivery.RegionEU}
	if got := c.where(); got != "the eu region (from the console URL's host)" {
		t.Errorf("where() = %q", got)
	}
}

// On the fake (RIVERY_BASE_URL set, so the URL's region is not taken), a
// console URL of another region still gives its IDs.
func TestConsoleURLIDsOnTheFake(t *testing.T) {
	srv := fake(t, false)
	url := "https://eu-west-1.console.rivery.io/river/" + srv.AccountID + "/" + srv.EnvironmentID + "/river/" + okRiver
	code, out, errOut := invoke("runs", "list", url, "--json")
	if code != exitOK || strings.Contains(errOut, "region") {
		t.Fatalf("runs list: exit %d: %s%s", code, out, errOut)
	}
	if reqs := srv.RequestsTo(riverytest.RouteMe); len(reqs) != 0 {
		t.Errorf("asked /api/me %d times; the URL gave the IDs", len(reqs))
	}
}
