package main

import (
	"bytes"
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/rivery-go/rivery/riverytest"
)

// The completion scripts are generated for each shell; bash's is valid
// bash, and so are zsh's and fish's where those shells are installed.
func TestCompletionScripts(t *testing.T) {
	for shell, mark := range map[string]string{
		"bash": "__start_rivery", "zsh": "#compdef rivery", "fish": "complete -c rivery", "powershell": "Register-ArgumentCompleter",
	} {
		code, out, errOut := invoke("completion", shell)
		if code != exitOK || !strings.Contains(out, mark) {
			t.Errorf("completion %s: exit %d, no %q:\n%.300s%s", shell, code, mark, out, errOut)
			continue
		}
		check := map[string][]string{"bash": {"bash", "-n"}, "zsh": {"zsh", "-n"}, "fish": {"fish", "--no-execute"}}[shell]
		if check == nil {
			continue
		}
		if _, err := exec.LookPath(check[0]); err != nil {
			if shell == "bash" {
				t.Fatal("no bash")
			}
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		cmd := exec.CommandContext(ctx, check[0], check[1:]...)
		cmd.Stdin = strings.NewReader(out)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			t.Errorf("%s rejects its completion script: %v\n%s", shell, err, &stderr)
		}
		cancel()
	}
}

// complete asks for the completions of args (the last one being typed)
// as the shell scripts do, and returns the candidates' values.
func complete(t *testing.T, args ...string) []string {
	t.Helper()
	code, out, errOut := invoke(append([]string{"__complete"}, args...)...)
	if code != exitOK {
		t.Fatalf("__complete %q: exit %d: %s", args, code, errOut)
	}
	var values []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if !strings.HasPrefix(line, ":") { // the last line is the directive
			values = append(values, line)
		}
	}
	return values
}

// River, run and token IDs complete from the API (here, the fake), with
// their names or statuses beside them; flag values complete offline.
func TestCompletionFromTheAPI(t *testing.T) {
	fake(t, true)
	code, out, _ := invoke("run", okRiver, "--wait", pollFlagArg, "--json")
	if code != exitOK {
		t.Fatal(out)
	}
	rivers := complete(t, "runs", "get", "")
	if len(rivers) != 4 || rivers[0] != okRiver+"\torders" {
		t.Errorf("rivers: %q", rivers)
	}
	if got := complete(t, "run", "63b724fc690def001131d24"); len(got) != 3 {
		t.Errorf("rivers with a prefix: %q", got)
	}
	runs := complete(t, "runs", "logs", okRiver, "")
	if len(runs) != 1 || !strings.Contains(runs[0], "\tsucceeded ") {
		t.Errorf("runs: %q", runs)
	}
	if got := complete(t, "runs", "get", okRiver, runs[0][:32], ""); len(got) != 0 {
		t.Errorf("a third argument: %q", got)
	}
	if got := complete(t, "rivers", "list", "--output", ""); strings.Join(got, ",") != "text,json,jsonl" {
		t.Errorf("--output: %q", got)
	}
	if got := complete(t, "tokens", "delete", ""); len(got) != 1 || !strings.HasSuffix(got[0], "\tadmin") {
		t.Errorf("tokens: %q", got)
	}
	if got := complete(t, "r"); strings.Join(got, ",") != "rivers\tList, show, copy, version, export, apply and delete rivers, and list their groups.,run\tTrigger rivers; with --wait, wait for what they started and exit 1 unless all succeeded.,runs\tRead, list and cancel a river's runs." {
		t.Errorf("commands: %q", got)
	}
	// Without a token: no candidates, and nothing but them on stdout.
	t.Setenv("RIVERY_API_TOKEN", "")
	if got := complete(t, "run", ""); len(got) != 0 {
		t.Errorf("without a token: %q", got)
	}
}

// A positional that names a file (logicode upload <file>) completes the
// shell's file names; an ID without a completer completes nothing.
func TestCompletionOfFiles(t *testing.T) {
	directive := func(args ...string) string {
		t.Helper()
		code, out, errOut := invoke(append([]string{"__complete"}, args...)...)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if code != exitOK {
			t.Fatalf("__complete %q: exit %d: %s", args, code, errOut)
		}
		return lines[len(lines)-1]
	}
	if got := directive("logicode", "upload", ""); got != ":0" {
		t.Errorf("logicode upload <file>: directive %s, want :0 (file names)", got)
	}
	if got := directive("audit", "get", ""); got != ":4" {
		t.Errorf("audit get <event-id>: directive %s, want :4 (no file names)", got)
	}
}

// The administration's IDs complete from the API too: environments,
// dataframes, teams and users, each with its name beside it.
func TestCompletionOfAdministrationIDs(t *testing.T) {
	srv := fake(t, true)
	srv.AddDataframe(riverytest.Dataframe{Name: "orders"})
	srv.AddTeam(riverytest.Team{ID: "7e0000000000000000000001", Name: "analytics"})
	user := srv.AddUser(riverytest.User{Email: "maya@example.com"})
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"environments", "delete", ""}, srv.EnvironmentID + "\tProduction"},
		{[]string{"dataframes", "get", ""}, "orders"},
		{[]string{"teams", "get", ""}, "7e0000000000000000000001\tanalytics"},
		{[]string{"users", "permissions", ""}, user + "\tmaya@example.com"},
	} {
		if got := complete(t, c.args...); strings.Join(got, ",") != c.want {
			t.Errorf("%s: %q, want %q", strings.Join(c.args[:2], " "), got, c.want)
		}
	}
}
