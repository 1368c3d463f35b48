#!/usr/bin/env bash
# Mutation testing: injects one bug at a time into the non-test code of each
# package (gremlins), runs that package's tests against it, and reports how
# many bugs the tests caught. Known equivalent mutants (no observable
# difference) are listed with their reasons in scripts/mutation-equivalents.txt
# and left out of the score.
#
#   scripts/mutation.sh                      # root, internal/..., riverytest, cmd/rivery
#   scripts/mutation.sh . riverytest         # only these package directories
#   MUTATION_FILES='wait|pagination' scripts/mutation.sh .   # only files matching
#
# Environment:
#   MUTATION_PKG_TIMEOUT   time limit per package (default 45m; timeout(1) syntax)
#   MUTATION_WORKERS       mutants tested at once (default 1; the root package
#                          has ~850 mutants at ~8 s each, so 2 halves its time
#                          on a machine with 2 idle cores)
#   MUTATION_BUDGET        time limit for the whole run in seconds (default 7200)
#   MUTATION_COEFFICIENT   gremlins' timeout coefficient (default 6): a mutant's
#                          tests may take this many times the clean run
#   MUTATION_OUT           directory for the raw reports (default: a temp dir)
#
# Score = (killed + timed out) / (killed + timed out + lived - equivalent).
# One worker and one package at a time: the suite runs on small shared machines.
# Exit status 1 when any package scores below MUTATION_MIN (default 90).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

GREMLINS_VERSION=v0.6.0
gobin=$(go env GOPATH)/bin
if ! "$gobin/gremlins" --version 2>/dev/null | grep -q "${GREMLINS_VERSION#v}"; then
  go install "github.com/go-gremlins/gremlins/cmd/gremlins@${GREMLINS_VERSION}"
fi

