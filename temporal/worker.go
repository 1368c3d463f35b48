package riverytemporal

import (
	"context"
	"fmt"

	enumspb "go.temporal.io/api/enums/v1"
	taskqueuepb "go.temporal.io/api/taskqueue/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

// DefaultActivitiesPerSecond is the task-queue-wide activity rate NewWorker
// sets when the options leave it zero: 0.25 a second, Rivery's 15 requests
// a minute per user. Each activity makes one request, except FindRunSince
// on more than one page, and CheckRuns, which makes one more for each run
// that may have ended since the last check.
const DefaultActivitiesPerSecond = 0.25

// Registry is where Register puts the workflows and activities: a
// worker.Worker, or a testsuite.TestWorkflowEnvironment.
type Registry interface {
	RegisterWorkflowWithOptions(w any, options workflow.RegisterOptions)
	RegisterActivityWithOptions(a any, options activity.RegisterOptions)
}

// Register registers RunRiver and RunRivers under WorkflowRunRiver and
// WorkflowRunRivers, and a's activities under the Activity* names.
func Register(r Registry, a *Activities) {
	r.RegisterWorkflowWithOptions(RunRiver, workflow.RegisterOptions{Name: WorkflowRunRiver})
	r.RegisterWorkflowWithOptions(RunRivers, workflow.RegisterOptions{Name: WorkflowRunRivers})
	r.RegisterActivityWithOptions(a.TriggerRun, activity.RegisterOptions{Name: ActivityTriggerRun})
	r.RegisterActivityWithOptions(a.GetRun, activity.RegisterOptions{Name: ActivityGetRun})
	r.RegisterActivityWithOptions(a.CancelRun, activity.RegisterOptions{Name: ActivityCancelRun})
	r.RegisterActivityWithOptions(a.FindRunSince, activity.RegisterOptions{Name: ActivityFindRunSince})
	r.RegisterActivityWithOptions(a.CheckRuns, activity.RegisterOptions{Name: ActivityCheckRuns})
}

// WorkerOptions returns opts with TaskQueueActivitiesPerSecond set to
// DefaultActivitiesPerSecond when it is zero. The Temporal server enforces
// that rate across every worker of the task queue, so every worker should
// be given the same value. Lower it when other programs use the same
// Rivery user; raise it only if Rivery raised your limit. The rate holds
// as given only on a task queue of one partition (see ActivityPartitions).
func WorkerOptions(opts worker.Options) worker.Options {
	if opts.TaskQueueActivitiesPerSecond == 0 {
		opts.TaskQueueActivitiesPerSecond = DefaultActivitiesPerSecond
	}
	return opts
}

// NewWorker returns a worker of taskQueue with WorkerOptions(opts) and
// everything registered. Start it with Run or Start.
func NewWorker(c client.Client, taskQueue string, a *Activities, opts worker.Options) worker.Worker {
	w := worker.New(c, taskQueue, WorkerOptions(opts))
	Register(w, a)
	return w
}

// ActivityPartitions returns how many partitions the Temporal server gives
// the activity tasks of taskQueue in namespace ("" is "default"), through
// the WorkflowService's ListTaskQueuePartitions (which counts the write
// partitions).
//
// The server holds each read partition of a task queue to its share of
// TaskQueueActivitiesPerSecond (the rate divided by the number of
// partitions), and each task goes to one partition at random, so a few
// activities at a time get less than the rate: with the server's default 4
// partitions, ten rivers at DefaultActivitiesPerSecond got 9.8 requests a
// minute instead of 15, up to 16 s apart instead of 4. Give the task queue
// one read and one write partition (the dynamic config
// matching.numTaskqueueReadPartitions and
// matching.numTaskqueueWritePartitions, constrained to the namespace and
// task queue); at Rivery's rates one partition is plenty.
func ActivityPartitions(ctx context.Context, c client.Client, namespace, taskQueue string) (int, error) {
	if namespace == "" {
		namespace = client.DefaultNamespace
	}
	resp, err := c.WorkflowService().ListTaskQueuePartitions(ctx, &workflowservice.ListTaskQueuePartitionsRequest{
		Namespace: namespace,
		TaskQueue: &taskqueuepb.TaskQueue{Name: taskQueue, Kind: enumspb.TASK_QUEUE_KIND_NORMAL},
	})
	if err != nil {
		return 0, fmt.Errorf("riverytemporal: listing the partitions of task queue %q: %w", taskQueue, err)
	}
	return len(resp.GetActivityTaskQueuePartitions()), nil
}
