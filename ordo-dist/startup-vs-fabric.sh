#!/usr/bin/env bash
# Start-up of the short commands, Ordo's release beside Fabric's tools doing the same job, in
# alternated rounds (Fabric; Ordo served by its tool server; Ordo run directly, as a first call is,
# with its class-data archives and without), each command timed from fork to exit. Prints min /
# median / max per command in milliseconds, as docs/benchmarks.md shows them, and how long the tool
# server takes to start in the background after a first call.
#
#   ordo-dist/startup-vs-fabric.sh RELEASE.tar.gz FABRIC_BIN [ROUNDS]
#
# FABRIC_BIN holds osnadmin, configtxgen and cryptogen (Fabric v3.0.0's release). One Ordo node is
# started from the release for the channel list; it, the tool server and the temporary folder go
# when the script ends.
set -euo pipefail

release="$(readlink -f "${1:?usage: startup-vs-fabric.sh RELEASE.tar.gz FABRIC_BIN [ROUNDS]}")"
fabric="$(readlink -f "${2:?usage: startup-vs-fabric.sh RELEASE.tar.gz FABRIC_BIN [ROUNDS]}")"
rounds="${3:-11}"
for tool in osnadmin configtxgen cryptogen; do
  [ -x "$fabric/$tool" ] || { echo "startup-vs-fabric: no $fabric/$tool" >&2; exit 1; }
done

