package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/rivery-go/rivery"
)

const rootLong = `Trigger Rivery rivers and wait for them, read runs, rivers and the
environment, manage tokens, and serve a fake Rivery for tests of any tool.

<river> is a river ID or the river's console URL. A console URL also gives
the region (its host) and the account and environment IDs, unless the
variables below set them.

The flags --timeout, --environment, --verbose (-v), --quiet (-q) and
--trace-stdout work before or after the command's name, on every command
that calls the API; --environment matters only to those that address an
environment (tokens, users, teams or whoami, for instance, ignore it).
Results go to stdout (--json or --output json for one JSON document), and
progress, retries and errors to stderr.

Environment:
  RIVERY_API_TOKEN       API token (or, when it is not set, Boomi platform sign-in:
  BOOMI_ACCOUNT_ID       BOOMI_ACCOUNT_ID, BOOMI_USERNAME and BOOMI_API_TOKEN,
  BOOMI_USERNAME         with BOOMI_PLATFORM_URL defaulting to https://api.boomi.com)
  BOOMI_API_TOKEN
  RIVERY_REGION          us (default), eu, il or au: the token's region
  RIVERY_BASE_URL        one base URL for both API families (a proxy, or rivery fake)
  RIVERY_ACCOUNT_ID      with RIVERY_ENVIRONMENT_ID (or --environment): use the v1 API for every call
  RIVERY_ENVIRONMENT_ID
  OTEL_EXPORTER_OTLP_ENDPOINT  POST the command's trace to this OTLP/HTTP receiver
                         (+ /v1/traces, as JSON; OTEL_EXPORTER_OTLP_HEADERS its headers);
                         --trace-stdout writes it on stderr instead or too

Exit status: 0 success, 1 the run did not succeed, 2 usage or API error,
124 --timeout ran out, 130 SIGINT, 143 SIGTERM; for several rivers, the
worst in that order. When a run was started, a stop by timeout or signal
prints its ID (and with --json the run, with "timed_out" or "stopped"
true); with --cancel-on-exit it is also canceled on Rivery.`

// root builds the command tree. Adding a command is a spec (spec.go) and
// one line here, or in its group's list.
func (c *cli) root() *cobra.Command {
	root := &cobra.Command{
		Use:           "rivery",
		Short:         "Trigger Rivery rivers, read runs and the environment, manage tokens, serve a fake Rivery",
		Long:          rootLong,
		Version:       rivery.Version,
		SilenceErrors: true,
		SilenceUsage:  true,
		Args:          cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				fmt.Fprint(c.stderr, cmd.UsageString())
				return exitOnly(exitError)
			}
			return usagef("unknown command %q%s", args[0], suggest(cmd, args[0]))
		},
	}
	root.SetVersionTemplate("rivery {{.Version}} (rivery-go " + rivery.Version + ")\n")
	c.globalFlags(root.Flags(), "give up after this long and exit 124 (default 1m; 30m for run --wait)", apiFlags)
	root.SetFlagErrorFunc(c.flagError)
	root.SetHelpCommand(c.helpCmd(root))
	root.AddCommand(
		c.runCmd(),
		c.runsCmd(),
		c.activitiesCmd(),
		c.riversCmd(),
		c.connectionsCmd(),
		c.varsCmd(),
		c.environmentsCmd(),
		c.auditCmd(),
		c.cdcCmd(),
		c.dataframesCmd(),
		c.logicodeCmd(),
		c.teamsCmd(),
		c.usersCmd(),
		c.tokensCmd(),
		c.whoamiCmd(),
		c.fakeCmd(),
		c.versionCmd(),
	)
	return root
}

// flagError words a flag's parse error: what was wrong and what the flag
// wants, without the flag package's own phrasing.
func (c *cli) flagError(cmd *cobra.Command, err error) error {
	c.cmd = cmd
	var invalid *pflag.InvalidValueError
	var missing *pflag.ValueRequiredError
	var unknown *pflag.NotExistError
	switch {
	case errors.As(err, &invalid):
		return usagef("--%s %q: %v", invalid.GetFlag().Name, invalid.GetValue(), errors.Unwrap(invalid))
	case errors.As(err, &missing):
		return usagef("--%s needs a value", missing.GetFlag().Name)
	case errors.As(err, &unknown):
		name := unknown.GetSpecifiedName()
		if short := unknown.GetSpecifiedShortnames(); short != "" {
			if f := cmd.Flags().Lookup(short); f != nil && len(short) > 1 {
				return usagef("-%s: write --%s (two dashes)", short, f.Name)
			}
			return usagef("unknown flag -%s in -%s for %s", name, short, cmdName(cmd))
		}
		if cmd.Root().Flags().Lookup(name) != nil {
			return usagef("%s does not take --%s", cmdName(cmd), name)
		}
		return usagef("unknown flag --%s for %s", name, cmdName(cmd))
	}
	return usagef("%s", strings.TrimPrefix(err.Error(), "flag "))
}

// helpCmd is "rivery help [command]": the command's --help; an unknown
// command is a usage error, as it is without help.
func (c *cli) helpCmd(root *cobra.Command) *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: "Help about any command",
		Args:  cobra.ArbitraryArgs,
		ValidArgsFunction: func(_ *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			parent, _, err := root.Find(args)
			if err != nil {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var names []cobra.Completion
			for _, sub := range parent.Commands() {
				if sub.IsAvailableCommand() && strings.HasPrefix(sub.Name(), toComplete) {
					names = append(names, cobra.CompletionWithDesc(sub.Name(), sub.Short))
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			target, rest, err := root.Find(args)
			if err != nil || len(rest) > 0 {
				c.cmd = root
				typed := strings.Join(args, " ")
				if len(rest) > 0 {
					typed = rest[0]
				}
				return usagef("no help for %q: unknown command%s", strings.Join(args, " "), suggest(target, typed))
			}
			target.InitDefaultHelpFlag()
			return target.Help()
		},
	}
}

func (c *cli) versionCmd() *cobra.Command {
	return c.leaf(spec{use: "version", short: "Print the version.", run: func(context.Context, []string) error {
		_, err := fmt.Fprintf(c.stdout, "rivery %s (rivery-go %s)\n", rivery.Version, rivery.Version)
		return err
	}})
}
