// Command trace prints the OpenTelemetry trace of a trigger-and-wait with
// the stdout exporter: the wait's span, the trigger's and each status
// call's span, and a span per HTTP attempt, each as JSON as it ends.
//
// With RIVERY_API_TOKEN set it calls the real Rivery API (region and IDs
// from the other RIVERY_* variables) for the river whose ID is in
// RIVERY_RIVER_ID. Without a token it starts the embedded fake Rivery
// (riverytest) with a demo river whose trigger is answered 429 once and
// whose first status call 503 once, so the trace shows two retries.
//
// Exit status: 0 when the run succeeded, 1 when it ended otherwise, 2 on a
// usage or API error.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/rivery-go/rivery"
	riveryotel "github.com/rivery-go/rivery/otel"
	"github.com/rivery-go/rivery/riverytest"
)

const demoRiverID = "63b724fc690def001131d242"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the whole program; stdout and stderr are parameters so a test can
// drive it.
func run(ctx context.Context, stdout, stderr io.Writer) int {
	exporter, err := stdouttrace.New(stdouttrace.WithWriter(stdout), stdouttrace.WithPrettyPrint())
	if err != nil {
		fmt.Fprintln(stderr, "trace:", err)
		return 2
	}
	tp := sdktrace.NewTracerProvider(
		sdktrace.WithSyncer(exporter), // each span is printed as it ends
		sdktrace.WithResource(resource.NewSchemaless(attribute.String("service.name", "rivery-trace-example"))),
	)
	defer func() { _ = tp.Shutdown(context.Background()) }()
	observer := riveryotel.NewObserver(riveryotel.WithTracerProvider(tp))

	client, riverID, cleanup, err := setup(stderr, rivery.WithObserver(observer))
	if err != nil {
		fmt.Fprintln(stderr, "trace:", err)
		return 2
	}
	defer cleanup()

	result, err := client.Rivers.RunAndWait(ctx, riverID, nil)
	var runErr *rivery.RunError
	switch {
	case err == nil:
		fmt.Fprintf(stderr, "run %s %s\n", result.ID, result.Status)
		return 0
	case errors.As(err, &runErr):
		fmt.Fprintln(stderr, "trace:", err)
		return 1
	default:
		fmt.Fprintln(stderr, "trace:", err)
		return 2
	}
}

// setup picks the real API or the embedded fake.
func setup(stderr io.Writer, opts ...rivery.Option) (c *rivery.Client, riverID string, cleanup func(), err error) {
	if os.Getenv(rivery.EnvAPIToken) == "" {
		fmt.Fprintln(stderr, "RIVERY_API_TOKEN is not set: running against the embedded fake Rivery (riverytest), not the real API.")
		srv := riverytest.NewServer(riverytest.WithRiver(riverytest.River{ID: demoRiverID, Name: "demo: orders to warehouse", Polls: 2}))
		srv.Fail(riverytest.RouteRun, 1, riverytest.Fault{Status: 429, RetryAfter: "0"})
		srv.Fail(riverytest.RouteRunStatus, 1, riverytest.Fault{Status: 503})
		opts = append(opts, rivery.WithPollInterval(50*time.Millisecond, 200*time.Millisecond))
		return srv.ClientV1(opts...), demoRiverID, srv.Close, nil
	}
	riverID = os.Getenv("RIVERY_RIVER_ID")
	if riverID == "" {
		return nil, "", nil, errors.New("RIVERY_RIVER_ID is not set")
	}
	c, err = rivery.NewClientFromEnv(opts...)
	if err != nil {
		return nil, "", nil, err
	}
	return c, riverID, func() { _ = c.Close() }, nil
}
