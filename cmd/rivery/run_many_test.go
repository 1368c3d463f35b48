package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/rivery-go/rivery/riverytest"
)

const missingRiver = "63b724fc690def001131d2ee" // an ID the fake does not know

// manyRivers adds n rivers whose runs stay in progress for polls status
// calls (or activities views) each, and returns their IDs.
func manyRivers(srv *riverytest.Server, n, polls int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("63d0ffee00000000000003%02d", i)
		srv.AddRiver(riverytest.River{ID: ids[i], Polls: polls})
	}
	return ids
}

// outcomesOf reads the --json array of run with several rivers.
func outcomesOf(t *testing.T, out string) []outcomeJSON {
	t.Helper()
	var docs []outcomeJSON
	if err := json.Unmarshal([]byte(out), &docs); err != nil {
		t.Fatalf("not one JSON array: %v\n%s", err, out)
	}
	return docs
}

// Several rivers waited on in one command share the SDK's poller: against
// the v1 API, one environment-wide activities call per round and a status
// call only for a run whose row says it ended, instead of one status call
// per run per interval (what a token-only client, which polls run by run,
// makes for the same rivers).
func TestRunSeveralRiversSharesOnePoller(t *testing.T) {
	const rivers, polls = 6, 5
	requests := map[bool][]riverytest.Request{}
	for _, v1 := range []bool{false, true} {
		srv := fake(t, v1)
		ids := manyRivers(srv, rivers, polls)
		code, out, errOut := invoke(append(append([]string{"run"}, ids...), "--wait", pollFlagArg, "--request-budget", "1000/1s", "--json")...)
		if code != exitOK {
			t.Fatalf("v1=%v: exit %d\n%s%s", v1, code, out, errOut)
		}
		docs := outcomesOf(t, out)
		for i, d := range docs {
			if d.RiverID != ids[i] || d.Outcome != "succeeded" || d.ExitCode != 0 || d.Run == nil || d.Run.Status != "succeeded" {
				t.Errorf("v1=%v: outcome %d: %+v", v1, i, d)
			}
		}
		if len(docs) != rivers {
			t.Errorf("v1=%v: %d outcomes, want %d", v1, len(docs), rivers)
		}
		if hint := strings.Contains(errOut, "with a token only, each run is polled on its own"); hint == v1 {
			t.Errorf("v1=%v: the token-only note is shown: %v\n%s", v1, hint, errOut)
		}
		requests[v1] = srv.Requests()
		srv.Close()
	}
	count := func(reqs []riverytest.Request, route riverytest.Route) int {
		n := 0
		for _, r := range reqs {
			if r.Route == route {
				n++
			}
		}
		return n
	}
	perRun, shared := requests[false], requests[true]
	t.Logf("token only: %d requests (%d status calls); v1: %d requests (%d activities, %d status calls)", len(perRun), count(perRun, riverytest.RouteRunStatus), len(shared), count(shared, riverytest.RouteActivities), count(shared, riverytest.RouteRunStatus))
	// Run by run: every run is read until it ends, polls+1 times.
	if n := count(perRun, riverytest.RouteRunStatus); n < rivers*(polls+1) || count(perRun, riverytest.RouteActivities) != 0 {
		t.Errorf("token only: %d status calls, want at least %d and no activities call", n, rivers*(polls+1))
	}
	// Shared: each activities view moves every run a step, so about polls
	// rounds; each run is read about once, when its row says it ended.
	activities, status := count(shared, riverytest.RouteActivities), count(shared, riverytest.RouteRunStatus)
	if activities < 1 || activities > polls+3 {
		t.Errorf("v1: %d activities calls, want one per round (about %d)", activities, polls+1)
	}
	if status > 2*rivers {
		t.Errorf("v1: %d status calls for %d runs, want about one each", status, rivers)
	}
	if len(shared) >= len(perRun)/2 {
		t.Errorf("v1: %d requests, token only %d: the poller saves little", len(shared), len(perRun))
	}
	for _, r := range shared {
		if r.Route == riverytest.RouteActivities && strings.Contains(r.RawQuery, "group_id") {
			t.Errorf("an activities call is not environment-wide: %s?%s", r.Path, r.RawQuery)
		}
	}
}

