package rivery_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

// Check a token: who it is, on which host (README "Auth and regions").
func ExampleClient_Me() {
	srv := riverytest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	me, _, err := client.Me(ctx)
	if errors.Is(err, rivery.ErrUnauthorized) {
		log.Fatal("bad token, or a token of another region")
	}
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("account", me.AccountID, "environment", me.EnvironmentID)
	// Output: account 64b0c0ffee000000000a0001 environment 64b0c0ffee000000000e0001
}

// Take the region and IDs from a console URL (README "Auth and regions").
func ExampleParseConsoleURL() {
	u, err := rivery.ParseConsoleURL("https://eu-west-1.console.rivery.io/river/5f1a2b3c4d5e6f7081920a1b/6a7b8c9d0e1f2a3b4c5d6e7f/river/63b724fc690def001131d242")
	if err != nil {
		log.Fatal(err)
	}
	client, err := rivery.NewClient("YOUR_TOKEN",
		rivery.WithRegion(u.Region),
		rivery.WithAccountID(u.AccountID),
		rivery.WithEnvironmentID(u.EnvironmentID),
	)
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()
	fmt.Println(u.Region, u.RiverID)
	// Output: eu 63b724fc690def001131d242
}

// A master river starts one run per sub-river; RunAndWait waits for all of
// them (README "Runs and rivers").
func ExampleRiversService_WaitForGroup() {
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{
		ID: "63b724fc690def001131d243",
		SubRivers: []riverytest.SubRiver{
			{ID: "64c1d2e3f4a5b6c7d8e9f101"},
			{ID: "64c1d2e3f4a5b6c7d8e9f102", Outcome: "failed", Message: "Target table is locked"},
		},
	}))
	defer srv.Close()
	client := srv.ClientV1()
	ctx := context.Background()

	group, err := client.Rivers.RunAndWait(ctx, "63b724fc690def001131d243", nil)
	var runErr *rivery.RunError
	if errors.As(err, &runErr) {
		fmt.Println("group", group.Status)
		for _, run := range group.Group.Runs {
			fmt.Println("sub-river", run.SubRiverID, run.Status)
		}
	}
	// Output:
	// group partially succeeded
	// sub-river 64c1d2e3f4a5b6c7d8e9f101 succeeded
	// sub-river 64c1d2e3f4a5b6c7d8e9f102 failed
}

// Every run of the last day, page after page.
func ExampleRiversService_AllRuns() {
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: "63b724fc690def001131d242"}))
	defer srv.Close()
	client := srv.ClientV1()
	ctx := context.Background()
	if _, _, err := client.Rivers.Run(ctx, "63b724fc690def001131d242"); err != nil {
		log.Fatal(err)
	}

	opts := &rivery.ListRunsOptions{StartTime: time.Now().Add(-24 * time.Hour), EndTime: time.Now()}
	for run, err := range client.Rivers.AllRuns(ctx, "63b724fc690def001131d242", opts) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(run.Status)
	}
	// Output: pending
}
