package main

import (
	"bytes"
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"
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