// The exit status is the worst of the rivers' outcomes: 0, 1 (a run ended
// otherwise), 2 (a trigger failed), 124 (--timeout), a signal's. A river
// whose trigger fails does not stop the others.
func TestRunSeveralRiversExitCodes(t *testing.T) {
	for _, tt := range []struct {
		name   string
		rivers []string
		noWait bool
		args   []string
		code   int
		want   []string // each river's outcome
	}{
		{"all succeed", []string{okRiver, "demo"}, false, nil, exitOK, []string{"succeeded", "succeeded"}},
		{"one fails", []string{okRiver, failRiver}, false, nil, exitFailed, []string{"succeeded", "failed"}},
		{"a trigger fails, the others are waited for", []string{okRiver, missingRiver, failRiver}, false, nil, exitError, []string{"succeeded", "error", "failed"}},
		{"a timeout beats an error", []string{missingRiver, slowRiver, okRiver}, false, []string{"--timeout", "2s"}, exitTimeout, []string{"error", "timed_out", "succeeded"}},
		{"without --wait: triggered", []string{okRiver, slowRiver}, true, nil, exitOK, []string{"triggered", "triggered"}},
		{"without --wait: an error", []string{okRiver, missingRiver}, true, nil, exitError, []string{"triggered", "error"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fake(t, true)
			args := append([]string{"run"}, tt.rivers...)
			if !tt.noWait {
				args = append(args, "--wait", pollFlagArg)
			}
			code, out, errOut := invoke(append(append(args, tt.args...), "--json")...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\n%s%s", code, tt.code, out, errOut)
			}
			docs := outcomesOf(t, out)
			if len(docs) != len(tt.rivers) {
				t.Fatalf("%d outcomes for %d rivers:\n%s", len(docs), len(tt.rivers), out)
			}
			for i, d := range docs {
				if d.RiverID != tt.rivers[i] || d.Outcome != tt.want[i] {
					t.Errorf("outcome %d: %s %s, want %s %s", i, d.RiverID, d.Outcome, tt.rivers[i], tt.want[i])
				}
				if d.Outcome == "error" && (!strings.Contains(d.Error, "404 Not Found") || d.Run != nil || d.ExitCode != exitError ||
					!strings.Contains(errOut, "rivery: river "+missingRiver+": POST ")) {
					t.Errorf("the failed trigger: %+v\n%s", d, errOut)
				}
			}
		})
	}
}

