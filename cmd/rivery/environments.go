package main

import (
	"context"
	"iter"

	"github.com/spf13/cobra"

	"github.com/rivery-go/rivery"
)

func (c *cli) environmentsCmd() *cobra.Command {
	list := listCmd(c, spec{use: "list", short: "List the account's environments (v1 API)."},
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
	return c.group("environments", "List the account's environments (v1 API).", list)
}
