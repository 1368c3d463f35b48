// Package riverytemporal runs Rivery rivers from Temporal workflows: waits
// that survive worker restarts, one rate limit shared by every worker, and
// run triggers that stay exactly-once when a worker dies mid-call.
//
// It lives in its own module (github.com/rivery-go/rivery/temporal), so the
// core SDK does not depend on Temporal.
//
// # Pieces
//
//   - Activities wraps a *rivery.Client: TriggerRun, GetRun, CancelRun,
//     FindRunSince (the recovery lookup) and CheckRuns (every run in
//     progress at once).
//   - RunRiver is a workflow: trigger a river, poll its run with durable
//     timers between GetRun activities (no sleeping activity), cancel the
//     run on Rivery when the workflow is canceled, and return the final
//     run. A run that does not succeed fails the workflow with an error
//     naming the river and the run, the run attached as its details.
//   - RunRivers is a workflow over a list or a small DAG of rivers, at most
//     Concurrency at a time; every river's outcome is reported. A RunRiver
//     child triggers each river (TriggerOnly), and RunRivers follows every
//     run in progress with one CheckRuns activity per interval: one GET
//     E/activities for all of them, then GetRun only for the runs that may
//     have ended.
//   - Register and NewWorker wire them into a worker.
//
// # Exactly-once triggers
//
// The trigger activity is never retried blindly once it may have reached
// Rivery. It is retried only when Rivery provably did not start a run: a
// 429 answer (after the server's Retry-After) or a connection that never
// reached the server. Any other failure is non-retryable, and so are a
// lost worker (StartToClose or heartbeat timeout) and a panic. When the
// outcome is unknown (the worker was lost, the connection was cut after
// the request was sent, a 5xx answer), RunRiver runs FindRunSince over the
// window since the trigger was scheduled (widened by RunRiverInput's
// ClockSkew) and adopts the run it finds; only when none is found does it
// trigger again.
//
// The limit: Rivery cannot tell which trigger started a run. A run of the
// same river started in that window by anything else (its schedule, the
// console, another program) is adopted as if this workflow had started it,
// and then no run of this workflow's own is started; so is the run of
// another workflow triggering the same river at the same time (the same
// river under two names of one RunRivers DAG included). Keep rivers that
// RunRiver triggers off Rivery's own schedule and out of concurrent
// workflows, or accept that such a run counts.
//
// A second limit: a trigger that is still on its way to Rivery when the
// lookup runs (a worker stalled, not dead, past its StartToClose timeout)
// is not found, and the run it starts is not this workflow's. Keep the
// client's timeout (rivery.WithTimeout) below RunRiverInput's
// ActivityTimeout so an activity gives up before Temporal does.
//
// # Rate limits
//
// Rivery allows about 15 API requests a minute per user, and 2 runs a
// minute per river. Every Rivery call here is made by an activity, so
// Temporal's task-queue-wide activity rate limit (worker.Options
// TaskQueueActivitiesPerSecond) holds every worker polling the task queue
// to one shared budget (a CheckRuns activity makes one request more for
// each run that may have ended since the last check). NewWorker sets it to DefaultActivitiesPerSecond
// (0.25 a second, that is 15 a minute) unless the options set it. Use a
// task queue of its own for these activities, per Rivery user (token), and
// give it one partition: the server splits the rate among a task queue's
// partitions, and with its default of 4 the rivers get about two thirds of
// it (see ActivityPartitions). A 429 answer still gets through (another
// program of the same user, a burst, Rivery's 2 runs a minute per river):
// it becomes an activity retry after the server's Retry-After.
package riverytemporal
