package main

import (
	"context"
	"fmt"
	"io"
	"iter"

	"github.com/spf13/cobra"

	"github.com/rivery-go/rivery"
)

func (c *cli) connectionsCmd() *cobra.Command {
	list := listCmd(c, spec{use: "list", short: "List the environment's connections, credentials redacted (v1 API)."},
		func(ctx context.Context, _ []string) iter.Seq2[*rivery.Connection, error] {
			return c.client.Connections.All(ctx, &rivery.ListOptions{PerPage: 500})
		},
		tableOf("CONNECTION ID\tNAME\tTYPE\tTYPE NAME", func(conn *rivery.Connection) []string {
			return []string{conn.ID, conn.Name, conn.Type, conn.TypeName}
		}))
	get := showCmd(c, spec{use: "get <connection-id>", short: "Show a connection, credentials redacted (v1 API)."},
		func(ctx context.Context, args []string) (*rivery.Connection, error) {
			conn, _, err := c.client.Connections.Get(ctx, args[0])
			return conn, err
		},
		func(w io.Writer, conn *rivery.Connection) error {
			_, err := fmt.Fprintf(w, "ID:        %s\nName:      %s\nType:      %s (%s)\nUpdated:   %s\n",
				printable(conn.ID), printable(conn.Name), printable(conn.Type), printable(conn.TypeName), formatTime(conn.UpdatedAt))
			return err
		})
	return c.group("connections", "List, show, create, change, delete and test connections, credentials redacted (v1 API).", list, get,
		c.connectionsCreateCmd(), c.connectionsUpdateCmd(), c.connectionsDeleteCmd(), c.connectionsTestCmd(), c.connectionsTablesCmd(),
		c.connectionsMetadataCmd(), c.connectionsCancelPullCmd(), c.connectionsUploadKeyCmd(), c.connectionsTypeCmd(), c.connectionsSectionsCmd())
}
