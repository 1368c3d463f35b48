package main

// Tests of what a new user's trial of the CLI found (issue 28), one per
// finding; each failed before its fix.

import (
	"bufio"
	"context"
	"encoding/json"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/rivery-go/rivery/riverytest"
)

// 1. --group takes the run group's ID: the river stays the positional.
func TestRunsCancelGroupTakesTheGroupID(t *testing.T) {
	srv := fake(t, true)
	srv.AddRiver(riverytest.River{ID: masterRiver, Duration: time.Hour, SubRivers: []riverytest.SubRiver{{ID: subOK}, {ID: subFail}}})
	code, out, _ := invoke("run", masterRiver, "--json")
	var trig runJSON
	if code != exitOK || json.Unmarshal([]byte(out), &trig) != nil || trig.GroupID == "" {
		t.Fatal(out)
	}
	// The flag before the river, as a shell user writes it.
	code, out, errOut := invoke("runs", "cancel", "--group", trig.GroupID, masterRiver)
	if code != exitOK || !strings.Contains(out, "cancel requested for run group "+trig.GroupID) {
		t.Fatalf("exit %d:\n%s%s", code, out, errOut)
	}
	reqs := srv.RequestsTo(riverytest.RouteCancelRun)
	if len(reqs) != 1 || !strings.Contains(reqs[0].Path, "/rivers/"+masterRiver+"/") || !strings.Contains(string(reqs[0].Body), `"run_group_id":"`+trig.GroupID+`"`) {
		t.Errorf("cancel requests: %+v", reqs)
	}
	for _, args := range [][]string{{"runs", "cancel", masterRiver}, {"runs", "cancel", masterRiver, "r1", "--group", trig.GroupID}} {
		before := len(srv.Requests())
		if code, _, errOut := invoke(args...); code != exitError || !strings.Contains(errOut, "--group") || len(srv.Requests()) != before {
			t.Errorf("%q: exit %d: %s", args, code, errOut)
		}
	}
}

// 2. --json is one JSON document per command, [] for an empty list; the
// streaming form is --jsonl.
func TestJSONIsOneDocument(t *testing.T) {
	ranFake(t, true)
	for _, args := range [][]string{
		{"activities", "--since", "2h", "--json"},
		{"activities", "--since", "1ms", "--json"},
		{"vars", "river", "get", okRiver, "--json"},
		{"rivers", "search", "--name", "no-such-river", "--json"},
		{"runs", "list", okRiver, "--since", "1ms", "--json"},
		{"rivers", "list", "--output", "json"},
	} {
		code, out, errOut := invoke(args...)
		var doc []json.RawMessage
		if code != exitOK || json.Unmarshal([]byte(out), &doc) != nil {
			t.Errorf("%q: exit %d, not one JSON array:\n%s%s", args, code, out, errOut)
		}
	}
	if _, out, _ := invoke("vars", "river", "get", okRiver, "--json"); strings.TrimSpace(out) != "[]" {
		t.Errorf("no variables: %q, want []", out)
	}
	code, out, _ := invoke("activities", "--since", "2h", "--jsonl")
	lines := 0
	for sc := bufio.NewScanner(strings.NewReader(out)); sc.Scan(); lines++ {
		if !json.Valid(sc.Bytes()) || !strings.HasPrefix(sc.Text(), "{") {
			t.Errorf("--jsonl line %q", sc.Text())
		}
	}
	if code != exitOK || lines != 3 {
		t.Errorf("--jsonl: exit %d, %d lines, want 3:\n%s", code, lines, out)
	}
	if code, _, errOut := invoke("activities", "--json", "--jsonl"); code != exitError || !strings.Contains(errOut, "conflict") {
		t.Errorf("--json --jsonl: exit %d: %s", code, errOut)
	}
}

