// Command promote copies a river's definition from one environment to
// another, as a CI pipeline promotes from development to production: it
// exports the definition, applies it to the other environment (creating the
// river there, or updating the one of the same name), and verifies that
// the other environment now holds the same definition.
//
//	RIVERY_API_TOKEN=... RIVERY_ACCOUNT_ID=... go run ./examples/promote -from DEV_ENV_ID -to PROD_ENV_ID -river RIVER_ID
//
// Without RIVERY_API_TOKEN it runs on two embedded fake environments
// (riverytest): it promotes a river, changes it in development, and
// promotes it again.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

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
	var err error
	if os.Getenv(rivery.EnvAPIToken) == "" {
		err = demo(ctx, stdout)
	} else {
		err = promoteFromFlags(ctx, args, stdout)
	}
	if err != nil {
		fmt.Fprintln(stderr, "promote:", err)
		return 2
	}
	return 0
}

func promoteFromFlags(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("promote", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fromEnv := fs.String("from", "", "the environment to promote from")
	toEnv := fs.String("to", "", "the environment to promote to")
	riverID := fs.String("river", "", "the river to promote")
	if err := fs.Parse(args); err != nil || *fromEnv == "" || *toEnv == "" || *riverID == "" {
		return errors.New("usage: promote -from ENV_ID -to ENV_ID -river RIVER_ID (with RIVERY_ACCOUNT_ID set)")
	}
	from, err := rivery.NewClientFromEnv(rivery.WithEnvironmentID(*fromEnv))
	if err != nil {
		return err
	}
	defer from.Close()
	to, err := rivery.NewClientFromEnv(rivery.WithEnvironmentID(*toEnv))
	if err != nil {
		return err
	}
	defer to.Close()
	return report(ctx, out, from, to, *riverID)
}

// demo promotes a river between two fake environments of one account.
func demo(ctx context.Context, out io.Writer) error {
	fmt.Fprintln(out, "RIVERY_API_TOKEN is not set: promoting between two embedded fake environments (riverytest).")
	const account = "64b0c0ffee000000000a0001"
	dev := riverytest.NewServer(riverytest.WithAccount(account, "64b0c0ffee000000000e00de"),
		riverytest.WithRiver(riverytest.River{ID: "63b724fc690def001131d242", Name: "orders to warehouse", Description: "nightly orders load"}))
	defer dev.Close()
	prod := riverytest.NewServer(riverytest.WithAccount(account, "64b0c0ffee000000000e00f0"))
	defer prod.Close()
	from, to := dev.ClientV1(), prod.ClientV1()

	if err := report(ctx, out, from, to, "63b724fc690def001131d242"); err != nil {
		return err
	}
	// A change in development, then the same promotion again.
	if _, err := from.Rivers.Update(ctx, "63b724fc690def001131d242", func(d *rivery.RiverDefinition) error {
		d.SetDescription("nightly orders load, with refunds")
		return nil
	}); err != nil {
		return err
	}
	if err := report(ctx, out, from, to, "63b724fc690def001131d242"); err != nil {
		return err
	}
	return report(ctx, out, from, to, "63b724fc690def001131d242")
}

func report(ctx context.Context, out io.Writer, from, to *rivery.Client, riverID string) error {
	res, err := promote(ctx, from, to, riverID)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s %q as river %s (verified)\n", res.action, res.name, res.targetID)
	if res.action == "created" {
		fmt.Fprintln(out, "  the new river is disabled: activate it once its connections are ready")
	}
	return nil
}

type result struct {
	action, name, targetID string
}

// promote exports riverID's definition from one environment and applies it
// to the other, then reads it back there to verify.
func promote(ctx context.Context, from, to *rivery.Client, riverID string) (result, error) {
	// Export: the definition without what ties it to its environment.
	def, _, err := from.Rivers.GetDefinition(ctx, riverID)
	if err != nil {
		return result{}, fmt.Errorf("export: %w", err)
	}
	want := def.Portable()
	res := result{name: want.Name()}

	// Apply: update the river of that name, or create it.
	res.targetID, err = riverNamed(ctx, to, res.name)
	if err != nil {
		return res, err
	}
	if res.targetID == "" {
		created, _, err := to.Rivers.Create(ctx, want)
		if err != nil {
			return res, fmt.Errorf("create: %w", err)
		}
		res.action, res.targetID = "created", created.ID()
	} else {
		res.action = "unchanged"
		_, err := to.Rivers.Update(ctx, res.targetID, func(cur *rivery.RiverDefinition) error {
			if !cur.Portable().Equal(want) {
				cur.CopyFrom(want) // keeps the river's IDs and status
				res.action = "updated"
			}
			return nil
		})
		if err != nil {
			return res, fmt.Errorf("update: %w", err)
		}
	}

	// Verify: read it back from the other environment.
	got, _, err := to.Rivers.GetDefinition(ctx, res.targetID)
	if err != nil {
		return res, fmt.Errorf("verify: %w", err)
	}
	if !got.Portable().Equal(want) {
		return res, fmt.Errorf("verify: river %s does not hold the promoted definition", res.targetID)
	}
	return res, nil
}

// riverNamed returns the ID of the one river named name, or "".
func riverNamed(ctx context.Context, c *rivery.Client, name string) (string, error) {
	var ids []string
	for r, err := range c.Rivers.SearchAll(ctx, &rivery.SearchRiversOptions{Name: name}) {
		if err != nil {
			return "", err
		}
		if r.Name == name {
			ids = append(ids, r.ID)
		}
	}
	if len(ids) > 1 {
		return "", fmt.Errorf("%d rivers are named %q in the target environment", len(ids), name)
	}
	if len(ids) == 0 {
		return "", nil
	}
	return ids[0], nil
}
