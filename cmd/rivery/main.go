// Command rivery triggers Rivery rivers and waits for them, for CI
// pipelines and terminals, and serves a fake Rivery for integration tests
// of any language. It is built only on the public github.com/rivery-go/rivery
// API and reads RIVERY_API_TOKEN and the other RIVERY_* variables.
//
// Run 'rivery --help' for the commands (the table in commands.go) and
// 'rivery <command> --help' for one command's flags.
//
// Exit status: 0 on success, 1 when a waited-for run did not succeed, 2 on a
// usage or API error, 124 when --timeout ran out, 130 on SIGINT and 143 on
// SIGTERM (128 + the signal's number).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

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

// cli is one invocation.
type cli struct {
	stdout, stderr io.Writer
	spec           *commandSpec // the command being run
	client         *rivery.Client

	// Flags of every command (see flags).
	timeout     time.Duration
	environment string
	verbose     bool

	// console is the console URL given as <river>, if any; urlRegion the
	// region taken from it. needAccount is set when --environment is given
	// and no account is known: connect asks /api/me.
	console     *rivery.ConsoleURL
	urlRegion   rivery.Region
	needAccount bool
	// skipped is set when run --wait waits for the run in flight that a
	// skipped trigger named.
	skipped bool

	// bound is the --timeout in force, once deadline set one.
	bound time.Duration
	// bounded is the context deadline made, to tell its end from others.
	bounded context.Context
}

// run executes args and returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c := &cli{stdout: stdout, stderr: stderr}
	switch {
	case len(args) == 0:
		fmt.Fprint(stderr, topUsage())
		return exitError
	case args[0] == "-h" || args[0] == "--help" || args[0] == "-help":
		fmt.Fprint(stdout, topUsage())
		return exitOK
	case args[0] == "help":
		return c.help(args[1:])
	case args[0] == "--version" || args[0] == "-version":
		args = []string{"version"}
	}
	spec, rest, err := lookup(args)
	if err != nil {
		return c.exit(ctx, err)
	}
	if spec == nil { // a group's help
		return c.groupHelp(args[0], rest)
	}
	c.spec = spec
	err = spec.run(ctx, c, rest)
	if c.client != nil {
		_ = c.client.Close()
	}
	return c.exit(ctx, err)
}

// help serves 'rivery help [command]'.
func (c *cli) help(args []string) int {
	if len(args) == 0 {
		fmt.Fprint(c.stdout, topUsage())
		return exitOK
	}
	spec, rest, err := lookup(args)
	switch {
	case err != nil:
		return c.exit(context.Background(), err)
	case spec == nil:
		return c.groupHelp(args[0], []string{"--help"})
	case len(rest) > 0:
		return c.exit(context.Background(), usagef("help takes one command, got %q", strings.Join(args, " ")))
	}
	c.spec = spec
	return c.exit(context.Background(), spec.run(context.Background(), c, []string{"--help"}))
}

// groupHelp prints the subcommands of group: on stdout with exit 0 when
// asked for, on stderr with exit 2 when a subcommand is missing.
func (c *cli) groupHelp(group string, rest []string) int {
	text := groupUsage(group)
	if len(rest) > 0 && isHelp(rest[0]) {
		fmt.Fprint(c.stdout, text)
		return exitOK
	}
	fmt.Fprintf(c.stderr, "rivery: %s needs a subcommand\n\n%s", group, text)
	return exitError
}

// exit reports err on stderr and maps it to an exit status.
func (c *cli) exit(ctx context.Context, err error) int {
	var ue *usageError
	var runErr *rivery.RunError
	var sig signalError
	switch {
	case err == nil || errors.Is(err, errHelpShown):
		return exitOK
	case errors.As(err, &ue):
		c.report(err)
		if c.spec != nil {
			fmt.Fprintf(c.stderr, "Usage: %s\nRun 'rivery %s --help' for its flags.\n", c.spec.usageLine(), c.spec.name)
		} else {
			fmt.Fprint(c.stderr, "Run 'rivery --help' for usage.\n")
		}
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
		if errors.Is(err, rivery.ErrUnauthorized) {
			fmt.Fprintf(c.stderr, "rivery: hint: a token is valid only in its own region, and this call went to %s; check the token's region (RIVERY_REGION: us, eu, il or au)\n", c.where())
		}
		return exitError
	}
}

// report prints err on stderr, prefixed once with "rivery: ".
func (c *cli) report(err error) {
	fmt.Fprintln(c.stderr, "rivery: "+printable(message(err)))
}

// message is err's text without the "rivery: " prefixes its layers add.
func message(err error) string {
	msg := strings.TrimPrefix(err.Error(), "rivery: ")
	return strings.ReplaceAll(msg, ": rivery: ", ": ")
}
