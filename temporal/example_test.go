package riverytemporal_test

import (
	"fmt"
	"log"
	"log/slog"
	"time"

	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/worker"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
	riverytemporal "github.com/rivery-go/rivery/temporal"
)

// A worker for Rivery: one task queue, the rate limit sized for one Rivery
// user, a client whose own waits stay short.
func ExampleNewWorker() {
	rc, err := rivery.NewClientFromEnv(rivery.WithRetry(3, time.Second, 10*time.Second), rivery.WithTimeout(30*time.Second))
	if err != nil {
		log.Fatal(err)
	}
	defer rc.Close()
	c, err := client.Dial(client.Options{}) // localhost:7233
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	w := riverytemporal.NewWorker(c, "rivery", &riverytemporal.Activities{Client: rc}, worker.Options{})
	if err := w.Run(worker.InterruptCh()); err != nil {
		log.Fatal(err)
	}
}

// Testing a workflow that runs rivers: Temporal's test environment with
// the activities pointed at the fake Rivery.
func ExampleRunRiver() {
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: "63b724fc690def001131d242", Polls: 3}))
	defer srv.Close()

	var suite testsuite.WorkflowTestSuite
	suite.SetLogger(tlog.NewStructuredLogger(slog.New(slog.DiscardHandler))) // the SDK logs to stdout
	env := suite.NewTestWorkflowEnvironment()
	env.SetTestTimeout(time.Minute) // generous limits for a loaded CI machine
	env.SetWorkerOptions(worker.Options{DeadlockDetectionTimeout: time.Minute})
	riverytemporal.Register(env, &riverytemporal.Activities{Client: srv.ClientV1()})
	env.ExecuteWorkflow(riverytemporal.WorkflowRunRiver, riverytemporal.RunRiverInput{RiverID: "63b724fc690def001131d242"})

	var run rivery.Run
	if err := env.GetWorkflowResult(&run); err != nil {
		log.Fatal(err)
	}
	fmt.Println(run.Status) // after minutes of polling, skipped by the test environment
	fmt.Println("runs started:", srv.RunsStarted("63b724fc690def001131d242"))
	// Output:
	// succeeded
	// runs started: 1
}
