package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"go.uber.org/goleak"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

func TestMain(m *testing.M) {
	// The tests that trace set the OTEL_* variables they need; none may
	// come from the machine's environment.
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "OTEL_") {
			_ = os.Unsetenv(name)
		}
	}
	goleak.VerifyTestMain(m)
}

// The tests set RIVERY_* variables, so none runs in parallel.

const (
	okRiver     = "63b724fc690def001131d242"
	failRiver   = "63b724fc690def001131d243"
	slowRiver   = "63b724fc690def001131d244"
	pollFlagArg = "--poll-interval=1ms"
)

// fake starts riverytest and points the RIVERY_* variables at it.
func fake(t *testing.T, v1 bool) *riverytest.Server {
	t.Helper()
	srv := riverytest.NewServer(
		riverytest.WithRiver(riverytest.River{ID: okRiver, Name: "orders"}),
		riverytest.WithRiver(riverytest.River{ID: failRiver, Name: "broken", Outcome: "failed", Message: "disk full"}),
		riverytest.WithRiver(riverytest.River{ID: slowRiver, Name: "slow", Duration: time.Hour}),
		riverytest.WithRiver(riverytest.River{ID: "demo", Name: "demo", Polls: -1}),
	)
	t.Cleanup(srv.Close)
	t.Setenv("RIVERY_API_TOKEN", srv.AdminToken())
	t.Setenv("RIVERY_BASE_URL", srv.URL)
	t.Setenv("RIVERY_REGION", "")
	acc, env := "", ""
	if v1 {
		acc, env = srv.AccountID, srv.EnvironmentID
	}
	t.Setenv("RIVERY_ACCOUNT_ID", acc)
	t.Setenv("RIVERY_ENVIRONMENT_ID", env)
	return srv
}

