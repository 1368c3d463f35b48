// Package testkit holds what the temporal module's tests and its
// integration tests (temporal/integration, a module of its own) share: a
// logger that keeps what it is given, the check of the module's log keys,
// and the replay and saving of workflow histories.
package testkit

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"

	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
	"google.golang.org/protobuf/encoding/protojson"

	riverytemporal "github.com/rivery-go/rivery/temporal"
)

// LogRecord is one line a logger was given.
type LogRecord struct {
	Msg     string
	Keyvals []any
}

// Values returns the values logged under key, in order.
func (r LogRecord) Values(key string) []any {
	var out []any
	for i := 0; i+1 < len(r.Keyvals); i += 2 {
		if r.Keyvals[i] == key {
			out = append(out, r.Keyvals[i+1])
		}
	}
	return out
}

// LogRecorder is a Temporal log.Logger that keeps every line. Its zero
// value is ready.
type LogRecorder struct {
	mu      sync.Mutex
	records []LogRecord
}

func (l *LogRecorder) add(msg string, keyvals []any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.records = append(l.records, LogRecord{msg, keyvals})
}

// Debug keeps a line.
func (l *LogRecorder) Debug(msg string, keyvals ...any) { l.add(msg, keyvals) }

// Info keeps a line.
func (l *LogRecorder) Info(msg string, keyvals ...any) { l.add(msg, keyvals) }

// Warn keeps a line.
func (l *LogRecorder) Warn(msg string, keyvals ...any) { l.add(msg, keyvals) }

// Error keeps a line.
func (l *LogRecorder) Error(msg string, keyvals ...any) { l.add(msg, keyvals) }

// Module returns the lines of the module (their message starts "rivery:").
func (l *LogRecorder) Module() []LogRecord {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []LogRecord
	for _, r := range l.records {
		if strings.HasPrefix(r.Msg, "rivery:") {
			out = append(out, r)
		}
	}
	return out
}

// CheckRunIDs fails t for a line of the module that logs RunID more than
// once (Temporal's loggers add the workflow's: Rivery's run is
// rivery_run_id) or names another Rivery run than runID. It returns how
// many lines named runID.
func (l *LogRecorder) CheckRunIDs(t testing.TB, runID string) int {
	t.Helper()
	named := 0
	for _, r := range l.Module() {
		if ids := r.Values("RunID"); len(ids) > 1 {
			t.Errorf("%q logs RunID %d times: %v", r.Msg, len(ids), r.Keyvals)
		}
		for _, id := range r.Values("rivery_run_id") {
			named++
			if id != runID {
				t.Errorf("%q: rivery_run_id %v, want %s", r.Msg, id, runID)
			}
		}
	}
	return named
}

// Replay replays h with RunRiver and RunRivers registered, as the workflow
// execution it records (its ID and run ID, from its first event; the
// replayer's own ID if it names none): RunRivers names its children after
// its own ID, so a history replayed under another ID fails.
func Replay(h *historypb.History) error {
	// No deadlock detection: a loaded machine may take over its 1 s.
	r, err := worker.NewWorkflowReplayerWithOptions(worker.WorkflowReplayerOptions{DisableDeadlockDetection: true})
	if err != nil {
		return err
	}
	r.RegisterWorkflowWithOptions(riverytemporal.RunRiver, workflow.RegisterOptions{Name: riverytemporal.WorkflowRunRiver})
	r.RegisterWorkflowWithOptions(riverytemporal.RunRivers, workflow.RegisterOptions{Name: riverytemporal.WorkflowRunRivers})
	logger := log.NewStructuredLogger(slog.New(slog.DiscardHandler))
	exec := Execution(h)
	if exec.ID == "" {
		return r.ReplayWorkflowHistory(logger, h)
	}
	return r.ReplayWorkflowHistoryWithOptions(logger, h, worker.ReplayWorkflowHistoryOptions{OriginalExecution: exec})
}

// Execution returns the workflow execution a history records, from its
// WorkflowExecutionStarted event (empty if the server did not say).
func Execution(h *historypb.History) workflow.Execution {
	if len(h.GetEvents()) == 0 {
		return workflow.Execution{}
	}
	a := h.GetEvents()[0].GetWorkflowExecutionStartedEventAttributes()
	return workflow.Execution{ID: a.GetWorkflowId(), RunID: a.GetOriginalExecutionRunId()}
}

// WriteHistory writes h to path as `temporal workflow show --output json`
// does, indented afresh (protojson varies its spacing from build to build),
// so that a rewrite changes only what changed.
func WriteHistory(path string, h *historypb.History) error {
	b, err := protojson.Marshal(h)
	if err != nil {
		return err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		return err
	}
	out.WriteByte('\n')
	return os.WriteFile(path, out.Bytes(), 0o600)
}
