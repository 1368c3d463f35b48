package riverytemporal_test

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	failurepb "go.temporal.io/api/failure/v1"
	historypb "go.temporal.io/api/history/v1"
	taskqueuepb "go.temporal.io/api/taskqueue/v1"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
	riverytemporal "github.com/rivery-go/rivery/temporal"
	"github.com/rivery-go/rivery/temporal/internal/testkit"
)

var update = flag.Bool("update", false, "rewrite the recorded histories in testdata/replay")

// step is one command of a recorded RunRiver and what answered it.
type step struct {
	activityID, activityType string // an activity, or
	childID, childType       string // a child workflow, or
	timerID                  string // a timer
	timer                    time.Duration
	result                   *commonpb.Payloads
	failure                  *failurepb.Failure
}

// recorder turns what the test environment reports about a sequential
// workflow (one command per workflow task) into a history.
type recorder struct {
	t      *testing.T
	id     string // the workflow ID
	steps  []step
	timers map[string]time.Duration
}

// record records the activities and timers of the workflow f runs next,
// as the workflow execution id.
func record(t *testing.T, f *fixture, id string) *recorder {
	r := &recorder{t: t, id: id, timers: map[string]time.Duration{}}
	f.env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: id})
	f.env.SetOnActivityCompletedListener(func(info *activity.Info, result converter.EncodedValue, err error) {
		s := step{activityID: info.ActivityID, activityType: info.ActivityType.Name}
		if err != nil {
			s.failure = failureOf(unwrapActivityError(err))
		} else if result != nil && result.HasValue() {
			var run *rivery.Run
			if err := result.Get(&run); err != nil {
				t.Fatal(err)
			}
			s.result = payloads(t, run)
		}
		r.steps = append(r.steps, s)
	})
	f.env.SetOnTimerScheduledListener(func(id string, d time.Duration) { r.timers[id] = d })
	f.env.SetOnTimerFiredListener(func(id string) {
		r.steps = append(r.steps, step{timerID: id, timer: r.timers[id]})
	})
	return r
}

func unwrapActivityError(err error) error {
	var actErr *temporal.ActivityError
	if errors.As(err, &actErr) && actErr.Unwrap() != nil {
		return actErr.Unwrap()
	}
	return err
}

func failureOf(err error) *failurepb.Failure {
	return temporal.GetDefaultFailureConverter().ErrorToFailure(err)
}

