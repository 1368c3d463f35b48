package main

import (
	"context"
	"fmt"
	"io"
	"iter"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/rivery-go/rivery"
)

func (c *cli) auditCmd() *cobra.Command {
	return c.group("audit", "Read the environment's audit log: who changed what, when (v1 API).", c.auditListCmd(), c.auditGetCmd())
}

var auditTable = tableOf("TIME\tEVENT ID\tEVENT\tENTITY\tNAME\tUSER", func(e *rivery.AuditEvent) []string {
	return []string{formatTime(e.Time), e.ID, e.Name, e.EntityKey, e.EntityName, e.UserName}
})

func (c *cli) auditListCmd() *cobra.Command {
	var since time.Duration
	var opts rivery.AuditEventsOptions
	cmd := listCmd(c, spec{
		use:     "list",
		short:   "List the environment's audit events, newest first (v1 API).",
		long:    "Without --since the server's default window applies. Filters of one kind match any of their values.",
		example: "  rivery audit list --since 24h --entity-type connections --event-type delete",
	},
		func(ctx context.Context, _ []string) iter.Seq2[*rivery.AuditEvent, error] {
			o := opts
			if since > 0 {
				o.Start, o.End = time.Now().Add(-since), time.Now()
			}
			return c.client.AuditEvents.All(ctx, &o)
		}, auditTable)
	fs := cmd.Flags()
	fs.Var(&durationValue{d: &since, positive: true}, "since", "events this long ago or later")
	fs.StringArrayVar(&opts.UserIDs, "user-id", nil, "only events of this `user-id` (repeat for more)")
	fs.StringArrayVar(&opts.EventTypes, "event-type", nil, "only create, update or delete events (repeat for more)")
	fs.StringArrayVar(&opts.EntityTypes, "entity-type", nil, "only events about rivers, connections, river_groups or users (repeat for more)")
	fs.StringVar(&opts.EntityKey, "entity-key", "", "only events about the thing of this `id`")
	return cmd
}

func (c *cli) auditGetCmd() *cobra.Command {
	return showCmd(c, spec{use: "get <event-id>", short: "Show one audit event (v1 API)."},
		func(ctx context.Context, args []string) (*rivery.AuditEvent, error) {
			e, _, err := c.client.AuditEvents.Get(ctx, args[0])
			return e, err
		},
		func(w io.Writer, e *rivery.AuditEvent) error {
			_, err := fmt.Fprintf(w, "ID:       %s\nTime:     %s\nEvent:    %s\nEntity:   %s %s (%s)\nUser:     %s (%s)\nStatus:   %s\n",
				printable(e.ID), formatTime(e.Time), printable(e.Name), printable(e.EntityType), printable(e.EntityKey), printable(e.EntityName),
				printable(e.UserName), printable(e.UserID), strconv.Itoa(e.Status))
			return err
		})
}
