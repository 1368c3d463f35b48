package rivery_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

// Trigger a river and wait for its run (the README's first example). It
// needs a real token, so it is compiled but not run.
func ExampleRiversService_RunAndWait() {
	client, err := rivery.NewClientFromEnv() // RIVERY_API_TOKEN, RIVERY_REGION, ...
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()

	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	run, err := client.Rivers.RunAndWait(ctx, "63b724fc690def001131d242", &rivery.WaitOptions{
		OnStatus: func(r *rivery.Run) { log.Printf("run %s: %s", r.ID, r.Status) },
	})
	if err != nil {
		log.Fatal(err) // a *rivery.RunError when the run ended but did not succeed
	}
	fmt.Println("run", run.ID, run.Status)
}

// Clients for each region and API family (README "Auth and regions").
func ExampleNewClient() {
	// Console API, US region: the token alone.
	us, err := rivery.NewClient("YOUR_TOKEN")
	if err != nil {
		log.Fatal(err)
	}
	defer us.Close()

	// EU region, v1 API: give the account and environment IDs.
	eu, err := rivery.NewClient("YOUR_TOKEN",
		rivery.WithRegion(rivery.RegionEU),
		rivery.WithAccountID("5f1a2b3c4d5e6f7081920a1b"),
		rivery.WithEnvironmentID("6a7b8c9d0e1f2a3b4c5d6e7f"),
		rivery.WithRetry(5, time.Second, time.Minute),
	)
	if err != nil {
		log.Fatal(err)
	}
	defer eu.Close()
	fmt.Println(eu)
	// Output: rivery.Client{console: https://eu-west-1.console.rivery.io, v1: https://api.eu-west-1.rivery.io, family: v1 API, token: [redacted]}
}

// Telling errors apart (README "Errors").
func ExampleAPIError() {
	srv := riverytest.NewServer() // no rivers: every trigger is a 404
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	_, _, err := client.Rivers.Run(ctx, "63b724fc690def001131d242")
	var apiErr *rivery.APIError
	switch {
	case errors.Is(err, rivery.ErrNotFound):
		fmt.Println("no such river")
	case errors.Is(err, rivery.ErrRateLimited) && errors.As(err, &apiErr):
		fmt.Println("rate limited; retry after", apiErr.RetryAfter)
	case rivery.MaybeApplied(err): // a cut connection or a 5xx after the trigger was sent
		fmt.Println("the trigger may have started a run: find it with FindRunSince, do not trigger again")
	case err != nil:
		fmt.Println("failed:", err)
	}
	// Output: no such river
}

func ExampleRiversService_Run() {
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: "63b724fc690def001131d242"}))
	defer srv.Close()
	client := srv.Client()

	run, _, err := client.Rivers.Run(context.Background(), "63b724fc690def001131d242")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(run.Status, run.RawStatus)
	// Output: pending W
}

func ExampleRiversService_WaitForRun() {
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: "63b724fc690def001131d242", Polls: 3}))
	defer srv.Close()
	client := srv.ClientV1()
	ctx := context.Background()

	run, _, err := client.Rivers.Run(ctx, "63b724fc690def001131d242")
	if err != nil {
		log.Fatal(err)
	}
	done, err := client.Rivers.WaitForRun(ctx, "63b724fc690def001131d242", run.ID, &rivery.WaitOptions{
		MinInterval: time.Millisecond,
		OnStatus:    func(r *rivery.Run) { fmt.Println("status:", r.Status) },
	})
	fmt.Println(done.Status, err)
	// Output:
	// status: pending
	// status: running
	// status: succeeded
	// succeeded <nil>
}

func ExampleTokensService_Create() {
	srv := riverytest.NewServer()
	defer srv.Close()
	client := srv.ClientV1()

	tok, _, err := client.Tokens.Create(context.Background(), &rivery.CreateTokenRequest{
		Name:   "nightly-loader",
		Scopes: []rivery.Scope{rivery.ScopeRiverExecute, rivery.ScopeRiverList},
	})
	if err != nil {
		log.Fatal(err)
	}
	// tok.Value is the secret, returned this once: store it, never print it.
	fmt.Println(tok.Name, tok.Scopes, tok.Value != "")
	printed := fmt.Sprintf("%+v", tok)
	fmt.Println(strings.Contains(printed, "[redacted]"), strings.Contains(printed, tok.Value))
	// Output:
	// nightly-loader [river:execute river:list] true
	// true false
}

func ExampleTokensService_All() {
	srv := riverytest.NewServer()
	defer srv.Close()
	srv.AddToken(riverytest.Token{Name: "ci", Scopes: []rivery.Scope{rivery.ScopeRiverExecute}})
	client := srv.Client()

	for tok, err := range client.Tokens.All(context.Background(), &rivery.ListOptions{PerPage: 1}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(tok.Name, tok.Scopes)
	}
	// Output:
	// admin []
	// ci [river:execute]
}

func ExampleRiversService_All() {
	srv := riverytest.NewServer(
		riverytest.WithRiver(riverytest.River{Name: "orders"}),
		riverytest.WithRiver(riverytest.River{Name: "refunds"}),
		riverytest.WithRiver(riverytest.River{Name: "customers"}),
	)
	defer srv.Close()
	client := srv.ClientV1()

	// Pages of two: All follows next_page and holds one page at a time.
	for river, err := range client.Rivers.All(context.Background(), &rivery.ListRiversOptions{ListOptions: rivery.ListOptions{PerPage: 2}}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(river.Name, river.Status)
	}
	// Output:
	// orders active
	// refunds active
	// customers active
}

