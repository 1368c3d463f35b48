package riverytemporal_test

import (
	"context"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/testsuite"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
	riverytemporal "github.com/rivery-go/rivery/temporal"
)

// findRunSince runs the recovery activity in Temporal's activity test
// environment.
func findRunSince(t *testing.T, acts *riverytemporal.Activities, riverID string, since time.Time) *rivery.Run {
	t.Helper()
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestActivityEnvironment()
	env.RegisterActivityWithOptions(acts.FindRunSince, activity.RegisterOptions{Name: riverytemporal.ActivityFindRunSince})
	val, err := env.ExecuteActivity(riverytemporal.ActivityFindRunSince, riverID, since)
	if err != nil {
		t.Fatal(err)
	}
	var run *rivery.Run
	if !val.HasValue() {
		return nil // no run found
	}
	if err := val.Get(&run); err != nil {
		t.Fatal(err)
	}
	return run
}

// The lookup walks every page (500 runs each) and returns the oldest run
// of the window: the one the lost trigger started, not a later one.
func TestFindRunSinceWalksEveryPage(t *testing.T) {
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: riverA}))
	defer srv.Close()
	c := srv.ClientV1()
	since := time.Now().Add(-time.Second)
	var first string
	for i := range 503 {
		run, _, err := c.Rivers.Run(context.Background(), riverA)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = run.ID
		}
	}
	got := findRunSince(t, &riverytemporal.Activities{Client: c}, riverA, since)
	if got == nil || got.ID != first {
		t.Fatalf("found %+v, want the oldest run %s", got, first)
	}
	if n := len(srv.RequestsTo(riverytest.RouteRuns)); n != 2 {
		t.Errorf("list requests: %d, want 2 pages", n)
	}
	if got := findRunSince(t, &riverytemporal.Activities{Client: c}, riverA, time.Now().Add(time.Minute)); got != nil {
		t.Errorf("found %+v in a window with no run", got)
	}
}
