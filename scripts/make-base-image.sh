#!/usr/bin/env bash
# Builds a minimal Node base image from this host, with no network: the host's `node` binary, the
# shared libraries it links (ldd), the CA bundle, /etc/passwd with a `node` user (uid 1000) and /tmp.
# CI and tests build the worker with `--build-arg BASE_IMAGE=<this tag>` because no base image can
# be pulled here; worker/Dockerfile's default base is the official Node 20 slim image.
#
# Usage: scripts/make-base-image.sh [TAG]        (default batch-snowflake/node-base:local)
# The image is labelled with the node version; an image with the same tag and version is reused.
set -euo pipefail

TAG=${1:-batch-snowflake/node-base:local}
NODE_BIN=$(readlink -f "$(command -v node)")
NODE_VERSION=$("$NODE_BIN" --version)
LABEL=batch-snowflake.node-version

existing=$(docker image inspect --format "{{index .Config.Labels \"$LABEL\"}}" "$TAG" 2>/dev/null || true)
if [[ $existing == "$NODE_VERSION" ]]; then
  echo "make-base-image: $TAG already holds node $NODE_VERSION"
  exit 0
fi

if [[ $(uname -m) != x86_64 ]]; then
  echo "make-base-image: the worker image is linux/amd64; this host is $(uname -m)" >&2
  exit 1
fi

ROOTFS=$(mktemp -d)
trap 'rm -rf "$ROOTFS"' EXIT

mkdir -p "$ROOTFS/usr/local/bin" "$ROOTFS/etc/ssl/certs" "$ROOTFS/tmp" "$ROOTFS/home/node"
chmod 1777 "$ROOTFS/tmp"
cp "$NODE_BIN" "$ROOTFS/usr/local/bin/node"

# Every absolute path ldd prints (the loader included), copied with its directories, links resolved.
ldd "$NODE_BIN" | grep -o '/[^ ]*' | sort -u | while read -r lib; do
  cp --parents -L "$lib" "$ROOTFS"
done

if [[ -f /etc/ssl/certs/ca-certificates.crt ]]; then
  cp -L /etc/ssl/certs/ca-certificates.crt "$ROOTFS/etc/ssl/certs/"
fi
printf 'root:x:0:0:root:/root:/sbin/nologin\nnode:x:1000:1000:node:/home/node:/sbin/nologin\n' >"$ROOTFS/etc/passwd"
printf 'root:x:0:\nnode:x:1000:\n' >"$ROOTFS/etc/group"
chown 1000:1000 "$ROOTFS/home/node"

tar -C "$ROOTFS" --numeric-owner -c . | docker import \
  --platform linux/amd64 \
  --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
  --change "ENV NODE_VERSION=${NODE_VERSION#v}" \
  --change "LABEL $LABEL=$NODE_VERSION" \
  --change 'CMD ["node"]' \
  - "$TAG" >/dev/null

size=$(docker image inspect --format '{{.Size}}' "$TAG")
echo "make-base-image: built $TAG (node $NODE_VERSION, $((size / 1024 / 1024)) MiB)"
