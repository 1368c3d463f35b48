package main

import (
	"context"
	"iter"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/rivery-go/rivery"
)

// completeTimeout bounds the API calls of one completion: a shell waits
// for them at each Tab.
const completeTimeout = 5 * time.Second

// completer lists the candidates for one positional, as "value\tdescription"
// (cobra's form). args are the positionals already typed, rivers replaced
// by their IDs.
type completer func(c *cli, ctx context.Context, args []string) iter.Seq2[cobra.Completion, error]

// completers complete positionals by their name in a spec's use line, from
// the API (a token, or RIVERY_BASE_URL pointing at rivery fake): a new
// command whose positional is named as one of these completes it too.
var completers = map[string]completer{
	"<river>": func(c *cli, ctx context.Context, _ []string) iter.Seq2[cobra.Completion, error] {
		return mapped(c.client.Rivers.All(ctx, &rivery.ListRiversOptions{ListOptions: rivery.ListOptions{PerPage: 500}}),
			func(r *rivery.River) cobra.Completion { return cobra.CompletionWithDesc(r.ID, r.Name) })
	},
	"<run-id>": func(c *cli, ctx context.Context, args []string) iter.Seq2[cobra.Completion, error] {
		now := time.Now()
		opts := &rivery.ListRunsOptions{ListOptions: rivery.ListOptions{PerPage: 100}, StartTime: now.Add(-24 * time.Hour), EndTime: now}
		return mapped(c.client.Rivers.AllRuns(ctx, args[0], opts), func(r *rivery.Run) cobra.Completion {
			return cobra.CompletionWithDesc(r.ID, string(r.Status)+" "+formatTime(r.StartedAt))
		})
	},
	"<version-id>": func(c *cli, ctx context.Context, args []string) iter.Seq2[cobra.Completion, error] {
		return mapped(c.client.Rivers.AllVersions(ctx, args[0], &rivery.ListOptions{PerPage: 100}), func(v *rivery.RiverVersion) cobra.Completion {
			return cobra.CompletionWithDesc(v.ID, formatTime(v.CreatedAt))
		})
	},
	"<token-id>": func(c *cli, ctx context.Context, _ []string) iter.Seq2[cobra.Completion, error] {
		return mapped(c.client.Tokens.All(ctx, &rivery.ListOptions{PerPage: 500}),
			func(t *rivery.Token) cobra.Completion { return cobra.CompletionWithDesc(t.ID, t.Name) })
	},
	"<connection-id>": func(c *cli, ctx context.Context, _ []string) iter.Seq2[cobra.Completion, error] {
		return mapped(c.client.Connections.All(ctx, &rivery.ListOptions{PerPage: 500}),
			func(conn *rivery.Connection) cobra.Completion { return cobra.CompletionWithDesc(conn.ID, conn.Name) })
	},
	"<environment-id>": func(c *cli, ctx context.Context, _ []string) iter.Seq2[cobra.Completion, error] {
		return mapped(c.client.Environments.All(ctx, &rivery.ListOptions{PerPage: 200}),
			func(e *rivery.Environment) cobra.Completion { return cobra.CompletionWithDesc(e.ID, e.Name) })
	},
	"<dataframe>": func(c *cli, ctx context.Context, _ []string) iter.Seq2[cobra.Completion, error] {
		return mapped(c.client.Dataframes.All(ctx, &rivery.ListOptions{PerPage: 500}),
			func(d *rivery.Dataframe) cobra.Completion { return cobra.Completion(d.Name) })
	},
	"<team-id>": func(c *cli, ctx context.Context, _ []string) iter.Seq2[cobra.Completion, error] {
		return mapped(c.client.Teams.All(ctx, &rivery.ListTeamsOptions{ListOptions: rivery.ListOptions{PerPage: 200}}),
			func(t *rivery.Team) cobra.Completion { return cobra.CompletionWithDesc(t.ID, t.Name) })
	},
	"<user-id>": func(c *cli, ctx context.Context, _ []string) iter.Seq2[cobra.Completion, error] {
		return mapped(c.client.Users.All(ctx, &rivery.ListUsersOptions{ListOptions: rivery.ListOptions{PerPage: 200}}),
			func(u *rivery.User) cobra.Completion { return cobra.CompletionWithDesc(u.ID, u.Email) })
	},
}

// completeArgs completes the positional being typed with its completer,
// if it has one, and a <file> with the shell's file names. Any failure (no
// token, no network) completes nothing.
func (c *cli) completeArgs(pos []positional) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		p := positionalAt(pos, len(args))
		if p == nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		if p.name == "<file>" {
			return nil, cobra.ShellCompDirectiveDefault
		}
		complete, ok := completers[p.name]
		if !ok {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return c.fromAPI(cmd, func(ctx context.Context) iter.Seq2[cobra.Completion, error] {
			args = append([]string(nil), args...)
			if err := c.readRivers(pos, args); err != nil {
				return slice[cobra.Completion](nil, err)
			}
			return complete(c, ctx, args)
		}, toComplete)
	}
}

// completeScopes completes --scope with the scopes a token can be granted.
func (c *cli) completeScopes(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	return c.fromAPI(cmd, func(ctx context.Context) iter.Seq2[cobra.Completion, error] {
		scopes, _, err := c.client.Tokens.Scopes(ctx)
		return mapped(slice(scopes, err), func(s rivery.ScopeInfo) cobra.Completion {
			return cobra.CompletionWithDesc(string(s.Name), s.Description)
		})
	}, toComplete)
}

// fromAPI connects quietly, bounded by completeTimeout, and returns the
// candidates list yields that start with toComplete.
func (c *cli) fromAPI(cmd *cobra.Command, list func(ctx context.Context) iter.Seq2[cobra.Completion, error], toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	c.quiet, c.verbose = true, false // nothing but candidates reaches the shell
	ctx, cancel := context.WithTimeout(cmd.Context(), completeTimeout)
	defer cancel()
	if err := c.connect(ctx); err != nil {
		return nil, cobra.ShellCompDirectiveError | cobra.ShellCompDirectiveNoFileComp
	}
	defer func() { _ = c.client.Close(); c.client = nil }()
	var out []cobra.Completion
	for cand, err := range list(ctx) {
		if err != nil {
			return nil, cobra.ShellCompDirectiveError | cobra.ShellCompDirectiveNoFileComp
		}
		if value, _, _ := strings.Cut(cand, "\t"); strings.HasPrefix(value, toComplete) {
			out = append(out, cand)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}
