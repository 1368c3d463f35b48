package integration_test

import (
	"flag"
	"path/filepath"
	"testing"

	historypb "go.temporal.io/api/history/v1"

	"github.com/rivery-go/rivery/temporal/internal/testkit"
)

var update = flag.Bool("update", false, "write the histories of the real server to ../testdata/replay, for the temporal module's replay tests")

// saveHistory replays a history the server recorded under the workflow ID
// and run ID it records, failing on a non-determinism error, and with
// -update writes it to the temporal module's testdata/replay.
func saveHistory(t *testing.T, name string, h *historypb.History) {
	t.Helper()
	if id := testkit.Execution(h).ID; id == "" {
		t.Fatalf("the server's history does not name its workflow: %v", h.GetEvents()[0])
	}
	if err := testkit.Replay(h); err != nil {
		t.Fatalf("replay of the server's history: %v", err)
	}
	if !*update {
		return
	}
	if err := testkit.WriteHistory(filepath.Join("..", "testdata", "replay", name+".json"), h); err != nil {
		t.Fatal(err)
	}
}
