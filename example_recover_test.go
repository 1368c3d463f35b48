package rivery_test

import (
	"context"
	"fmt"
	"time"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

// After a trigger whose outcome is unknown, find the run it may have
// started instead of triggering again.
func ExampleRiversService_FindRunSince() {
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: "63b724fc690def001131d242"}))
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	srv.Fail(riverytest.RouteRun, 1, riverytest.Fault{Status: 503, Apply: true}) // the run starts, the answer is a 503

	since := time.Now()
	_, _, err := client.Rivers.Run(ctx, "63b724fc690def001131d242")
	if rivery.MaybeApplied(err) {
		run, _, err := client.Rivers.FindRunSince(ctx, "63b724fc690def001131d242", since)
		if err != nil {
			fmt.Println("no run found:", err)
			return
		}
		fmt.Println("found the run the trigger started:", run.ID == srv.Runs("63b724fc690def001131d242")[0].ID)
	}
	// Output: found the run the trigger started: true
}
