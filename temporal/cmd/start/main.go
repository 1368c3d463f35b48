// Command start starts RunRiver (one river) or RunRivers (several) on a
// Temporal server and waits for the result.
//
//	start [-chain] [-concurrency N] [-id WORKFLOW_ID]
//	      [-poll-interval 30s] [-max-poll-interval 5m] [RIVER ...]
//
// Each RIVER is a river ID or its console URL; with none, RIVERY_RIVER_ID
// is used. -chain runs the rivers one after the other, each after the one
// before it succeeded; otherwise they run side by side, at most
// -concurrency at a time. A workflow ID (-id) makes a second start of the
// same ID fail instead of running the rivers twice. -poll-interval is the
// first wait between two status calls of a run (of two checks of every
// run in progress, with several rivers); it doubles up to
// -max-poll-interval. A run's end is noticed up to one wait late, and every
// status call or check spends at least one request of Rivery's budget
// (about 15 a minute per user, shared by every river of the task queue).
//
// Environment: RIVERY_RIVER_ID, RIVERY_TASK_QUEUE (default "rivery"),
// TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE (default localhost:7233,
// "default").
//
// Exit status:
//
//	0    every river succeeded
//	1    the workflow failed: a run did not succeed, or could not be started
//	     or followed (a refused trigger, say); terminated or timed out too
//	2    usage error, or Temporal could not be reached: the outcome is unknown
//	3    the workflow was canceled (its runs were canceled on Rivery)
//	130  interrupted (Ctrl-C) while waiting: the workflow goes on
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/rivery-go/rivery"
	riverytemporal "github.com/rivery-go/rivery/temporal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, client.Dial)
	stop()
	os.Exit(code)
}

// dialer connects to Temporal: client.Dial, or a fake in tests.
type dialer func(client.Options) (client.Client, error)

// Exit statuses (see the command's documentation).
const (
	exitSucceeded   = 0
	exitFailed      = 1
	exitUsage       = 2
	exitCanceled    = 3
	exitInterrupted = 130 // 128 + SIGINT, as a shell reports it
)

func run(ctx context.Context, args []string, stdout, stderr io.Writer, dial dialer) int {
	fs := flag.NewFlagSet("start", flag.ContinueOnError)
	fs.SetOutput(stderr)
	chain := fs.Bool("chain", false, "run the rivers one after the other")
	concurrency := fs.Int("concurrency", 0, "how many rivers run at once (default 2)")
	id := fs.String("id", "", "workflow ID (default: rivery-<river>-<time>)")
	minPoll := fs.Duration("poll-interval", riverytemporal.DefaultMinPollInterval, "first wait between two status calls of a run; it doubles up to -max-poll-interval")
	maxPoll := fs.Duration("max-poll-interval", riverytemporal.DefaultMaxPollInterval, "longest wait between two status calls of a run")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if *minPoll <= 0 || *maxPoll < *minPoll {
		fmt.Fprintf(stderr, "start: -poll-interval %v must be positive and at most -max-poll-interval %v\n", *minPoll, *maxPoll)
		return exitUsage
	}
	rivers, err := riverIDs(fs.Args())
	if err != nil {
		fmt.Fprintln(stderr, "start:", err)
		return exitUsage
	}
	c, err := dial(client.Options{HostPort: os.Getenv("TEMPORAL_ADDRESS"), Namespace: os.Getenv("TEMPORAL_NAMESPACE")})
	if err != nil {
		fmt.Fprintln(stderr, "start: connecting to Temporal:", err)
		return exitUsage
	}
	defer c.Close()
	opts := client.StartWorkflowOptions{ID: *id, TaskQueue: envOr("RIVERY_TASK_QUEUE", "rivery")}
	if opts.ID == "" {
		opts.ID = "rivery-" + rivers[0] + "-" + time.Now().UTC().Format("20060102T150405Z")
	}
	poll := riverytemporal.RunRiverInput{MinPollInterval: *minPoll, MaxPollInterval: *maxPoll}
	var wf client.WorkflowRun
	if len(rivers) == 1 {
		in := poll
		in.RiverID = rivers[0]
		wf, err = c.ExecuteWorkflow(ctx, opts, riverytemporal.WorkflowRunRiver, in)
	} else {
		in := riverytemporal.RunRiversInput{Concurrency: *concurrency, Run: poll}
		for i, r := range rivers {
			node := riverytemporal.RiverNode{Name: fmt.Sprintf("%d-%s", i+1, r), RiverID: r}
			if *chain && i > 0 {
				node.After = []string{in.Rivers[i-1].Name}
			}
			in.Rivers = append(in.Rivers, node)
		}
		wf, err = c.ExecuteWorkflow(ctx, opts, riverytemporal.WorkflowRunRivers, in)
	}
	if err != nil {
		fmt.Fprintln(stderr, "start:", err)
		return exitUsage
	}
	fmt.Fprintf(stdout, "started workflow %s (run %s) on task queue %s\n", wf.GetID(), wf.GetRunID(), opts.TaskQueue)
	return report(ctx, wf, len(rivers) == 1, stdout, stderr)
}