func payloads(t *testing.T, v ...any) *commonpb.Payloads {
	t.Helper()
	p, err := converter.GetDefaultDataConverter().ToPayloads(v...)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// history builds the workflow's history from its input, the recorded steps
// and how it ended.
func (r *recorder) history(workflowType string, input any, result *commonpb.Payloads, failure *failurepb.Failure) *historypb.History {
	h := &historypb.History{}
	tq := &taskqueuepb.TaskQueue{Name: "rivery", Kind: enumspb.TASK_QUEUE_KIND_NORMAL}
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	add := func(typ enumspb.EventType, attrs any) int64 {
		id := int64(len(h.Events) + 1)
		e := &historypb.HistoryEvent{EventId: id, EventTime: timestamppb.New(now), EventType: typ}
		switch a := attrs.(type) {
		case *historypb.WorkflowExecutionStartedEventAttributes:
			e.Attributes = &historypb.HistoryEvent_WorkflowExecutionStartedEventAttributes{WorkflowExecutionStartedEventAttributes: a}
		case *historypb.WorkflowTaskScheduledEventAttributes:
			e.Attributes = &historypb.HistoryEvent_WorkflowTaskScheduledEventAttributes{WorkflowTaskScheduledEventAttributes: a}
		case *historypb.WorkflowTaskStartedEventAttributes:
			e.Attributes = &historypb.HistoryEvent_WorkflowTaskStartedEventAttributes{WorkflowTaskStartedEventAttributes: a}
		case *historypb.WorkflowTaskCompletedEventAttributes:
			e.Attributes = &historypb.HistoryEvent_WorkflowTaskCompletedEventAttributes{WorkflowTaskCompletedEventAttributes: a}
		case *historypb.ActivityTaskScheduledEventAttributes:
			e.Attributes = &historypb.HistoryEvent_ActivityTaskScheduledEventAttributes{ActivityTaskScheduledEventAttributes: a}
		case *historypb.ActivityTaskStartedEventAttributes:
			e.Attributes = &historypb.HistoryEvent_ActivityTaskStartedEventAttributes{ActivityTaskStartedEventAttributes: a}
		case *historypb.ActivityTaskCompletedEventAttributes:
			e.Attributes = &historypb.HistoryEvent_ActivityTaskCompletedEventAttributes{ActivityTaskCompletedEventAttributes: a}
		case *historypb.ActivityTaskFailedEventAttributes:
			e.Attributes = &historypb.HistoryEvent_ActivityTaskFailedEventAttributes{ActivityTaskFailedEventAttributes: a}
		case *historypb.TimerStartedEventAttributes:
			e.Attributes = &historypb.HistoryEvent_TimerStartedEventAttributes{TimerStartedEventAttributes: a}
		case *historypb.TimerFiredEventAttributes:
			e.Attributes = &historypb.HistoryEvent_TimerFiredEventAttributes{TimerFiredEventAttributes: a}
		case *historypb.StartChildWorkflowExecutionInitiatedEventAttributes:
			e.Attributes = &historypb.HistoryEvent_StartChildWorkflowExecutionInitiatedEventAttributes{StartChildWorkflowExecutionInitiatedEventAttributes: a}
		case *historypb.ChildWorkflowExecutionStartedEventAttributes:
			e.Attributes = &historypb.HistoryEvent_ChildWorkflowExecutionStartedEventAttributes{ChildWorkflowExecutionStartedEventAttributes: a}
		case *historypb.ChildWorkflowExecutionCompletedEventAttributes:
			e.Attributes = &historypb.HistoryEvent_ChildWorkflowExecutionCompletedEventAttributes{ChildWorkflowExecutionCompletedEventAttributes: a}
		case *historypb.ChildWorkflowExecutionFailedEventAttributes:
			e.Attributes = &historypb.HistoryEvent_ChildWorkflowExecutionFailedEventAttributes{ChildWorkflowExecutionFailedEventAttributes: a}
		case *historypb.WorkflowExecutionCompletedEventAttributes:
			e.Attributes = &historypb.HistoryEvent_WorkflowExecutionCompletedEventAttributes{WorkflowExecutionCompletedEventAttributes: a}
		case *historypb.WorkflowExecutionFailedEventAttributes:
			e.Attributes = &historypb.HistoryEvent_WorkflowExecutionFailedEventAttributes{WorkflowExecutionFailedEventAttributes: a}
		default:
			r.t.Fatalf("no event for %T", attrs)
		}
		h.Events = append(h.Events, e)
		return id
	}
	task := func() int64 {
		sched := add(enumspb.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, &historypb.WorkflowTaskScheduledEventAttributes{
			TaskQueue: tq, StartToCloseTimeout: durationpb.New(10 * time.Second), Attempt: 1})
		start := add(enumspb.EVENT_TYPE_WORKFLOW_TASK_STARTED, &historypb.WorkflowTaskStartedEventAttributes{ScheduledEventId: sched})
		return add(enumspb.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, &historypb.WorkflowTaskCompletedEventAttributes{ScheduledEventId: sched, StartedEventId: start})
	}
	add(enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, &historypb.WorkflowExecutionStartedEventAttributes{
		WorkflowType: &commonpb.WorkflowType{Name: workflowType}, TaskQueue: tq,
		Input: payloads(r.t, input), WorkflowTaskTimeout: durationpb.New(10 * time.Second), Attempt: 1,
		OriginalExecutionRunId: "replay-run", FirstExecutionRunId: "replay-run", WorkflowId: r.id,
	})
	completed := task()
	for _, s := range r.steps {
		if s.childID != "" {
			typ := &commonpb.WorkflowType{Name: s.childType}
			exec := &commonpb.WorkflowExecution{WorkflowId: s.childID, RunId: "run-" + s.childID}
			initiated := add(enumspb.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED, &historypb.StartChildWorkflowExecutionInitiatedEventAttributes{
				Namespace: "default", WorkflowId: s.childID, WorkflowType: typ, TaskQueue: tq, WorkflowTaskCompletedEventId: completed})
			started := add(enumspb.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED, &historypb.ChildWorkflowExecutionStartedEventAttributes{
				Namespace: "default", InitiatedEventId: initiated, WorkflowExecution: exec, WorkflowType: typ})
			task() // the server's task for the child's start: no command
			now = now.Add(time.Minute)
			if s.failure != nil {
				add(enumspb.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED, &historypb.ChildWorkflowExecutionFailedEventAttributes{
					Failure: s.failure, Namespace: "default", WorkflowExecution: exec, WorkflowType: typ,
					InitiatedEventId: initiated, StartedEventId: started, RetryState: enumspb.RETRY_STATE_RETRY_POLICY_NOT_SET})
			} else {
				add(enumspb.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED, &historypb.ChildWorkflowExecutionCompletedEventAttributes{
					Result: s.result, Namespace: "default", WorkflowExecution: exec, WorkflowType: typ,
					InitiatedEventId: initiated, StartedEventId: started})
			}
			completed = task()
			continue
		}
		if s.timerID != "" {
			// The SDK names a timer or an activity after the ID of the
			// event that records it: the test environment's IDs differ.
			id := strconv.Itoa(len(h.Events) + 1)
			started := add(enumspb.EVENT_TYPE_TIMER_STARTED, &historypb.TimerStartedEventAttributes{
				TimerId: id, StartToFireTimeout: durationpb.New(s.timer), WorkflowTaskCompletedEventId: completed})
			now = now.Add(s.timer)
			add(enumspb.EVENT_TYPE_TIMER_FIRED, &historypb.TimerFiredEventAttributes{TimerId: id, StartedEventId: started})
			completed = task()
			continue
		}
		sched := add(enumspb.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, &historypb.ActivityTaskScheduledEventAttributes{
			ActivityId: strconv.Itoa(len(h.Events) + 1), ActivityType: &commonpb.ActivityType{Name: s.activityType}, TaskQueue: tq,
			StartToCloseTimeout: durationpb.New(time.Minute), WorkflowTaskCompletedEventId: completed})
		start := add(enumspb.EVENT_TYPE_ACTIVITY_TASK_STARTED, &historypb.ActivityTaskStartedEventAttributes{ScheduledEventId: sched, Attempt: 1})
		now = now.Add(time.Second)
		if s.failure != nil {
			add(enumspb.EVENT_TYPE_ACTIVITY_TASK_FAILED, &historypb.ActivityTaskFailedEventAttributes{
				Failure: s.failure, ScheduledEventId: sched, StartedEventId: start, RetryState: enumspb.RETRY_STATE_NON_RETRYABLE_FAILURE})
		} else {
			add(enumspb.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, &historypb.ActivityTaskCompletedEventAttributes{
				Result: s.result, ScheduledEventId: sched, StartedEventId: start})
		}
		completed = task()
	}
	if failure != nil {
		add(enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED, &historypb.WorkflowExecutionFailedEventAttributes{
			Failure: failure, RetryState: enumspb.RETRY_STATE_RETRY_POLICY_NOT_SET, WorkflowTaskCompletedEventId: completed})
	} else {
		add(enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, &historypb.WorkflowExecutionCompletedEventAttributes{
			Result: result, WorkflowTaskCompletedEventId: completed})
	}
	return h
}

func replay(t *testing.T, h *historypb.History) error {
	t.Helper()
	return testkit.Replay(h)
}

// RunRiver's histories, recorded from the test environment, replay without
// a non-determinism error; so do the ones saved in testdata/replay by
// earlier versions (go test -update rewrites them).
func TestReplayRunRiverHistories(t *testing.T) {
	for _, tc := range []struct {
		name  string
		river riverytest.River
		fault *riverytest.Fault
	}{
		{"succeeded", riverytest.River{ID: riverA, Polls: 3}, nil},
		{"failed", riverytest.River{ID: riverA, Outcome: "failed", Message: "target table locked"}, nil},
		{"recovered", riverytest.River{ID: riverA}, &riverytest.Fault{Apply: true, CloseConnection: true}},
		{"triggered-again", riverytest.River{ID: riverA}, &riverytest.Fault{CloseConnection: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, nil, tc.river)
			if tc.fault != nil {
				f.srv.Fail(riverytest.RouteRun, 1, *tc.fault)
			}
			rec := record(t, f, "runriver-"+tc.name)
			in := riverytemporal.RunRiverInput{RiverID: tc.river.ID}
			f.env.ExecuteWorkflow(riverytemporal.WorkflowRunRiver, in)
			var result *commonpb.Payloads
			var failure *failurepb.Failure
			if err := f.env.GetWorkflowError(); err != nil {
				failure = failureOf(errors.Unwrap(err))
			} else {
				var run *rivery.Run
				if err := f.env.GetWorkflowResult(&run); err != nil {
					t.Fatal(err)
				}
				result = payloads(t, run)
			}
			h := rec.history(riverytemporal.WorkflowRunRiver, in, result, failure)
			if err := replay(t, h); err != nil {
				t.Fatalf("replay of the recorded history: %v\nworkflow error: %v\nsteps: %+v", err, f.env.GetWorkflowError(), rec.steps)
			}
			save(t, "runriver-"+tc.name, h)
		})
	}
}

