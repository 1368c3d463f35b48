package main

import (
	"bufio"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/rivery-go/rivery/riverytest"
)

const logicRiver = "63b724fc690def001131d2aa"

// ranFake is fake with a logic river and a finished run of okRiver,
// failRiver and the logic river, all recorded an hour ago.
func ranFake(t *testing.T, v1 bool) (*riverytest.Server, map[string]string) {
	t.Helper()
	srv := fake(t, v1)
	srv.AddRiver(riverytest.River{ID: logicRiver, Name: "rollup", Type: "logic"})
	runs := map[string]string{}
	for id, status := range map[string]string{okRiver: "succeeded", failRiver: "failed", logicRiver: "failed"} {
		runID, err := srv.AddRun(riverytest.RecordedRun{RiverID: id, Started: time.Now().Add(-time.Hour), Status: status, Message: "disk full"})
		if err != nil {
			t.Fatal(err)
		}
		runs[id] = runID
	}
	return srv, runs
}

func TestActivitiesCommand(t *testing.T) {
	for _, v1 := range []bool{false, true} {
		ranFake(t, v1)
		code, out, errOut := invoke("activities", "--since", "2h", "--status", "failed", "--jsonl")
		if code != exitOK {
			t.Fatalf("v1=%v: exit %d %s", v1, code, errOut)
		}
		var names []string
		sc := bufio.NewScanner(strings.NewReader(out))
		for sc.Scan() {
			var row activityJSON
			if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
				t.Fatalf("line %q: %v", sc.Text(), err)
			}
			if row.Failed != 1 || row.LastRun == nil {
				t.Errorf("row = %+v", row)
			}
			names = append(names, row.RiverName)
		}
		if strings.Join(names, ",") != "broken,rollup" {
			t.Errorf("v1=%v: failed rivers = %q, want broken, rollup", v1, names)
		}
		if code, out, _ := invoke("activities", "--since", "30m", "--jsonl"); code != exitOK || out != "" {
			t.Errorf("a window without runs: %d %q", code, out)
		}
	}
	for _, args := range [][]string{{"--since", "-1h"}, {"--status", "bogus"}, {"extra"}} {
		if code, _, _ := invoke(append([]string{"activities"}, args...)...); code != exitError {
			t.Errorf("activities %q: exit %d, want %d", args, code, exitError)
		}
	}
}

func TestRunsDetailCommands(t *testing.T) {
	srv, runs := ranFake(t, true)
	if code, out, errOut := invoke("runs", "tasks", failRiver, runs[failRiver]); code != exitOK || !strings.HasPrefix(out, "TASK") || !strings.Contains(out, "disk full") {
		t.Errorf("runs tasks: %d %s %s", code, out, errOut)
	}
	var steps []partJSON
	code, out, errOut := invoke("runs", "steps", logicRiver, runs[logicRiver], "--json")
	if code != exitOK || json.Unmarshal([]byte(out), &steps) != nil || len(steps) != 2 || steps[1].Status != "failed" {
		t.Fatalf("runs steps: %d %s %s", code, out, errOut)
	}
	if code, out, errOut := invoke("runs", "step-log", logicRiver, runs[logicRiver], steps[0].ID, "--iteration", "2"); code != exitOK || !strings.Contains(out, "iteration 2") {
		t.Errorf("runs step-log: %d %s %s", code, out, errOut)
	}
	if code, out, _ := invoke("runs", "step-log", logicRiver, runs[logicRiver], steps[0].ID, "--url"); code != exitOK || !strings.HasPrefix(out, srv.URL+"/presigned/") {
		t.Errorf("runs step-log --url: %d %s", code, out)
	}
	if code, _, errOut := invoke("runs", "step-log", logicRiver, runs[logicRiver], steps[1].ID); code != exitError || !strings.Contains(errOut, "Invalid step type") {
		t.Errorf("runs step-log of a SQL step: %d %s", code, errOut)
	}
	for _, req := range srv.RequestsTo(riverytest.RoutePresignedLogs) {
		if req.Header.Get("Authorization") != "" {
			t.Error("the presigned request carried the token")
		}
	}
	var vars map[string]any
	if code, out, errOut := invoke("runs", "vars", logicRiver, runs[logicRiver], "--json"); code != exitOK || json.Unmarshal([]byte(out), &vars) != nil || vars["rows_loaded"] != 1000.0 {
		t.Errorf("runs vars: %d %s %s", code, out, errOut)
	}
	if code, out, _ := invoke("runs", "vars", logicRiver, runs[logicRiver]); code != exitOK || !strings.Contains(out, "target_schema=\"analytics\"") {
		t.Errorf("runs vars: %d %s", code, out)
	}
}
