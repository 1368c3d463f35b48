package rivery_test

import (
	"context"
	"fmt"
	"log"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

// callPrinter prints each API call and each wait as it ends. Embedding
// NopObserver leaves the other events alone.
type callPrinter struct{ rivery.NopObserver }

func (callPrinter) CallEnd(_ context.Context, e rivery.CallEvent) {
	fmt.Printf("%s %s: %d after %d attempt(s)\n", e.Method, e.Route, e.StatusCode, e.Attempts)
}

func (callPrinter) WaitEnd(_ context.Context, e rivery.WaitEvent) {
	fmt.Printf("%s of river %s: %s, %d statuses seen\n", e.Operation, e.RiverID, e.Outcome(), e.Seen)
}

// Follow a client's calls and waits with an Observer: here a trigger and
// wait whose first status call is answered 503 and retried.
func ExampleWithObserver() {
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: "63b724fc690def001131d242", Polls: 1}))
	defer srv.Close()
	srv.Fail(riverytest.RouteRunStatus, 1, riverytest.Fault{Status: 503})

	client := srv.Client(rivery.WithObserver(callPrinter{}))
	if _, err := client.Rivers.RunAndWait(context.Background(), "63b724fc690def001131d242", nil); err != nil {
		log.Fatal(err)
	}
	// Output:
	// POST /api/run: 200 after 1 attempt(s)
	// GET /api/check_run: 200 after 2 attempt(s)
	// GET /api/check_run: 200 after 1 attempt(s)
	// RunAndWait of river 63b724fc690def001131d242: succeeded, 3 statuses seen
}
