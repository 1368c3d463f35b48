package main

import (
	"context"
	"fmt"
	"io"
	"iter"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rivery-go/rivery"
)

func (c *cli) teamsCmd() *cobra.Command {
	return c.group("teams", "List and show the account's teams (v1 API).", c.teamsListCmd(), c.teamsGetCmd())
}

func (c *cli) usersCmd() *cobra.Command {
	return c.group("users", "List, show and invite the account's users (v1 API).",
		c.usersListCmd(), c.usersGetCmd(), c.usersPermissionsCmd(), c.usersInviteCmd())
}

// roleList writes roles by environment as "env=role,..." sorted.
func roleList(roles map[string]string) string {
	parts := make([]string, 0, len(roles))
	for _, env := range slices.Sorted(maps.Keys(roles)) {
		parts = append(parts, env+"="+roles[env])
	}
	return strings.Join(parts, ",")
}

const teamHeader = "TEAM ID\tNAME\tSOURCE\tALL ENVIRONMENTS ADMIN\tROLES"

func (c *cli) teamsListCmd() *cobra.Command {
	var opts rivery.ListTeamsOptions
	cmd := listCmd(c, spec{use: "list", short: "List the account's teams (v1 API).", flags: accountWide},
		func(ctx context.Context, _ []string) iter.Seq2[*rivery.Team, error] {
			o := opts
			o.PerPage = 200 // the most a page of teams holds
			return c.client.Teams.All(ctx, &o)
		}, tableOf(teamHeader, teamRow))
	cmd.Flags().StringVar(&opts.Name, "name", "", "only teams of this display name")
	cmd.Flags().StringVar(&opts.Source, "source", "", "only teams of this source: rivery, or a directory such as active_directory")
	return cmd
}

func (c *cli) teamsGetCmd() *cobra.Command {
	return showCmd(c, spec{use: "get <team-id>", short: "Show a team (v1 API).", flags: accountWide},
		func(ctx context.Context, args []string) (*rivery.Team, error) {
			t, _, err := c.client.Teams.Get(ctx, args[0])
			return t, err
		},
		func(w io.Writer, t *rivery.Team) error { return writeTable(w, teamHeader, [][]string{teamRow(t)}) })
}

func teamRow(t *rivery.Team) []string {
	return []string{t.ID, t.Name, t.Source, strconv.FormatBool(t.AllEnvironmentsAdmin), roleList(t.Roles)}
}

const userHeader = "USER ID\tEMAIL\tNAME\tSTATUS\tADMIN\tROLES"

func userRow(u *rivery.User) []string {
	return []string{u.ID, u.Email, u.Name, u.Status, strconv.FormatBool(u.Admin), roleList(u.Roles)}
}

func (c *cli) usersListCmd() *cobra.Command {
	var opts rivery.ListUsersOptions
	cmd := listCmd(c, spec{use: "list", short: "List the account's users (v1 API).", flags: accountWide},
		func(ctx context.Context, _ []string) iter.Seq2[*rivery.User, error] {
			o := opts
			o.PerPage = 200 // the most a page of users holds
			return c.client.Users.All(ctx, &o)
		}, tableOf(userHeader, userRow))
	cmd.Flags().StringVar(&opts.Email, "email", "", "only the user of this email")
	cmd.Flags().StringVar(&opts.Name, "name", "", "only users whose name or email holds this")
	cmd.Flags().StringArrayVar(&opts.TeamIDs, "team", nil, "only users of this `team-id` (repeat for more)")
	return cmd
}

func (c *cli) usersGetCmd() *cobra.Command {
	return showCmd(c, spec{use: "get <user-id>", short: "Show a user (v1 API).", flags: accountWide},
		func(ctx context.Context, args []string) (*rivery.User, error) {
			u, _, err := c.client.Users.Get(ctx, args[0])
			return u, err
		},
		func(w io.Writer, u *rivery.User) error { return writeTable(w, userHeader, [][]string{userRow(u)}) })
}

func (c *cli) usersPermissionsCmd() *cobra.Command {
	return showCmd(c, spec{use: "permissions <user-id>", short: "Show a user's role in each environment (v1 API).", flags: accountWide},
		func(ctx context.Context, args []string) (map[string]string, error) {
			roles, _, err := c.client.Users.Permissions(ctx, args[0])
			return roles, err
		},
		func(w io.Writer, roles map[string]string) error {
			rows := make([][]string, 0, len(roles))
			for _, env := range slices.Sorted(maps.Keys(roles)) {
				rows = append(rows, []string{env, roles[env]})
			}
			return writeTable(w, "ENVIRONMENT ID\tROLE", rows)
		})
}

func (c *cli) usersInviteCmd() *cobra.Command {
	var req rivery.InviteUserRequest
	cmd := showCmd(c, spec{use: "invite", short: "Invite a privileged user: POST A/users/privileged, the only invitation route of the v1 API (v1 API).",
		long: "Rivery's console sends this route for users with one of the privileges below; other invitations go through the console. " +
			"An invitation is not sent twice: when the connection breaks after the request left, the command says so; look with users list --email before trying again.",
		flags: accountWide},
		func(ctx context.Context, _ []string) (*rivery.User, error) {
			u, _, err := c.client.Users.Invite(ctx, &req)
			return u, err
		},
		func(w io.Writer, u *rivery.User) error {
			_, err := fmt.Fprintf(w, "invited %s as user %s\n", printable(u.Email), printable(u.ID))
			return err
		})
	fs := cmd.Flags()
	fs.StringVar(&req.Email, "email", "", "the user's email")
	fs.StringVar(&req.FirstName, "first-name", "", "the user's first name")
	fs.StringVar(&req.LastName, "last-name", "", "the user's last name")
	fs.StringVar(&req.UserName, "user-name", "", "the user's name in Rivery (default: made from the names)")
	fs.BoolVar(&req.SuperAdmin, "super-admin", false, "make the user a super admin")
	fs.BoolVar(&req.SuperAdminCreator, "super-admin-creator", false, "let the user make super admins")
	fs.BoolVar(&req.GlobalOperator, "global-operator", false, "make the user a global operator")
	for _, f := range []string{"email", "first-name", "last-name"} {
		_ = cmd.MarkFlagRequired(f)
	}
	return cmd
}
