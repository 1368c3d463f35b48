package main

import (
	"strings"
	"testing"
)

// Bad arguments exit 2 with a usage error naming the problem, and send no
// request: extra positional arguments, arguments after "--", and zero or
// negative durations.
func TestArgumentValidation(t *testing.T) {
	srv := fake(t, true)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"run", okRiver, failRiver, ".."}, `river ID ".." is not an ID`}, // every river is checked before any trigger
		{[]string{"rivers", "get", "--", okRiver, "--json"}, `rivers get takes <river>; "--json" is one argument too many`},
		{[]string{"rivers", "get", okRiver, "--", "--json"}, `rivers get takes <river>; "--json" is one argument too many`},
		{[]string{"runs", "get", okRiver}, "runs get needs <run-id>"},
		{[]string{"runs", "get", okRiver, "r", "x"}, `runs get takes <river> <run-id>; "x" is one argument too many`},
		{[]string{"runs", "list", okRiver, "x"}, `runs list takes <river>; "x" is one argument too many`},
		{[]string{"rivers", "get", okRiver, "b"}, `rivers get takes <river>; "b" is one argument too many`},
		{[]string{"tokens", "delete", "a", "b"}, `tokens delete takes <token-id>; "b" is one argument too many`},
		{[]string{"activities", "x"}, `activities takes no arguments, got "x"`},
		{[]string{"version", "extra"}, `version takes no arguments, got "extra"`},
		{[]string{"run", okRiver, "--timeout", "-1s"}, `--timeout "-1s": must not be negative`},
		{[]string{"run", okRiver, "--timeout=-1ns"}, `--timeout "-1ns": must not be negative`},
		{[]string{"rivers", "get", okRiver, "--timeout", "-1h"}, `--timeout "-1h": must not be negative`},
		{[]string{"run", okRiver, "--timeout", "abc"}, `--timeout "abc": want a duration such as 90s, 5m or 1h30m`},
		{[]string{"run", okRiver, "--poll-interval", "0"}, `--poll-interval "0": must be positive`},
		{[]string{"run", okRiver, "--poll-interval", "-5ms"}, `--poll-interval "-5ms": must not be negative`},
		{[]string{"runs", "list", okRiver, "--since", "0"}, `--since "0": must be positive`},
		{[]string{"runs", "list", okRiver, "--since", "-1h"}, `--since "-1h": must not be negative`},
		{[]string{"activities", "--since", "0"}, `--since "0": must be positive`},
		{[]string{"activities", "--since", "-1h"}, `--since "-1h": must not be negative`},
	} {
		before := len(srv.Requests())
		code, out, errOut := invoke(tt.args...)
		if code != exitError || !strings.Contains(errOut, tt.want) {
			t.Errorf("rivery %q: exit %d, want %d with %q:\n%s%s", tt.args, code, exitError, tt.want, out, errOut)
		}
		if n := len(srv.Requests()) - before; n != 0 {
			t.Errorf("rivery %q: sent %d requests; want none", tt.args, n)
		}
	}
}

// A bad duration is reported before the client is set up: with no token
// set, the duration error wins over the token one.
func TestDurationCheckedBeforeConnecting(t *testing.T) {
	fake(t, true)
	t.Setenv("RIVERY_API_TOKEN", "")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"run", okRiver, "--timeout", "-1s"}, "must not be negative"},
		{[]string{"run", okRiver, "--poll-interval", "0"}, "must be positive"},
		{[]string{"runs", "list", okRiver, "--since", "0"}, "must be positive"},
		{[]string{"activities", "--since", "-1h"}, "must not be negative"},
		{[]string{"activities", "--status", "bogus"}, `--status "bogus": want pending, running, succeeded, failed, canceled or skipped`},
	} {
		code, out, errOut := invoke(tt.args...)
		if code != exitError || !strings.Contains(errOut, tt.want) || strings.Contains(errOut, "RIVERY_API_TOKEN") {
			t.Errorf("rivery %q: exit %d, want %d with %q only:\n%s%s", tt.args, code, exitError, tt.want, out, errOut)
		}
	}
}

// A zero --timeout is the default bound, not an immediate timeout, and a
// positive --since or --poll-interval is accepted.
func TestZeroTimeoutIsTheDefault(t *testing.T) {
	fake(t, true)
	for _, args := range [][]string{
		{"run", okRiver, "--timeout", "0", "--wait", pollFlagArg},
		{"runs", "list", okRiver, "--since", "1ns", "--timeout=0"},
		{"activities", "--since", "1ms", "--json"},
	} {
		if code, out, errOut := invoke(args...); code != exitOK {
			t.Errorf("rivery %q: exit %d, want %d:\n%s%s", args, code, exitOK, out, errOut)
		}
	}
}

// --verbose says what it took from a console URL only when there was one.
func TestVerboseNamesConsoleURLOnlyForOne(t *testing.T) {
	fake(t, false)
	code, out, errOut := invoke("run", okRiver, "--verbose")
	if code != exitOK || strings.Contains(errOut, "from the console URL") {
		t.Errorf("run with a river ID and --verbose: exit %d:\n%s%s", code, out, errOut)
	}
}

// A command's help names each flag's kind, and its default when it is
// not the zero value of its kind.
func TestHelpShowsKindsAndDefaults(t *testing.T) {
	code, out, errOut := invoke("run", "--help")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"--poll-interval duration", "doubles up to 30s (default 1s)\n", "--wait ", "--json ", "--cancel-on-exit ",
		"--timeout duration ", "give up after this long and exit 124 (default 1m; 30m with --wait)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("help lacks %q:\n%s", want, out)
		}
	}
	for _, unwanted := range []string{"(default false)", "(default 0s)", "(default [])", "(default \"\")"} {
		if strings.Contains(out, unwanted) {
			t.Errorf("help has %q:\n%s", unwanted, out)
		}
	}
}