func ExampleRiversService_ListRuns() {
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: "63b724fc690def001131d242"}))
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	for range 2 {
		if _, err := client.Rivers.RunAndWait(ctx, "63b724fc690def001131d242", nil); err != nil {
			log.Fatal(err)
		}
	}

	// The runs of the last hour, newest first.
	runs, _, err := client.Rivers.ListRuns(ctx, "63b724fc690def001131d242", &rivery.ListRunsOptions{
		StartTime: time.Now().Add(-time.Hour),
		EndTime:   time.Now(),
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, run := range runs {
		fmt.Println(run.ID, run.Status)
	}
	// Output:
	// 0000000000000000000000000000a004 succeeded
	// 0000000000000000000000000000a003 succeeded
}

// NewClientFromEnv reads RIVERY_API_TOKEN and the other RIVERY_* variables;
// here they point at a fake Rivery.
func ExampleNewClientFromEnv() {
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: "63b724fc690def001131d242"}))
	defer srv.Close()
	restore := setEnv(map[string]string{rivery.EnvAPIToken: srv.AdminToken(), rivery.EnvBaseURL: srv.URL})
	defer restore()

	client, err := rivery.NewClientFromEnv()
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()
	run, _, err := client.Rivers.Run(context.Background(), "63b724fc690def001131d242")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(run.Status)
	// Output: pending
}

func ExampleRiversService_GetRun() {
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: "63b724fc690def001131d242", Polls: 2}))
	defer srv.Close()
	client := srv.ClientV1()
	ctx := context.Background()
	run, _, err := client.Rivers.Run(ctx, "63b724fc690def001131d242")
	if err != nil {
		log.Fatal(err)
	}

	for range 3 {
		run, _, err = client.Rivers.GetRun(ctx, "63b724fc690def001131d242", run.ID)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(run.Status, run.Status.Terminal())
	}
	// Output:
	// pending false
	// running false
	// succeeded true
}

func ExampleRiversService_CancelRun() {
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: "63b724fc690def001131d242", Duration: time.Hour}))
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	run, _, err := client.Rivers.Run(ctx, "63b724fc690def001131d242")
	if err != nil {
		log.Fatal(err)
	}

	if _, err := client.Rivers.CancelRun(ctx, "63b724fc690def001131d242", run.ID); err != nil {
		log.Fatal(err)
	}
	run, err = client.Rivers.WaitForRun(ctx, "63b724fc690def001131d242", run.ID, nil)
	fmt.Println(run.Message, errors.Is(err, rivery.ErrRunFailed))
	// Canceling again: the run has ended.
	_, err = client.Rivers.CancelRun(ctx, "63b724fc690def001131d242", run.ID)
	fmt.Println(errors.Is(err, rivery.ErrBadRequest))
	// Output:
	// Run canceled true
	// true
}

func ExampleRiversService_List() {
	srv := riverytest.NewServer(
		riverytest.WithRiver(riverytest.River{Name: "orders", GroupID: "sales"}),
		riverytest.WithRiver(riverytest.River{Name: "refunds", GroupID: "sales", Disabled: true}),
		riverytest.WithRiver(riverytest.River{Name: "payroll", GroupID: "hr"}),
	)
	defer srv.Close()
	client := srv.ClientV1()

	rivers, resp, err := client.Rivers.List(context.Background(), &rivery.ListRiversOptions{GroupID: "sales"})
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range rivers {
		fmt.Println(r.Name, r.Status)
	}
	fmt.Println("total:", resp.TotalItems)
	// Output:
	// orders active
	// refunds disabled
	// total: 2
}

func ExampleRiversService_RunLogs() {
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: "63b724fc690def001131d242", Outcome: "failed"}))
	defer srv.Close()
	client := srv.ClientV1()
	ctx := context.Background()
	run, err := client.Rivers.RunAndWait(ctx, "63b724fc690def001131d242", nil)
	if !errors.Is(err, rivery.ErrRunFailed) {
		log.Fatal(err)
	}

	logs, _, err := client.Rivers.RunLogs(ctx, "63b724fc690def001131d242", run.ID)
	if err != nil {
		log.Fatal(err)
	}
	for _, entry := range logs { // newest first
		fmt.Printf("%s %q\n", entry.Level, entry.Message)
	}
	// Output:
	// ERROR "Run ended failed"
	// INFO "Extracted 1000 rows from fake-source,\nschema \"public\""
	// INFO "Run 0000000000000000000000000000a003 started"
}

func ExampleTokensService_List() {
	srv := riverytest.NewServer()
	defer srv.Close()
	srv.AddToken(riverytest.Token{Name: "ci", Scopes: []rivery.Scope{rivery.ScopeRiverExecute}})
	client := srv.Client() // a token-only client learns its account once, from /api/me

	tokens, _, err := client.Tokens.List(context.Background(), &rivery.ListOptions{PerPage: 50})
	if err != nil {
		log.Fatal(err)
	}
	for _, t := range tokens {
		fmt.Println(t.Name, t.Scopes)
	}
	// Output:
	// admin []
	// ci [river:execute]
}

func ExampleTokensService_Delete() {
	srv := riverytest.NewServer()
	defer srv.Close()
	tok := srv.AddToken(riverytest.Token{Name: "old", Scopes: []rivery.Scope{rivery.ScopeRiverList}})
	client := srv.Client()
	ctx := context.Background()

	if _, err := client.Tokens.Delete(ctx, tok.ID); err != nil {
		log.Fatal(err)
	}
	// The deleted token stops working at once.
	_, _, err := srv.ClientFor(tok.Value).Rivers.List(ctx, nil)
	fmt.Println(errors.Is(err, rivery.ErrUnauthorized))
	// Output: true
}
