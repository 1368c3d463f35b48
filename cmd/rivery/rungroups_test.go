package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/rivery-go/rivery/riverytest"
)

const (
	masterRiver = "63b724fc690def001131d250"
	subOK       = "63b724fc690def001131d251"
	subFail     = "63b724fc690def001131d252"
	busyRiver   = "63b724fc690def001131d253"
)

// groupFake adds a master river whose v1 trigger starts two runs (one
// fails) and a river whose trigger is skipped while a run is in flight.
func groupFake(t *testing.T) *riverytest.Server {
	t.Helper()
	srv := fake(t, true)
	srv.AddRiver(riverytest.River{ID: masterRiver, Name: "master", Polls: 1, SubRivers: []riverytest.SubRiver{
		{ID: subOK, Name: "orders"},
		{ID: subFail, Name: "customers", Outcome: "failed", Message: "disk full"},
	}})
	srv.AddRiver(riverytest.River{ID: busyRiver, Name: "busy", Polls: 2, SkipWhileRunning: true})
	return srv
}

func TestRunWaitShowsTheWholeGroup(t *testing.T) {
	groupFake(t)
	code, out, errOut := invoke("run", masterRiver, "--wait", pollFlagArg)
	if code != exitFailed {
		t.Fatalf("exit %d, want 1 (a run of the group failed):\n%s%s", code, out, errOut)
	}
	for _, want := range []string{"run group ", " (2 runs): partially succeeded", "(sub-river " + subOK + "): succeeded", "(sub-river " + subFail + "): failed (disk full)"} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errOut, "run group ") {
		t.Errorf("progress does not name the group:\n%s", errOut)
	}

	code, out, errOut = invoke("run", masterRiver, "--wait", pollFlagArg, "--json")
	var got runJSON
	if code != exitFailed || json.Unmarshal([]byte(out), &got) != nil {
		t.Fatalf("--json: exit %d:\n%s%s", code, out, errOut)
	}
	if got.Status != "partially succeeded" || got.GroupID == "" || len(got.Runs) != 2 ||
		got.Runs[0].SubRiverID != subOK || got.Runs[0].Status != "succeeded" ||
		got.Runs[1].SubRiverID != subFail || got.Runs[1].Status != "failed" || got.Runs[1].Message != "disk full" {
		t.Errorf("--json: %+v", got)
	}

	// Without --wait the trigger's group is shown too.
	code, out, _ = invoke("run", masterRiver, "--json")
	if code != exitOK || json.Unmarshal([]byte(out), &got) != nil || len(got.Runs) != 2 {
		t.Errorf("run --json: %d %s", code, out)
	}
}

func TestRunWaitGroupSucceeded(t *testing.T) {
	srv := fake(t, true)
	srv.AddRiver(riverytest.River{ID: masterRiver, Polls: 1, SubRivers: []riverytest.SubRiver{{ID: subOK}, {ID: subFail}}})
	code, out, errOut := invoke("run", masterRiver, "--wait", pollFlagArg)
	if code != exitOK || !strings.Contains(out, "(2 runs): succeeded") {
		t.Errorf("exit %d:\n%s%s", code, out, errOut)
	}
}

func TestRunsGetShowsTheGroup(t *testing.T) {
	groupFake(t)
	code, out, errOut := invoke("run", masterRiver, "--json")
	var trig runJSON
	if code != exitOK || json.Unmarshal([]byte(out), &trig) != nil || len(trig.Runs) != 2 {
		t.Fatalf("run: %d %s%s", code, out, errOut)
	}
	second := trig.Runs[1].ID
	code, out, errOut = invoke("runs", "get", masterRiver, second, "--json")
	var got runJSON
	if code != exitOK || json.Unmarshal([]byte(out), &got) != nil {
		t.Fatalf("runs get: %d %s%s", code, out, errOut)
	}
	if got.ID != second || got.GroupID != trig.GroupID || len(got.Runs) != 2 || got.Runs[0].ID != trig.Runs[0].ID || got.Runs[1].ID != second {
		t.Errorf("runs get --json: %+v", got)
	}
	code, out, _ = invoke("runs", "get", masterRiver, second)
	if code != exitOK || !strings.Contains(out, "run group "+trig.GroupID) || !strings.Contains(out, "  run "+trig.Runs[0].ID) {
		t.Errorf("runs get: %d\n%s", code, out)
	}
	// A single run's group is not listed.
	code, out, _ = invoke("run", okRiver, "--json")
	if code != exitOK || json.Unmarshal([]byte(out), &trig) != nil {
		t.Fatal(out)
	}
	if code, out, _ = invoke("runs", "get", okRiver, trig.ID, "--json"); code != exitOK || strings.Contains(out, `"runs"`) {
		t.Errorf("single run: %d %s", code, out)
	}
}

