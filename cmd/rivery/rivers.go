package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"

	"github.com/spf13/cobra"

	"github.com/rivery-go/rivery"
)

func (c *cli) riversCmd() *cobra.Command {
	return c.group("rivers", "List, show, copy, version, export, apply and delete rivers, and list their groups.",
		c.riversListCmd(), c.riversGetCmd(), c.riversSearchCmd(), c.riversCopyCmd(),
		c.riversVersionsCmd(), c.riversRestoreCmd(), c.riversExportCmd(), c.riversApplyCmd(),
		c.riversDeleteCmd(), c.riversGroupsCmd())
}

// riverTypes maps the console API's type IDs to the v1 API's names, so a
// river shows one type whichever API was asked.
var riverTypes = map[string]string{"src_to_trgt": "source_to_target"}

// oneType is r with its type under its v1 name.
func oneType(r *rivery.River) *rivery.River {
	if name, ok := riverTypes[r.Type]; ok {
		cp := *r
		cp.Type = name
		return &cp
	}
	return r
}

// riverTable is how lists of rivers print as text.
var riverTable = tableOf("RIVER ID\tNAME\tTYPE\tSTATUS\tGROUP", func(r *rivery.River) []string {
	return []string{r.ID, r.Name, r.Type, string(r.Status), r.GroupName}
})

func (c *cli) riversListCmd() *cobra.Command {
	var name, group, groupName string
	cmd := listCmd(c, spec{use: "list", short: "List the environment's rivers."},
		func(ctx context.Context, _ []string) iter.Seq2[*rivery.River, error] {
			opts := &rivery.ListRiversOptions{ListOptions: rivery.ListOptions{PerPage: 500}, Name: name, GroupID: group, GroupName: groupName}
			return mapped(c.client.Rivers.All(ctx, opts), oneType)
		}, riverTable)
	cmd.Flags().StringVar(&name, "name", "", "only rivers with this name (v1 API)")
	cmd.Flags().StringVar(&group, "group", "", "only rivers of this river `group-id` (v1 API)")
	cmd.Flags().StringVar(&groupName, "group-name", "", "only rivers of the river group of this `name`")
	return cmd
}

func (c *cli) riversDeleteCmd() *cobra.Command {
	return changeCmd(c, spec{
		use:     "delete <river>",
		short:   "Delete a river; asks first on a terminal, needs --yes otherwise (v1 API).",
		confirm: func(args []string) string { return "delete river " + args[0] },
	}, func(ctx context.Context, args []string) (deleted, error) {
		_, err := c.client.Rivers.Delete(ctx, args[0])
		return deleted{Deleted: "river", ID: args[0]}, err
	}, deletedLine)
}

func (c *cli) riversGroupsCmd() *cobra.Command {
	return listCmd(c, spec{use: "groups", short: "List the environment's river groups (v1 API)."},
		func(ctx context.Context, _ []string) iter.Seq2[*rivery.RiverGroup, error] {
			return c.client.Rivers.AllGroups(ctx, nil)
		},
		tableOf("GROUP ID\tNAME\tDEFAULT", func(g *rivery.RiverGroup) []string {
			def := ""
			if g.Default {
				def = "default"
			}
			return []string{g.ID, g.Name, def}
		}))
}

func (c *cli) riversGetCmd() *cobra.Command {
	return showCmd(c, spec{use: "get <river>", short: "Show a river."},
		func(ctx context.Context, args []string) (*rivery.River, error) {
			r, _, err := c.client.Rivers.Get(ctx, args[0])
			if err != nil {
				return nil, err
			}
			return oneType(r), nil
		},
		func(w io.Writer, r *rivery.River) error {
			fmt.Fprintf(w, "ID:          %s\nName:        %s\nType:        %s\nStatus:      %s\nGroup:       %s\nDescription: %s\n",
				printable(r.ID), printable(r.Name), printable(r.Type), printable(string(r.Status)), printable(r.GroupName), printable(r.Description))
			for _, s := range r.Schedulers {
				fmt.Fprintf(w, "Schedule:    %s (enabled: %v)\n", printable(s.CronExpression), s.Enabled)
			}
			return nil
		})
}

