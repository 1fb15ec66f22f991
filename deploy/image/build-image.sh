#!/usr/bin/env bash
# Builds the ordo-orderer OCI image from a release archive, without any registry image: the base is
# `scratch`, filled with a minimal Debian root made by debootstrap from Debian's packages, a Java
# runtime jlinked down to the modules Ordo uses, and the release. Needs root, buildah, debootstrap
# and a JDK (jlink, jdeps) of the version the runtime should be.
#
#   deploy/image/build-image.sh RELEASE.tar.gz [IMAGE]     (IMAGE: localhost/ordo-orderer:VERSION)
#
# Environment:
#   ORDO_IMAGE_CACHE   where the Debian root is kept between builds (default ~/.cache/ordo-image)
#   DEBIAN_MIRROR      the mirror debootstrap uses (default http://deb.debian.org/debian)
#   DEBIAN_SUITE       (default bookworm)
#   STORAGE_DRIVER     buildah's storage driver (default vfs, which works inside other containers)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
fail() {
  echo "build-image: $*" >&2
  exit 1
}

[ $# -ge 1 ] || fail "usage: build-image.sh RELEASE.tar.gz [IMAGE]"
release="$(readlink -f "$1")"
[ -f "$release" ] || fail "no release archive at $1 (mvn -B package -pl ordo-dist -am makes it)"
version="$(basename "$release" .tar.gz)"
version="${version#ordo-}"
image="${2:-localhost/ordo-orderer:$version}"
[ "$(id -u)" = 0 ] || fail "needs root (debootstrap, and buildah's storage)"
for tool in buildah debootstrap jlink jdeps; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is not on PATH"
done
export STORAGE_DRIVER="${STORAGE_DRIVER:-vfs}"
suite="${DEBIAN_SUITE:-bookworm}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
cache="${ORDO_IMAGE_CACHE:-${HOME:-/root}/.cache/ordo-image}"
uid=10050

work="$(mktemp -d "${TMPDIR:-/tmp}/ordo-image.XXXXXX")"
ctr=""
cleanup() {
  if [ -n "$ctr" ]; then
    buildah umount "$ctr" >/dev/null 2>&1 || true
    buildah rm "$ctr" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# 1. A minimal Debian root, made once and kept as a tarball: debootstrap takes minutes.
debian="$cache/debian-$suite-minbase.tar"
if [ ! -f "$debian" ]; then
  mkdir -p "$cache"
  echo "build-image: debootstrap $suite (minbase) from $mirror" >&2
  debootstrap --variant=minbase "$suite" "$work/debian" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    fail "debootstrap failed; see the end of its log: $(tail -n 3 "$work/debootstrap.log" | tr '\n' ' ')"
  tar -C "$work/debian" -cf "$debian.partial" . && mv "$debian.partial" "$debian"
  rm -rf "$work/debian"
fi
root="$work/root"
mkdir -p "$root"
tar -C "$root" -xf "$debian"
# what a container never uses: package manager caches, documentation, locales
rm -rf "$root"/var/cache/apt/* "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* \
  "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/*

# 2. The release, as an operator unpacks it, and its sample configuration as Fabric's images
#    place theirs.
mkdir -p "$root/opt/ordo" "$root/etc/hyperledger/fabric"
tar -C "$root/opt/ordo" --strip-components=1 -xzf "$release"
cp "$root/opt/ordo/config/orderer.yaml" "$root/opt/ordo/config/configtx.yaml" "$root/etc/hyperledger/fabric/"

# 3. A Java runtime of just the modules the jar uses (jdeps), and those it reaches by reflection or
#    service loading: JMX and the OS bean for the process metrics, DNS for gRPC's resolver, the EC
#    crypto provider, sun.misc.Unsafe.
jar="$root/opt/ordo/lib/ordo.jar"
modules="$(jdeps --ignore-missing-deps --multi-release 21 --print-module-deps "$jar" 2>/dev/null)" ||
  fail "jdeps could not read $jar"
modules="$modules,jdk.management,jdk.naming.dns,jdk.crypto.ec,jdk.unsupported,jdk.zipfs"
jlink --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --compress=zip-6 --output "$root/opt/ordo/runtime" >/dev/null 2>&1 ||
  jlink --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
    --output "$root/opt/ordo/runtime" ||
  fail "jlink failed for modules $modules"

# 4. Its own user, owning only the data and the node's material.
echo "ordo:x:$uid:$uid:Ordo orderer:/var/hyperledger:/usr/sbin/nologin" >>"$root/etc/passwd"
echo "ordo:x:$uid:" >>"$root/etc/group"
mkdir -p "$root/var/hyperledger/production/orderer" "$root/var/hyperledger/orderer/msp" \
  "$root/var/hyperledger/orderer/tls"
chown -R "$uid:$uid" "$root/var/hyperledger"

# 5. The image: scratch plus that root, Fabric's environment and ports, the node as entrypoint.
ctr="$(buildah from scratch)"
mnt="$(buildah mount "$ctr")"
cp -a "$root/." "$mnt/"
env_flags=()
while IFS= read -r line; do
  case "$line" in '' | \#*) continue ;; esac
  env_flags+=(--env "$line")
done <"$here/image.env"
buildah config "${env_flags[@]}" \
  --env PATH=/opt/ordo/bin:/opt/ordo/runtime/bin:/usr/local/bin:/usr/bin:/bin \
  --port 7050/tcp --port 7053/tcp --port 9443/tcp \
  --user "$uid:$uid" \
  --workingdir /var/hyperledger \
  --volume /var/hyperledger/production \
  --entrypoint '["/opt/ordo/bin/ordo", "orderer", "start"]' \
  --cmd '[]' \
  --label org.opencontainers.image.title=ordo-orderer \
  --label org.opencontainers.image.version="$version" \
  --label org.opencontainers.image.description="Ordo, a Raft ordering service for Hyperledger Fabric" \
  --label org.opencontainers.image.licenses=Apache-2.0 \
  "$ctr"
buildah umount "$ctr" >/dev/null
buildah commit --quiet "$ctr" "$image" >/dev/null
buildah rm "$ctr" >/dev/null
ctr=""
echo "$image"
