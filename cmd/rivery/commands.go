package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// command runs one command with the arguments after its name.
type command func(ctx context.Context, c *cli, args []string) error

// commandSpec is one entry of the command table: the single source of a
// command's synopsis for the top-level help, its group's help and its own
// --help.
type commandSpec struct {
	name     string // "run", or "group sub" for a subcommand of a group
	synopsis string // what follows "rivery <name>" on its usage line
	summary  string // what it does, for its --help
	run      command
}

// commands is every command in the order the help lists them. Adding a
// command is one entry here; a group ("runs", "tokens") is made of the
// entries whose name starts with its word.
var commands = []commandSpec{
	{"run", "<river> [--wait] [--poll-interval 1s] [--cancel-on-exit] [--json]", "Trigger a river. With --wait, wait for its run (every run, when the trigger started a run group) to end and exit 1 unless it succeeded; a trigger skipped because a run is in flight waits for that run.", runCommand},
	{"runs get", "<river> <run-id> [--json]", "Show a run's status, and on the v1 API every run of its run group when it has several (one more call: the river's runs within a day of it).", runsGet},
	{"runs cancel", "<river> <run-id> | <river> --group <run-group-id>", "Ask Rivery to cancel a run, or with --group every run of a run group (v1 API).", runsCancel},
	{"runs list", "<river> [--since 24h] [--json]", "List a river's runs that started since then (v1 API).", runsList},
	{"runs logs", "<river> <run-id> [--json]", "Print a run's logs (v1 API).", runsLogs},
	{"runs tasks", "<river> <run-id> [--json]", "List a run's tasks (v1 API).", runsTasks},
	{"runs steps", "<river> <run-id> [--json]", "List a logic run's steps (v1 API).", runsSteps},
	{"runs step-log", "<river> <run-id> <step-id> [--iteration N] [--url]", "Print a logic step's log, or with --url its short-lived presigned URL (v1 API).", runsStepLog},
	{"runs vars", "<river> <run-id> [--json]", "List a logic run's variables (v1 API; values expire soon after the run).", runsVars},
	{"activities", "[--since 24h] [--status failed] [--group GROUP_ID] [--json]", "Summarize every river's runs in the environment since then: a table on a terminal, JSON lines otherwise (v1 API).", activitiesCommand},
	{"rivers list", "[--name NAME] [--group GROUP_ID] [--json]", "List the environment's rivers.", riversList},
	{"rivers get", "<river> [--json]", "Show a river.", riversGet},
	{"rivers search", "[--query TEXT] [--name NAME] [--status active|disabled] [--type TYPE] [--group GROUP_ID] [--json]", "Search the environment's rivers (v1 API).", riversSearch},
	{"rivers copy", "<river> [--json]", "Copy a river; the copy is created disabled (v1 API).", riversCopy},
	{"rivers versions", "<river> [--json]", "List a river's saved versions (v1 API).", riversVersions},
	{"rivers restore", "<river> <version-id>", "Restore a river to a saved version, as a new version (v1 API).", riversRestore},
	{"rivers export", "<river> [--raw]", "Print a river's definition as JSON, ready for rivers apply (v1 API).", riversExport},
	{"rivers apply", "-f FILE [--river RIVER_ID] [--dry-run] [--json]", "Create or update the river a definition file names, in the environment --environment (or RIVERY_ENVIRONMENT_ID) selects: the promote step of a CI pipeline (v1 API).", riversApply},
	{"connections list", "[--json]", "List the environment's connections, credentials redacted (v1 API).", connectionsList},
	{"connections get", "<connection-id> [--json]", "Show a connection, credentials redacted (v1 API).", connectionsGet},
	{"vars env list", "[--json]", "List the environment's variables (v1 API).", varsEnvList},
	{"vars env set", "<name> <value>", "Add or update one environment variable (v1 API).", varsEnvSet},
	{"vars env delete", "<name>", "Delete one environment variable; a missing one is an error (v1 API).", varsEnvDelete},
	{"vars river get", "<river> [--json]", "List every variable of a river (v1 API).", varsRiverGet},
	{"vars river set", "<river> <name> <value> [--encrypted] [--clear-on-start]", "Add or update one river variable, keeping all the others (v1 API).", varsRiverSet},
	{"environments list", "[--json]", "List the account's environments (v1 API).", environmentsList},
	{"tokens list", "[--json]", "List the account's API tokens (admins only).", tokensList},
	{"tokens get", "<token-id> [--json]", "Show a token and its scopes (admins only).", tokensGet},
	{"tokens create", "--name NAME --scope SCOPE [--scope SCOPE ...] [--json]", "Create a token and print its value, shown only this once (admins only).", tokensCreate},
	{"tokens delete", "<token-id>", "Delete a token (admins only).", tokensDelete},
	{"fake", "[--addr 127.0.0.1:0] [--token VALUE] [--rivers FILE] [--json]", "Serve a fake Rivery until stopped, for integration tests of any tool: it prints RIVERY_BASE_URL and RIVERY_API_TOKEN lines to point clients at it. Without --rivers it serves the demo rivers demo (succeeds), demo-fail (fails) and demo-slow (runs 10 minutes). With --timeout it serves at most that long.", fakeCommand},
	{"whoami", "[--json]", "Show who the token is: its account, environment and user where the server says (GET /api/me). The cheapest check of a token and its region.", whoamiCommand},
	{"version", "", "Print the version.", versionCommand},
}