// --cancel-on-exit cancels every run a timeout left going, and only those.
func TestRunSeveralRiversCancelOnExit(t *testing.T) {
	srv := fake(t, true)
	other := "63b724fc690def001131d245"
	srv.AddRiver(riverytest.River{ID: other, Name: "slow too", Duration: time.Hour})
	code, out, errOut := invoke("run", okRiver, slowRiver, other, "--wait", pollFlagArg, "--timeout", "2s", "--cancel-on-exit", "--json")
	if code != exitTimeout {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	docs := outcomesOf(t, out)
	if docs[0].Outcome != "succeeded" || docs[0].Run.CancelRequested != nil {
		t.Errorf("the run that ended: %+v", docs[0])
	}
	for _, d := range docs[1:] {
		if d.Outcome != "timed_out" || d.ExitCode != exitTimeout || d.Run == nil || !d.Run.TimedOut || d.Run.CancelRequested == nil || !*d.Run.CancelRequested {
			t.Errorf("a run left going: %+v", d)
		}
	}
	if n := len(srv.RequestsTo(riverytest.RouteCancelRun)); n != 2 {
		t.Errorf("%d cancel calls, want 2", n)
	}
	if !strings.Contains(errOut, "rivery: timed out after 2s: 2 of 3 rivers had not ended; canceled 2 runs on Rivery\n") {
		t.Errorf("stderr:\n%s", errOut)
	}

	// Text: one line per river on stdout; without --cancel-on-exit the
	// runs left are named on stderr.
	code, out, errOut = invoke("run", okRiver, slowRiver, "--wait", pollFlagArg, "--timeout", "2s")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != exitTimeout || len(lines) != 2 || !strings.HasSuffix(lines[0], " of river "+okRiver+": succeeded") ||
		!strings.Contains(lines[1], " of river "+slowRiver+": ") || !strings.HasSuffix(lines[1], " when the wait stopped; left running") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	if !strings.Contains(errOut, "1 of 2 rivers had not ended; 1 run left running: run ") {
		t.Errorf("stderr:\n%s", errOut)
	}
}

// A signal stops every wait and is the exit status, whatever else
// happened.
func TestRunSeveralRiversSignal(t *testing.T) {
	srv := fake(t, true)
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	go func() {
		// Both triggers answered and a status read made: the CLI holds the runs.
		waitFor(func() bool {
			return len(srv.RequestsTo(riverytest.RouteRun)) == 3 &&
				len(srv.RequestsTo(riverytest.RouteRunStatus))+len(srv.RequestsTo(riverytest.RouteActivities)) > 0
		})
		cancel(signalError{os.Interrupt})
	}()
	var out, errOut bytes.Buffer
	code := run(ctx, []string{"run", slowRiver, missingRiver, failRiver, "--wait", "--poll-interval", "20ms", "--json"}, &out, &errOut)
	if code != 130 {
		t.Fatalf("exit %d, want 130\n%s%s", code, &out, &errOut)
	}
	docs := outcomesOf(t, out.String())
	if docs[0].Outcome != "stopped" || docs[0].Run == nil || !docs[0].Run.Stopped || docs[1].Outcome != "error" {
		t.Errorf("outcomes: %+v", docs)
	}
	if !strings.Contains(errOut.String(), "rivery: stopped by SIGINT: ") {
		t.Errorf("stderr:\n%s", &errOut)
	}
}

func TestRunSeveralRiversUsage(t *testing.T) {
	srv := fake(t, false)
	url := func(env string) string {
		return "https://console.rivery.io/dashboard/" + srv.AccountID + "/" + env + "/river/" + okRiver
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"run", okRiver, failRiver, okRiver}, "river " + okRiver + " is given twice"},
		{[]string{"run", url(srv.EnvironmentID), okRiver}, "river " + okRiver + " is given twice"},
		{[]string{"run", url(srv.EnvironmentID), url("64b0c0ffee000000000e0009")}, "the console URLs name different environments or regions"},
		{[]string{"run", okRiver, failRiver, "--request-budget", "15"}, "--request-budget \"15\": want N/PERIOD such as 15/1m"},
		{[]string{"run", okRiver, failRiver, "--request-budget", "0/1m"}, "N a whole number, 1 or more"},
	} {
		code, out, errOut := invoke(tt.args...)
		if code != exitError || out != "" || !strings.Contains(errOut, tt.want) || !strings.Contains(errOut, "Usage: rivery run <river>...") {
			t.Errorf("%q: exit %d\n%s%s", tt.args, code, out, errOut)
		}
	}
	if n := len(srv.RequestsTo(riverytest.RouteRun)); n != 0 {
		t.Errorf("%d triggers sent for usage errors", n)
	}
}

// Not on a terminal: one plain line per status change, naming the river,
// as for one river; text outcomes one line per river, in the order given.
func TestRunSeveralRiversPlainProgress(t *testing.T) {
	fake(t, true)
	code, out, errOut := invoke("run", failRiver, okRiver, "--wait", pollFlagArg)
	if code != exitFailed {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.HasSuffix(lines[0], " of river "+failRiver+": failed (disk full)") || !strings.HasSuffix(lines[1], " of river "+okRiver+": succeeded") {
		t.Errorf("stdout:\n%s", out)
	}
	for _, want := range []string{"  river " + failRiver + "  run ", "  river " + okRiver + "  run ", "  pending\n", "  failed\n", "  succeeded\n"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if strings.Contains(errOut, "\r") || strings.Contains(errOut, "\x1b") {
		t.Errorf("terminal codes in a log:\n%q", errOut)
	}
	if code, _, errOut := invoke("run", failRiver, okRiver, "--wait", pollFlagArg, "--quiet"); code != exitFailed || errOut != "" {
		t.Errorf("--quiet: exit %d: %q", code, errOut)
	}
}
