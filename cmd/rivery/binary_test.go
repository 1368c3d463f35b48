package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

// result is what one run of the binary did.
type result struct {
	code           int
	stdout, stderr string
}

// buildBinary builds the command once for a test's subtests.
func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the command")
	}
	bin := filepath.Join(t.TempDir(), "rivery")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	build := exec.CommandContext(t.Context(), "go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// binCmd returns the binary's command with this process's environment
// plus env, bounded by the test and two minutes.
func binCmd(t *testing.T, bin string, env []string, args ...string) (*exec.Cmd, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	return cmd, &out, &errOut
}

// exitCode is cmd's exit status after Wait or Run returned err.
func exitCode(t *testing.T, err error) int {
	t.Helper()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.ExitCode()
	}
	t.Fatalf("running the binary: %v", err)
	return -1
}

// exe runs the binary to its end.
func exe(t *testing.T, bin string, args ...string) result {
	t.Helper()
	cmd, out, errOut := binCmd(t, bin, nil, args...)
	code := exitCode(t, cmd.Run())
	return result{code, out.String(), errOut.String()}
}

// waitFor polls cond up to about 30 s; it reports whether cond came true.
func waitFor(cond func() bool) bool {
	for range 600 {
		if cond() {
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return cond()
}

// leaves returns the path of every runnable command under cmd that is
// not a group, the hidden ones left out.
func leaves(cmd *cobra.Command) [][]string {
	var out [][]string
	for _, sub := range cmd.Commands() {
		if sub.Hidden || sub.Name() == "help" {
			continue
		}
		if sub.HasSubCommands() {
			out = append(out, leaves(sub)...)
			continue
		}
		out = append(out, strings.Fields(strings.TrimPrefix(sub.CommandPath(), "rivery ")))
	}
	return out
}

func TestBinary(t *testing.T) {
	bin := buildBinary(t)
	srv := fake(t, false)

	t.Run("every --help once, on stdout, from its definition", func(t *testing.T) {
		top := exe(t, bin, "--help")
		if top.code != exitOK || top.stderr != "" {
			t.Fatalf("--help: %+v", top)
		}
		root := (&cli{}).root()
		for _, path := range leaves(root) {
			cmd, _, err := root.Find(path)
			if err != nil {
				t.Fatal(err)
			}
			r := exe(t, bin, append(path, "--help")...)
			if r.code != exitOK || r.stderr != "" || strings.Count(r.stdout, "Usage:") != 1 || !strings.HasPrefix(r.stdout, cmd.Short+"\n") ||
				!strings.Contains(r.stdout, "Usage:\n  "+strings.TrimSuffix(cmd.UseLine(), " [flags]")) {
				t.Errorf("%s --help: exit %d\n%s---\n%s", path, r.code, r.stdout, r.stderr)
			}
			if h := exe(t, bin, append([]string{"help"}, path...)...); h != r {
				t.Errorf("help %s differs from %s --help:\n%s", path, path, h.stdout)
			}
			parent := exe(t, bin, append(path[:len(path)-1:len(path)-1], "--help")...)
			if !strings.Contains(parent.stdout, "  "+cmd.Name()+" ") {
				t.Errorf("the help of %s's parent does not list it:\n%s", path, parent.stdout)
			}
		}
	})

	t.Run("group help lists the subcommands", func(t *testing.T) {
		for _, group := range []string{"runs", "rivers", "tokens"} {
			for _, args := range [][]string{{group, "--help"}, {group, "-h"}, {"help", group}} {
				r := exe(t, bin, args...)
				if r.code != exitOK || r.stderr != "" || !strings.Contains(r.stdout, "\n  list ") {
					t.Errorf("%q: %+v", args, r)
				}
			}
			r := exe(t, bin, group)
			if r.code != exitError || r.stdout != "" || !strings.Contains(r.stderr, group+" needs a subcommand: ") || !strings.Contains(r.stderr, "list") {
				t.Errorf("%s alone: %+v", group, r)
			}
		}
		if r := exe(t, bin, "version", "--help"); r.code != exitOK || !strings.Contains(r.stdout, "Usage:\n  rivery version [flags]\n") {
			t.Errorf("version --help: %+v", r)
		}
	})

	t.Run("usage goes to stderr on errors", func(t *testing.T) {
		for _, args := range [][]string{nil, {"run", okRiver, "--bogus"}, {"run"}, {"launch"}, {"runs", "start"}, {"run", okRiver, "--timeout", "-1s"}} {
			r := exe(t, bin, args...)
			if r.code != exitError || r.stdout != "" || !strings.Contains(r.stderr, "sage") {
				t.Errorf("%q: %+v", args, r)
			}
		}
		if r := exe(t, bin, "run", okRiver, "--bogus"); !strings.Contains(r.stderr, "unknown flag --bogus for run\nUsage: rivery run <river>") {
			t.Errorf("flag error: %s", r.stderr)
		}
	})

	t.Run("the prefix is printed once", func(t *testing.T) {
		srv.Fail(riverytest.RouteRun, 1, riverytest.Fault{Delay: time.Minute})
		r := exe(t, bin, "run", okRiver, "--timeout", "300ms")
		if r.code != exitTimeout || strings.Count(r.stderr, "rivery:") != 1 || !strings.HasPrefix(r.stderr, "rivery: timed out after 300ms: POST ") {
			t.Errorf("%+v", r)
		}
	})

	t.Run("everything after -- is positional", func(t *testing.T) {
		for _, args := range [][]string{{"rivers", "get", "--", "-x"}, {"runs", "get", "--", okRiver, "-x"}, {"runs", "get", okRiver, "--", "-x"}} {
			r := exe(t, bin, args...)
			// -x reached the server as a river or run ID: a 404, or the
			// console's empty answer for an unknown river.
			if r.code != exitError || strings.Contains(r.stderr, "flag") || !strings.Contains(r.stderr, "404") && !strings.Contains(r.stderr, "not found: river -x") {
				t.Errorf("%q: %+v", args, r)
			}
		}
		if r := exe(t, bin, "rivers", "get", "--json", "--", okRiver); r.code != exitOK || !strings.Contains(r.stdout, `"Name": "orders"`) {
			t.Errorf("flags before --: %+v", r)
		}
	})

	t.Run("configuration errors name the variable or flag", func(t *testing.T) {
		for _, tt := range []struct{ env, want string }{
			{"RIVERY_BASE_URL=ftp://example.com", `RIVERY_BASE_URL: scheme "ftp" not supported`},
			{"RIVERY_REGION=mars", `RIVERY_REGION: unknown region "mars"`},
			{"RIVERY_ACCOUNT_ID=..", `RIVERY_ACCOUNT_ID: invalid argument: account ID ".." is not an ID`},
			{"RIVERY_REGION=eu", "RIVERY_REGION and RIVERY_BASE_URL conflict"},
			{"RIVERY_ACCOUNT_ID=" + srv.AccountID, "RIVERY_ACCOUNT_ID and RIVERY_ENVIRONMENT_ID must be set together"},
		} {
			cmd, out, errOut := binCmd(t, bin, []string{tt.env}, "rivers", "list")
			code := exitCode(t, cmd.Run())
			if code != exitError || out.Len() != 0 || !strings.Contains(errOut.String(), tt.want) || strings.Contains(errOut.String(), "With") {
				t.Errorf("%s: exit %d: %s", tt.env, code, errOut)
			}
		}
		if r := exe(t, bin, "rivers", "list", "--environment", ".."); r.code != exitError || !strings.Contains(r.stderr, `--environment: invalid argument: environment ID ".." is not an ID`) {
			t.Errorf("--environment with a bad ID: %+v", r)
		}
		cmd, out, errOut := binCmd(t, bin, []string{"RIVERY_ACCOUNT_ID=" + srv.AccountID}, "runs", "list", okRiver, "--environment", srv.EnvironmentID)
		if code := exitCode(t, cmd.Run()); code != exitOK {
			t.Errorf("--environment with an account: exit %d: %s%s", code, out, errOut)
		}
	})

	t.Run("a 401 names the region or base URL used", func(t *testing.T) {
		cmd, out, errOut := binCmd(t, bin, []string{"RIVERY_API_TOKEN=not-the-token"}, "run", okRiver)
		code := exitCode(t, cmd.Run())
		if code != exitError || !strings.Contains(errOut.String(), "401") || !strings.Contains(errOut.String(), "check the token's region") || !strings.Contains(errOut.String(), "RIVERY_BASE_URL "+srv.URL) {
			t.Errorf("exit %d: %s%s", code, out, errOut)
		}
		if strings.Contains(out.String()+errOut.String(), "not-the-token") {
			t.Error("the token was printed")
		}
	})

	t.Run("retries are reported on stderr, unless --quiet", func(t *testing.T) {
		srv.Fail(riverytest.RouteRivers, 1, riverytest.Fault{Status: 503})
		r := exe(t, bin, "rivers", "list")
		if r.code != exitOK || !strings.Contains(r.stderr, "rivery: HTTP 503; retrying (attempt 2 of 5) in ") {
			t.Errorf("not a terminal: %+v", r)
		}
		srv.Fail(riverytest.RouteRivers, 1, riverytest.Fault{Status: 503})
		if r := exe(t, bin, "rivers", "list", "--quiet"); r.code != exitOK || r.stderr != "" {
			t.Errorf("--quiet: %+v", r)
		}
	})

	t.Run("--json on timeout prints the run, --cancel-on-exit cancels it", func(t *testing.T) {
		r := exe(t, bin, "run", slowRiver, "--wait", "--timeout", "500ms", "--poll-interval", "10ms", "--json", "--cancel-on-exit")
		var got runJSON
		if r.code != exitTimeout || json.Unmarshal([]byte(r.stdout), &got) != nil || !got.TimedOut || got.Stopped || got.CancelRequested == nil || !*got.CancelRequested {
			t.Fatalf("%+v", r)
		}
		if !strings.Contains(r.stderr, "timed out after 500ms: run "+got.ID+" of river "+slowRiver) || !strings.Contains(r.stderr, "canceled it on Rivery") {
			t.Errorf("stderr: %s", r.stderr)
		}
		if run, _, err := srv.ClientV1().Rivers.GetRun(t.Context(), slowRiver, got.ID); err != nil || run.Status != rivery.StatusCanceled {
			t.Errorf("run on the fake: %+v %v", run, err)
		}
	})

	t.Run("a signal stops the wait and keeps the run", func(t *testing.T) {
		if runtime.GOOS == "windows" {
			t.Skip("no SIGTERM to send")
		}
		for _, tt := range []struct {
			sig    syscall.Signal
			code   int
			args   []string
			cancel bool
		}{
			{syscall.SIGTERM, 143, []string{"--json"}, false},
			{syscall.SIGINT, 130, nil, false},
			{syscall.SIGINT, 130, []string{"--json", "--cancel-on-exit"}, true},
		} {
			seen := len(srv.RequestsTo(riverytest.RouteRunStatus))
			cmd, out, errOut := binCmd(t, bin, nil, append([]string{"run", slowRiver, "--wait", "--poll-interval", "10ms"}, tt.args...)...)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// A status call means the CLI holds the run's ID.
			if !waitFor(func() bool { return len(srv.RequestsTo(riverytest.RouteRunStatus)) > seen }) {
				_ = cmd.Process.Kill()
				_ = cmd.Wait()
				t.Fatalf("no status call: %s", errOut)
			}
			if err := cmd.Process.Signal(tt.sig); err != nil {
				t.Fatal(err)
			}
			code := exitCode(t, cmd.Wait())
			runID := srv.RequestsTo(riverytest.RouteRunStatus)[seen].RawQuery
			runID = runID[strings.Index(runID, "run_id=")+len("run_id="):]
			if code != tt.code || !strings.Contains(errOut.String(), "stopped by "+strings.ToUpper(unix(tt.sig))+": run "+runID) {
				t.Errorf("%v: exit %d\n%s---\n%s", tt.sig, code, out, errOut)
			}
			if len(tt.args) > 0 {
				var got runJSON
				if json.Unmarshal(out.Bytes(), &got) != nil || !got.Stopped || got.ID != runID || (got.CancelRequested != nil) != tt.cancel {
					t.Errorf("%v: JSON %s", tt.sig, out)
				}
			}
			run, _, err := srv.ClientV1().Rivers.GetRun(t.Context(), slowRiver, runID)
			if err != nil || (run.Status == rivery.StatusCanceled) != tt.cancel {
				t.Errorf("%v: run on the fake: %+v %v", tt.sig, run, err)
			}
		}
	})

	t.Run("rivery fake serves other processes until stopped", func(t *testing.T) {
		if runtime.GOOS == "windows" {
			t.Skip("no SIGTERM to send")
		}
		rivers := filepath.Join(t.TempDir(), "rivers.json")
		if err := os.WriteFile(rivers, []byte(`[{"id": "63b724fc690def001131d2aa", "name": "orders"}, {"name": "broken", "outcome": "failed", "message": "disk full"}]`), 0o600); err != nil {
			t.Fatal(err)
		}
		for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
			cmd, _, errOut := binCmd(t, bin, nil, "fake", "--rivers", rivers)
			cmd.Stdout = nil
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// The first two lines: RIVERY_BASE_URL=... and RIVERY_API_TOKEN=...
			lines := bufio.NewScanner(stdout)
			var env []string
			for len(env) < 2 && lines.Scan() {
				env = append(env, lines.Text())
			}
			if len(env) != 2 || !strings.HasPrefix(env[0], "RIVERY_BASE_URL=http://127.0.0.1:") || !strings.HasPrefix(env[1], "RIVERY_API_TOKEN=") {
				_ = cmd.Process.Kill()
				_, _ = io.Copy(io.Discard, stdout)
				_ = cmd.Wait()
				t.Fatalf("fake printed %q: %s", env, errOut)
			}
			// Another process, pointed at it by the two variables only.
			env = append(env, "RIVERY_REGION=", "RIVERY_ACCOUNT_ID=", "RIVERY_ENVIRONMENT_ID=")
			user, out, userErr := binCmd(t, bin, env, "run", "63b724fc690def001131d2aa", "--wait", "--poll-interval", "10ms")
			if code := exitCode(t, user.Run()); code != exitOK || !strings.Contains(out.String(), "succeeded") {
				t.Errorf("run against the fake: exit %d: %s%s", code, out, userErr)
			}
			list, out, userErr := binCmd(t, bin, env, "rivers", "list")
			if code := exitCode(t, list.Run()); code != exitOK || !strings.Contains(out.String(), "orders") || !strings.Contains(out.String(), "broken") || strings.Contains(out.String(), "demo") {
				t.Errorf("rivers list against the fake: exit %d: %s%s", code, out, userErr)
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, stdout)
			if code := exitCode(t, cmd.Wait()); code != exitOK || !strings.Contains(errOut.String(), "fake Rivery stopped") {
				t.Errorf("%v: exit %d: %s", sig, code, errOut)
			}
			if !strings.Contains(errOut.String(), "rivers: 63b724fc690def001131d2aa, 63") {
				t.Errorf("the generated river ID is not listed: %s", errOut)
			}
		}
	})

	t.Run("the README's CI step", func(t *testing.T) {
		r := exe(t, bin, "run", "demo", "--wait")
		if r.code != exitOK || !strings.Contains(r.stdout, "succeeded") {
			t.Errorf("%+v", r)
		}
		if r := exe(t, bin, "run", failRiver, "--wait", "--poll-interval", "10ms"); r.code != exitFailed || !strings.Contains(r.stdout, "disk full") {
			t.Errorf("failed run: %+v", r)
		}
	})
}

// unix names a signal as kill -l does.
func unix(sig syscall.Signal) string {
	if sig == syscall.SIGINT {
		return "sigint"
	}
	return "sigterm"
}
