package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"go.temporal.io/sdk/client"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestStartNeedsARiver(t *testing.T) {
	t.Setenv("RIVERY_RIVER_ID", "")
	var out, errOut bytes.Buffer
	if code := run(context.Background(), nil, &out, &errOut, client.Dial); code != 2 || !strings.Contains(errOut.String(), "RIVERY_RIVER_ID") {
		t.Errorf("code %d, stderr %q", code, errOut.String())
	}
}

func TestRiverIDs(t *testing.T) {
	t.Setenv("RIVERY_RIVER_ID", "63b724fc690def001131d242")
	ids, err := riverIDs(nil)
	if err != nil || len(ids) != 1 || ids[0] != "63b724fc690def001131d242" {
		t.Errorf("ids %v, err %v", ids, err)
	}
	ids, err = riverIDs([]string{"https://console.rivery.io/dashboard/64b0c0ffee000000000a0001/64b0c0ffee000000000e0001/river/63b724fc690def001131d2a1/source", "63b724fc690def001131d2b2"})
	if err != nil || len(ids) != 2 || ids[0] != "63b724fc690def001131d2a1" {
		t.Errorf("ids %v, err %v", ids, err)
	}
	if _, err := riverIDs([]string{"../etc"}); err == nil {
		t.Error("a bad river ID was accepted")
	}
}
