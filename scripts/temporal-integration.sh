#!/usr/bin/env bash
# Runs the temporal module's integration tests (temporal/integration, a
# module of its own) against a real Temporal server that
# go.temporal.io/server/temporaltest starts inside the test process on
# loopback ports it picks. That server needs Go 1.26.10 or newer: the go
# command fetches the toolchain below through the module proxy.
#
#   scripts/temporal-integration.sh            # vet, golangci-lint, go test -race
#   scripts/temporal-integration.sh --ci       # go test alone (what .ci/run runs)
#   scripts/temporal-integration.sh -run DAG   # extra arguments go to go test
#
# CI runs the tests alone, without the race detector: the temporal module's
# own code is vetted, linted and race-tested in its own step, and building
# the Temporal server a second time (for vet and lint, or with -race) would
# cost CI several minutes on a fresh machine for test code only.
set -euo pipefail
cd "$(dirname "$0")/../temporal/integration"

export GOTOOLCHAIN=go1.27.3
go version

if [ "${1:-}" = "--ci" ]; then
  shift
  exec go test -count=1 "$@" ./...
fi

go vet ./...

# golangci-lint built with an older Go cannot type-check Go 1.27's standard
# library: this module gets one built with the toolchain above, kept apart
# from the one the other modules use.
GOLANGCI_LINT_VERSION=v2.15.0
gobin=$(go env GOPATH)/bin/$(go env GOVERSION)
if ! "$gobin/golangci-lint" version 2>/dev/null | grep -q "version ${GOLANGCI_LINT_VERSION#v}"; then
  GOBIN=$gobin go install "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@${GOLANGCI_LINT_VERSION}"
fi
"$gobin/golangci-lint" run ./...

go test -race -count=1 "$@" ./...
