// Command rivery triggers Rivery rivers and waits for them, for CI
// pipelines and terminals. It is built only on the public
// github.com/rivery-go/rivery API and reads RIVERY_API_TOKEN and the other
// RIVERY_* variables.
//
//	rivery run <river-id | console-url> [--wait] [--timeout 30m] [--json]
//	rivery runs get|cancel|list|logs ...
//	rivery rivers list|get ...
//	rivery tokens list|get|create|delete ...
//	rivery version
//
// Exit status: 0 on success, 1 when a waited-for run did not succeed, 2 on a
// usage or API error, 124 when --timeout ran out.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/rivery-go/rivery"
)

// Exit statuses.
const (
	exitOK      = 0
	exitFailed  = 1
	exitError   = 2
	exitTimeout = 124
)

const usage = `rivery: trigger Rivery rivers and manage runs and tokens.

Usage:
  rivery run <river-id | console-url> [--wait] [--timeout 30m] [--poll-interval 1s] [--json]
  rivery runs get <river-id> <run-id> [--json]
  rivery runs cancel <river-id> <run-id>
  rivery runs list <river-id> [--since 24h] [--json]
  rivery runs logs <river-id> <run-id> [--json]
  rivery rivers list [--name NAME] [--group GROUP_ID] [--json]
  rivery rivers get <river-id> [--json]
  rivery tokens list [--json]
  rivery tokens get <token-id> [--json]
  rivery tokens create --name NAME --scope SCOPE [--scope SCOPE ...] [--json]
  rivery tokens delete <token-id>
  rivery version

Environment:
  RIVERY_API_TOKEN       API token (required)
  RIVERY_REGION          us (default), eu, il or au
  RIVERY_BASE_URL        one base URL for both API families (a proxy or a test server)
  RIVERY_ACCOUNT_ID      with RIVERY_ENVIRONMENT_ID: use the v1 API for every call
  RIVERY_ENVIRONMENT_ID

Exit status: 0 success, 1 the run did not succeed, 2 usage or API error, 124 timeout.
Run 'rivery <command> --help' for a command's flags.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// errUsage marks a usage error: its message is printed with a hint.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// cli is one invocation.
type cli struct {
	stdout, stderr io.Writer
	client         *rivery.Client
}

// run executes args and returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		if len(args) == 0 {
			return exitError
		}
		return exitOK
	}
	if args[0] == "version" || args[0] == "--version" {
		fmt.Fprintf(stdout, "rivery %s (rivery-go %s)\n", rivery.Version, rivery.Version)
		return exitOK
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "rivery: unknown command %q\n\n%s", args[0], usage)
		return exitError
	}
	c := &cli{stdout: stdout, stderr: stderr}
	err := cmd(ctx, c, args[1:])
	if c.client != nil {
		_ = c.client.Close()
	}
	return c.exit(err)
}

// exit reports err on stderr and maps it to an exit status.
func (c *cli) exit(err error) int {
	var ue *usageError
	var runErr *rivery.RunError
	switch {
	case err == nil || errors.Is(err, errHelpShown):
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(c.stderr, "rivery: %s\nRun 'rivery --help' for usage.\n", ue.msg)
		return exitError
	case errors.As(err, &runErr):
		c.report(err)
		return exitFailed
	case errors.Is(err, errTimeout):
		c.report(err)
		return exitTimeout
	default:
		c.report(err)
		return exitError
	}
}

// report prints err on stderr once prefixed with "rivery: ".
func (c *cli) report(err error) {
	fmt.Fprintln(c.stderr, "rivery: "+strings.TrimPrefix(err.Error(), "rivery: "))
}

// connect builds the client from the environment.
func (c *cli) connect() error {
	client, err := rivery.NewClientFromEnv()
	if err != nil {
		return err
	}
	c.client = client
	return nil
}

type command func(ctx context.Context, c *cli, args []string) error

var commands = map[string]command{
	"run":    runCommand,
	"runs":   group("runs", map[string]command{"get": runsGet, "cancel": runsCancel, "list": runsList, "logs": runsLogs}),
	"rivers": group("rivers", map[string]command{"list": riversList, "get": riversGet}),
	"tokens": group("tokens", map[string]command{"list": tokensList, "get": tokensGet, "create": tokensCreate, "delete": tokensDelete}),

	"environments": environmentsCommand,
}

// group dispatches a command's subcommands.
func group(name string, subs map[string]command) command {
	return func(ctx context.Context, c *cli, args []string) error {
		if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
			return usagef("%s needs a subcommand: %s", name, keys(subs))
		}
		sub, ok := subs[args[0]]
		if !ok {
			return usagef("unknown subcommand %q of %s (want %s)", args[0], name, keys(subs))
		}
		return sub(ctx, c, args[1:])
	}
}
