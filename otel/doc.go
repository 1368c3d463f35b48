// Package riveryotel traces and measures what a rivery.Client does, with
// OpenTelemetry. It is a module of its own (github.com/rivery-go/rivery/otel,
// Go 1.26 or newer, as go.opentelemetry.io/otel v1.47 needs), so the core
// module does not depend on OpenTelemetry:
//
//	obs := riveryotel.NewObserver() // the global providers; see the options
//	client, err := rivery.NewClient(token, rivery.WithObserver(obs))
//
// Traces: a span of kind client per API call ("GET
// /v1/accounts/{account_id}/environments/{environment_id}/rivers/{river_id}/runs/{run_id}"),
// with a child span, also of kind client, per HTTP attempt, after
// OpenTelemetry's HTTP client conventions (http.request.method,
// url.template, server.address, server.port, http.response.status_code,
// error.type, http.request.resend_count) and the Rivery IDs
// (rivery.account_id, rivery.environment_id, rivery.river_id,
// rivery.run_id, rivery.run_group_id); and a span per wait
// (rivery.RunAndWait, rivery.WaitForRun, rivery.WaitForGroup) from the
// trigger to the run's end, with an event (rivery.run.status) per status
// change, the run's outcome (rivery.run.outcome) and the status calls
// inside it. No span, attribute or event holds a token, a JWT, a header,
// a query string, a presigned URL, a body or a server's message: the
// core's events carry none (see rivery.Observer).
//
// Metrics: http.client.request.duration (per attempt),
// rivery.run.duration (by river and outcome), rivery.http.rate_limited
// (429 answers), rivery.http.retries (by the error retried) and
// rivery.waits.active (waits in flight).
//
// Trace context is not sent to Rivery unless WithPropagators says so:
// Rivery is a third party.
package riveryotel
