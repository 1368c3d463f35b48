package main

import (
	"context"

	"github.com/rivery-go/rivery"
)

// environmentsCommand is "rivery environments list".
var environmentsCommand = group("environments", map[string]command{"list": environmentsList})

func environmentsList(ctx context.Context, c *cli, args []string) error {
	fs := c.newFlags("environments list", "environments list [--json]")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parse(fs, args, 0); err != nil {
		return err
	}
	if err := c.connect(); err != nil {
		return err
	}
	var envs []*rivery.Environment
	for e, err := range c.client.Environments.All(ctx, &rivery.ListOptions{PerPage: 200}) {
		if err != nil {
			return err
		}
		envs = append(envs, e)
	}
	if *asJSON {
		return c.printJSON(envs)
	}
	rows := make([][]string, len(envs))
	for i, e := range envs {
		deleted := ""
		if e.Deleted {
			deleted = "deleted"
		}
		rows[i] = []string{e.ID, e.Name, deleted, e.Description}
	}
	return c.table("ENVIRONMENT ID\tNAME\tSTATE\tDESCRIPTION", rows)
}
