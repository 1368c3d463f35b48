#!/usr/bin/env bash
# Measures what the Temporal activity rate limit delivers to rivers run at
# once (a RunRiver workflow each, polling its run with GetRun) on a
# real Temporal server (temporaltest, in process) with the server's default
# 4 task queue partitions and with one: BenchmarkActivityRate in
# temporal/integration prints requests a minute against the limit, and the
# longest wait between two requests.
#
#   scripts/temporal-ratelimit.sh                     # Rivery's 0.25 a second: about 7 minutes
#   scripts/temporal-ratelimit.sh -rate 4 -polls 4    # faster, a higher rate
#
# Arguments are the benchmark's flags: -rate (activities a second), -rivers
# (rivers at once, 10), -polls (status calls that see each run in progress, 2).
set -euo pipefail
cd "$(dirname "$0")/../temporal/integration"

export GOTOOLCHAIN=go1.27.3
go test -run '^$' -bench '^BenchmarkActivityRate$' -benchtime 1x -timeout 60m . -args "$@"
