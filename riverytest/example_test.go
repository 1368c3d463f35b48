package riverytest_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

// A test of code that triggers a river: start the fake with the river,
// hand the code a client of it, and check what the server saw.
func Example() {
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{
		ID: "63b724fc690def001131d242", Name: "orders", Outcome: "failed", Message: "target table locked",
	}))
	defer srv.Close()

	client := srv.Client()
	run, err := client.Rivers.RunAndWait(context.Background(), "63b724fc690def001131d242",
		&rivery.WaitOptions{MinInterval: time.Millisecond})

	fmt.Println(run.Status, err)
	fmt.Println("runs started:", srv.RunsStarted("63b724fc690def001131d242"))
	// Output:
	// failed rivery: run 0000000000000000000000000000a003 of river 63b724fc690def001131d242 ended failed ("E"): target table locked
	// runs started: 1
}

// Faults make the server fail the next requests of a route.
func ExampleServer_Fail() {
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: "63b724fc690def001131d242"}))
	defer srv.Close()

	srv.Fail(riverytest.RouteRun, 1, riverytest.Fault{Status: 503})
	_, _, err := srv.Client().Rivers.Run(context.Background(), "63b724fc690def001131d242")
	fmt.Println(errors.Is(err, rivery.ErrServer))
	fmt.Println("trigger requests:", len(srv.RequestsTo(riverytest.RouteRun)), "runs started:", srv.RunsStarted("63b724fc690def001131d242"))
	// Output:
	// true
	// trigger requests: 1 runs started: 0
}
