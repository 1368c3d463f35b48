package riverytemporal_test

import (
	"testing"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
	riverytemporal "github.com/rivery-go/rivery/temporal"
	"github.com/rivery-go/rivery/temporal/internal/testkit"
)

// Temporal's loggers already carry RunID (the workflow's run): a log line
// of the module names Rivery's run rivery_run_id, never RunID.
func TestLogsNameRiverysRunApart(t *testing.T) {
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: riverA}))
	t.Cleanup(srv.Close)
	srv.Fail(riverytest.RouteRun, 1, riverytest.Fault{Apply: true, CloseConnection: true}) // the adoption logs too
	logs := &testkit.LogRecorder{}
	env := newEnvLogging(logs)
	riverytemporal.Register(env, &riverytemporal.Activities{Client: srv.ClientV1()})
	env.ExecuteWorkflow(riverytemporal.WorkflowRunRiver, riverytemporal.RunRiverInput{RiverID: riverA})
	var run rivery.Run
	if err := env.GetWorkflowResult(&run); err != nil {
		t.Fatal(err)
	}
	named := logs.CheckRunIDs(t, run.ID)
	for _, r := range logs.Module() {
		if rivers := r.Values("rivery_river_id"); len(rivers) != 1 || rivers[0] != riverA {
			t.Errorf("%q: rivery_river_id %v, want %s", r.Msg, rivers, riverA)
		}
	}
	// Found, adopted and followed: three lines name the run.
	if named < 3 {
		t.Errorf("%d log lines name Rivery's run, want at least 3", named)
	}
}
