// Package integration holds the temporal module's tests against a real
// Temporal server: go.temporal.io/server/temporaltest starts one inside the
// test process (on loopback ports it picks), and the activities call the
// fake Rivery of package riverytest.
//
// It is a module of its own, never published, because the server needs a
// newer Go than the temporal module does:
//
//	cd temporal/integration
//	GOTOOLCHAIN=go1.27.3 go test -race ./...
//
// scripts/temporal-integration.sh runs them as CI does, and
// scripts/temporal-ratelimit.sh measures the activity rate limit's
// throughput with one and with four task queue partitions.
package integration
