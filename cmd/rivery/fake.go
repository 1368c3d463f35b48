package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/rivery-go/rivery/riverytest"
)

// demoRivers are what rivery fake serves without --rivers.
var demoRivers = []riverytest.River{
	{ID: "demo", Name: "demo", Description: "succeeds after two status calls"},
	{ID: "demo-fail", Name: "demo-fail", Outcome: "failed", Message: "demo failure: table orders is locked"},
	{ID: "demo-slow", Name: "demo-slow", Duration: 10 * time.Minute, Description: "runs for 10 minutes"},
}

// fakeJSON is the --json form of the fake's address.
type fakeJSON struct {
	BaseURL       string   `json:"base_url"`
	Token         string   `json:"token"`
	AccountID     string   `json:"account_id"`
	EnvironmentID string   `json:"environment_id"`
	Rivers        []string `json:"rivers"`
}

func fakeCommand(ctx context.Context, c *cli, args []string) error {
	fs := c.flags()
	addr := fs.String("addr", "127.0.0.1:0", "address to listen on; port 0 picks a free one")
	token := fs.String("token", "", "the admin token's value (generated when empty)")
	riversFile := fs.String("rivers", "", "serve the rivers of this JSON file (see riverytest.ReadRivers) instead of the demo rivers")
	asJSON := fs.Bool("json", false, "print the base URL, token and IDs as one JSON object")
	if _, err := c.parse(fs, args, 0); err != nil {
		return err
	}
	rivers := demoRivers
	if *riversFile != "" {
		f, err := os.Open(*riversFile)
		if err != nil {
			return fmt.Errorf("--rivers: %w", err)
		}
		rivers, err = riverytest.ReadRivers(f)
		_ = f.Close()
		if err != nil {
			return fmt.Errorf("--rivers %s: %s", *riversFile, strings.TrimPrefix(err.Error(), "riverytest: "))
		}
	}
	srv, err := riverytest.NewServerAt(*addr, riverytest.WithAdminToken(*token))
	if err != nil {
		return fmt.Errorf("--addr %s: %s", *addr, strings.TrimPrefix(err.Error(), "riverytest: "))
	}
	defer srv.Close()
	ids := make([]string, len(rivers))
	for i := range rivers {
		ids[i] = srv.AddRiver(rivers[i]).ID // with the ID generated when the file gave none
	}
	if *asJSON {
		err = c.printJSON(fakeJSON{srv.URL, srv.AdminToken(), srv.AccountID, srv.EnvironmentID, ids})
	} else {
		_, err = fmt.Fprintf(c.stdout, "RIVERY_BASE_URL=%s\nRIVERY_API_TOKEN=%s\n", srv.URL, srv.AdminToken())
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stderr, "rivery: fake Rivery at %s (account %s, environment %s), rivers: %s; stop it with Ctrl-C or SIGTERM\n",
		srv.URL, srv.AccountID, srv.EnvironmentID, strings.Join(ids, ", "))
	if c.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = c.deadline(ctx, false)
		defer cancel()
	}
	<-ctx.Done()
	srv.Close()
	fmt.Fprintln(c.stderr, "rivery: fake Rivery stopped")
	return nil
}
