#!/usr/bin/env bash
# The Linux installers of a smoke-tested bundle, and the clean-system install test
# (packaging/build.sh runs this after its smoke checks):
#
#   packaging/linux/make-installers.sh BUNDLE VERSION
#
# validates the menu entry and the AppStream metadata with the freedesktop tools,
# builds dist/aicode-manager_<version>_amd64.deb (build-deb.sh) and
# dist/aicode-manager-<version>-linux-<arch>.tar.gz (build-tarball.sh), then installs
# both in a fresh Debian container (packaging/test-install.sh) when a Docker engine
# answers. Prints one line per check like build.sh; exits 1 if any failed.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
NAME=aicode-manager
BUNDLE=${1:?usage: make-installers.sh BUNDLE VERSION}
VERSION=${2:?usage: make-installers.sh BUNDLE VERSION}
FAILURES=0
ok() { printf '  ok    %s\n' "$*"; }
skip() { printf '  skip  %s\n' "$*"; }
fail() {
    printf '  FAIL  %s\n' "$*"
    FAILURES=$((FAILURES + 1))
}
indent() { sed 's/^/        | /' | tail -20; }
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT

echo "== the menu entry and the AppStream metadata"
if command -v desktop-file-validate >/dev/null && command -v appstreamcli >/dev/null; then
    if desktop-file-validate "$ROOT/packaging/$NAME.desktop" >"$log/desktop" 2>&1; then
        ok "desktop-file-validate $NAME.desktop"
    else
        fail "desktop-file-validate"
        indent <"$log/desktop"
    fi
    if appstreamcli validate --no-net --explain "$HERE/$NAME.metainfo.xml" >"$log/metainfo" 2>&1; then
        ok "appstreamcli validate $NAME.metainfo.xml"
    else
        fail "appstreamcli validate"
        indent <"$log/metainfo"
    fi
else
    skip "desktop-file-validate or appstreamcli is not installed (desktop-file-utils, appstream)"
fi

echo "== the Debian package and the tarball for other distributions"
deb=$("$HERE/build-deb.sh" "$BUNDLE" "$ROOT/dist" 2>"$log/deb" | tail -1)
if [[ -n $deb && -f $deb ]]; then
    ok "$(tail -1 "$log/deb" | sed 's/^build-deb.sh: //')"
    dpkg-deb -f "$deb" Depends Recommends Suggests | indent
else
    fail "build-deb.sh"
    indent <"$log/deb"
    deb=""
fi
tarball=$("$HERE/build-tarball.sh" "$BUNDLE" "$ROOT/dist" 2>"$log/tarball" | tail -1)
if [[ -n $tarball && -f $tarball ]]; then
    ok "$(tail -1 "$log/tarball" | sed 's/^build-tarball.sh: //')"
else
    fail "build-tarball.sh"
    indent <"$log/tarball"
    tarball=""
fi

if [[ -z $deb ]]; then
    skip "the clean-system install test: no .deb"
elif ! docker info >/dev/null 2>&1; then
    skip "the clean-system install test: no Docker engine"
else
    echo "== the clean-system install test (packaging/test-install.sh)"
    "$ROOT/packaging/test-install.sh" "$deb" "$VERSION" ${tarball:+"$tarball"} || fail "the clean-system install test"
fi
exit $((FAILURES > 0))
