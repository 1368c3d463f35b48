#!/usr/bin/env bash
# Checks that the nested modules (temporal/, otel/) can be published with
# this commit: each go.mod requires the core (and temporal/go.mod the otel
# module) at the version the core declares (rivery.Version, tagged vX.Y.Z
# together with temporal/vX.Y.Z and otel/vX.Y.Z), and replaces nothing (the go command refuses
# `go install .../temporal/cmd/worker@vX.Y.Z` for a module whose go.mod has
# a replace; development builds use each module's go.work).
set -euo pipefail
cd "$(dirname "$0")/.."

core=github.com/rivery-go/rivery
version=$(sed -nE 's/^const Version = "([^"]+)"$/\1/p' rivery.go)
if [ -z "$version" ]; then
  echo "check-modules: no const Version in rivery.go" >&2
  exit 1
fi

status=0
for mod in temporal/go.mod otel/go.mod; do
  required=$(sed -nE "s#^[[:space:]]*(require[[:space:]]+)?$core[[:space:]]+(v[^[:space:]]+).*#\2#p" "$mod")
  if [ "$required" != "v$version" ]; then
    echo "check-modules: $mod requires $core ${required:-(nothing)}, but rivery.Version is $version: require v$version" >&2
    status=1
  fi
  # A published module of this repository that another requires (the
  # temporal module requires the otel module) is tagged at the same
  # version: it must be required at it.
  while read -r path ver; do
    if [ "$ver" != "v$version" ]; then
      echo "check-modules: $mod requires $path $ver, but rivery.Version is $version: require v$version" >&2
      status=1
    fi
  done < <(sed -nE "s#^[[:space:]]*(require[[:space:]]+)?($core/(otel|temporal))[[:space:]]+(v[^[:space:]]+).*#\2 \4#p" "$mod")
  if grep -qE '^[[:space:]]*replace\b' "$mod"; then
    echo "check-modules: $mod has a replace directive: users could not go install from it (put development replaces in go.work)" >&2
    status=1
  fi
done
if [ "$status" -eq 0 ]; then
  echo "check-modules: temporal/go.mod and otel/go.mod require $core (and its otel module) at v$version and replace nothing"
fi
exit "$status"
