package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/rivery-go/rivery/riverytest"
)

// demoRivers are what rivery fake serves without --rivers.
var demoRivers = []riverytest.River{
	{ID: "demo", Name: "demo", Description: "succeeds after two status calls"},
	{ID: "demo-fail", Name: "demo-fail", Outcome: "failed", Message: "demo failure: table orders is locked"},
	{ID: "demo-slow", Name: "demo-slow", Duration: 10 * time.Minute, Description: "runs for 10 minutes"},
}

// fakeJSON is the JSON form of the fake's address.
type fakeJSON struct {
	BaseURL       string   `json:"base_url"`
	Token         string   `json:"token"`
	AccountID     string   `json:"account_id"`
	EnvironmentID string   `json:"environment_id"`
	Rivers        []string `json:"rivers"`
}

func (c *cli) fakeCmd() *cobra.Command {
	var addr, token, riversFile string
	var serveFor time.Duration
	cmd := c.leaf(spec{
		use:   "fake",
		short: "Serve a fake Rivery until stopped, for integration tests of any tool.",
		long: `It prints RIVERY_BASE_URL and RIVERY_API_TOKEN lines on stdout (--json: one
object that also holds the account and environment IDs) to point clients at
it, then serves until SIGINT or SIGTERM (exit 0). Without --rivers it serves
the demo rivers demo (succeeds), demo-fail (fails) and demo-slow (runs 10
minutes). If it cannot start, it prints nothing on stdout, says why on
stderr and exits 2 at once.`,
		example: `  rivery fake > fake.env &
  rivery fake --addr 127.0.0.1:8765 --token fake-token --rivers rivers.json`,
		flags: outputOne,
		run: func(ctx context.Context, _ []string) error {
			return c.serveFake(ctx, addr, token, riversFile, serveFor)
		},
	})
	fs := cmd.Flags()
	fs.StringVar(&addr, "addr", "127.0.0.1:0", "address to listen on; port 0 picks a free one")
	fs.StringVar(&token, "token", "", "the admin token's value (default: generated)")
	fs.StringVar(&riversFile, "rivers", "", "serve the rivers of this JSON `file` instead of the demo rivers: an array of objects whose keys are riverytest.River's fields in snake case")
	fs.Var(&durationValue{d: &serveFor}, "timeout", "serve at most this long (default: until stopped)")
	_ = cmd.MarkFlagFilename("rivers", "json")
	return cmd
}

// serveFake serves the fake until ctx ends or serveFor (if set) runs out.
func (c *cli) serveFake(ctx context.Context, addr, token, riversFile string, serveFor time.Duration) error {
	rivers := demoRivers
	if riversFile != "" {
		f, err := os.Open(riversFile) //nolint:gosec // the user names the file to serve
		if err != nil {
			return fmt.Errorf("--rivers: %w", err)
		}
		rivers, err = riverytest.ReadRivers(f)
		_ = f.Close()
		if err != nil {
			return fmt.Errorf("--rivers %s: %s", riversFile, strings.TrimPrefix(strings.TrimPrefix(err.Error(), "riverytest: "), "rivers file: "))
		}
	}
	srv, err := riverytest.NewServerAt(addr, riverytest.WithAdminToken(token))
	if err != nil {
		return fmt.Errorf("--addr %s: %s", addr, strings.TrimPrefix(err.Error(), "riverytest: "))
	}
	defer srv.Close()
	ids := make([]string, len(rivers))
	for i := range rivers {
		ids[i] = srv.AddRiver(rivers[i]).ID // with the ID generated when the file gave none
	}
	if c.out.format == formatJSON {
		err = c.printJSON(fakeJSON{srv.URL, srv.AdminToken(), srv.AccountID, srv.EnvironmentID, ids})
	} else {
		_, err = fmt.Fprintf(c.stdout, "RIVERY_BASE_URL=%s\nRIVERY_API_TOKEN=%s\n", srv.URL, srv.AdminToken())
	}
	if err != nil {
		return err
	}
	c.errLine(fmt.Sprintf("rivery: fake Rivery at %s (account %s, environment %s), rivers: %s; stop it with Ctrl-C or SIGTERM",
		srv.URL, srv.AccountID, srv.EnvironmentID, strings.Join(ids, ", ")))
	if serveFor > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, serveFor)
		defer cancel()
	}
	<-ctx.Done()
	srv.Close()
	c.errLine("rivery: fake Rivery stopped")
	return nil
}
