package main

import (
	"context"
	"iter"

	"github.com/spf13/cobra"

	"github.com/rivery-go/rivery"
)

func (c *cli) environmentsCmd() *cobra.Command {
	list := listCmd(c, spec{use: "list", short: "List the account's environments (v1 API).", flags: accountWide},
		func(ctx context.Context, _ []string) iter.Seq2[*rivery.Environment, error] {
			return c.client.Environments.All(ctx, &rivery.ListOptions{PerPage: 200})
		},
		tableOf("ENVIRONMENT ID\tNAME\tSTATE\tDESCRIPTION", func(e *rivery.Environment) []string {
			deleted := ""
			if e.Deleted {
				deleted = "deleted"
			}
			return []string{e.ID, e.Name, deleted, e.Description}
		}))
	return c.group("environments", "List, create, change and delete the account's environments (v1 API).", list,
		c.environmentsCreateCmd(), c.environmentsUpdateCmd(), c.environmentsDeleteCmd())
}

func environmentLine(verb string) func(*rivery.Environment) string {
	return func(e *rivery.Environment) string { return verb + " environment " + e.ID + " (" + e.Name + ")" }
}

func (c *cli) environmentsCreateCmd() *cobra.Command {
	var req rivery.CreateEnvironmentRequest
	cmd := changeCmd(c, spec{
		use:   "create",
		short: "Create an environment (v1 API).",
		long:  "A create whose answer was lost is not sent again: look for the environment by name (environments list) first.",
		flags: accountWide,
	}, func(ctx context.Context, _ []string) (*rivery.Environment, error) {
		e, _, err := c.client.Environments.Create(ctx, &req)
		return e, err
	}, environmentLine("created"))
	fs := cmd.Flags()
	fs.StringVar(&req.Name, "name", "", "the environment's name")
	fs.StringVar(&req.Color, "color", "", "the console's color token for it, e.g. Gray")
	fs.StringVar(&req.Description, "description", "", "what it is for")
	fs.BoolVar(&req.Default, "default", false, "make it the account's default environment")
	_ = cmd.MarkFlagRequired("name")
	return cmd
}

func (c *cli) environmentsUpdateCmd() *cobra.Command {
	var req rivery.UpdateEnvironmentRequest
	var def bool
	var cmd *cobra.Command
	cmd = changeCmd(c, spec{use: "update <environment-id>", short: "Change an environment's name, color, description or default flag (v1 API).", flags: accountWide},
		func(ctx context.Context, args []string) (*rivery.Environment, error) {
			if cmd.Flags().Changed("default") {
				req.Default = &def
			}
			e, _, err := c.client.Environments.Update(ctx, args[0], &req)
			return e, err
		}, environmentLine("updated"))
	fs := cmd.Flags()
	fs.StringVar(&req.Name, "name", "", "a new name")
	fs.StringVar(&req.Color, "color", "", "a new color token")
	fs.StringVar(&req.Description, "description", "", "a new description")
	fs.BoolVar(&def, "default", false, "make it the account's default environment (--default=false: not)")
	return cmd
}

func (c *cli) environmentsDeleteCmd() *cobra.Command {
	var wait bool
	cmd := changeCmd(c, spec{
		use:     "delete <environment-id>",
		short:   "Delete an environment; asks first on a terminal, needs --yes otherwise (v1 API).",
		long:    "It stays readable, marked deleted. With --wait, the command waits for the deletion's operation to end.",
		confirm: func(args []string) string { return "delete environment " + args[0] },
	}, func(ctx context.Context, args []string) (deleted, error) {
		op, _, err := c.client.Environments.Delete(ctx, args[0])
		if err == nil && wait {
			op, err = c.client.Rivers.WaitForOperation(ctx, op, nil)
		}
		return deleted{Deleted: "environment", ID: args[0], Operation: opJSON(op)}, err
	}, deletedLine)
	cmd.Flags().BoolVar(&wait, "wait", false, "wait until the deletion's operation ends")
	return cmd
}