// 4. A command's help lists only the flags it honors, with true defaults;
// a flag it does not honor is refused.
func TestHelpListsOnlyHonoredFlags(t *testing.T) {
	for _, tt := range []struct {
		args          []string
		want, unwants []string
	}{
		{[]string{"fake", "--help"}, []string{"--timeout duration", "(default: until stopped)"}, []string{"--environment", "default 1m", "--verbose"}},
		{[]string{"version", "--help"}, nil, []string{"--environment", "--timeout", "--json"}},
		{[]string{"tokens", "create", "--help"}, []string{"--scope", "--timeout duration"}, []string{"(default [])", "30m"}},
		{[]string{"rivers", "get", "--help"}, []string{"(default 1m)"}, []string{"30m", "--wait"}},
	} {
		code, out, errOut := invoke(tt.args...)
		if code != exitOK {
			t.Errorf("%q: exit %d: %s", tt.args, code, errOut)
		}
		for _, w := range tt.want {
			if !strings.Contains(out, w) {
				t.Errorf("%q lacks %q:\n%s", tt.args, w, out)
			}
		}
		for _, u := range tt.unwants {
			if strings.Contains(out, u) {
				t.Errorf("%q shows %q:\n%s", tt.args, u, out)
			}
		}
	}
	if code, _, errOut := invoke("fake", "--environment", okRiver, "--timeout", "1ms"); code != exitError || !strings.Contains(errOut, "fake does not take --environment") {
		t.Errorf("fake --environment: exit %d: %s", code, errOut)
	}
	// Commands that address the account or the catalog, not an
	// environment, do not list --environment (they ignore its value) but
	// still take it, as 0.2.x did, before or after their name.
	for _, cmd := range []string{"tokens list", "tokens get", "tokens create", "tokens delete",
		"environments list", "environments create", "environments update", "users list", "users get",
		"users invite", "users permissions", "teams list", "teams get", "whoami", "connections sections",
		"connections type", "logicode template", "logicode requirements", "logicode resources"} {
		args := strings.Fields(cmd)
		if _, out, _ := invoke(append(args, "--help")...); strings.Contains(out, "--environment") || !strings.Contains(out, "--timeout") {
			t.Errorf("%s --help:\n%s", cmd, out)
		}
		if code, _, errOut := invoke(append(append([]string{"--environment", okRiver}, args...), "--help")...); code != exitOK || errOut != "" {
			t.Errorf("--environment %s --help: exit %d: %s", cmd, code, errOut)
		}
	}
	// Those that address one keep it (environments delete --wait reads
	// the operation in that environment).
	for _, cmd := range []string{"environments delete", "logicode upload", "connections upload-key", "rivers list"} {
		if _, out, _ := invoke(append(strings.Fields(cmd), "--help")...); !strings.Contains(out, "--environment") {
			t.Errorf("%s --help lacks --environment:\n%s", cmd, out)
		}
	}
}

// An account-wide command runs with --environment before or after its
// name, as a script that puts it before every command writes it.
func TestAccountWideCommandsTakeEnvironment(t *testing.T) {
	srv := fake(t, true)
	for _, args := range [][]string{
		{"--environment", srv.EnvironmentID, "whoami"},
		{"--environment", srv.EnvironmentID, "tokens", "list"},
		{"teams", "list", "--environment", srv.EnvironmentID},
	} {
		if code, _, errOut := invoke(args...); code != exitOK {
			t.Errorf("%q: exit %d: %s", args, code, errOut)
		}
	}
}

// 5. A failed run is reported once: on stdout, with its message, and
// without the raw status.
func TestFailedRunReportedOnce(t *testing.T) {
	fake(t, false)
	code, out, errOut := invoke("run", failRiver, "--wait", pollFlagArg)
	if code != exitFailed || strings.Count(out+errOut, "disk full") != 1 || !strings.Contains(out, "failed (disk full)") || strings.Contains(out+errOut, `("E")`) {
		t.Errorf("exit %d:\n%s---\n%s", code, out, errOut)
	}
}

// 7. A river has one type name, whichever API answered.
func TestOneRiverTypeName(t *testing.T) {
	fake(t, false) // a token only: rivers list asks the console API
	_, list, _ := invoke("rivers", "list")
	_, get, _ := invoke("rivers", "get", okRiver)
	_, listJSON, _ := invoke("rivers", "list", "--json")
	for _, out := range []string{list, get, listJSON} {
		if strings.Contains(out, "src_to_trgt") || !strings.Contains(out, "source_to_target") {
			t.Errorf("console API output:\n%s", out)
		}
	}
	fake(t, true)
	if _, search, _ := invoke("rivers", "search"); !strings.Contains(search, "source_to_target") {
		t.Errorf("rivers search:\n%s", search)
	}
}

// 8. runs logs reads like a log: oldest line first, none dated in the
// future.
func TestRunsLogsOldestFirst(t *testing.T) {
	fake(t, true)
	code, out, _ := invoke("run", okRiver, "--wait", pollFlagArg, "--json")
	var run runJSON
	if code != exitOK || json.Unmarshal([]byte(out), &run) != nil {
		t.Fatal(out)
	}
	code, out, errOut := invoke("runs", "logs", okRiver, run.ID)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != exitOK || len(lines) != 3 || !strings.Contains(lines[0], "started") || !strings.Contains(lines[2], "Run ended succeeded") {
		t.Fatalf("exit %d:\n%s%s", code, out, errOut)
	}
	now := time.Now()
	var prev time.Time
	for _, l := range lines {
		at, err := time.Parse(time.RFC3339, strings.Fields(l)[0])
		if err != nil || at.Before(prev) || at.After(now) {
			t.Errorf("line %q: out of order or after now (%v)", l, now)
		}
		prev = at
	}
}

