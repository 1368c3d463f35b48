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

// ranRivers is a fake Rivery whose rivers each ran once: orders
// succeeded, crm sync failed, and the logic river rollup failed in its
// SQL step.
func ranRivers() (*riverytest.Server, map[string]*rivery.Run) {
	srv := riverytest.NewServer(
		riverytest.WithRiver(riverytest.River{ID: "63b724fc690def001131d242", Name: "orders", Polls: -1}),
		riverytest.WithRiver(riverytest.River{ID: "63b724fc690def001131d2ff", Name: "crm sync", Outcome: "failed", Message: "source refused the credentials", Polls: -1}),
		riverytest.WithRiver(riverytest.River{ID: "63b724fc690def001131d2aa", Name: "rollup", Type: "logic", Outcome: "failed", Message: "SQL compilation error", Polls: -1}),
	)
	runs := map[string]*rivery.Run{}
	for _, id := range []string{"63b724fc690def001131d242", "63b724fc690def001131d2ff", "63b724fc690def001131d2aa"} {
		run, err := srv.ClientV1().Rivers.RunAndWait(context.Background(), id, nil)
		if err != nil && !errors.Is(err, rivery.ErrRunFailed) {
			log.Fatal(err)
		}
		runs[id] = run
	}
	return srv, runs
}

func ExampleActivitiesService_List() {
	srv, _ := ranRivers()
	defer srv.Close()
	c := srv.ClientV1()
	ctx := context.Background()

	// What failed in the last 24 hours, across the environment, in one call.
	rows, _, err := c.Activities.List(ctx, &rivery.ActivitiesOptions{Window: rivery.LastWindow(24 * time.Hour)})
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range rows {
		if a.Counts.Failed > 0 {
			fmt.Printf("%s: %d of %d runs failed\n", a.RiverName, a.Counts.Failed, a.Counts.Total())
		}
	}
	// Output:
	// crm sync: 1 of 1 runs failed
	// rollup: 1 of 1 runs failed
}

func ExampleActivitiesService_Statistics() {
	srv, _ := ranRivers()
	defer srv.Close()
	c := srv.ClientV1()

	st, _, err := c.Activities.Statistics(context.Background(), &rivery.StatisticsOptions{Window: rivery.LastWindow(7 * 24 * time.Hour)})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d succeeded, %d failed, %.2f units\n", st.Counts.Succeeded, st.Counts.Failed, st.Units)
	// Output:
	// 1 succeeded, 2 failed, 0.75 units
}

func ExampleActivitiesService_AllRunGroups() {
	srv, _ := ranRivers()
	defer srv.Close()
	c := srv.ClientV1()

	// A month is asked about a week (WindowSplit) at a time, newest first.
	month := rivery.LastWindow(30 * 24 * time.Hour)
	for g, err := range c.Activities.AllRunGroups(context.Background(), "63b724fc690def001131d2ff", &rivery.WindowOptions{Window: month}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(g.Status, g.Units)
	}
	// Output:
	// failed 0.25
}

func ExampleRiversService_LogicSteps() {
	srv, runs := ranRivers()
	defer srv.Close()
	c := srv.ClientV1()
	ctx := context.Background()
	riverID, runID := "63b724fc690def001131d2aa", runs["63b724fc690def001131d2aa"].ID

	// Why did the logic river fail? Its steps, then the code step's log.
	steps, _, err := c.Rivers.LogicSteps(ctx, riverID, runID)
	if err != nil {
		log.Fatal(err)
	}
	for _, step := range steps {
		fmt.Printf("%s (%s): %s\n", step.Name, step.Type, step.Status)
		if step.Message != "" {
			fmt.Println("  error:", step.Message)
		}
	}
	logText, err := c.Rivers.StepLogContent(ctx, riverID, runID, steps[0].ID, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(logText) > 0)
	// Output:
	// extract (logicode): succeeded
	// load (snowflake_sql_query): failed
	//   error: SQL compilation error
	// true
}

func ExampleRiversService_RunTasks() {
	srv, runs := ranRivers()
	defer srv.Close()
	c := srv.ClientV1()

	tasks, _, err := c.Rivers.RunTasks(context.Background(), "63b724fc690def001131d2ff", runs["63b724fc690def001131d2ff"].ID)
	if err != nil {
		log.Fatal(err)
	}
	for _, task := range tasks {
		fmt.Printf("%s: %s, %d rows (%s)\n", task.Name, task.Status, task.Rows, task.Message)
	}
	// Output:
	// orders: failed, 600 rows (source refused the credentials)
	// customers: failed, 400 rows (source refused the credentials)
}