pkgs=("$@")
if [ ${#pkgs[@]} -eq 0 ]; then
  pkgs=(.)
  for d in internal/*/; do pkgs+=("${d%/}"); done
  pkgs+=(riverytest cmd/rivery)
fi
out=${MUTATION_OUT:-$(mktemp -d)}
mkdir -p "$out"
# gremlins copies the module under TMPDIR and leaves the copy behind when it
# is stopped: give it a directory of its own, removed on exit.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
equivalents="$root/scripts/mutation-equivalents.txt"
budget_end=$(( $(date +%s) + ${MUTATION_BUDGET:-7200} ))
# gremlins v0.6.0 finds a mutant's package by looking for a directory that
# ends with the package's name: for a package main (cmd/rivery) it finds
# none and runs the module root's tests instead, so every mutant "lives".
# For such a package, a `go` wrapper first on PATH tests the working
# directory (gremlins runs the tests there) instead of the module root.
module=$(go list -m)
realgo=$(command -v go)
mkdir -p "$work/gobin"
cat >"$work/gobin/go" <<SHIM
#!/usr/bin/env bash
args=("\$@")
n=\${#args[@]}
if [ "\${args[0]}" = test ] && [ "\${args[n-1]}" = "$module" ]; then args[n-1]=.; fi
exec "$realgo" "\${args[@]}"
SHIM
chmod +x "$work/gobin/go"
min=${MUTATION_MIN:-90}
status=0

# exclusions prints gremlins -E patterns (paths relative to package dir $1,
# as gremlins matches them) for the packages below it and for every non-test
# Go file that MUTATION_FILES does not match.
exclusions() {
  local dir=$1 f name
  for f in "$dir"/*/; do
    [ -d "$f" ] || continue
    name=$(basename "$f")
    printf -- '-E\n^%s/\n' "$name"
  done
  [ -n "${MUTATION_FILES:-}" ] || return 0
  for f in "$dir"/*.go; do
    name=$(basename "$f")
    case $name in *_test.go) continue ;; esac
    if ! grep -Eq -- "$MUTATION_FILES" <<<"$name"; then
      printf -- '-E\n^%s$\n' "${name//./\\.}"
    fi
  done
}

# equivalent reports whether the mutant "$1" (MUTATOR path:line:col) is
# listed as equivalent: the list names the path, column, mutator and the
# text of the mutated line, so it survives lines moving up or down.
equivalent() {
  local mutator=$1 pos=$2 path line col text
  path=${pos%%:*}
  line=$(cut -d: -f2 <<<"$pos")
  col=$(cut -d: -f3 <<<"$pos")
  text=$(sed -n "${line}p" "$root/$path" | sed 's/^[[:space:]]*//;s/[[:space:]]*$//')
  # The text goes through the environment: awk -v would read its
  # backslashes as escapes ('\t' in the source would become a tab).
  MUTATION_LINE=$text awk -F' [|] ' -v key="$path:$col $mutator" '
    /^#/ || NF < 3 { next }
    { split($1, a, ":"); k = a[1] ":" a[3]; sub(/[[:space:]]+$/, "", k) }
    k == key && $2 == ENVIRON["MUTATION_LINE"] { found = 1 }
    END { exit !found }' "$equivalents"
}

printf '%-14s %6s %6s %6s %6s %6s %6s %7s\n' package killed timeout lived equiv nocover notviab score
summary=()
for pkg in "${pkgs[@]}"; do
  pkg=${pkg#./}
  pkg=${pkg%/}
  [ -n "$pkg" ] || pkg=.
  left=$(( budget_end - $(date +%s) ))
  if [ "$left" -le 60 ]; then
    summary+=("$pkg: not run (MUTATION_BUDGET spent)")
    status=1
    continue
  fi
  name=${pkg//\//_}
  [ "$name" = . ] && name=root
  report="$out/$name.txt"
  mapfile -t excl < <(exclusions "$pkg")
  echo "--- gremlins on $pkg (report: $report)" >&2
  rc=0
  path=$PATH
  if [ "$pkg" != . ] && grep -qsx 'package main' "$pkg"/*.go; then path=$work/gobin:$PATH; fi
  (cd "$pkg" && PATH="$path" TMPDIR="$work" GOFLAGS=-count=1 timeout --foreground -k 30s "${left}s" \
    timeout -k 30s "${MUTATION_PKG_TIMEOUT:-45m}" \
    "$gobin/gremlins" unleash --workers "${MUTATION_WORKERS:-1}" --timeout-coefficient "${MUTATION_COEFFICIENT:-6}" \
    "${excl[@]}") >"$report" 2>&1 || rc=$?
  if [ "$rc" -ne 0 ] && ! grep -q '^Mutation testing completed' "$report"; then
    summary+=("$pkg: gremlins stopped (exit $rc) before the end; partial counts below")
    status=1
  fi
  killed=0 timedout=0 lived=0 equiv=0 nocover=0 notviable=0
  survivors=()
  while read -r st mutator pos; do
    [ "$pkg" = . ] || pos="$pkg/$pos"
    case $st in
      KILLED) killed=$((killed + 1)) ;;
      TIMEDOUT) timedout=$((timedout + 1)) ;;
      NOTCOVERED) nocover=$((nocover + 1)); survivors+=("not covered $mutator $pos") ;;
      NOTVIABLE) notviable=$((notviable + 1)) ;;
      LIVED)
        if equivalent "$mutator" "$pos"; then
          equiv=$((equiv + 1))
        else
          lived=$((lived + 1))
          survivors+=("lived       $mutator $pos")
        fi ;;
    esac
  done < <(sed -nE 's/^ *(KILLED|LIVED|TIMED OUT|NOT COVERED|NOT VIABLE) ([A-Z_]+) at (.*)$/\1 \2 \3/p' "$report" |
    sed -E 's/^(TIMED|NOT) (OUT|COVERED|VIABLE)/\1\2/')
  caught=$((killed + timedout))
  if [ $((caught + lived)) -gt 0 ]; then
    score=$(awk -v c="$caught" -v l="$lived" 'BEGIN { printf "%.1f", 100 * c / (c + l) }')
  else
    score=n/a
  fi
  printf '%-14s %6d %6d %6d %6d %6d %6d %6s%%\n' "$pkg" "$killed" "$timedout" "$lived" "$equiv" "$nocover" "$notviable" "$score"
  if [ "$score" = n/a ] || awk -v s="$score" -v m="$min" 'BEGIN { exit !(s < m) }'; then
    status=1
  fi
  for s in "${survivors[@]}"; do echo "    $s"; done
done
for s in "${summary[@]}"; do echo "$s"; done
echo "raw reports: $out"
exit "$status"
