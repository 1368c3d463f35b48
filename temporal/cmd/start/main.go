// Command start starts RunRiver (one river) or RunRivers (several) on a
// Temporal server and waits for the result.
//
//	start [-chain] [-concurrency N] [-id WORKFLOW_ID] [RIVER ...]
//
// Each RIVER is a river ID or its console URL; with none, RIVERY_RIVER_ID
// is used. -chain runs the rivers one after the other, each after the one
// before it succeeded; otherwise they run side by side, at most
// -concurrency at a time. A workflow ID (-id) makes a second start of the
// same ID fail instead of running the rivers twice.
//
// Environment: RIVERY_RIVER_ID, RIVERY_TASK_QUEUE (default "rivery"),
// TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE (default localhost:7233,
// "default").
//
// Exit status: 0 when every run succeeded, 1 when one did not, 2 on a
// usage or connection error.
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

func run(ctx context.Context, args []string, stdout, stderr io.Writer, dial dialer) int {
	fs := flag.NewFlagSet("start", flag.ContinueOnError)
	fs.SetOutput(stderr)
	chain := fs.Bool("chain", false, "run the rivers one after the other")
	concurrency := fs.Int("concurrency", 0, "how many rivers run at once (default 2)")
	id := fs.String("id", "", "workflow ID (default: rivery-<river>-<time>)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	rivers, err := riverIDs(fs.Args())
	if err != nil {
		fmt.Fprintln(stderr, "start:", err)
		return 2
	}
	c, err := dial(client.Options{HostPort: os.Getenv("TEMPORAL_ADDRESS"), Namespace: os.Getenv("TEMPORAL_NAMESPACE")})
	if err != nil {
		fmt.Fprintln(stderr, "start: connecting to Temporal:", err)
		return 2
	}
	defer c.Close()
	opts := client.StartWorkflowOptions{ID: *id, TaskQueue: envOr("RIVERY_TASK_QUEUE", "rivery")}
	if opts.ID == "" {
		opts.ID = "rivery-" + rivers[0] + "-" + time.Now().UTC().Format("20060102T150405Z")
	}
	var wf client.WorkflowRun
	if len(rivers) == 1 {
		wf, err = c.ExecuteWorkflow(ctx, opts, riverytemporal.WorkflowRunRiver, riverytemporal.RunRiverInput{RiverID: rivers[0]})
	} else {
		in := riverytemporal.RunRiversInput{Concurrency: *concurrency}
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
		return 2
	}
	fmt.Fprintf(stdout, "started workflow %s (run %s) on task queue %s\n", wf.GetID(), wf.GetRunID(), opts.TaskQueue)
	return report(ctx, wf, len(rivers) == 1, stdout, stderr)
}

// report waits for the workflow and prints each river's outcome.
func report(ctx context.Context, wf client.WorkflowRun, single bool, stdout, stderr io.Writer) int {
	var run rivery.Run
	var res riverytemporal.RunRiversResult
	var err error
	if single {
		err = wf.Get(ctx, &run)
	} else {
		err = wf.Get(ctx, &res)
	}
	var appErr *temporal.ApplicationError
	if err != nil && (!errors.As(err, &appErr) || appErr.Type() != riverytemporal.ErrTypeRunFailed) {
		fmt.Fprintln(stderr, "start:", err)
		return 2
	}
	if appErr != nil {
		if single {
			_ = appErr.Details(&run)
		} else {
			_ = appErr.Details(&res)
		}
	}
	if single {
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
		return 1
	}
	return 0
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