// invoke runs the command and returns its exit status, stdout and stderr.
func invoke(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestRunWait(t *testing.T) {
	for _, v1 := range []bool{false, true} {
		srv := fake(t, v1)
		code, out, errOut := invoke("run", okRiver, "--wait", pollFlagArg)
		if code != exitOK || !strings.Contains(out, "succeeded") {
			t.Fatalf("v1=%v: exit %d\n%s%s", v1, code, out, errOut)
		}
		// Not a terminal: one line per status change on stderr.
		if !strings.Contains(errOut, "  pending\n") || !strings.Contains(errOut, "  running\n") || strings.Contains(errOut, "\r") {
			t.Errorf("progress lines:\n%s", errOut)
		}
		if srv.RunsStarted(okRiver) != 1 {
			t.Errorf("runs started = %d", srv.RunsStarted(okRiver))
		}
	}
}

func TestRunFailedExitsOne(t *testing.T) {
	fake(t, false)
	code, out, errOut := invoke("run", failRiver, "--wait", pollFlagArg)
	if code != exitFailed || !strings.Contains(out, "failed (disk full)") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
}

func TestRunTimeoutExits124(t *testing.T) {
	srv := fake(t, true)
	code, out, errOut := invoke("run", slowRiver, "--wait", "--timeout", "50ms", pollFlagArg)
	if code != exitTimeout || !strings.Contains(errOut, "timed out after 50ms") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	if srv.RunsStarted(slowRiver) != 1 {
		t.Errorf("runs started = %d", srv.RunsStarted(slowRiver))
	}
}

func TestBadTokenExitsTwo(t *testing.T) {
	srv := fake(t, false)
	t.Setenv("RIVERY_API_TOKEN", "not-the-token")
	code, out, errOut := invoke("run", okRiver)
	if code != exitError || !strings.Contains(errOut, "401 Unauthorized") || !strings.Contains(errOut, "invalid or expired token") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	if strings.Contains(out+errOut, srv.AdminToken()) || strings.Contains(out+errOut, "not-the-token") {
		t.Error("a token was printed")
	}
	t.Setenv("RIVERY_API_TOKEN", "")
	if code, _, errOut := invoke("run", okRiver); code != exitError || !strings.Contains(errOut, "RIVERY_API_TOKEN is not set") {
		t.Errorf("no token: exit %d: %s", code, errOut)
	}
}

// A console URL's IDs are used when RIVERY_ACCOUNT_ID and
// RIVERY_ENVIRONMENT_ID are not set: the trigger goes to the v1 API.
func TestRunJSONAndConsoleURL(t *testing.T) {
	srv := fake(t, false)
	url := "https://console.rivery.io/dashboard/" + srv.AccountID + "/" + srv.EnvironmentID + "/river/" + okRiver + "/source"
	code, out, errOut := invoke("run", url, "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got struct {
		RunID     string `json:"run_id"`
		RiverID   string `json:"river_id"`
		Status    string `json:"status"`
		RawStatus string `json:"raw_status"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || got.RiverID != okRiver || got.Status != "pending" || got.RawStatus != "pending" || len(got.RunID) != 32 {
		t.Fatalf("json %q: %+v %v", out, got, err)
	}
	if reqs := srv.RequestsTo(riverytest.RouteRun); len(reqs) != 1 || !strings.HasPrefix(reqs[0].Path, "/v1/accounts/"+srv.AccountID+"/environments/"+srv.EnvironmentID+"/") {
		t.Errorf("trigger = %+v, want the v1 API of the URL's account", reqs)
	}
}

func TestRunsCommands(t *testing.T) {
	fake(t, true)
	code, out, _ := invoke("run", failRiver, "--json")
	var trig struct {
		RunID string `json:"run_id"`
	}
	if code != exitOK || json.Unmarshal([]byte(out), &trig) != nil {
		t.Fatalf("run: %d %s", code, out)
	}
	if code, out, errOut := invoke("runs", "get", failRiver, trig.RunID, "--json"); code != exitOK || !strings.Contains(out, `"status": "pending"`) {
		t.Errorf("runs get: %d %s %s", code, out, errOut)
	}
	if code, out, errOut := invoke("runs", "list", failRiver, "--json"); code != exitOK || !strings.Contains(out, trig.RunID) {
		t.Errorf("runs list: %d %s %s", code, out, errOut)
	}
	if code, out, errOut := invoke("runs", "list", failRiver); code != exitOK || !strings.HasPrefix(out, "RUN ID") {
		t.Errorf("runs list table: %d %s %s", code, out, errOut)
	}
	var logs []struct{ Level, Msg string }
	if code, out, errOut := invoke("runs", "logs", failRiver, trig.RunID, "--json"); code != exitOK || json.Unmarshal([]byte(out), &logs) != nil || len(logs) == 0 || !strings.Contains(logs[0].Msg, "started") {
		t.Errorf("runs logs: %d %s %s", code, out, errOut)
	}
	if code, out, errOut := invoke("runs", "cancel", failRiver, trig.RunID); code != exitOK || !strings.Contains(out, "cancel requested") {
		t.Errorf("runs cancel: %d %s %s", code, out, errOut)
	}
	if code, _, errOut := invoke("runs", "cancel", failRiver, trig.RunID); code != exitError || !strings.Contains(errOut, "no runs found to cancel") {
		t.Errorf("second cancel: %d %s", code, errOut)
	}
}

func TestRiversCommands(t *testing.T) {
	fake(t, true)
	var rivers []rivery.River
	code, out, errOut := invoke("rivers", "list", "--json")
	if code != exitOK || json.Unmarshal([]byte(out), &rivers) != nil || len(rivers) != 4 || rivers[0].ID != okRiver {
		t.Fatalf("rivers list: %d %s %s", code, out, errOut)
	}
	if code, out, _ := invoke("rivers", "list", "--name", "broken"); code != exitOK || !strings.Contains(out, failRiver) || strings.Contains(out, okRiver) {
		t.Errorf("rivers list --name: %d %s", code, out)
	}
	if code, out, _ := invoke("rivers", "get", okRiver); code != exitOK || !strings.Contains(out, "Name:        orders") {
		t.Errorf("rivers get: %d %s", code, out)
	}
	if code, _, errOut := invoke("rivers", "get", "63b724fc690def001131d2ee"); code != exitError || !strings.Contains(errOut, "404") {
		t.Errorf("rivers get unknown: %d %s", code, errOut)
	}
}

func TestTokensCommands(t *testing.T) {
	srv := fake(t, false)
	code, out, errOut := invoke("tokens", "create", "--name", "ci", "--scope", "river:execute", "--scope", "river:list", "--json")
	var created struct {
		ID     string   `json:"token_id"`
		Scopes []string `json:"scopes"`
		Value  string   `json:"token"`
	}
	if code != exitOK || json.Unmarshal([]byte(out), &created) != nil || created.Value == "" || len(created.Scopes) != 2 {
		t.Fatalf("tokens create: %d %s %s", code, out, errOut)
	}
	if !strings.Contains(errOut, "only this once") {
		t.Errorf("no warning to store the value: %s", errOut)
	}
	if code, out, _ := invoke("tokens", "list", "--json"); code != exitOK || !strings.Contains(out, created.ID) || strings.Contains(out, created.Value) {
		t.Errorf("tokens list: %d %s", code, out)
	}
	if code, out, _ := invoke("tokens", "get", created.ID); code != exitOK || !strings.Contains(out, "river:execute,river:list") {
		t.Errorf("tokens get: %d %s", code, out)
	}
	if code, out, _ := invoke("tokens", "delete", created.ID); code != exitOK || !strings.Contains(out, "deleted") {
		t.Errorf("tokens delete: %d %s", code, out)
	}
	// A non-admin token may not manage tokens.
	user := srv.AddToken(riverytest.Token{Scopes: []rivery.Scope{rivery.ScopeRiverExecute}})
	t.Setenv("RIVERY_API_TOKEN", user.Value)
	if code, _, errOut := invoke("tokens", "list"); code != exitError || !strings.Contains(errOut, "403") {
		t.Errorf("non-admin tokens list: %d %s", code, errOut)
	}
}

func TestUsage(t *testing.T) {
	fake(t, false)
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{nil, exitError, "Usage:"},
		{[]string{"--help"}, exitOK, "Usage:"},
		{[]string{"version"}, exitOK, "rivery " + rivery.Version},
		{[]string{"--version"}, exitOK, "rivery " + rivery.Version},
		{[]string{"launch"}, exitError, `unknown command "launch"`},
		{[]string{"help", "runs", "lst"}, exitError, `no help for "runs lst": unknown command; did you mean "get" or "list"?`},
		{[]string{"help", "runs"}, exitOK, "Available Commands:\n  cancel"},
		{[]string{"run"}, exitError, "run needs <river>"},
		{[]string{"run", "a/b"}, exitError, `rivery: invalid argument: "a/b" is neither a river ID nor a console URL`},
		{[]string{"run", ".."}, exitError, `river ID ".." is not an ID`},
		{[]string{"run", okRiver, "--bogus"}, exitError, "unknown flag --bogus for run"},
		{[]string{"run", "--help"}, exitOK, "Usage:\n  rivery run <river>... [flags]"},
		{[]string{"runs"}, exitError, "runs needs a subcommand: cancel, get, list"},
		{[]string{"tokens", "create", "--name", "x"}, exitError, `required flag(s) "scope" not set`},
		{[]string{"runs", "start"}, exitError, `unknown subcommand "start" of runs (want cancel, get, list, logs, step-log, steps, tasks or vars)`},
	} {
		code, out, errOut := invoke(tt.args...)
		if code != tt.code || !strings.Contains(out+errOut, tt.want) {
			t.Errorf("rivery %q: exit %d, want %d with %q:\n%s%s", tt.args, code, tt.code, tt.want, out, errOut)
		}
	}
}

func TestServerTextIsPrintable(t *testing.T) {
	srv := fake(t, false)
	const evil = "\x1b[2J\ncleared\r\tx"
	id := srv.AddRiver(riverytest.River{Name: evil, Description: evil, Outcome: "failed", Message: evil, Polls: -1}).ID
	for _, args := range [][]string{{"rivers", "list"}, {"rivers", "get", id}, {"run", id, "--wait", pollFlagArg}} {
		_, out, errOut := invoke(args...)
		if strings.ContainsAny(out+errOut, "\x1b\r\t") || !strings.Contains(out+errOut, `\x1b[2J\ncleared\r\tx`) {
			t.Errorf("%q:\n%q\n%q", args, out, errOut)
		}
	}
}

func TestWhereNamesTheRegion(t *testing.T) {
	t.Setenv("RIVERY_BASE_URL", "")
	t.Setenv("RIVERY_REGION", " EU")
	if got := (&cli{}).where(); got != "the eu region (RIVERY_REGION)" {
		t.Errorf("where() = %q", got)
	}
	t.Setenv("RIVERY_REGION", "")
	if got := (&cli{}).where(); !strings.Contains(got, "us region (the default") {
		t.Errorf("where() = %q", got)
	}
}

func TestFakeServesForTimeout(t *testing.T) {
	code, out, errOut := invoke("fake", "--json", "--timeout", "200ms", "--token", "fake-token")
	var got fakeJSON
	if code != exitOK || json.Unmarshal([]byte(out), &got) != nil || !strings.HasPrefix(got.BaseURL, "http://127.0.0.1:") || got.Token != "fake-token" ||
		got.AccountID != riverytest.DefaultAccountID || strings.Join(got.Rivers, ",") != "demo,demo-fail,demo-slow" {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "fake Rivery stopped") {
		t.Errorf("stderr: %s", errOut)
	}
	bad := filepath.Join(t.TempDir(), "rivers.json")
	if err := os.WriteFile(bad, []byte(`[{"id": "a", "outcome": "failed", "polls": "three"}]`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"fake", "--rivers", bad}, {"fake", "--rivers", bad + ".missing"}, {"fake", "--addr", "127.0.0.1:http-alt-x"}} {
		if code, out, errOut := invoke(args...); code != exitError || out != "" || !strings.Contains(errOut, args[1]) {
			t.Errorf("%q: exit %d: %s%s", args, code, out, errOut)
		}
	}
}

// Every command has a line of help and a body; a group only holds
// commands; no name is used twice under one parent.
func TestCommandTree(t *testing.T) {
	var walk func(cmd *cobra.Command)
	walk = func(cmd *cobra.Command) {
		seen := map[string]bool{}
		for _, sub := range cmd.Commands() {
			if seen[sub.Name()] || sub.Short == "" || sub.RunE == nil && sub.Run == nil {
				t.Errorf("%s: repeated, without help or without a body", sub.CommandPath())
			}
			seen[sub.Name()] = true
			walk(sub)
		}
	}
	walk((&cli{}).root())
}

func TestCancelOnExitReportsAFailedCancel(t *testing.T) {
	srv := fake(t, true)
	srv.Fail(riverytest.RouteCancelRun, 1, riverytest.Fault{Status: 403})
	code, out, errOut := invoke("run", slowRiver, "--wait", "--timeout", "200ms", pollFlagArg, "--json", "--cancel-on-exit")
	var got runJSON
	if code != exitTimeout || json.Unmarshal([]byte(out), &got) != nil || !got.TimedOut || got.CancelRequested == nil || *got.CancelRequested {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "could not cancel it (POST ") || !strings.Contains(errOut, "403 Forbidden") || !strings.Contains(errOut, "so it is left running") {
		t.Errorf("stderr: %s", errOut)
	}
}
