#!/usr/bin/env bash
# Idle CPU of 50 channels on 3 Ordo nodes, with quiet idle channels on (the default) and off
# (Consensus.QuietIdleChannels=false, every channel ticking and heartbeating as in Fabric), in
# alternated rounds. Each round starts a network with `ordo network up --channels N`, lets it
# settle, then reads the user and system CPU time of the three node processes from /proc over a
# window, and stops the network. Prints one line per round and the median per setting, in percent
# of one core for the three processes together.
#
#   ordo-dist/idle-cpu.sh [ROUNDS] [CHANNELS] [SETTLE_SECONDS] [WINDOW_SECONDS]
#
# Run from the repository root; uses ordo-cli/target/ordo.jar as it is (ORDO_SKIP_BUILD=1).
set -euo pipefail

rounds="${1:-2}"
channels="${2:-50}"
settle="${3:-20}"
window="${4:-30}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/ordo-idle-cpu.XXXXXX")"
net="$work/net"
cleanup() {
  ORDO_SKIP_BUILD=1 "$root/ordo" network down --dir "$net" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
tick=$(getconf CLK_TCK)

cpu_ticks() { # the user + system ticks of the node processes
  local sum=0 pid
  for f in "$net"/pids/*.pid; do
    pid=$(cat "$f")
    # fields 14 and 15 of /proc/PID/stat, counted after the command name's closing parenthesis
    sum=$((sum + $(sed 's/^.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}')))
  done
  echo "$sum"
}

declare -A results
for ((r = 1; r <= rounds; r++)); do
  for setting in on off; do
    rm -rf "$net"
    quiet=true
    [ "$setting" = off ] && quiet=false
    ORDERER_CONSENSUS_QUIETIDLECHANNELS=$quiet ORDO_SKIP_BUILD=1 \
      "$root/ordo" network up --dir "$net" --channels "$channels" --detach >/dev/null
    sleep "$settle"
    before=$(cpu_ticks)
    start=$(date +%s.%N)
    sleep "$window"
    after=$(cpu_ticks)
    end=$(date +%s.%N)
    percent=$(awk -v t=$((after - before)) -v hz="$tick" -v s="$start" -v e="$end" \
      'BEGIN {printf "%.1f", 100 * t / hz / (e - s)}')
    echo "round $r, quiet idle channels $setting: $percent % of a core (3 nodes, $channels channels)"
    results[$setting]+="$percent "
    ORDO_SKIP_BUILD=1 "$root/ordo" network down --dir "$net" >/dev/null
  done
done
for setting in on off; do
  median=$(echo "${results[$setting]}" | tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "median, quiet idle channels $setting: $median % of a core"
done
