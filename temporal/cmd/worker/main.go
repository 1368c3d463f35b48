// Command worker runs a Temporal worker for Rivery: the RunRiver and
// RunRivers workflows and their activities, on one task queue.
//
// Environment:
//
//	RIVERY_API_TOKEN, RIVERY_REGION, RIVERY_BASE_URL,
//	RIVERY_ACCOUNT_ID, RIVERY_ENVIRONMENT_ID  the Rivery client (rivery.NewClientFromEnv)
//	RIVERY_TASK_QUEUE                      the task queue (default "rivery")
//	RIVERY_ACTIVITIES_PER_SECOND           task-queue-wide activity rate (default 0.25: 15 a minute)
//	TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE   the Temporal frontend (default localhost:7233, "default")
//	OTEL_EXPORTER_OTLP_ENDPOINT            OpenTelemetry traces over OTLP/HTTP (off when unset; also
//	                                       OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, OTEL_SERVICE_NAME, ...)
//
// With OpenTelemetry on, Temporal's tracing interceptor and the rivery
// client's observer (github.com/rivery-go/rivery/otel) share one tracer
// provider: a workflow's spans, its activities' and their Rivery calls'
// land in one trace, each Rivery call under the activity that made it.
//
// Without RIVERY_API_TOKEN it serves the embedded fake Rivery (riverytest)
// with a demo river, 63b724fc690def001131d242, for a try-out against a
// local Temporal dev server.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"

	"github.com/rivery-go/rivery"
	"github.com/rivery-go/rivery/riverytest"
	riverytemporal "github.com/rivery-go/rivery/temporal"
)

const demoRiverID = "63b724fc690def001131d242"

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "worker:", err)
		os.Exit(1)
	}
}

func run() error {
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	tel, err := telemetryFromEnv(context.Background())
	if err != nil {
		return err
	}
	if tel != nil {
		logger.Info("worker: exporting OpenTelemetry traces over OTLP/HTTP")
		defer func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := tel.shutdown(ctx); err != nil {
				logger.Warn("worker: exporting the last spans", "error", err)
			}
		}()
	}
	rc, cleanup, err := riveryClient(logger, tel.clientOptions()...)
	if err != nil {
		return err
	}
	defer cleanup()
	rate := 0.0
	if v := os.Getenv("RIVERY_ACTIVITIES_PER_SECOND"); v != "" {
		if rate, err = strconv.ParseFloat(v, 64); err != nil || rate <= 0 {
			return fmt.Errorf("RIVERY_ACTIVITIES_PER_SECOND=%q is not a positive number", v)
		}
	}
	c, err := client.Dial(client.Options{
		HostPort:     os.Getenv("TEMPORAL_ADDRESS"), // empty: localhost:7233
		Namespace:    os.Getenv("TEMPORAL_NAMESPACE"),
		Logger:       log.NewStructuredLogger(logger),
		Interceptors: tel.interceptors(), // the worker takes them from the client
	})
	if err != nil {
		return fmt.Errorf("connecting to Temporal: %w", err)
	}
	defer c.Close()
	queue := envOr("RIVERY_TASK_QUEUE", "rivery")
	warnOnPartitions(logger, c, os.Getenv("TEMPORAL_NAMESPACE"), queue)
	w := riverytemporal.NewWorker(c, queue, &riverytemporal.Activities{Client: rc},
		worker.Options{TaskQueueActivitiesPerSecond: rate})
	logger.Info("worker: serving", "task_queue", queue, "activities_per_second", riverytemporal.WorkerOptions(worker.Options{TaskQueueActivitiesPerSecond: rate}).TaskQueueActivitiesPerSecond)
	return w.Run(worker.InterruptCh())
}

// warnOnPartitions warns when the server splits the task queue's activity
// rate among several partitions (riverytemporal.ActivityPartitions): the
// rivers then get less than the rate, and a lone activity waits longer.
func warnOnPartitions(logger *slog.Logger, c client.Client, namespace, queue string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	n, err := riverytemporal.ActivityPartitions(ctx, c, namespace, queue)
	switch {
	case err != nil:
		logger.Warn("worker: could not read the task queue's partitions; with more than one, the activity rate is divided among them",
			"task_queue", queue, "error", err)
	case n > 1:
		logger.Warn("worker: the task queue has several activity partitions and the server holds each to its share of the rate: "+
			"the rivers get about two thirds of it. Set the dynamic config matching.numTaskqueueReadPartitions and "+
			"matching.numTaskqueueWritePartitions to 1 for this task queue (docs/temporal.md)",
			"task_queue", queue, "partitions", n)
	}
}

// riveryClient builds the client from RIVERY_* variables and extra, or
// serves the embedded fake without a token.
func riveryClient(logger *slog.Logger, extra ...rivery.Option) (*rivery.Client, func(), error) {
	// Short client-side waits: a long Retry-After becomes an activity
	// retry instead of holding a worker slot.
	opts := []rivery.Option{rivery.WithRetry(3, time.Second, 10*time.Second), rivery.WithTimeout(30 * time.Second), rivery.WithLogger(logger)}
	opts = append(opts, extra...)
	if os.Getenv(rivery.EnvAPIToken) == "" {
		logger.Warn("worker: RIVERY_API_TOKEN is not set: serving the embedded fake Rivery (riverytest), not the real API", "demo_river", demoRiverID)
		srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: demoRiverID, Name: "demo: orders to warehouse", Duration: 20 * time.Second}))
		return srv.ClientV1(opts...), srv.Close, nil
	}
	c, err := rivery.NewClientFromEnv(opts...)
	if err != nil {
		return nil, nil, err
	}
	return c, func() { _ = c.Close() }, nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
