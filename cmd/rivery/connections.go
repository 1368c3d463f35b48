package main

import (
	"context"
	"fmt"

	"github.com/rivery-go/rivery"
)

func connectionsList(ctx context.Context, c *cli, args []string) error {
	fs := c.newFlags("connections list", "connections list [--json]")
	asJSON := fs.Bool("json", false, "print JSON (credentials redacted)")
	if _, err := parse(fs, args, 0); err != nil {
		return err
	}
	if err := c.connect(); err != nil {
		return err
	}
	conns := []*rivery.Connection{}
	for conn, err := range c.client.Connections.All(ctx, &rivery.ListOptions{PerPage: 500}) {
		if err != nil {
			return err
		}
		conns = append(conns, conn)
	}
	if *asJSON {
		return c.printJSON(conns)
	}
	rows := make([][]string, len(conns))
	for i, conn := range conns {
		rows[i] = []string{conn.ID, conn.Name, conn.Type, conn.TypeName}
	}
	return c.table("CONNECTION ID\tNAME\tTYPE\tTYPE NAME", rows)
}

func connectionsGet(ctx context.Context, c *cli, args []string) error {
	fs := c.newFlags("connections get", "connections get <connection-id> [--json]")
	asJSON := fs.Bool("json", false, "print the connection as JSON (credentials redacted)")
	pos, err := parse(fs, args, 1)
	if err != nil {
		return err
	}
	if err := c.connect(); err != nil {
		return err
	}
	conn, _, err := c.client.Connections.Get(ctx, pos[0])
	if err != nil {
		return err
	}
	if *asJSON {
		return c.printJSON(conn)
	}
	_, err = fmt.Fprintf(c.stdout, "ID:        %s\nName:      %s\nType:      %s (%s)\nUpdated:   %s\n",
		conn.ID, conn.Name, conn.Type, conn.TypeName, formatTime(conn.UpdatedAt))
	return err
}
