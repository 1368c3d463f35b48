package integration_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
	"google.golang.org/protobuf/encoding/protojson"

	riverytemporal "github.com/rivery-go/rivery/temporal"
)

var update = flag.Bool("update", false, "write the histories of the real server to ../testdata/replay, for the temporal module's replay tests")

// saveHistory replays a history the server recorded under the workflow ID
// and run ID it records, failing on a non-determinism error, and with
// -update writes it to the temporal module's testdata/replay.
func saveHistory(t *testing.T, name string, h *historypb.History) {
	t.Helper()
	r, err := worker.NewWorkflowReplayerWithOptions(worker.WorkflowReplayerOptions{DisableDeadlockDetection: true})
	if err != nil {
		t.Fatal(err)
	}
	r.RegisterWorkflowWithOptions(riverytemporal.RunRiver, workflow.RegisterOptions{Name: riverytemporal.WorkflowRunRiver})
	r.RegisterWorkflowWithOptions(riverytemporal.RunRivers, workflow.RegisterOptions{Name: riverytemporal.WorkflowRunRivers})
	started := h.GetEvents()[0].GetWorkflowExecutionStartedEventAttributes()
	exec := workflow.Execution{ID: started.GetWorkflowId(), RunID: started.GetOriginalExecutionRunId()}
	if exec.ID == "" {
		t.Fatalf("the server's history does not name its workflow: %v", started)
	}
	logger := log.NewStructuredLogger(slog.New(slog.DiscardHandler))
	if err := r.ReplayWorkflowHistoryWithOptions(logger, h, worker.ReplayWorkflowHistoryOptions{OriginalExecution: exec}); err != nil {
		t.Fatalf("replay of the server's history of %s: %v", exec.ID, err)
	}
	if !*update {
		return
	}
	b, err := protojson.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		t.Fatal(err)
	}
	out.WriteByte('\n')
	if err := os.WriteFile(filepath.Join("..", "testdata", "replay", name+".json"), out.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}
