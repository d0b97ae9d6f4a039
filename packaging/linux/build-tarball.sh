#!/usr/bin/env bash
# The bundle for Linux distributions without apt: a tarball with its own per-user installer.
#
#   packaging/linux/build-tarball.sh [BUNDLE [OUT_DIR]]
#
# (defaults: dist/aicode-manager and dist) writes
# OUT_DIR/aicode-manager-<version>-linux-<arch>.tar.gz holding
#   aicode-manager-<version>-linux-<arch>/aicode-manager/           the bundle
#   aicode-manager-<version>-linux-<arch>/install.sh                packaging/install-linux.sh
#   aicode-manager-<version>-linux-<arch>/aicode-manager.desktop    its menu entry
# and prints its path last. `install.sh` installs into ~/.local (see install-linux.sh).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
NAME=aicode-manager
BUNDLE=$(cd "${1:-$ROOT/dist/$NAME}" && pwd)
OUT=$(mkdir -p "${2:-$ROOT/dist}" && cd "${2:-$ROOT/dist}" && pwd)
[[ -x $BUNDLE/aicode && -x $BUNDLE/aicode-desktop ]] || {
    echo "build-tarball.sh: $BUNDLE is not a bundle from packaging/build.sh" >&2
    exit 1
}
version=$("$BUNDLE/aicode" --version | sed -n 's/^aicode //p')
folder=$NAME-$version-linux-$(uname -m)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/$folder"
cp -a "$BUNDLE" "$stage/$folder/$NAME"
install -m 755 "$ROOT/packaging/install-linux.sh" "$stage/$folder/install.sh"
install -m 644 "$ROOT/packaging/$NAME.desktop" "$stage/$folder/$NAME.desktop"
tar -C "$stage" --owner=0 --group=0 -czf "$OUT/$folder.tar.gz" "$folder"
echo "build-tarball.sh: $folder.tar.gz: $(du -h "$OUT/$folder.tar.gz" | cut -f1)" >&2
echo "$OUT/$folder.tar.gz"