func TestRunsGetGroupLookupFailsSoftly(t *testing.T) {
	srv := groupFake(t)
	code, out, _ := invoke("run", masterRiver, "--json")
	var trig runJSON
	if code != exitOK || json.Unmarshal([]byte(out), &trig) != nil {
		t.Fatal(out)
	}
	srv.Fail(riverytest.RouteRuns, 1, riverytest.Fault{Status: 403})
	code, out, errOut := invoke("runs", "get", masterRiver, trig.ID)
	if code != exitOK || !strings.HasPrefix(out, "run "+trig.ID) || !strings.Contains(errOut, "could not list the other runs of run group "+trig.GroupID) {
		t.Errorf("exit %d:\n%s%s", code, out, errOut)
	}
}

func TestRunSkippedWaitsForTheRunInFlight(t *testing.T) {
	srv := groupFake(t)
	code, out, _ := invoke("run", busyRiver, "--json")
	var first runJSON
	if code != exitOK || json.Unmarshal([]byte(out), &first) != nil {
		t.Fatal(out)
	}
	// Without --wait: the skipped trigger names the run in flight.
	code, out, errOut := invoke("run", busyRiver)
	if code != exitOK || !strings.Contains(out, ": skipped") || !strings.Contains(out, "run "+first.ID+" is in flight") {
		t.Errorf("run: %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = invoke("run", busyRiver, "--wait", pollFlagArg, "--json")
	var got runJSON
	if code != exitOK || json.Unmarshal([]byte(out), &got) != nil || got.ID != first.ID || got.Status != "succeeded" || !got.TriggerSkipped {
		t.Errorf("run --wait: %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "the trigger was skipped: run "+first.ID) {
		t.Errorf("stderr: %s", errOut)
	}
	if n := srv.RunsStarted(busyRiver); n != 1 {
		t.Errorf("runs started = %d, want 1", n)
	}
}

func TestRunsCancelGroup(t *testing.T) {
	srv := fake(t, true)
	srv.AddRiver(riverytest.River{ID: masterRiver, Duration: time.Hour, SubRivers: []riverytest.SubRiver{{ID: subOK}, {ID: subFail}}})
	code, out, _ := invoke("run", masterRiver, "--json")
	var trig runJSON
	if code != exitOK || json.Unmarshal([]byte(out), &trig) != nil {
		t.Fatal(out)
	}
	code, out, errOut := invoke("runs", "cancel", masterRiver, "--group", trig.GroupID)
	if code != exitOK || !strings.Contains(out, "cancel requested for run group "+trig.GroupID) {
		t.Fatalf("exit %d:\n%s%s", code, out, errOut)
	}
	reqs := srv.RequestsTo(riverytest.RouteCancelRun)
	if len(reqs) != 1 || !strings.Contains(string(reqs[0].Body), `"run_group_id":"`+trig.GroupID+`"`) {
		t.Errorf("cancel requests: %+v", reqs)
	}
	for _, r := range trig.Runs {
		if code, out, _ := invoke("runs", "get", masterRiver, r.ID, "--json"); !strings.Contains(out, `"status": "canceled"`) {
			t.Errorf("run %s after the group's cancel: %d %s", r.ID, code, out)
		}
	}
}

// A timed-out run --wait on a group reports every run and, with
// --cancel-on-exit, cancels the whole group by its run group ID.
func TestRunWaitGroupCancelOnExit(t *testing.T) {
	srv := fake(t, true)
	srv.AddRiver(riverytest.River{ID: masterRiver, Duration: time.Hour, SubRivers: []riverytest.SubRiver{{ID: subOK}, {ID: subFail}}})
	code, out, errOut := invoke("run", masterRiver, "--wait", "--timeout", "200ms", pollFlagArg, "--json", "--cancel-on-exit")
	var got runJSON
	if code != exitTimeout || json.Unmarshal([]byte(out), &got) != nil || !got.TimedOut || got.CancelRequested == nil || !*got.CancelRequested || len(got.Runs) != 2 {
		t.Fatalf("exit %d:\n%s%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "run group "+got.GroupID+" of river "+masterRiver) || !strings.Contains(errOut, "canceled it on Rivery") {
		t.Errorf("stderr: %s", errOut)
	}
	reqs := srv.RequestsTo(riverytest.RouteCancelRun)
	if len(reqs) != 1 || !strings.Contains(string(reqs[0].Body), `"run_group_id":"`+got.GroupID+`"`) {
		t.Errorf("cancel requests: %+v", reqs)
	}
}
