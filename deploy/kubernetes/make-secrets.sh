#!/usr/bin/env bash
# Writes, on stdout, the Secrets ordererorg.yaml mounts: for each pod orderer-N, its MSP
# (orderer-N-msp) and its TLS files (orderer-N-tls), from cryptogen's output folder (as
# `ordo crypto generate --config crypto-config.yaml --output crypto` writes it). The keys are the
# names the StatefulSet's projected volume maps to files; cryptogen's file names, which carry the
# domain, are left behind (config.yaml is rewritten to name the CA certificate's new file).
#
#   ./make-secrets.sh crypto [DOMAIN] [NODES] | kubectl apply -f -
set -euo pipefail

crypto="${1:?usage: make-secrets.sh CRYPTO_DIR [DOMAIN] [NODES]}"
domain="${2:-example.com}"
nodes="${3:-3}"
namespace=ordo

b64() { base64 -w0 <"$1"; }
only() { # the one file in a folder
  local files=("$1"/*)
  [ ${#files[@]} -eq 1 ] && [ -f "${files[0]}" ] || {
    echo "make-secrets: expected one file in $1" >&2
    exit 1
  }
  echo "${files[0]}"
}

for ((i = 0; i < nodes; i++)); do
  node="$crypto/ordererOrganizations/$domain/orderers/orderer-$i.$domain"
  [ -d "$node" ] || {
    echo "make-secrets: no $node (is $crypto cryptogen's output for crypto-config.yaml?)" >&2
    exit 1
  }
  msp="$node/msp"
  tls="$node/tls"
  config=$(sed -e 's#cacerts/[^ ]*\.pem#cacerts/ca-cert.pem#' "$msp/config.yaml" | base64 -w0)
  cat <<YAML
---
apiVersion: v1
kind: Secret
metadata:
  name: orderer-$i-msp
  namespace: $namespace
type: Opaque
data:
  cacert.pem: $(b64 "$(only "$msp/cacerts")")
  signcert.pem: $(b64 "$(only "$msp/signcerts")")
  key.pem: $(b64 "$(only "$msp/keystore")")
  tlscacert.pem: $(b64 "$(only "$msp/tlscacerts")")
  config.yaml: $config
---
apiVersion: v1
kind: Secret
metadata:
  name: orderer-$i-tls
  namespace: $namespace
type: kubernetes.io/tls
data:
  tls.crt: $(b64 "$tls/server.crt")
  tls.key: $(b64 "$tls/server.key")
  server.crt: $(b64 "$tls/server.crt")
  server.key: $(b64 "$tls/server.key")
  ca.crt: $(b64 "$tls/ca.crt")
YAML
done
