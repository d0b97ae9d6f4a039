#!/usr/bin/env bash
# The clean-system install test of the Debian package (run by packaging/build.sh,
# not by the unit suite):
#
#   packaging/test-install.sh DEB [VERSION [TARBALL]]
#
# starts a fresh container of a plain Debian image (aicode-base:bookworm, made
# locally by scripts/make-base-image.sh with debootstrap from the machine's apt
# mirror: no image registry needed), with the host's Docker socket passed in, and
# runs packaging/linux/install-check.sh there: install DEB with apt, use it as a
# person would (`aicode --version` must print VERSION, default desktop.__version__;
# `aicode doctor` must see the host's engine; the menu entry, the icon; the GUI
# starts offscreen and quits), remove it with `apt-get purge` and check that
# nothing is left but that person's data; given TARBALL (build-tarball.sh's), it
# installs that with its install.sh too. The container is removed afterwards,
# whatever happens. Exits non-zero if a check failed.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
IMAGE=${AICODE_INSTALL_TEST_IMAGE:-aicode-base:bookworm}
die() {
    echo "test-install.sh: $*" >&2
    exit 2
}
[[ $# -ge 1 && -f $1 ]] || die "usage: packaging/test-install.sh DEB [VERSION [TARBALL]]"
DEB=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
VERSION=${2:-$(cd "$ROOT" && "$ROOT/.venv/bin/python" -c 'import desktop; print(desktop.__version__)')}
TARBALL=${3:-}
[[ -z $TARBALL || -f $TARBALL ]] || die "no tarball at $TARBALL"
docker info >/dev/null 2>&1 || die "no Docker engine answers"
socket=${DOCKER_HOST:-unix:///var/run/docker.sock}
[[ $socket == unix://* && -S ${socket#unix://} ]] || die "the engine is not at a local socket ($socket)"

"$ROOT/scripts/make-base-image.sh" "$IMAGE"

# The package and the check script, read-only, in a folder of their own.
stage=$(mktemp -d "${TMPDIR:-/tmp}/aicode-install-test.XXXXXX")
name=aicode-install-test-$$
cleanup() {
    docker rm -f "$name" >/dev/null 2>&1 || true
    rm -rf "$stage"
}
trap cleanup EXIT
cp "$DEB" ${TARBALL:+"$TARBALL"} "$ROOT/packaging/linux/install-check.sh" "$stage/"
chmod -R a+rX "$stage"

docker run -d --name "$name" --label aicode.test=install-test \
    -v "$stage:/pkg:ro" -v "${socket#unix://}:/var/run/docker.sock" \
    "$IMAGE" sleep infinity >/dev/null
docker exec "$name" bash /pkg/install-check.sh "/pkg/$(basename "$DEB")" "$VERSION" ${TARBALL:+"/pkg/$(basename "$TARBALL")"}
