package rivery_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

// Sign in with a Boomi platform API token (README "Auth and regions"). It
// needs real credentials, so it is compiled but not run.
func ExampleWithTokenSource() {
	ts, err := rivery.NewBoomiTokenSource(rivery.BoomiCredentials{
		AccountID: os.Getenv("BOOMI_ACCOUNT_ID"),
		Username:  os.Getenv("BOOMI_USERNAME"),
		APIToken:  os.Getenv("BOOMI_API_TOKEN"),
	})
	if err != nil {
		log.Fatal(err)
	}
	client, err := rivery.NewClient("", rivery.WithTokenSource(ts),
		rivery.WithAccountID("5f1a2b3c4d5e6f7081920a1b"),
		rivery.WithEnvironmentID("6a7b8c9d0e1f2a3b4c5d6e7f"),
		rivery.WithRateLimit(4*time.Second, 1), // at most 15 requests a minute
	)
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()
	fmt.Println(client) // prints no credential
}

// The Boomi sign-in against riverytest, which serves the platform's token
// exchange: the JWT is fetched on the first call, reused, and exchanged
// again when the server stops accepting it.
func ExampleNewBoomiTokenSource() {
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: "63b724fc690def001131d242"}))
	defer srv.Close()

	ts, err := rivery.NewBoomiTokenSource(srv.BoomiCredentials()) // platform URL, account ID, username, API token
	if err != nil {
		log.Fatal(err)
	}
	client, err := rivery.NewClient("", rivery.WithTokenSource(ts), rivery.WithBaseURL(srv.URL),
		rivery.WithAccountID(srv.AccountID), rivery.WithEnvironmentID(srv.EnvironmentID))
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()

	ctx := context.Background()
	run, err := client.Rivers.RunAndWait(ctx, "63b724fc690def001131d242", &rivery.WaitOptions{MinInterval: time.Millisecond})
	fmt.Println(run.Status, err, "exchanges:", ts.Exchanges())

	srv.ExpireJWTs() // the next call gets 401, exchanges again and is sent once more
	river, _, err := client.Rivers.Get(ctx, "63b724fc690def001131d242")
	fmt.Println(river.ID, err, "exchanges:", ts.Exchanges())
	// Output:
	// succeeded <nil> exchanges: 1
	// 63b724fc690def001131d242 <nil> exchanges: 2
}

// One client per environment of an account, sharing one connection pool,
// sign-in and rate limit.
func ExampleClient_InEnvironment() {
	srv := riverytest.NewServer(
		riverytest.WithRiver(riverytest.River{ID: "63b724fc690def001131d242"}),
		riverytest.WithEnvironment(riverytest.Environment{ID: "6a7b8c9d0e1f2a3b4c5d6e80", Name: "Staging"}),
	)
	defer srv.Close()
	client := srv.ClientV1()

	ctx := context.Background()
	for env, err := range client.Environments.All(ctx, nil) {
		if err != nil {
			log.Fatal(err)
		}
		inEnv, err := client.InEnvironment(env.ID)
		if err != nil {
			log.Fatal(err)
		}
		run, _, err := inEnv.Rivers.Run(ctx, "63b724fc690def001131d242")
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(env.Name, run.Status)
	}
	for _, r := range srv.RequestsTo(riverytest.RouteRun) {
		fmt.Println(r.Path)
	}
	// Output:
	// Production pending
	// Staging pending
	// /v1/accounts/64b0c0ffee000000000a0001/environments/64b0c0ffee000000000e0001/rivers/63b724fc690def001131d242/run
	// /v1/accounts/64b0c0ffee000000000a0001/environments/6a7b8c9d0e1f2a3b4c5d6e80/rivers/63b724fc690def001131d242/run
}
