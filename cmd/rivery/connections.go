package main

import (
	"context"
	"fmt"

	"github.com/rivery-go/rivery"
)

func connectionsList(ctx context.Context, c *cli, args []string) error {
	fs := c.flags()
	asJSON := fs.Bool("json", false, "print JSON (credentials redacted)")
	ctx, cancel, _, err := c.start(ctx, fs, args, 0, false)
	if err != nil {
		return err
	}
	defer cancel()
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
	fs := c.flags()
	asJSON := fs.Bool("json", false, "print the connection as JSON (credentials redacted)")
	ctx, cancel, pos, err := c.start(ctx, fs, args, 1, false)
	if err != nil {
		return err
	}
	defer cancel()
	conn, _, err := c.client.Connections.Get(ctx, pos[0])
	if err != nil {
		return err
	}
	if *asJSON {
		return c.printJSON(conn)
	}
	_, err = fmt.Fprintf(c.stdout, "ID:        %s\nName:      %s\nType:      %s (%s)\nUpdated:   %s\n",
		printable(conn.ID), printable(conn.Name), printable(conn.Type), printable(conn.TypeName), formatTime(conn.UpdatedAt))
	return err
}