// commonFlags is the help's line on the flags every command takes.
const commonFlags = "[--timeout D] [--environment ID] [--verbose]"

const envHelp = `<river> is a river ID or the river's console URL.
A console URL also gives the region (its host) and the account and
environment IDs, unless the variables below set them.
Every command also takes ` + commonFlags + `: --timeout bounds
the whole command (default 1m, 30m for run --wait), --environment addresses
another environment of the account (RIVERY_ACCOUNT_ID's, the console URL's,
or the token's as GET /api/me tells), --verbose reports retries on stderr
(always shown on a terminal). '--' ends the flags.

Environment:
  RIVERY_API_TOKEN       API token (or, when it is not set, Boomi platform sign-in:
  BOOMI_ACCOUNT_ID       BOOMI_ACCOUNT_ID, BOOMI_USERNAME and BOOMI_API_TOKEN,
  BOOMI_USERNAME         with BOOMI_PLATFORM_URL defaulting to https://api.boomi.com)
  BOOMI_API_TOKEN
  RIVERY_REGION          us (default), eu, il or au: the token's region
  RIVERY_BASE_URL        one base URL for both API families (a proxy, or rivery fake)
  RIVERY_ACCOUNT_ID      with RIVERY_ENVIRONMENT_ID (or --environment): use the v1 API for every call
  RIVERY_ENVIRONMENT_ID

Exit status: 0 success, 1 the run did not succeed, 2 usage or API error,
124 --timeout ran out, 130 SIGINT, 143 SIGTERM. When a run was started, a stop
by timeout or signal prints its ID (and with --json the run, with "timed_out"
or "stopped" true); with --cancel-on-exit it is also canceled on Rivery.
`

// usageLine is the command's synopsis, as every help shows it.
func (s *commandSpec) usageLine() string {
	return strings.TrimSpace("rivery " + s.name + " " + s.synopsis)
}

// topUsage is the top-level help, listing every command from the table.
func topUsage() string {
	var b strings.Builder
	b.WriteString("rivery: trigger Rivery rivers, manage runs and tokens, and serve a fake Rivery.\n\nUsage:\n")
	for i := range commands {
		fmt.Fprintf(&b, "  %s\n", commands[i].usageLine())
	}
	b.WriteString("  rivery help [command]\n\n")
	b.WriteString(envHelp)
	b.WriteString("Run 'rivery <command> --help' for a command's flags.\n")
	return b.String()
}

// groupUsage lists a group's subcommands.
func groupUsage(group string) string {
	var b strings.Builder
	b.WriteString("Usage:\n")
	for i := range commands {
		if strings.HasPrefix(commands[i].name, group+" ") {
			fmt.Fprintf(&b, "  %s\n", commands[i].usageLine())
		}
	}
	fmt.Fprintf(&b, "\nRun 'rivery %s <subcommand> --help' for a subcommand's flags.\n", group)
	return b.String()
}

// lookup finds the command args name (the longest command name whose words
// start args) and returns the arguments after its name. A group's name
// ("runs", "vars env") without a known subcommand returns a nil spec and the
// arguments after the group's name when they are empty or ask for help.
func lookup(args []string) (*commandSpec, []string, error) {
	var best *commandSpec
	bestN, groupN := 0, 0
	for i := range commands {
		words := strings.Fields(commands[i].name)
		n := commonWords(args, words)
		if n == len(words) && n > bestN {
			best, bestN = &commands[i], n
		}
		if n < len(words) {
			groupN = max(groupN, n)
		}
	}
	switch {
	case best != nil && bestN >= groupN:
		return best, args[bestN:], nil
	case groupN == 0:
		return nil, nil, usagef("unknown command %q", args[0])
	case len(args) == groupN || isHelp(args[groupN]):
		return nil, args[groupN:], nil
	}
	group := strings.Join(args[:groupN], " ")
	var subs []string
	for i := range commands {
		if sub, ok := strings.CutPrefix(commands[i].name, group+" "); ok {
			sub, _, _ = strings.Cut(sub, " ")
			if !slices.Contains(subs, sub) {
				subs = append(subs, sub)
			}
		}
	}
	return nil, nil, usagef("unknown subcommand %q of %s (want %s)", args[groupN], group, strings.Join(subs, ", "))
}

// commonWords counts the leading words args and name share.
func commonWords(args, name []string) int {
	n := 0
	for n < len(args) && n < len(name) && args[n] == name[n] {
		n++
	}
	return n
}

func isHelp(arg string) bool {
	return arg == "-h" || arg == "--help" || arg == "-help" || arg == "help"
}