work="$(mktemp -d "${TMPDIR:-/tmp}/ordo-startup.XXXXXX")"
node_pid=""
stop_tool_server() {
  local f port token pid
  for f in "$work"/tools/*.port; do
    [ -f "$f" ] || continue
    read -r port token pid <"$f" && kill "$pid" 2>/dev/null || true
  done
}
cleanup() {
  if [ -n "$node_pid" ]; then kill "$node_pid" 2>/dev/null || true; wait "$node_pid" 2>/dev/null || true; fi
  stop_tool_server
  rm -rf "$work"
}
trap cleanup EXIT
tar -C "$work" -xzf "$release"
home="$(echo "$work"/ordo-*)"
export ORDO_CDS_DIR="$work/cds" ORDO_TOOL_SERVER_DIR="$work/tools" ORDO_TOOL_SERVER=off
ordo="$home/bin/ordo"
cd "$home"
"$ordo" crypto generate --config config/crypto-config.yaml --output config/crypto >/dev/null
"$ordo" genesis --configPath config --profile ChannelUsingRaft --channelID mychannel \
  --outputBlock mychannel.block >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
client=$(free_port); admin=$(free_port); ops=$(free_port)
FABRIC_CFG_PATH=config ORDERER_GENERAL_LISTENPORT=$client ORDERER_ADMIN_LISTENADDRESS=127.0.0.1:$admin \
  ORDERER_OPERATIONS_LISTENADDRESS=127.0.0.1:$ops "$ordo" orderer start >"$work/node.log" 2>&1 &
node_pid=$!
for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$ops/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
A=config/crypto/ordererOrganizations/example.com
tls=(--ca-file $A/tlsca/tlsca.example.com-cert.pem --client-cert $A/users/Admin@example.com/tls/client.crt
  --client-key $A/users/Admin@example.com/tls/client.key)
"$ordo" channel join -o 127.0.0.1:$admin "${tls[@]}" --channelID mychannel --config-block mychannel.block >/dev/null

# one timed run: milliseconds from fork to exit; a failing command stops the script
timed() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1 || { echo "startup-vs-fabric: failed: $*" >&2; exit 1; }
  end=$(date +%s%N)
  echo $(((end - start) / 1000000))
}

declare -A samples
run_round() {
  local label=$1
  shift
  samples[$label]+="$(timed "$@") "
}
# each command's first run makes its archive (not measured, as a second run of any tool would be)
"$ordo" channel list -o 127.0.0.1:$admin "${tls[@]}" >/dev/null
"$ordo" genesis --configPath config --profile ChannelUsingRaft --channelID mychannel --outputBlock "$work/o.block" >/dev/null
"$ordo" crypto generate --config config/crypto-config.yaml --output "$work/oc" >/dev/null

# the tool server: started by a first call, which runs directly; its start is timed from that call's
# end until its port file is there
server_start_ms=""
ORDO_TOOL_SERVER=on "$ordo" version >/dev/null
start=$(date +%s%N)
for _ in $(seq 1 600); do
  if compgen -G "$work/tools/*.port" >/dev/null; then
    server_start_ms=$((($(date +%s%N) - start) / 1000000))
    break
  fi
  sleep 0.01
done
[ -n "$server_start_ms" ] || { echo "startup-vs-fabric: the tool server did not start; see $work/tools" >&2; exit 1; }
# the server's first request of each command loads its classes (not measured, as the archives' first
# runs are not); its log has the time of each request
ORDO_TOOL_SERVER=on "$ordo" channel list -o 127.0.0.1:$admin "${tls[@]}" >/dev/null
ORDO_TOOL_SERVER=on "$ordo" genesis --configPath config --profile ChannelUsingRaft --channelID mychannel --outputBlock "$work/s.block" >/dev/null
ORDO_TOOL_SERVER=on "$ordo" crypto generate --config config/crypto-config.yaml --output "$work/sc" >/dev/null

for ((r = 1; r <= rounds; r++)); do
  rm -rf "$work/fc" "$work/oc" "$work/nc" "$work/sc"
  run_round "channel list|Fabric osnadmin" "$fabric/osnadmin" channel list -o 127.0.0.1:$admin "${tls[@]}"
  run_round "channel list|ordo, tool server" env ORDO_TOOL_SERVER=on "$ordo" channel list -o 127.0.0.1:$admin "${tls[@]}"
  run_round "channel list|ordo, first call" "$ordo" channel list -o 127.0.0.1:$admin "${tls[@]}"
  run_round "channel list|ordo, no archive" env ORDO_CDS_DIR=off "$ordo" channel list -o 127.0.0.1:$admin "${tls[@]}"
  run_round "genesis|Fabric configtxgen" "$fabric/configtxgen" -configPath config -profile ChannelUsingRaft -channelID mychannel -outputBlock "$work/f.block"
  run_round "genesis|ordo, tool server" env ORDO_TOOL_SERVER=on "$ordo" genesis --configPath config --profile ChannelUsingRaft --channelID mychannel --outputBlock "$work/s.block"
  run_round "genesis|ordo, first call" "$ordo" genesis --configPath config --profile ChannelUsingRaft --channelID mychannel --outputBlock "$work/o.block"
  run_round "genesis|ordo, no archive" env ORDO_CDS_DIR=off "$ordo" genesis --configPath config --profile ChannelUsingRaft --channelID mychannel --outputBlock "$work/n.block"
  run_round "crypto generate|Fabric cryptogen" "$fabric/cryptogen" generate --config config/crypto-config.yaml --output "$work/fc"
  run_round "crypto generate|ordo, tool server" env ORDO_TOOL_SERVER=on "$ordo" crypto generate --config config/crypto-config.yaml --output "$work/sc"
  run_round "crypto generate|ordo, first call" "$ordo" crypto generate --config config/crypto-config.yaml --output "$work/oc"
  run_round "crypto generate|ordo, no archive" env ORDO_CDS_DIR=off "$ordo" crypto generate --config config/crypto-config.yaml --output "$work/nc"
done
served=$(grep -c ': request [0-9]*:' "$work"/tools/*.log || true)
[ "$served" -ge $((3 * rounds)) ] || { echo "startup-vs-fabric: the tool server served $served of $((3 * rounds)) requests" >&2; exit 1; }

printf '%-16s %-22s %8s %8s %8s\n' command tool min median max
for key in "channel list|Fabric osnadmin" "channel list|ordo, tool server" "channel list|ordo, first call" "channel list|ordo, no archive" \
  "genesis|Fabric configtxgen" "genesis|ordo, tool server" "genesis|ordo, first call" "genesis|ordo, no archive" \
  "crypto generate|Fabric cryptogen" "crypto generate|ordo, tool server" "crypto generate|ordo, first call" "crypto generate|ordo, no archive"; do
  read -r -a xs <<<"${samples[$key]}"
  sorted=($(printf '%s\n' "${xs[@]}" | sort -n))
  n=${#sorted[@]}
  printf '%-16s %-22s %8s %8s %8s\n' "${key%%|*}" "${key#*|}" "${sorted[0]}" "${sorted[$((n / 2))]}" "${sorted[$((n - 1))]}"
done
echo "the tool server's own start, in the background after a first call: $server_start_ms ms to its port file"
