package rivery_test

import (
	"context"
	"testing"

	"github.com/rivery-go/rivery/riverytest"
)

// The example of docs/wire.md, line for line.

func TestReportAgainstDriftedAnswers(t *testing.T) {
	// Optional fields come as "True", "1", numeric strings, zone-less and epoch
	// times and {"$oid"} IDs, answer after answer, as the live API sends them.
	srv := riverytest.NewServer(riverytest.WithDrift(),
		riverytest.WithRiver(riverytest.River{ID: "63b724fc690def001131d242", Name: "orders", Schedule: "0 3 * * *"}))
	defer srv.Close()

	rivers, _, err := srv.ClientV1().Rivers.List(context.Background(), nil)
	if err != nil || len(rivers) != 1 || rivers[0].Name != "orders" {
		t.Fatalf("List = %v, %v", rivers, err)
	}
}
