#!/usr/bin/env bash
# Start-up of the short commands, Ordo's release beside Fabric's tools doing the same job, in
# alternated rounds (Fabric, Ordo with its class-data archives, Ordo without), each command timed
# from fork to exit. Prints min / median / max per command in milliseconds, as docs/benchmarks.md
# shows them.
#
#   ordo-dist/startup-vs-fabric.sh RELEASE.tar.gz FABRIC_BIN [ROUNDS]
#
# FABRIC_BIN holds osnadmin, configtxgen and cryptogen (Fabric v3.0.0's release). One Ordo node is
# started from the release for the channel list; it and the temporary folder go when the script ends.
set -euo pipefail

release="$(readlink -f "${1:?usage: startup-vs-fabric.sh RELEASE.tar.gz FABRIC_BIN [ROUNDS]}")"
fabric="$(readlink -f "${2:?usage: startup-vs-fabric.sh RELEASE.tar.gz FABRIC_BIN [ROUNDS]}")"
rounds="${3:-11}"
for tool in osnadmin configtxgen cryptogen; do
  [ -x "$fabric/$tool" ] || { echo "startup-vs-fabric: no $fabric/$tool" >&2; exit 1; }
done

work="$(mktemp -d "${TMPDIR:-/tmp}/ordo-startup.XXXXXX")"
node_pid=""
cleanup() {
  if [ -n "$node_pid" ]; then kill "$node_pid" 2>/dev/null || true; wait "$node_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
tar -C "$work" -xzf "$release"
home="$(echo "$work"/ordo-*)"
export ORDO_CDS_DIR="$work/cds"
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
for ((r = 1; r <= rounds; r++)); do
  rm -rf "$work/fc" "$work/oc" "$work/nc"
  run_round "channel list|Fabric osnadmin" "$fabric/osnadmin" channel list -o 127.0.0.1:$admin "${tls[@]}"
  run_round "channel list|ordo" "$ordo" channel list -o 127.0.0.1:$admin "${tls[@]}"
  run_round "channel list|ordo, no archive" env ORDO_CDS_DIR=off "$ordo" channel list -o 127.0.0.1:$admin "${tls[@]}"
  run_round "genesis|Fabric configtxgen" "$fabric/configtxgen" -configPath config -profile ChannelUsingRaft -channelID mychannel -outputBlock "$work/f.block"
  run_round "genesis|ordo" "$ordo" genesis --configPath config --profile ChannelUsingRaft --channelID mychannel --outputBlock "$work/o.block"
  run_round "genesis|ordo, no archive" env ORDO_CDS_DIR=off "$ordo" genesis --configPath config --profile ChannelUsingRaft --channelID mychannel --outputBlock "$work/n.block"
  run_round "crypto generate|Fabric cryptogen" "$fabric/cryptogen" generate --config config/crypto-config.yaml --output "$work/fc"
  run_round "crypto generate|ordo" "$ordo" crypto generate --config config/crypto-config.yaml --output "$work/oc"
  run_round "crypto generate|ordo, no archive" env ORDO_CDS_DIR=off "$ordo" crypto generate --config config/crypto-config.yaml --output "$work/nc"
done

printf '%-16s %-22s %8s %8s %8s\n' command tool min median max
for key in "channel list|Fabric osnadmin" "channel list|ordo" "channel list|ordo, no archive" \
  "genesis|Fabric configtxgen" "genesis|ordo" "genesis|ordo, no archive" \
  "crypto generate|Fabric cryptogen" "crypto generate|ordo" "crypto generate|ordo, no archive"; do
  read -r -a xs <<<"${samples[$key]}"
  sorted=($(printf '%s\n' "${xs[@]}" | sort -n))
  n=${#sorted[@]}
  printf '%-16s %-22s %8s %8s %8s\n' "${key%%|*}" "${key#*|}" "${sorted[0]}" "${sorted[$((n / 2))]}" "${sorted[$((n - 1))]}"
done
