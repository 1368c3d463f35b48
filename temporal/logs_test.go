package riverytemporal_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/worker"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
	riverytemporal "github.com/rivery-go/rivery/temporal"
)

// logRecord is one line a logger was given.
type logRecord struct {
	msg     string
	keyvals []any
}

// values returns the values logged under key, in order.
func (r logRecord) values(key string) []any {
	var out []any
	for i := 0; i+1 < len(r.keyvals); i += 2 {
		if r.keyvals[i] == key {
			out = append(out, r.keyvals[i+1])
		}
	}
	return out
}

// logRecorder is a Temporal log.Logger that keeps every line.
type logRecorder struct {
	mu      sync.Mutex
	records []logRecord
}

func (l *logRecorder) add(msg string, keyvals []any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.records = append(l.records, logRecord{msg, keyvals})
}

func (l *logRecorder) Debug(msg string, keyvals ...any) { l.add(msg, keyvals) }
func (l *logRecorder) Info(msg string, keyvals ...any)  { l.add(msg, keyvals) }
func (l *logRecorder) Warn(msg string, keyvals ...any)  { l.add(msg, keyvals) }
func (l *logRecorder) Error(msg string, keyvals ...any) { l.add(msg, keyvals) }

// Temporal's loggers already carry RunID (the workflow's run): a log line
// of the module names Rivery's run rivery_run_id, never RunID.
func TestLogsNameRiverysRunApart(t *testing.T) {
	srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: riverA}))
	t.Cleanup(srv.Close)
	srv.Fail(riverytest.RouteRun, 1, riverytest.Fault{Apply: true, CloseConnection: true}) // the adoption logs too
	logs := &logRecorder{}
	var suite testsuite.WorkflowTestSuite
	suite.SetLogger(logs)
	env := suite.NewTestWorkflowEnvironment()
	env.SetTestTimeout(5 * time.Minute)
	env.SetWorkerOptions(worker.Options{DeadlockDetectionTimeout: 5 * time.Minute})
	riverytemporal.Register(env, &riverytemporal.Activities{Client: srv.ClientV1()})
	env.ExecuteWorkflow(riverytemporal.WorkflowRunRiver, riverytemporal.RunRiverInput{RiverID: riverA})
	var run rivery.Run
	if err := env.GetWorkflowResult(&run); err != nil {
		t.Fatal(err)
	}
	named := 0
	for _, r := range logs.records {
		if !strings.HasPrefix(r.msg, "rivery:") {
			continue
		}
		if ids := r.values("RunID"); len(ids) > 1 {
			t.Errorf("%q logs RunID %d times: %v", r.msg, len(ids), r.keyvals)
		}
		for _, id := range r.values("rivery_run_id") {
			named++
			if id != run.ID {
				t.Errorf("%q: rivery_run_id %v, want %s", r.msg, id, run.ID)
			}
		}
		if rivers := r.values("rivery_river_id"); len(rivers) != 1 || rivers[0] != riverA {
			t.Errorf("%q: rivery_river_id %v, want %s", r.msg, rivers, riverA)
		}
	}
	// Found, adopted and followed: three lines name the run.
	if named < 3 {
		t.Errorf("%d log lines name Rivery's run, want at least 3", named)
	}
}