// report waits for the workflow, prints each river's outcome and returns
// the exit status.
func report(ctx context.Context, wf client.WorkflowRun, single bool, stdout, stderr io.Writer) int {
	var run rivery.Run
	var res riverytemporal.RunRiversResult
	var err error
	if single {
		err = wf.Get(ctx, &run)
	} else {
		err = wf.Get(ctx, &res)
	}
	code := exitStatus(ctx, err)
	switch code {
	case exitUsage:
		fmt.Fprintln(stderr, "start: waiting for the workflow:", err)
		return code
	case exitInterrupted:
		fmt.Fprintf(stderr, "start: interrupted; workflow %s goes on (temporal workflow show --workflow-id %s)\n", wf.GetID(), wf.GetID())
		return code
	}
	var appErr *temporal.ApplicationError
	var canceled *temporal.CanceledError
	switch {
	case errors.As(err, &appErr) && appErr.Type() == riverytemporal.ErrTypeRunFailed && appErr.HasDetails():
		if single {
			_ = appErr.Details(&run)
		} else {
			_ = appErr.Details(&res)
		}
	case errors.As(err, &canceled) && canceled.HasDetails() && !single:
		_ = canceled.Details(&res)
	}
	if single && run.ID != "" {
		fmt.Fprintf(stdout, "river %s: run %s %s\n", run.RiverID, run.ID, run.Status)
	}
	for _, o := range res.Rivers {
		line := fmt.Sprintf("%s: %s", o.Name, o.Outcome)
		if o.Run != nil {
			line += " (run " + o.Run.ID + ")"
		}
		if o.Error != "" {
			line += ": " + o.Error
		}
		fmt.Fprintln(stdout, line)
	}
	if err != nil {
		fmt.Fprintln(stderr, "start:", err)
	}
	return code
}

// exitStatus maps how the wait for the workflow ended to the exit status.
func exitStatus(ctx context.Context, err error) int {
	var appErr *temporal.ApplicationError
	var terminated *temporal.TerminatedError
	var timeout *temporal.TimeoutError
	var panicErr *temporal.PanicError
	switch {
	case err == nil:
		return exitSucceeded
	case temporal.IsCanceledError(err):
		return exitCanceled
	case errors.As(err, &appErr), errors.As(err, &terminated), errors.As(err, &timeout), errors.As(err, &panicErr):
		return exitFailed
	case ctx.Err() != nil:
		return exitInterrupted
	}
	return exitUsage // no outcome: the wait itself failed
}

// riverIDs reads the rivers from the arguments or RIVERY_RIVER_ID; each may
// be a console URL.
func riverIDs(args []string) ([]string, error) {
	if len(args) == 0 {
		if v := os.Getenv("RIVERY_RIVER_ID"); v != "" {
			args = []string{v}
		}
	}
	if len(args) == 0 {
		return nil, errors.New("no river: give river IDs (or console URLs) as arguments, or set RIVERY_RIVER_ID")
	}
	out := make([]string, len(args))
	for i, a := range args {
		_, _, id, err := rivery.ParseRiverURL(a)
		if err != nil {
			return nil, err
		}
		out[i] = id
	}
	return out, nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
