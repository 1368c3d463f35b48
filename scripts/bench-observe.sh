#!/usr/bin/env bash
# What observing a client costs (issue #30), COUNT rounds each (10 by
# default):
#
#   1. without an observer, no allocation of a call is made by the hook's
#      code: BenchmarkObserver's observer=none calls run with every
#      allocation profiled, and the script fails if any comes from the
#      observer files (pipeline_observe.go, pipeline_route.go,
#      observe_*.go, options_observer.go, rivers_wait_observe.go). With
#      BASE set to a tree without the hook (for the commit that adds it:
#      its first parent), BenchmarkGetRun/impl=sdk and
#      BenchmarkRunInMemory/impl=sdk also run on BASE and on this tree,
#      one round of each in turn, and the script fails if any allocs/op
#      differs. A BASE that has the hook already (main, since 0.3.0) is
#      refused: it would compare the hook with itself;
#   2. BenchmarkObserver: no observer against a NopObserver (the events
#      alone);
#   3. the otel module's BenchmarkOtelObserver: no observer, the Observer
#      on OpenTelemetry's no-op providers, and on the SDK's (a sampled
#      span per call and per attempt, and the metrics).
#
#   scripts/bench-observe.sh
#   BASE=8556e2e COUNT=3 scripts/bench-observe.sh   # in a checkout of c087d4f (the hook's
#                                                   # branch) against the commit it started from
#
# On a 2-core machine the defaults take about 3 minutes (4 with BASE).
# BENCHTIME (200ms) sets the benchtime. All calls are in memory (no
# network), so the SDK's own cost shows; a call over the network takes
# milliseconds more.
set -euo pipefail
cd "$(dirname "$0")/.."

count=${COUNT:-10}
base=${BASE:-}
benchtime=${BENCHTIME:-200ms}
BENCHSTAT_VERSION=v0.0.0-20260908200009-22c9c6c9d4da
gobin=$(go env GOPATH)/bin
if [ ! -x "$gobin/benchstat" ]; then
  go install "golang.org/x/perf/cmd/benchstat@${BENCHSTAT_VERSION}" || echo "benchstat unavailable: tables skipped" >&2
fi
benchstat() { if [ -x "$gobin/benchstat" ]; then "$gobin/benchstat" "$@"; fi; }

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

echo "=== 1. No observer: where a call's allocations come from"
go test -c -o "$dir/head.test" .
"$dir/head.test" -test.run '^$' -test.bench '^BenchmarkObserver$/^call=/^observer=none$' -test.benchtime 2000x \
  -test.memprofile "$dir/mem.out" -test.memprofilerate 1 >/dev/null
hook='/(pipeline_observe|pipeline_route|observe_[a-z]+|options_observer|rivers_wait_observe)\.go:'
# Only allocations made inside a call count (focus), not the benchmark's set-up.
go tool pprof -lines -sample_index=alloc_objects -top -nodefraction=0 -nodecount=1000000 \
  -focus='rivery\.\(\*RiversService\)\.(GetRun|Run)$' "$dir/head.test" "$dir/mem.out" >"$dir/sites.txt" 2>/dev/null
if ! grep -q 'rivery.(\*RiversService).GetRun' "$dir/sites.txt"; then
  echo "the allocation profile names no call: nothing was checked" >&2
  exit 1
fi
if grep -E "$hook" "$dir/sites.txt"; then
  echo "without an observer, the allocations above come from the hook's code" >&2
  exit 1
fi
echo "without an observer, no allocation comes from the hook's code"

same='^(BenchmarkGetRun|BenchmarkRunInMemory)$/^impl=sdk$'
if [ -n "$base" ]; then
  mkdir "$dir/base"
  git archive "$base" | tar -x -C "$dir/base"
  if [ -e "$dir/base/options_observer.go" ]; then
    echo "BASE=$base has the observer hook already: comparing it with this tree would check nothing" >&2
    exit 1
  fi
  echo "=== 1b. No observer: $base against this tree, round by round (a shared machine's load drifts)"
  (cd "$dir/base" && go test -c -o "$dir/base.test" .)
  for _ in $(seq "$count"); do
    for side in base head; do
      src=.
      [ "$side" = base ] && src="$dir/base"
      (cd "$src" && "$dir/$side.test" -test.run '^$' -test.bench "$same" -test.benchmem -test.benchtime "$benchtime" -test.count 1) |
        tee -a "$dir/$side.txt"
    done
  done
fi
bench() { # dir regex out
  (cd "$1" && go test -run '^$' -bench "$2" -benchmem -benchtime "$benchtime" -count "$count" .) | tee "$3"
}
echo "=== 2. Core: no observer, NopObserver"
bench . '^BenchmarkObserver$' "$dir/observer.txt"
echo "=== 3. otel module: no observer, no-op providers, SDK providers"
bench otel '^BenchmarkOtelObserver$' "$dir/otel.txt"

echo
echo "=== Core hook"
benchstat -col /observer "$dir/observer.txt"
echo
echo "=== OpenTelemetry module"
benchstat -col /observer "$dir/otel.txt"
[ -n "$base" ] || exit 0

echo
echo "=== $base against this tree, no observer"
benchstat "$dir/base.txt" "$dir/head.txt"
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