// recordChildren records the child workflows of a RunRivers that runs
// one river at a time, as the workflow execution id (its children's IDs
// derive from it).
func recordChildren(t *testing.T, f *fixture, id string) *recorder {
	r := &recorder{t: t, id: id, timers: map[string]time.Duration{}}
	f.env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: id})
	f.env.SetOnChildWorkflowCompletedListener(func(info *workflow.Info, result converter.EncodedValue, err error) {
		s := step{childID: info.WorkflowExecution.ID, childType: info.WorkflowType.Name}
		if err != nil {
			var childErr *temporal.ChildWorkflowExecutionError
			if errors.As(err, &childErr) && childErr.Unwrap() != nil {
				err = childErr.Unwrap()
			}
			s.failure = failureOf(err)
		} else if result != nil && result.HasValue() {
			var run *rivery.Run
			if err := result.Get(&run); err != nil {
				t.Fatal(err)
			}
			s.result = payloads(t, run)
		}
		r.steps = append(r.steps, s)
	})
	return r
}

// RunRivers' histories from before shared polling (one river at a time, so
// one command per workflow task) replay too.
func TestReplayRunRiversHistories(t *testing.T) {
	for _, tc := range []struct {
		name  string
		nodes []riverytemporal.RiverNode
	}{
		{"list", []riverytemporal.RiverNode{{RiverID: riverA}, {RiverID: riverE}}},
		{"dag-failing-branch", []riverytemporal.RiverNode{
			{Name: "extract", RiverID: riverA},
			{Name: "load", RiverID: riverB, After: []string{"extract"}},
			{Name: "report", RiverID: riverC, After: []string{"load"}},
			{Name: "audit", RiverID: riverE},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, nil, riverytest.River{ID: riverA}, riverytest.River{ID: riverB, Outcome: "failed"},
				riverytest.River{ID: riverC}, riverytest.River{ID: riverE})
			rec := recordChildren(t, f, "runrivers-"+tc.name)
			// The histories of RunRivers before shared polling, which
			// running workflows may still have: every river a whole
			// RunRiver child. (The real server's history of shared polling
			// comes from temporal/integration.)
			f.env.OnGetVersion("rivery.shared-polling", workflow.DefaultVersion, 1).Return(workflow.DefaultVersion)
			in := riverytemporal.RunRiversInput{Rivers: tc.nodes, Concurrency: 1}
			f.env.ExecuteWorkflow(riverytemporal.WorkflowRunRivers, in)
			var result *commonpb.Payloads
			var failure *failurepb.Failure
			if err := f.env.GetWorkflowError(); err != nil {
				failure = failureOf(errors.Unwrap(err))
			} else {
				var res *riverytemporal.RunRiversResult
				if err := f.env.GetWorkflowResult(&res); err != nil {
					t.Fatal(err)
				}
				result = payloads(t, res)
			}
			h := rec.history(riverytemporal.WorkflowRunRivers, in, result, failure)
			if err := replay(t, h); err != nil {
				t.Fatalf("replay of the recorded history: %v\nworkflow error: %v\nsteps: %+v", err, f.env.GetWorkflowError(), rec.steps)
			}
			save(t, "runrivers-"+tc.name, h)
		})
	}
}

// save writes h to testdata/replay when the test runs with -update.
func save(t *testing.T, name string, h *historypb.History) {
	t.Helper()
	if !*update {
		return
	}
	if err := testkit.WriteHistory(filepath.Join("testdata", "replay", name+".json"), h); err != nil {
		t.Fatal(err)
	}
}

// The saved histories replay on the current code: a change that would
// break running workflows fails here.
func TestReplaySavedHistories(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "replay", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no saved histories (%v): run go test -update", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			// client.HistoryFromJSON also reads what `temporal workflow show
			// --output json` prints: a history from a real server can be
			// dropped in here.
			fh, err := os.Open(file)
			if err != nil {
				t.Fatal(err)
			}
			h, err := client.HistoryFromJSON(fh, client.HistoryJSONOptions{})
			_ = fh.Close()
			if err != nil {
				t.Fatal(err)
			}
			if err := replay(t, h); err != nil {
				t.Fatalf("replay: %v", err)
			}
		})
	}
}
