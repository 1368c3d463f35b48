// Command quickstart triggers a river and waits for it, printing one line
// per status change.
//
// With RIVERY_API_TOKEN set it calls the real Rivery API (region and IDs
// from the other RIVERY_* variables) for the river in RIVERY_RIVER_ID: a
// river ID or the river's console URL. A console URL also gives the region
// (its host) and the account and environment IDs (its path) when the
// RIVERY_* variables do not. Without a token it starts the
// embedded fake Rivery (riverytest) with a demo river and does the same.
//
// Exit status: 0 when the run succeeded, 1 when it ended otherwise, 2 on a
// usage or API error. Under `go run` every failure is 1 (go run reports
// the program's status, not passes it on): build it (go build -o
// quickstart ./examples/quickstart) for a script that reads the code.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

const demoRiverID = "63b724fc690def001131d242"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the whole program; stdout and stderr are parameters so a test can
// drive it.
func run(ctx context.Context, stdout, stderr io.Writer) int {
	client, riverID, wait, cleanup, err := setup(stdout)
	if err != nil {
		fmt.Fprintln(stderr, "quickstart:", err)
		return 2
	}
	defer cleanup()

	start := time.Now()
	wait.OnStatus = func(r *rivery.Run) {
		fmt.Fprintf(stdout, "%6.1fs  run %s  %s\n", time.Since(start).Seconds(), r.ID, r.Status)
	}
	fmt.Fprintf(stdout, "triggering river %s\n", riverID)
	result, err := client.Rivers.RunAndWait(ctx, riverID, wait)
	var runErr *rivery.RunError
	switch {
	case err == nil:
		fmt.Fprintf(stdout, "run %s %s in %.1fs\n", result.ID, result.Status, time.Since(start).Seconds())
		return 0
	case errors.As(err, &runErr):
		fmt.Fprintf(stdout, "run %s %s in %.1fs\n", result.ID, result.Status, time.Since(start).Seconds())
		fmt.Fprintln(stderr, "quickstart:", err)
		return 1
	default:
		fmt.Fprintln(stderr, "quickstart:", err)
		return 2
	}
}

// setup picks the real API or the embedded fake.
func setup(stdout io.Writer) (c *rivery.Client, riverID string, wait *rivery.WaitOptions, cleanup func(), err error) {
	if os.Getenv(rivery.EnvAPIToken) == "" {
		fmt.Fprintln(stdout, "RIVERY_API_TOKEN is not set: running against the embedded fake Rivery (riverytest), not the real API.")
		srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: demoRiverID, Name: "demo: orders to warehouse", Polls: 3}))
		wait = &rivery.WaitOptions{MinInterval: 100 * time.Millisecond, MaxInterval: 400 * time.Millisecond}
		return srv.Client(), demoRiverID, wait, srv.Close, nil
	}
	ref := os.Getenv("RIVERY_RIVER_ID")
	if ref == "" {
		return nil, "", nil, nil, errors.New("RIVERY_RIVER_ID is not set: give the river's ID or its console URL")
	}
	u, err := rivery.ParseConsoleURL(ref)
	if err != nil {
		return nil, "", nil, nil, err
	}
	c, err = rivery.NewClientFromEnv(urlOptions(stdout, u)...)
	if err != nil {
		return nil, "", nil, nil, err
	}
	return c, u.RiverID, &rivery.WaitOptions{}, func() { _ = c.Close() }, nil
}

// urlOptions takes from a console URL what the environment does not set:
// the region its host names (unless RIVERY_REGION or RIVERY_BASE_URL is
// set), and the account and environment IDs (unless RIVERY_ACCOUNT_ID or
// RIVERY_ENVIRONMENT_ID is set), which make the client use the v1 API. An
// EU console URL thus reaches the EU hosts instead of getting the US
// host's 401.
func urlOptions(stdout io.Writer, u *rivery.ConsoleURL) []rivery.Option {
	var opts []rivery.Option
	if u.Region != "" && os.Getenv(rivery.EnvRegion) == "" && os.Getenv(rivery.EnvBaseURL) == "" {
		fmt.Fprintf(stdout, "region %s (from the console URL)\n", u.Region)
		opts = append(opts, rivery.WithRegion(u.Region))
	}
	if u.AccountID != "" && os.Getenv(rivery.EnvAccountID) == "" && os.Getenv(rivery.EnvEnvironmentID) == "" {
		fmt.Fprintf(stdout, "account %s, environment %s (from the console URL)\n", u.AccountID, u.EnvironmentID)
		opts = append(opts, rivery.WithAccountID(u.AccountID), rivery.WithEnvironmentID(u.EnvironmentID))
	}
	return opts
}