// 9. The fake's demo-slow is seen running well within the walkthrough's
// 5 s.
func TestDemoSlowRuns(t *testing.T) {
	var opts []riverytest.Option
	for _, r := range demoRivers {
		opts = append(opts, riverytest.WithRiver(r))
	}
	srv := riverytest.NewServer(opts...)
	t.Cleanup(srv.Close)
	t.Setenv("RIVERY_API_TOKEN", srv.AdminToken())
	t.Setenv("RIVERY_BASE_URL", srv.URL)
	t.Setenv("RIVERY_REGION", "")
	t.Setenv("RIVERY_ACCOUNT_ID", "")
	t.Setenv("RIVERY_ENVIRONMENT_ID", "")
	code, out, errOut := invoke("run", "demo-slow", "--wait", "--timeout", "5s", "--poll-interval", "200ms", "--cancel-on-exit")
	if code != exitTimeout || !strings.Contains(errOut, "  running\n") || !strings.Contains(errOut, "was running; canceled it") {
		t.Errorf("exit %d:\n%s%s", code, out, errOut)
	}
}

// 10. Retries are reported without a terminal too, naming the error;
// --quiet drops them.
func TestRetryLinesNameTheError(t *testing.T) {
	l, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String()
	_ = l.Close() // nothing listens there now: connections are refused
	t.Setenv("RIVERY_API_TOKEN", "t")
	t.Setenv("RIVERY_BASE_URL", closed)
	t.Setenv("RIVERY_REGION", "")
	t.Setenv("RIVERY_ACCOUNT_ID", "")
	t.Setenv("RIVERY_ENVIRONMENT_ID", "")
	code, out, errOut := invoke("rivers", "list", "--timeout", "3s")
	if code == exitOK || !strings.Contains(errOut, "rivery: connection refused; retrying (attempt 2 of 5) in ") {
		t.Errorf("exit %d:\n%s%s", code, out, errOut)
	}
	if _, _, errOut := invoke("rivers", "list", "--timeout", "3s", "--quiet"); strings.Contains(errOut, "retrying") {
		t.Errorf("--quiet:\n%s", errOut)
	}
}

// 11. What a shell user types: suggestions, global flags before the
// command, -v, and messages in words.
func TestShellUserMessages(t *testing.T) {
	srv := fake(t, true)
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"rn"}, exitError, `unknown command "rn"; did you mean "run"`},
		{[]string{"runs", "lst"}, exitError, `"list"?`},
		{[]string{"--verbose", "run", okRiver}, exitOK, "rivery: POST "},
		{[]string{"-v", "rivers", "list"}, exitOK, "GET "},
		{[]string{"--timeout", "5s", "--environment", srv.EnvironmentID, "runs", "list", okRiver}, exitOK, ""},
		{[]string{"run"}, exitError, "run needs <river>"},
		{[]string{"runs", "get", okRiver}, exitError, "runs get needs <run-id>"},
		{[]string{"run", okRiver, "--timeout", "abc"}, exitError, `--timeout "abc": want a duration such as 90s, 5m or 1h30m`},
		{[]string{"run", okRiver, "-json"}, exitError, "-json: write --json (two dashes)"},
		{[]string{"vars", "river", "set", okRiver, "only", "1"}, exitOK, "the river has 1 variable\n"},
		{[]string{"vars", "env", "delete", "NOPE"}, exitError, `the environment has no variable "NOPE": nothing deleted`},
	} {
		code, out, errOut := invoke(tt.args...)
		if code != tt.code || !strings.Contains(out+errOut, tt.want) {
			t.Errorf("rivery %q: exit %d, want %d with %q:\n%s%s", tt.args, code, tt.code, tt.want, out, errOut)
		}
		if strings.Contains(errOut, "no such variable: the environment") || strings.Contains(errOut, "argument(s)") || strings.Contains(errOut, "parse error") {
			t.Errorf("rivery %q says it the old way:\n%s", tt.args, errOut)
		}
	}
	fake(t, false) // the console API answers a bad token "Unauthorized"
	t.Setenv("RIVERY_API_TOKEN", "not-the-token")
	if code, _, errOut := invoke("rivers", "list"); code != exitError || strings.Contains(errOut, "Unauthorized: Unauthorized") || !strings.Contains(errOut, "401 Unauthorized: invalid or expired token") {
		t.Errorf("401: exit %d:\n%s", code, errOut)
	}
}

// 13. A "--" given as a flag's value is that value, not the end of the
// flags: the flags after it are flags.
func TestDashDashAsAFlagValue(t *testing.T) {
	srv := fake(t, true)
	before := len(srv.Requests())
	code, out, errOut := invoke("runs", "get", "--environment", "--", okRiver, "--json")
	if code != exitError || !strings.Contains(errOut, "runs get needs <run-id>") || len(srv.Requests()) != before {
		t.Errorf("exit %d, %d requests:\n%s%s", code, len(srv.Requests())-before, out, errOut)
	}
	// After a real "--", everything is positional.
	if code, _, errOut := invoke("rivers", "get", "--json", "--", "--timeout"); code != exitError || !strings.Contains(errOut, "404") {
		t.Errorf("after --: exit %d: %s", code, errOut)
	}
}
