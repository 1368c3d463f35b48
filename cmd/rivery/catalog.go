package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/rivery-go/rivery"
)

func riversList(ctx context.Context, c *cli, args []string) error {
	fs := c.flags()
	name := fs.String("name", "", "only rivers with this name (v1 API)")
	groupID := fs.String("group", "", "only rivers of this group (v1 API)")
	asJSON := fs.Bool("json", false, "print JSON")
	ctx, cancel, _, err := c.start(ctx, fs, args, 0, false)
	if err != nil {
		return err
	}
	defer cancel()
	var rivers []*rivery.River
	opts := &rivery.ListRiversOptions{ListOptions: rivery.ListOptions{PerPage: 500}, Name: *name, GroupID: *groupID}
	for r, err := range c.client.Rivers.All(ctx, opts) {
		if err != nil {
			return err
		}
		rivers = append(rivers, r)
	}
	if *asJSON {
		return c.printJSON(rivers)
	}
	rows := make([][]string, len(rivers))
	for i, r := range rivers {
		rows[i] = []string{r.ID, r.Name, r.Type, string(r.Status), r.GroupName}
	}
	return c.table("RIVER ID\tNAME\tTYPE\tSTATUS\tGROUP", rows)
}

func riversGet(ctx context.Context, c *cli, args []string) error {
	fs := c.flags()
	asJSON := fs.Bool("json", false, "print JSON")
	ctx, cancel, pos, err := c.start(ctx, fs, args, 1, true)
	if err != nil {
		return err
	}
	defer cancel()
	r, _, err := c.client.Rivers.Get(ctx, pos[0])
	if err != nil {
		return err
	}
	if *asJSON {
		return c.printJSON(r)
	}
	fmt.Fprintf(c.stdout, "ID:          %s\nName:        %s\nType:        %s\nStatus:      %s\nGroup:       %s\nDescription: %s\n",
		printable(r.ID), printable(r.Name), printable(r.Type), printable(string(r.Status)), printable(r.GroupName), printable(r.Description))
	for _, s := range r.Schedulers {
		fmt.Fprintf(c.stdout, "Schedule:    %s (enabled: %v)\n", printable(s.CronExpression), s.Enabled)
	}
	return nil
}

func (c *cli) printTokens(tokens []*rivery.Token, asJSON bool) error {
	if asJSON {
		return c.printJSON(tokens) // Token's JSON never holds its value
	}
	rows := make([][]string, len(tokens))
	for i, t := range tokens {
		scopes := make([]string, len(t.Scopes))
		for j, s := range t.Scopes {
			scopes[j] = string(s)
		}
		last := "never"
		if t.LastUsedAt != nil {
			last = formatTime(*t.LastUsedAt)
		}
		rows[i] = []string{t.ID, t.Name, strings.Join(scopes, ","), t.CreatedAt.UTC().Format(time.RFC3339), t.CreatedBy, last}
	}
	return c.table("TOKEN ID\tNAME\tSCOPES\tCREATED\tCREATED BY\tLAST USED", rows)
}

func tokensList(ctx context.Context, c *cli, args []string) error {
	fs := c.flags()
	asJSON := fs.Bool("json", false, "print JSON")
	ctx, cancel, _, err := c.start(ctx, fs, args, 0, false)
	if err != nil {
		return err
	}
	defer cancel()
	var tokens []*rivery.Token
	for t, err := range c.client.Tokens.All(ctx, &rivery.ListOptions{PerPage: 500}) {
		if err != nil {
			return err
		}
		tokens = append(tokens, t)
	}
	return c.printTokens(tokens, *asJSON)
}

func tokensGet(ctx context.Context, c *cli, args []string) error {
	fs := c.flags()
	asJSON := fs.Bool("json", false, "print JSON")
	ctx, cancel, pos, err := c.start(ctx, fs, args, 1, false)
	if err != nil {
		return err
	}
	defer cancel()
	t, _, err := c.client.Tokens.Get(ctx, pos[0])
	if err != nil {
		return err
	}
	return c.printTokens([]*rivery.Token{t}, *asJSON)
}

// scopeList collects repeated --scope flags.
type scopeList []rivery.Scope

func (s *scopeList) String() string { return fmt.Sprint(*s) }

func (s *scopeList) Set(v string) error {
	*s = append(*s, rivery.Scope(v))
	return nil
}

// createdToken is the --json form of a new token: the one output that holds
// its value. (Token's own JSON redacts it.)
type createdToken struct {
	ID        string         `json:"token_id"`
	Name      string         `json:"name"`
	Scopes    []rivery.Scope `json:"scopes"`
	CreatedAt time.Time      `json:"created_at"`
	CreatedBy string         `json:"created_by"`
	Value     string         `json:"token"`
}

func tokensCreate(ctx context.Context, c *cli, args []string) error {
	fs := c.flags()
	name := fs.String("name", "", "the token's name")
	var scopes scopeList
	fs.Var(&scopes, "scope", "a scope to grant, such as river:execute (repeat for more)")
	asJSON := fs.Bool("json", false, "print JSON, with the value in \"token\"")
	if _, err := c.parse(fs, args, 0); err != nil {
		return err
	}
	if *name == "" || len(scopes) == 0 {
		return usagef("tokens create needs --name and at least one --scope")
	}
	ctx, cancel := c.deadline(ctx, false)
	defer cancel()
	if err := c.connect(ctx); err != nil {
		return err
	}
	t, _, err := c.client.Tokens.Create(ctx, &rivery.CreateTokenRequest{Name: *name, Scopes: scopes})
	if err != nil {
		return err
	}
	fmt.Fprintln(c.stderr, "Store the token value now: Rivery shows it only this once.")
	if *asJSON {
		return c.printJSON(createdToken{t.ID, t.Name, t.Scopes, t.CreatedAt, t.CreatedBy, t.Value})
	}
	fmt.Fprintf(c.stdout, "created token %s (%s)\n%s\n", printable(t.ID), printable(t.Name), t.Value)
	return nil
}

func tokensDelete(ctx context.Context, c *cli, args []string) error {
	fs := c.flags()
	ctx, cancel, pos, err := c.start(ctx, fs, args, 1, false)
	if err != nil {
		return err
	}
	defer cancel()
	if _, err := c.client.Tokens.Delete(ctx, pos[0]); err != nil {
		return err
	}
	_, err = fmt.Fprintf(c.stdout, "deleted token %s\n", pos[0])
	return err
}
