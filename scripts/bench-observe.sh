#!/usr/bin/env bash
# What observing a client costs (issue #30), COUNT rounds each (10 by
# default):
#
#   1. without an observer, a call allocates exactly what it does on BASE
#      (main by default): BenchmarkGetRun/impl=sdk and
#      BenchmarkRunInMemory/impl=sdk, run on a copy of BASE (git archive)
#      and on this tree, one round of each in turn; the script fails if
#      any allocs/op differs;
#   2. BenchmarkObserver: no observer against a NopObserver (the events
#      alone);
#   3. the otel module's BenchmarkOtelObserver: no observer, the Observer
#      on OpenTelemetry's no-op providers, and on the SDK's (a sampled
#      span per call and per attempt, and the metrics).
#
#   scripts/bench-observe.sh
#   BASE=v0.2.2 COUNT=3 scripts/bench-observe.sh
#
# On a 2-core machine the defaults take about 4 minutes. BENCHTIME (200ms)
# sets the benchtime. All calls are in memory (no network), so the SDK's
# own cost shows; a call over the network takes milliseconds more.
set -euo pipefail
cd "$(dirname "$0")/.."

count=${COUNT:-10}
base=${BASE:-main}
benchtime=${BENCHTIME:-200ms}
BENCHSTAT_VERSION=v0.0.0-20260908200009-22c9c6c9d4da
gobin=$(go env GOPATH)/bin
if [ ! -x "$gobin/benchstat" ]; then
  go install "golang.org/x/perf/cmd/benchstat@${BENCHSTAT_VERSION}" || echo "benchstat unavailable: tables skipped" >&2
fi
benchstat() { if [ -x "$gobin/benchstat" ]; then "$gobin/benchstat" "$@"; fi; }

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/base"
git archive "$base" | tar -x -C "$dir/base"

same='^(BenchmarkGetRun|BenchmarkRunInMemory)$/^impl=sdk$'
bench() { # dir regex out
  (cd "$1" && go test -run '^$' -bench "$2" -benchmem -benchtime "$benchtime" -count "$count" .) | tee "$3"
}
echo "=== 1. No observer: $base against this tree, round by round (a shared machine's load drifts)"
(cd "$dir/base" && go test -c -o "$dir/base.test" .)
go test -c -o "$dir/head.test" .
for _ in $(seq "$count"); do
  for side in base head; do
    src=.
    [ "$side" = base ] && src="$dir/base"
    (cd "$src" && "$dir/$side.test" -test.run '^$' -test.bench "$same" -test.benchmem -test.benchtime "$benchtime" -test.count 1) |
      tee -a "$dir/$side.txt"
  done
done
echo "=== 2. Core: no observer, NopObserver"
bench . '^BenchmarkObserver$' "$dir/observer.txt"
echo "=== 3. otel module: no observer, no-op providers, SDK providers"
bench otel '^BenchmarkOtelObserver$' "$dir/otel.txt"

echo
echo "=== $base against this tree, no observer"
benchstat "$dir/base.txt" "$dir/head.txt"
echo
echo "=== Core hook"
benchstat -col /observer "$dir/observer.txt"
echo
echo "=== OpenTelemetry module"
benchstat -col /observer "$dir/otel.txt"

# allocs/op are deterministic: every round of a benchmark must match.
allocs() { awk '/allocs\/op/ { for (i = 1; i < NF; i++) if ($(i+1) == "allocs/op") print $1, $i }' "$1" | sort -u; }
echo
if diff <(allocs "$dir/base.txt") <(allocs "$dir/head.txt"); then
  echo "allocations per call without an observer: the same as $base"
  allocs "$dir/head.txt" | sed 's/^/  /'
else
  echo "allocations per call without an observer differ from $base (< $base, > this tree)" >&2
  exit 1
fi
