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

// Administer an environment (docs/admin.md), on the fake Rivery: make a
// connection, test it, read its tables' columns, and delete it; read the
// audit log of what was done.
func Example_administerEnvironment() {
	srv := riverytest.NewServer()
	defer srv.Close()
	client := srv.ClientV1()
	ctx := context.Background()

	// Create a connection. A create is never sent twice: when its outcome is
	// unknown, look for it by name before creating it again.
	req := &rivery.ConnectionRequest{Name: "orders db", Type: "postgres", Settings: map[string]any{
		"host": "db.example.com", "port": 5432, "user_name": "loader", "password": "s3cret",
	}}
	conn, _, err := client.Connections.Create(ctx, req)
	if rivery.MaybeApplied(err) {
		conn, err = client.Connections.FindByName(ctx, req.Name)
	}
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(conn) // credentials never print

	// Test it: a pull request that connects for real, waited for.
	pull := &rivery.PullRequest{ConnectionID: conn.ID, DatasourceID: "postgresql"}
	if _, err := client.Connections.Test(ctx, pull, nil); err != nil {
		log.Fatal("the connection does not work: ", err)
	}

	// Read one schema's tables and columns (a metadata pull, waited for).
	pull.Schemas = []string{"public"}
	tables, _, err := client.Connections.PullMetadata(ctx, pull, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, t := range tables {
		fmt.Println(t.Schema+"."+t.Name, len(t.Columns), "columns")
	}

	// Delete it: a retried delete whose first answer was lost succeeds.
	if _, err := client.Connections.Delete(ctx, conn.ID); err != nil {
		log.Fatal(err)
	}

	// What happened, from the audit log (newest first).
	for e, err := range client.AuditEvents.All(ctx, &rivery.AuditEventsOptions{Start: time.Now().Add(-time.Hour), End: time.Now()}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(e.Name, e.EntityName)
	}
	// Output:
	// Connection{ID:660000000000000000000002 Name:"orders db" Type:postgres TypeName:"postgres"}
	// public.customers 2 columns
	// public.orders 3 columns
	// delete:connections orders db
	// create:connections orders db
}

// Create an environment and delete it, waiting for the deletion.
func ExampleEnvironmentsService_Delete() {
	srv := riverytest.NewServer()
	defer srv.Close()
	client := srv.ClientV1()
	ctx := context.Background()

	env, _, err := client.Environments.Create(ctx, &rivery.CreateEnvironmentRequest{Name: "scratch"})
	if err != nil {
		log.Fatal(err)
	}
	op, _, err := client.Environments.Delete(ctx, env.ID)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := client.Rivers.WaitForOperation(ctx, op, nil); err != nil {
		log.Fatal(err)
	}
	got, _, err := client.Environments.Get(ctx, env.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(got.Name, "deleted:", got.Deleted)
	// Output: scratch deleted: true
}

// River groups, and the rivers of one group by its name.
func ExampleRiversService_AllGroups() {
	srv := riverytest.NewServer(
		riverytest.WithRiver(riverytest.River{Name: "ledger", GroupID: "65aa00000000000000000002", GroupName: "Finance"}),
		riverytest.WithRiver(riverytest.River{Name: "campaigns", GroupID: "65aa00000000000000000003", GroupName: "Marketing"}),
	)
	defer srv.Close()
	client := srv.ClientV1()
	ctx := context.Background()

	for g, err := range client.Rivers.AllGroups(ctx, nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(g.ID, g.Name)
	}
	rivers, _, err := client.Rivers.List(ctx, &rivery.ListRiversOptions{GroupName: "Finance"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(rivers), rivers[0].Name)
	// Output:
	// 65aa00000000000000000002 Finance
	// 65aa00000000000000000003 Marketing
	// 1 ledger
}

// A river deleted twice: the second delete is not found (a 404 counts as
// success only on a retry after a lost answer).
func ExampleRiversService_Delete() {
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: "63b724fc690def001131d242", Name: "orders"}))
	defer srv.Close()
	client := srv.ClientV1()
	ctx := context.Background()

	_, err := client.Rivers.Delete(ctx, "63b724fc690def001131d242")
	fmt.Println("first:", err)
	_, err = client.Rivers.Delete(ctx, "63b724fc690def001131d242")
	fmt.Println("second is not found:", errors.Is(err, rivery.ErrNotFound))
	// Output:
	// first: <nil>
	// second is not found: true
}
