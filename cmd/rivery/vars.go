package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"maps"
	"slices"

	"github.com/spf13/cobra"

	"github.com/rivery-go/rivery"
)

func (c *cli) varsCmd() *cobra.Command {
	env := c.group("env", "The environment's variables (v1 API).", c.varsEnvListCmd(), c.varsEnvSetCmd(), c.varsEnvDeleteCmd())
	river := c.group("river", "A river's variables (v1 API).", c.varsRiverGetCmd(), c.varsRiverSetCmd())
	return c.group("vars", "Read and set environment and river variables (v1 API).", env, river)
}

func (c *cli) varsEnvListCmd() *cobra.Command {
	return showCmd(c, spec{use: "list", short: "List the environment's variables, by name (v1 API); --json prints one object of them."},
		func(ctx context.Context, _ []string) (map[string]string, error) {
			vars, _, err := c.client.Variables.List(ctx)
			if vars == nil {
				vars = map[string]string{}
			}
			return vars, err
		},
		func(w io.Writer, vars map[string]string) error {
			names := slices.Sorted(maps.Keys(vars))
			rows := make([][]string, len(names))
			for i, n := range names {
				rows[i] = []string{n, vars[n]}
			}
			return writeTable(w, "NAME\tVALUE", rows)
		})
}

func (c *cli) varsEnvSetCmd() *cobra.Command {
	return actionCmd(c, spec{use: "set <name> <value>", short: "Add or update one environment variable (v1 API)."},
		func(ctx context.Context, args []string) (string, error) {
			_, err := c.client.Variables.Set(ctx, map[string]string{args[0]: args[1]})
			return "set " + args[0], err
		})
}

func (c *cli) varsEnvDeleteCmd() *cobra.Command {
	return actionCmd(c, spec{use: "delete <name>", short: "Delete one environment variable; a missing one is an error (v1 API)."},
		func(ctx context.Context, args []string) (string, error) {
			// The API answers a DELETE of a missing name with success, and
			// the SDK sends the DELETE alone: the command reads the variables
			// first so that a mistyped name is an error (one request more,
			// for a person typing).
			vars, _, err := c.client.Variables.List(ctx)
			if err != nil {
				return "", err
			}
			if _, ok := vars[args[0]]; !ok {
				err = rivery.ErrNoSuchVariable
			} else {
				_, err = c.client.Variables.Delete(ctx, args[0])
			}
			if errors.Is(err, rivery.ErrNoSuchVariable) {
				err = fmt.Errorf("the environment has no variable %q: nothing deleted", args[0])
			}
			return "deleted " + args[0], err
		})
}

func (c *cli) varsRiverGetCmd() *cobra.Command {
	return listCmd(c, spec{use: "get <river>", short: "List every variable of a river (v1 API)."},
		func(ctx context.Context, args []string) iter.Seq2[*rivery.RiverVariable, error] {
			return slice(c.client.RiverVariables.GetAll(ctx, args[0]))
		},
		tableOf("NAME\tVALUE\tSETTINGS", func(v *rivery.RiverVariable) []string {
			value := fmt.Sprint(v.Value)
			flags := ""
			if st := v.Settings; st != nil {
				if st.IsEncrypted {
					value, flags = "(encrypted)", "encrypted "
				}
				if st.IsMultiValue {
					flags += "multi-value "
				}
				if st.ClearValueOnStart {
					flags += "clear-on-start"
				}
			}
			return []string{v.Name, value, flags}
		}))
}

func (c *cli) varsRiverSetCmd() *cobra.Command {
	var encrypted, clearOnStart bool
	var cmd *cobra.Command
	cmd = actionCmd(c, spec{use: "set <river> <name> <value>", short: "Add or update one river variable, keeping all the others (v1 API)."},
		func(ctx context.Context, args []string) (string, error) {
			v := &rivery.RiverVariable{Name: args[1], Value: args[2]}
			if cmd.Flags().Changed("encrypted") || cmd.Flags().Changed("clear-on-start") { // settings only when asked: otherwise they stay
				v.Settings = &rivery.RiverVariableSettings{IsEncrypted: encrypted, ClearValueOnStart: clearOnStart}
			}
			vars, err := c.client.RiverVariables.Set(ctx, args[0], v)
			return fmt.Sprintf("set %s; the river has %s", args[1], plural(len(vars), "variable")), err
		})
	cmd.Flags().BoolVar(&encrypted, "encrypted", false, "store the value encrypted")
	cmd.Flags().BoolVar(&clearOnStart, "clear-on-start", false, "clear the value when a run starts")
	return cmd
}
