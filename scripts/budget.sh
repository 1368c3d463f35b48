#!/usr/bin/env bash
# The API budget benchmark of issue #25 (scripts/budget/main.go): 100 rivers
# of one environment triggered at once and waited on with RunAndWait from
# 100 goroutines, against riverytest enforcing Rivery's limits (15 requests
# a minute per token, 2 runs a minute per river), runs of 5-30 minutes
# from a fixed seed, time scaled so that a minute lasts a second (SCALE,
# 60 by default). It prints per-run polling without and with WithRateLimit
# and the shared poller (last) side by side, and exits 0 only when the
# shared poller meets the goal: no 429, at most 15 requests in any minute,
# every wait returned, ends noticed within 1 minute at p95 and 2 at most.
#
#   scripts/budget.sh               # about 2 minutes on 2 cores
#   SCALE=120 scripts/budget.sh     # faster, with less room for scheduling noise
set -euo pipefail
cd "$(dirname "$0")/.."
go run ./scripts/budget -scale "${SCALE:-60}"
