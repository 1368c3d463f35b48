package rivery_test

import (
	"context"
	"fmt"
	"log"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
)

// Change a river's variables and definition safely (README "Connections,
// variables and river definitions"), on the fake Rivery.
func Example_manageRivers() {
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: "63b724fc690def001131d242", Name: "orders"}))
	defer srv.Close()
	seed := make([]riverytest.RiverVariable, 45) // more than one page of 20
	for i := range seed {
		seed[i] = riverytest.RiverVariable{Name: fmt.Sprintf("var_%02d", i), Value: "x"}
	}
	srv.SetRiverVariables("63b724fc690def001131d242", seed...)
	client := srv.ClientV1()
	ctx := context.Background()
	riverID := "63b724fc690def001131d242"

	// Change two of a river's variables and keep all the others: Set reads every
	// page, merges, and fails with ErrConcurrentChange if the set moved meanwhile.
	vars, err := client.RiverVariables.Set(ctx, riverID,
		&rivery.RiverVariable{Name: "start_date", Value: "2026-01-01"},
		&rivery.RiverVariable{Name: "regions", Value: []string{"eu", "us"}},
	)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(vars), "variables")

	// Edit a river's definition: read, edit, and write back only if nobody
	// changed the river in between.
	def, err := client.Rivers.Update(ctx, riverID, func(d *rivery.RiverDefinition) error {
		d.SetDescription("nightly orders load")
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: %s\n", def.Name(), def.Description())
	// Output:
	// 47 variables
	// orders: nightly orders load
}

// Connections print without their credentials.
func ExampleConnectionsService_Get() {
	srv := riverytest.NewServer(riverytest.WithConnection(riverytest.Connection{
		ID: "66a1b2c3d4e5f60718293a4b", Name: "orders db", Type: "postgres", TypeName: "PostgreSQL",
		Settings: map[string]any{"host": "db.example.com", "password": "hunter2"},
	}))
	defer srv.Close()
	client := srv.ClientV1()

	conn, _, err := client.Connections.Get(context.Background(), "66a1b2c3d4e5f60718293a4b")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(conn)
	// Output: Connection{ID:66a1b2c3d4e5f60718293a4b Name:"orders db" Type:postgres TypeName:"PostgreSQL"}
}

// Deleting an environment variable that is not set is an error, not a
// silent success.
func ExampleVariablesService_Delete() {
	srv := riverytest.NewServer(riverytest.WithVariables(map[string]string{"TARGET_SCHEMA": "analytics"}))
	defer srv.Close()
	client := srv.ClientV1()
	ctx := context.Background()

	_, err := client.Variables.Delete(ctx, "TARGET_SCHEMA") // one DELETE
	fmt.Println("delete:", err)
	// The API answers success for a name it does not have: List tells what
	// is set.
	vars, _, _ := client.Variables.List(ctx)
	_, still := vars["TARGET_SCHEMA"]
	fmt.Println("still set:", still)
	// Output:
	// delete: <nil>
	// still set: false
}
