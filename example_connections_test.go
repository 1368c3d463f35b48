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

// A connection that signs in with a key: the type says it takes a file,
// the key is uploaded, and the connection is updated with its path. An
// update replaces the whole connection, so it is sent with every setting.
func ExampleConnectionsService_UploadKeyFile() {
	srv := riverytest.NewServer()
	defer srv.Close()
	conn := srv.AddConnection(riverytest.Connection{Name: "orders db", Type: "postgres"})
	client := srv.ClientV1()
	ctx := context.Background()

	ct, _, err := client.Connections.ConnectionType(ctx, "postgres")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ct.Name, "takes a key file:", ct.HasKeyFile)

	key := []byte("-----BEGIN OPENSSH PRIVATE KEY-----\n...\n-----END OPENSSH PRIVATE KEY-----\n")
	kf, _, err := client.Connections.UploadKeyFile(ctx, "postgres", "bastion.pem", key)
	if err != nil {
		log.Fatal(err)
	}
	updated, _, err := client.Connections.Update(ctx, conn.ID, &rivery.ConnectionRequest{Name: "orders db", Type: "postgres", Settings: map[string]any{
		"host": "db.example.com", "port": 5432, "user_name": "loader", "password": "s3cret",
		"ssh_pkey_file_path": kf.Path,
	}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(updated.Name, "updated") // credentials never print
	// Output:
	// PostgreSQL takes a key file: true
	// orders db updated
}

// A connection's tables, one schema's, every page.
func ExampleConnectionsService_AllTables() {
	srv := riverytest.NewServer()
	defer srv.Close()
	conn := srv.AddConnection(riverytest.Connection{Name: "orders db"})
	client := srv.ClientV1()

	opts := &rivery.ConnectionTablesOptions{SchemaName: "public"}
	for t, err := range client.Connections.AllTables(context.Background(), conn.ID, opts) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(t.Schema + "." + t.Name)
	}
	// Output:
	// public.customers
	// public.orders
}

// A metadata pull started, then stopped: CancelPull names the operation
// StartPull returned.
func ExampleConnectionsService_CancelPull() {
	srv := riverytest.NewServer()
	defer srv.Close()
	conn := srv.AddConnection(riverytest.Connection{Name: "orders db"})
	client := srv.ClientV1()
	ctx := context.Background()

	op, _, err := client.Connections.StartPull(ctx, &rivery.PullRequest{ConnectionID: conn.ID, DatasourceID: "postgresql"})
	if err != nil {
		log.Fatal(err)
	}
	if _, _, err := client.Connections.CancelPull(ctx, op.ID); err != nil {
		log.Fatal(err)
	}
	_, err = client.Connections.WaitForPull(ctx, op, nil)
	var opErr *rivery.OperationError
	fmt.Println("ended in error:", errors.As(err, &opErr))
	// Output:
	// ended in error: true
}

// The sections the console sorts sources into, and the sources of each.
func ExampleConnectionsService_SourceSections() {
	srv := riverytest.NewServer()
	defer srv.Close()
	client := srv.ClientV1()

	for s, err := range client.Connections.SourceSections(context.Background(), &rivery.SourceSectionsOptions{Segment: "source"}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(s.Name, s.SourceTypes)
	}
	// Output:
	// Databases [postgresql mysql]
	// E-Commerce [shopify]
}

// An environment renamed; the fields left empty are not sent.
func ExampleEnvironmentsService_Update() {
	srv := riverytest.NewServer()
	defer srv.Close()
	client := srv.ClientV1()
	ctx := context.Background()

	env, _, err := client.Environments.Create(ctx, &rivery.CreateEnvironmentRequest{Name: "staging"})
	if err != nil {
		log.Fatal(err)
	}
	if _, _, err := client.Environments.Update(ctx, env.ID, &rivery.UpdateEnvironmentRequest{Name: "qa"}); err != nil {
		log.Fatal(err)
	}
	got, _, err := client.Environments.Get(ctx, env.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(got.Name)
	// Output: qa
}

// One audit event read again by its ID.
func ExampleAuditEventsService_Get() {
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: "63b724fc690def001131d242", Name: "orders"}))
	defer srv.Close()
	client := srv.ClientV1()
	ctx := context.Background()

	if _, err := client.Rivers.Delete(ctx, "63b724fc690def001131d242"); err != nil {
		log.Fatal(err)
	}
	opts := &rivery.AuditEventsOptions{Start: time.Now().Add(-time.Hour), End: time.Now(), EntityTypes: []string{"rivers"}}
	events, _, err := client.AuditEvents.List(ctx, opts)
	if err != nil || len(events) == 0 {
		log.Fatal(events, err)
	}
	e, _, err := client.AuditEvents.Get(ctx, events[0].ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(e.Name, e.EntityKey)
	// Output: delete:rivers 63b724fc690def001131d242
}