func (c *cli) riversSearchCmd() *cobra.Command {
	opts := rivery.SearchRiversOptions{ListOptions: rivery.ListOptions{PerPage: 500}}
	var status string
	cmd := listCmd(c, spec{use: "search", short: "Search the environment's rivers (v1 API)."},
		func(ctx context.Context, _ []string) iter.Seq2[*rivery.River, error] {
			opts.Status = rivery.RiverStatus(status)
			return mapped(c.client.Rivers.SearchAll(ctx, &opts), oneType)
		}, riverTable)
	fs := cmd.Flags()
	fs.StringVar(&opts.Query, "query", "", "free text")
	fs.StringVar(&opts.Name, "name", "", "rivers whose name holds this")
	fs.Var(&choiceValue{v: &status, allowed: []string{"active", "disabled"}}, "status", "active or disabled")
	fs.StringVar(&opts.Type, "type", "", "river type, e.g. source_to_target or logic")
	fs.StringVar(&opts.GroupID, "group", "", "rivers of this river `group-id`")
	_ = cmd.RegisterFlagCompletionFunc("status", cobra.FixedCompletions([]cobra.Completion{"active", "disabled"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func (c *cli) riversCopyCmd() *cobra.Command {
	return c.leaf(spec{
		use:   "copy <river>",
		short: "Copy a river; the copy is created disabled (v1 API).",
		flags: apiFlags | outputOne,
		run: func(ctx context.Context, args []string) error {
			cp, _, err := c.client.Rivers.Copy(ctx, args[0])
			if err != nil {
				return err
			}
			c.errLine("The copy is disabled, but keeps the original's schedule and target: activating it starts that schedule.")
			if c.out.format == formatJSON {
				return c.printJSON(cp)
			}
			return c.println(fmt.Sprintf("copied river %s to %s (%s)", args[0], cp.ID(), cp.Name()))
		},
	})
}

func (c *cli) riversVersionsCmd() *cobra.Command {
	return listCmd(c, spec{use: "versions <river>", short: "List a river's saved versions (v1 API)."},
		func(ctx context.Context, args []string) iter.Seq2[*rivery.RiverVersion, error] {
			return c.client.Rivers.AllVersions(ctx, args[0], &rivery.ListOptions{PerPage: 500})
		},
		tableOf("VERSION ID\tSAVED\tBY\tBOOKMARKED", func(v *rivery.RiverVersion) []string {
			mark := ""
			if v.Bookmarked {
				mark = "yes"
			}
			return []string{v.ID, formatTime(v.CreatedAt), v.CreatedBy, mark}
		}))
}

func (c *cli) riversRestoreCmd() *cobra.Command {
	return actionCmd(c, spec{use: "restore <river> <version-id>", short: "Restore a river to a saved version, as a new version (v1 API)."},
		func(ctx context.Context, args []string) (string, error) {
			_, err := c.client.Rivers.Restore(ctx, args[0], args[1])
			if errors.Is(err, rivery.ErrBadRequest) {
				err = fmt.Errorf("%w (an active river must be disabled before a restore, and activated after)", err)
			}
			return fmt.Sprintf("restored river %s to version %s (as a new version)", args[0], args[1]), err
		})
}

func (c *cli) riversExportCmd() *cobra.Command {
	var raw bool
	cmd := c.leaf(spec{
		use:   "export <river>",
		short: "Print a river's definition as JSON, ready for rivers apply (v1 API).",
		flags: apiFlags,
		run: func(ctx context.Context, args []string) error {
			def, _, err := c.client.Rivers.GetDefinition(ctx, args[0])
			if err != nil {
				return err
			}
			if !raw {
				def = def.Portable()
			}
			return c.printJSON(def)
		},
	})
	cmd.Flags().BoolVar(&raw, "raw", false, "print the definition as the API sends it, IDs, status and versions included")
	return cmd
}
