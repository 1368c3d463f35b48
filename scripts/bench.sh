#!/usr/bin/env bash
# Runs the SDK benchmarks 10 times, prints the SDK against raw net/http
# side by side, and compares the run with the committed baseline.
#
#   scripts/bench.sh                 # run and compare
#   scripts/bench.sh --update        # also write the run as bench/baseline.txt
set -euo pipefail
cd "$(dirname "$0")/.."

BENCHSTAT_VERSION=v0.0.0-20260908200009-22c9c6c9d4da
gobin=$(go env GOPATH)/bin
[ -x "$gobin/benchstat" ] || go install "golang.org/x/perf/cmd/benchstat@${BENCHSTAT_VERSION}"

out=$(mktemp)
trap 'rm -f "$out"' EXIT
go test -run '^$' -bench . -count "${COUNT:-10}" -timeout 60m . | tee "$out"

echo
echo "=== SDK against raw net/http (same request, same transport)"
"$gobin/benchstat" -col /impl "$out"
echo
echo "=== This run against bench/baseline.txt"
"$gobin/benchstat" bench/baseline.txt "$out" || true

if [ "${1:-}" = "--update" ]; then
  cp "$out" bench/baseline.txt
  echo "bench/baseline.txt updated"
fi
