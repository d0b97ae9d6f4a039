#!/usr/bin/env bash
# Make a Debian base image locally (no image registry needed): debootstrap a
# minimal bookworm into a folder and `docker import` it. Skipped when the
# image exists. Usage: scripts/make-base-image.sh [TAG]
set -eu
tag=${1:-aicode-base:bookworm}
docker image inspect "$tag" >/dev/null 2>&1 && exit 0
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }
if ! command -v debootstrap >/dev/null; then
  echo "Installing debootstrap..." >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null 2>&1 \
    || { as_root apt-get update -qq >/dev/null 2>&1 && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; } \
    || { echo "error: could not install debootstrap" >&2; exit 1; }
fi
# The machine's own Debian mirror, as apt is configured here.
host_mirror() {
  { grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}';
    grep -hE '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}'; } | grep -v security | head -n 1
}
mirror=${AICODE_DEBIAN_MIRROR:-$(host_mirror)}
[ -n "$mirror" ] || { echo "error: no Debian mirror found in apt's sources; set AICODE_DEBIAN_MIRROR" >&2; exit 1; }
root=$(mktemp -d /tmp/aicode-rootfs.XXXXXX)
trap 'as_root rm -rf "$root"' EXIT
echo "Making the base image $tag with debootstrap (about 30 s)..." >&2
as_root debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.log" 2>&1 \
  || { echo "error: debootstrap failed; see $root.log" >&2; exit 1; }
as_root rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
as_root tar -C "$root" -c . | docker import -c 'CMD ["/bin/bash"]' - "$tag" >/dev/null
rm -f "$root.log"
echo "Made $tag" >&2
