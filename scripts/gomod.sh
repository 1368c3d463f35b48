#!/usr/bin/env bash
# Runs a go command that rewrites a nested module's go.mod (go get, go mod
# tidy) with the replaces of that module's go.work written into its go.mod
# for the time of the command, then takes them out again.
#
#   scripts/gomod.sh temporal mod tidy
#   scripts/gomod.sh temporal get go.temporal.io/sdk@v1.50.0
#
# The temporal module's go.mod requires the released core (vX.Y.Z), which
# does not exist on the module proxy before its tag; its go.work points the
# build at ../ instead. `go build`, `go test` and `go vet` use go.work, but
# `go get` and `go mod tidy` read go.mod alone. A replace in go.mod itself
# would make `go install .../temporal/cmd/worker@vX.Y.Z` fail for users,
# so it never stays there (scripts/check-modules.sh fails if it does).
set -euo pipefail
cd "$(dirname "$0")/.."

dir=${1:?usage: scripts/gomod.sh MODULE_DIR GO_ARGS...}
shift
cd "$dir"
[ -f go.work ] || { echo "gomod: $dir has no go.work" >&2; exit 2; }

# One-line replaces of go.work ("replace PATH => DIR"), as PATH=DIR.
mapfile -t replaces < <(sed -nE 's/^replace +([^ ]+) +=> +([^ ]+) *$/\1=\2/p' go.work)
if [ "${#replaces[@]}" -eq 0 ]; then
  echo "gomod: $dir/go.work has no replace" >&2
  exit 2
fi
drop() {
  for r in "${replaces[@]}"; do
    go mod edit -dropreplace="${r%%=*}"
  done
}
trap drop EXIT
for r in "${replaces[@]}"; do
  go mod edit -replace="$r"
done
GOWORK=off go "$@"
