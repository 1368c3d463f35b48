package main

import (
	"context"
	"fmt"
	"io"
	"iter"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/rivery-go/rivery"
)

func (c *cli) tokensCmd() *cobra.Command {
	return c.group("tokens", "List, show, create and delete API tokens (admins only).",
		c.tokensListCmd(), c.tokensGetCmd(), c.tokensCreateCmd(), c.tokensDeleteCmd())
}

// How tokens print as text. A Token's JSON never holds its value.
const tokenHeader = "TOKEN ID\tNAME\tSCOPES\tCREATED\tCREATED BY\tLAST USED" //nolint:gosec // a table header, not a credential

var tokenTable = tableOf(tokenHeader, tokenRow)

func tokenRow(t *rivery.Token) []string {
	scopes := make([]string, len(t.Scopes))
	for j, s := range t.Scopes {
		scopes[j] = string(s)
	}
	last := "never"
	if t.LastUsedAt != nil {
		last = formatTime(*t.LastUsedAt)
	}
	return []string{t.ID, t.Name, strings.Join(scopes, ","), t.CreatedAt.UTC().Format(time.RFC3339), t.CreatedBy, last}
}

func (c *cli) tokensListCmd() *cobra.Command {
	return listCmd(c, spec{use: "list", short: "List the account's API tokens (admins only).", flags: accountWide},
		func(ctx context.Context, _ []string) iter.Seq2[*rivery.Token, error] {
			return c.client.Tokens.All(ctx, &rivery.ListOptions{PerPage: 500})
		}, tokenTable)
}

func (c *cli) tokensGetCmd() *cobra.Command {
	return showCmd(c, spec{use: "get <token-id>", short: "Show a token and its scopes (admins only).", flags: accountWide},
		func(ctx context.Context, args []string) (*rivery.Token, error) {
			t, _, err := c.client.Tokens.Get(ctx, args[0])
			return t, err
		},
		func(w io.Writer, t *rivery.Token) error {
			return writeTable(w, tokenHeader, [][]string{tokenRow(t)})
		})
}

// createdToken is the JSON form of a new token: the one output that holds
// its value. (Token's own JSON redacts it.)
type createdToken struct {
	ID        string         `json:"token_id"`
	Name      string         `json:"name"`
	Scopes    []rivery.Scope `json:"scopes"`
	CreatedAt time.Time      `json:"created_at"`
	CreatedBy string         `json:"created_by"`
	Value     string         `json:"token"`
}

func (c *cli) tokensCreateCmd() *cobra.Command {
	var name string
	var scopes []string
	cmd := c.leaf(spec{
		use:     "create",
		short:   "Create a token and print its value, shown only this once (admins only).",
		example: "  rivery tokens create --name ci --scope river:execute --scope river:list --json > token.json",
		flags:   apiFlags | outputOne | accountWide,
		run: func(ctx context.Context, _ []string) error {
			req := &rivery.CreateTokenRequest{Name: name}
			for _, s := range scopes {
				req.Scopes = append(req.Scopes, rivery.Scope(s))
			}
			t, _, err := c.client.Tokens.Create(ctx, req)
			if err != nil {
				return err
			}
			c.errLine("Store the token value now: Rivery shows it only this once.")
			if c.out.format == formatJSON {
				return c.printJSON(createdToken{t.ID, t.Name, t.Scopes, t.CreatedAt, t.CreatedBy, t.Value})
			}
			_, err = fmt.Fprintf(c.stdout, "created token %s (%s)\n%s\n", printable(t.ID), printable(t.Name), t.Value)
			return err
		},
	})
	fs := cmd.Flags()
	fs.StringVar(&name, "name", "", "the token's name")
	fs.StringArrayVar(&scopes, "scope", nil, "a `scope` to grant, such as river:execute (repeat for more)")
	_ = cmd.MarkFlagRequired("name")
	_ = cmd.MarkFlagRequired("scope")
	_ = cmd.RegisterFlagCompletionFunc("scope", c.completeScopes)
	return cmd
}

func (c *cli) tokensDeleteCmd() *cobra.Command {
	return actionCmd(c, spec{use: "delete <token-id>", short: "Delete a token (admins only).", flags: accountWide},
		func(ctx context.Context, args []string) (string, error) {
			_, err := c.client.Tokens.Delete(ctx, args[0])
			return "deleted token " + args[0], err
		})
}
