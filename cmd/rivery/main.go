// Command rivery triggers Rivery rivers and waits for them, for CI
// pipelines and terminals, and serves a fake Rivery for integration tests
// of any language. It is built only on the public github.com/rivery-go/rivery
// API and reads RIVERY_API_TOKEN and the other RIVERY_* variables.
//
// The commands are a cobra tree (root.go); each one is a spec (spec.go)
// that names its positionals, the shared flags it honors and its body, so
// its help, argument checks and completion come from that one definition.
// Run 'rivery --help' for the commands and 'rivery <command> --help' for
// one command's flags.
//
// Exit status: 0 on success, 1 when a waited-for run did not succeed, 2 on a
// usage or API error, 124 when --timeout ran out, 130 on SIGINT and 143 on
// SIGTERM (128 + the signal's number). With several rivers, the worst of
// their outcomes, in the order 0, 1, 2, 124, then the signal's (run_many.go).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/rivery-go/rivery"
)

// Exit statuses.
const (
	exitOK      = 0
	exitFailed  = 1
	exitError   = 2
	exitTimeout = 124
)

func main() {
	ctx, stop := withSignals(context.Background())
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// usageError marks a usage error: its message is printed with the usage.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// exitOnly ends a command whose outcome is already printed (a run that
// failed, shown on stdout once) with this exit status and no more output.
type exitOnly int

func (e exitOnly) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// cli is one invocation: its streams, the flags the commands share (each
// command defines the ones it honors, bound to these fields) and what the
// command set up.
type cli struct {
	stdin          io.Reader // where a destructive command asks for confirmation
	stdout, stderr io.Writer
	client         *rivery.Client

	// Shared flags (see flags.go).
	timeout     time.Duration
	environment string
	verbose     bool
	quiet       bool
	out         output

	// started is set when a command's own body begins: an error before it
	// (an unknown command or flag, a wrong argument count) is a usage error.
	started bool
	cmd     *cobra.Command // the command being run

	// console is the console URL given as <river>, if any; urlRegion the
	// region taken from it. needAccount is set when --environment is given
	// and no account is known: connect asks /api/me.
	console     *rivery.ConsoleURL
	urlRegion   rivery.Region
	needAccount bool
	// skipped is set when run --wait waits for the run in flight that a
	// skipped trigger named.
	skipped bool

	// dryRun is a destructive command's --dry-run; dry is the transport
	// that stops its write.
	dryRun bool
	dry    *dryRunTransport

	// bound is the --timeout in force, once deadline set one.
	bound time.Duration
	// bounded is the context deadline made, to tell its end from others.
	bounded context.Context

	// budgetN requests in any budgetPer: run's --request-budget (0: none).
	budgetN   int
	budgetPer time.Duration
	// v1 is set by connect when the client uses the v1 API (the account
	// and environment are known), where several waits share one poller.
	v1 bool

	// traceOut is --trace-stdout; trace records the command's spans when
	// it or the OTEL_* variables ask for a trace (trace.go).
	traceOut bool
	trace    *tracer

	// errMu orders the lines written to stderr by the waiting goroutines
	// and the live lines' ticker; live holds those lines, while run --wait
	// shows them on a terminal.
	errMu sync.Mutex
	live  liveView
}

// run executes args and returns the exit status, reading stdin when a
// destructive command asks for confirmation on a terminal.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return runWith(ctx, args, os.Stdin, stdout, stderr)
}

// runWith is run with another stdin.
func runWith(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := &cli{stdin: stdin, stdout: stdout, stderr: stderr}
	root := c.root()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	cmd, err := root.ExecuteContextC(ctx)
	if c.client != nil {
		_ = c.client.Close()
	}
	if c.cmd == nil {
		c.cmd = cmd
	}
	code := c.exit(ctx, err)
	c.flushTrace(ctx, code)
	return code
}

// exit reports err on stderr and maps it to an exit status.
func (c *cli) exit(ctx context.Context, err error) int {
	var ue *usageError
	var runErr *rivery.RunError
	var sig signalError
	var only exitOnly
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &only):
		return int(only)
	case !c.started || errors.As(err, &ue):
		c.report(err)
		c.usageHint()
		return exitError
	case errors.As(err, &sig):
		c.report(err)
		return sig.exitCode()
	case errors.As(context.Cause(ctx), &sig):
		c.report(fmt.Errorf("%w: %w", sig, err))
		return sig.exitCode()
	case errors.Is(err, errTimeout):
		c.report(err)
		return exitTimeout
	case c.bounded != nil && errors.Is(c.bounded.Err(), context.DeadlineExceeded):
		c.report(fmt.Errorf("%w after %v: %w", errTimeout, c.bound, err))
		return exitTimeout
	case errors.As(err, &runErr):
		c.report(err)
		return exitFailed
	default:
		c.report(err)
		c.regionHint(err)
		return exitError
	}
}

// regionHint follows a 401: a token works only in its own region.
func (c *cli) regionHint(err error) {
	if errors.Is(err, rivery.ErrUnauthorized) {
		c.errLine(fmt.Sprintf("rivery: hint: a token is valid only in its own region, and this call went to %s; check the token's region (RIVERY_REGION: us, eu, il or au)", c.where()))
	}
}

// usageHint follows a usage error: the command's usage line and where its
// flags are listed.
func (c *cli) usageHint() {
	cmd := c.cmd
	if cmd == nil || !cmd.HasParent() || cmd.HasSubCommands() && !cmd.Runnable() {
		fmt.Fprint(c.stderr, "Run 'rivery --help' for usage.\n")
		return
	}
	if cmd.HasSubCommands() {
		fmt.Fprintf(c.stderr, "Usage: %s <subcommand>\nRun '%s --help' for its subcommands.\n", cmd.CommandPath(), cmd.CommandPath())
		return
	}
	fmt.Fprintf(c.stderr, "Usage: %s\nRun '%s --help' for its flags.\n", cmd.UseLine(), cmd.CommandPath())
}

// report prints err on stderr, prefixed once with "rivery: ".
func (c *cli) report(err error) {
	c.errLine("rivery: " + printable(message(err)))
}

// message is err's text without the "rivery: " prefixes its layers add,
// and without a status text the server repeated as its message ("401
// Unauthorized: Unauthorized").
func message(err error) string {
	msg := strings.TrimPrefix(err.Error(), "rivery: ")
	msg = strings.ReplaceAll(msg, ": rivery: ", ": ")
	var apiErr *rivery.APIError
	if errors.As(err, &apiErr) {
		text := http.StatusText(apiErr.StatusCode)
		status := fmt.Sprintf("%d %s", apiErr.StatusCode, text)
		if strings.HasSuffix(msg, status+": "+text) {
			msg = strings.TrimSuffix(msg, ": "+text)
		} else {
			msg = strings.Replace(msg, status+": "+text+": ", status+": ", 1)
		}
	}
	return msg
}
