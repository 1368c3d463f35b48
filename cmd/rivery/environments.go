package main

import (
	"context"

	"github.com/rivery-go/rivery"
)

// environmentsList is "rivery environments list".
func environmentsList(ctx context.Context, c *cli, args []string) error {
	fs := c.flags()
	asJSON := fs.Bool("json", false, "print JSON")
	ctx, cancel, _, err := c.start(ctx, fs, args, 0, false)
	if err != nil {
		return err
	}
	defer cancel()
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
