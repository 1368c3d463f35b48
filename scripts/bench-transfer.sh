#!/usr/bin/env bash
# Uploads and downloads stream (issue #29): BenchmarkUploadStreams and
# BenchmarkDownloadStreams move 64 MiB and 1 GiB each way between the
# client and riverytest's storage over loopback (the bytes generated as
# they are read, never stored), COUNT rounds each (3 by default). The
# script fails when a transfer's memory grows with its size: B/op or
# peak-heap-MiB of the 1 GiB run above LIMIT_MIB (4 by default), which a
# 1 GiB body held in memory would exceed 250 times.
#
#   scripts/bench-transfer.sh
#   COUNT=1 LIMIT_MIB=8 scripts/bench-transfer.sh
#
# On a 2-core machine one round of both takes about 10 seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

count=${COUNT:-3}
limit=${LIMIT_MIB:-4}
out=$(mktemp)
trap 'rm -f "$out"' EXIT

go test -run '^$' -bench '^Benchmark(Upload|Download)Streams$' -benchtime=1x -count="$count" . | tee "$out"

awk -v limit="$limit" '
  /^Benchmark(Upload|Download)Streams\/size=1GiB/ {
    for (i = 1; i <= NF; i++) {
      if ($(i) == "B/op") bop = $(i-1) / 1048576
      if ($(i) == "peak-heap-MiB") peak = $(i-1)
    }
    printf "%s: %.2f MiB allocated, live heap grew %.2f MiB, for 1024 MiB moved\n", $1, bop, peak
    if (bop > limit || peak > limit) { bad = 1 }
    n++
  }
  END {
    if (n == 0) { print "no 1 GiB result read"; exit 1 }
    if (bad) { print "memory grew with the transfer: above " limit " MiB"; exit 1 }
  }' "$out"
