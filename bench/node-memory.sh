#!/bin/bash
# Resident memory of the nodes of a local network under a JVM setting, before and after load.
#
#   bench/node-memory.sh NAME "JVM FLAGS" [VAR=VALUE...]
#
# Starts `ordo network up` (3 nodes, free ports) with ORDO_NODE_JAVA_OPTS set to the flags (an empty
# string: the JVM's defaults; the word `bundled`: node-jvm.options as `ordo orderer start` uses it),
# prints each node's RSS in MB when idle, after `ordo bench --tx 20000` and after a second one, then
# stops the network. BENCH_FLAGS adds flags to the bench (e.g. "--node leader --streams 8 --window
# 500 --payload 1024", a deep pipeline). Run variants alternately: the machine drifts.
set -euo pipefail
name=$1
flags=$2
shift 2
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$(mktemp -d)/net-$name"
if [ "$flags" = bundled ]; then
  jvm=()
elif [ "${flags#bundled }" != "$flags" ]; then
  # bundled plus more flags, placed after node-jvm.options's, as JAVA_TOOL_OPTIONS would be
  jvm=(JAVA_TOOL_OPTIONS="${flags#bundled }")
else
  jvm=(ORDO_NODE_JAVA_OPTS="$flags")
fi
rss() {
  for f in "$dir"/pids/*.pid; do
    awk '/VmRSS/ { printf "%d ", $2 / 1024 }' "/proc/$(cat "$f")/status"
  done
}
trap '"$root/ordo" network down --dir "$dir" >/dev/null 2>&1 || true' EXIT
env "$@" "${jvm[@]}" "$root/ordo" network up --detach --clean --dir "$dir" --ports free >/dev/null
echo "$name idle: $(rss)"
for round in 1 2; do
  # shellcheck disable=SC2086
  "$root/ordo" bench --network "$dir" --tx 20000 ${BENCH_FLAGS:-} | grep -E "^(committed|latency) " || true
  echo "$name after bench $round: $(rss)"
done
