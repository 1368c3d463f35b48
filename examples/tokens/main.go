// Command tokens lists, creates and deletes Rivery API tokens.
//
//	go run ./examples/tokens list
//	go run ./examples/tokens create -name nightly-loader -scope river:execute -scope river:list
//	go run ./examples/tokens delete <token-id>
//
// With RIVERY_API_TOKEN set (an admin's token) it manages the real account;
// without one it works on the embedded fake Rivery (riverytest), and with no
// command it shows list, create and delete there.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var client *rivery.Client
	if os.Getenv(rivery.EnvAPIToken) == "" {
		fmt.Fprintln(stdout, "RIVERY_API_TOKEN is not set: working on the embedded fake Rivery (riverytest), not the real API.")
		srv := riverytest.NewServer()
		defer srv.Close()
		client = srv.Client()
		if len(args) == 0 {
			args = []string{"demo"}
		}
	} else {
		c, err := rivery.NewClientFromEnv()
		if err != nil {
			fmt.Fprintln(stderr, "tokens:", err)
			return 2
		}
		defer c.Close()
		client = c
	}
	if err := dispatch(ctx, client, args, stdout); err != nil {
		fmt.Fprintln(stderr, "tokens:", err)
		return 2
	}
	return 0
}

var errUsage = errors.New("usage: tokens list | create -name NAME -scope SCOPE... | delete TOKEN_ID")

func dispatch(ctx context.Context, c *rivery.Client, args []string, out io.Writer) error {
	if len(args) == 0 {
		return errUsage
	}
	switch args[0] {
	case "list":
		return list(ctx, c, out)
	case "create":
		fs := flag.NewFlagSet("create", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		name := fs.String("name", "", "the token's name")
		var scopes scopeFlags
		fs.Var(&scopes, "scope", "a scope to grant (repeat for more)")
		if err := fs.Parse(args[1:]); err != nil {
			return fmt.Errorf("%w\n%w", errUsage, err)
		}
		_, err := create(ctx, c, *name, scopes, out)
		return err
	case "delete":
		if len(args) != 2 {
			return errUsage
		}
		return remove(ctx, c, args[1], out)
	case "demo":
		tok, err := create(ctx, c, "demo-loader", []rivery.Scope{rivery.ScopeRiverExecute, rivery.ScopeRiverList}, out)
		if err != nil {
			return err
		}
		if err := list(ctx, c, out); err != nil {
			return err
		}
		return remove(ctx, c, tok.ID, out)
	}
	return errUsage
}

func list(ctx context.Context, c *rivery.Client, out io.Writer) error {
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tSCOPES\tCREATED\tCREATED BY")
	for tok, err := range c.Tokens.All(ctx, nil) {
		if err != nil {
			return err
		}
		scopes := make([]string, len(tok.Scopes))
		for i, s := range tok.Scopes {
			scopes[i] = string(s)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", tok.ID, tok.Name, strings.Join(scopes, ","), tok.CreatedAt.Format(time.DateOnly), tok.CreatedBy)
	}
	return tw.Flush()
}

func create(ctx context.Context, c *rivery.Client, name string, scopes []rivery.Scope, out io.Writer) (*rivery.Token, error) {
	tok, _, err := c.Tokens.Create(ctx, &rivery.CreateTokenRequest{Name: name, Scopes: scopes})
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(out, "created token %s (%s)\n", tok.ID, tok.Name)
	fmt.Fprintln(out, "Store this value now: Rivery shows it only once.")
	fmt.Fprintln(out, tok.Value)
	return tok, nil
}

func remove(ctx context.Context, c *rivery.Client, id string, out io.Writer) error {
	if _, err := c.Tokens.Delete(ctx, id); err != nil {
		return err
	}
	fmt.Fprintf(out, "deleted token %s\n", id)
	return nil
}

// scopeFlags collects repeated -scope flags.
type scopeFlags []rivery.Scope

func (s *scopeFlags) String() string { return fmt.Sprint(*s) }

func (s *scopeFlags) Set(v string) error {
	*s = append(*s, rivery.Scope(v))
	return nil
}
