#!/bin/bash
# Two builds of Ordo side by side: rounds alternate between the two checkouts' `ordo` launchers,
# each round a fresh `ordo network up` (3 nodes, free ports) and one `ordo bench` to the leader.
# Both builds' nodes run with the same JVM flags (NODE_FLAGS, default the flags of this checkout's
# node-jvm.options), so that only the code differs.
#
#   bench/compare-builds.sh CHECKOUT_A CHECKOUT_B [ROUNDS] [BENCH FLAGS...]
#
# Each checkout must hold a built ordo-cli/target/ordo.jar (`mvn -B package -DskipTests -pl ordo-cli
# -am`); the launchers run with ORDO_SKIP_BUILD=1. Prints one line per run: build, round, tx/s,
# p50, p99 (as `ordo bench` printed them; colours are off when the output is not a terminal), then each build's min, median and max tx/s.
set -euo pipefail
a=$(cd "$1" && pwd)
b=$(cd "$2" && pwd)
rounds=${3:-3}
shift $(($# < 3 ? $# : 3))
bench_flags=("$@")
[ ${#bench_flags[@]} -gt 0 ] || bench_flags=(--tx 30000 --node leader)
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
options="$here/ordo-cli/src/main/resources/io/ordo/cli/node-jvm.options"
flags=${NODE_FLAGS:-$(grep '^-' "$options" | tr '\n' ' ')}
work=$(mktemp -d)
results="$work/results.txt"
current=""
trap '[ -z "$current" ] || ORDO_SKIP_BUILD=1 "$current/ordo" network down --dir "$work/net" >/dev/null 2>&1 || true' EXIT

run() {
  local name=$1 checkout=$2 round=$3 out
  current=$checkout
  ORDO_SKIP_BUILD=1 ORDO_NODE_JAVA_OPTS="$flags" MALLOC_ARENA_MAX=2 \
    "$checkout/ordo" network up --detach --clean --dir "$work/net" >/dev/null
  out=$(ORDO_SKIP_BUILD=1 "$checkout/ordo" bench --network "$work/net" "${bench_flags[@]}" 2>&1)
  ORDO_SKIP_BUILD=1 "$checkout/ordo" network down --dir "$work/net" >/dev/null
  current=""
  local tps p50 p99
  tps=$(echo "$out" | sed -n 's/^committed  *\([0-9,.]*\) tx\/s$/\1/p' | tr -d ,)
  p50=$(echo "$out" | sed -n 's/^latency *p50 \([0-9,.]*\) ms.*/\1/p' | tr -d ,)
  p99=$(echo "$out" | sed -n 's/^latency.* p99 \([0-9,.]*\) ms.*/\1/p' | tr -d ,)
  echo "$name round $round: ${tps:-?} tx/s, p50 ${p50:-?} ms, p99 ${p99:-?} ms"
  echo "$name ${tps:-0}" >>"$results"
}

for r in $(seq 1 "$rounds"); do
  if [ $((r % 2)) -eq 1 ]; then
    run A "$a" "$r"
    run B "$b" "$r"
  else
    run B "$b" "$r"
    run A "$a" "$r"
  fi
done
for name in A B; do
  grep "^$name " "$results" | awk '{ print $2 }' | sort -n |
    awk -v n="$name" '{ v[NR] = $1 } END { printf "%s: min %s, median %s, max %s tx/s\n", n, v[1], v[int((NR + 1) / 2)], v[NR] }'
done
