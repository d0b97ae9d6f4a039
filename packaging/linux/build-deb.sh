#!/usr/bin/env bash
# Make the Debian package from the frozen bundle:
#
#   packaging/linux/build-deb.sh [BUNDLE [OUT_DIR]]
#
# (defaults: dist/aicode-manager and dist) writes OUT_DIR/aicode-manager_<version>_amd64.deb
# and prints its path last. The version is the bundle's own (`aicode --version`),
# which is desktop.__version__ (a pre-release such as 1.2.0rc1 becomes 1.2.0~rc1,
# so that it sorts before 1.2.0).
#
# What it installs, all of it owned by the package (so `apt remove` takes it all
# and nothing else; there are no maintainer scripts, and the user's data folder
# and keyring are never the package's):
#   /opt/aicode-manager/                the bundle
#   /usr/bin/aicode, /usr/bin/aicode-desktop   links into it
#   /usr/share/applications/aicode-manager.desktop
#   /usr/share/icons/hicolor/*/apps/aicode-manager.{png,svg}
#   /usr/share/metainfo/<id>.metainfo.xml      AppStream, one release per CHANGELOG.md entry
#   /usr/share/doc/aicode-manager/      copyright, changelog
# The menu and icon caches are refreshed by dpkg's triggers (desktop-file-utils,
# hicolor-icon-theme), not by scripts of ours.
#
# Depends: is derived, not listed by hand: system_depends.py reads every ELF file in
# the bundle and names the Debian packages of the shared libraries the bundle does
# not carry (libc, libxcb, GL, EGL, Wayland's client libraries), plus git (the app
# runs the host's git) and ca-certificates (the credential proxy's TLS). A Secret Service
# provider is Recommends:, a Docker engine Suggests: (it may be Docker Desktop or a
# remote engine).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PY=${PY:-$ROOT/.venv/bin/python}
NAME=aicode-manager
BUNDLE=$(cd "${1:-$ROOT/dist/$NAME}" && pwd)
OUT=$(mkdir -p "${2:-$ROOT/dist}" && cd "${2:-$ROOT/dist}" && pwd)
STAGE=${AICODE_DEB_STAGE:-$ROOT/build/deb} # where the tree is laid out
PKG=$STAGE/root
METAINFO_ID=$(sed -n 's|.*<id>\(.*\)</id>.*|\1|p' "$HERE/$NAME.metainfo.xml")

die() {
    echo "build-deb.sh: $*" >&2
    exit 1
}
for tool in dpkg-deb readelf gzip; do
    command -v "$tool" >/dev/null || die "$tool is missing (apt-get install dpkg binutils gzip)"
done
[[ -x $BUNDLE/aicode && -x $BUNDLE/aicode-desktop ]] || die "$BUNDLE is not a bundle from packaging/build.sh"

version=$("$BUNDLE/aicode" --version | sed -n 's/^aicode //p')
[[ $version =~ ^[0-9][0-9A-Za-z.+~-]*$ ]] || die "the bundle's version '$version' is not a version"
deb_version=$(sed -E 's/\.?(a|b|rc|dev)([0-9]+)$/~\1\2/' <<<"$version")
arch=$(dpkg --print-architecture)
deb=$OUT/${NAME}_${deb_version}_${arch}.deb

# -- the tree ------------------------------------------------------------------------
rm -rf "$STAGE"
mkdir -p "$PKG/opt" "$PKG/usr/bin" "$PKG/usr/share/applications" "$PKG/usr/share/icons" \
    "$PKG/usr/share/metainfo" "$PKG/usr/share/doc/$NAME" "$PKG/DEBIAN"
cp -a "$BUNDLE" "$PKG/opt/$NAME"
for exe in aicode aicode-desktop; do
    ln -s "/opt/$NAME/$exe" "$PKG/usr/bin/$exe"
done
# The desktop entry names the programs on PATH (/usr/bin), as it is written.
install -m 644 "$ROOT/packaging/$NAME.desktop" "$PKG/usr/share/applications/$NAME.desktop"
"$PY" "$ROOT/packaging/render_icons.py" "$STAGE/icons" >/dev/null
cp -r "$STAGE/icons/hicolor" "$PKG/usr/share/icons/"

# AppStream's releases, from CHANGELOG.md's "## [1.2.0] - 2026-11-30" headings.
releases=$(sed -nE 's/^## \[([^]]+)\] - ([0-9]{4}-[0-9]{2}-[0-9]{2}).*/    <release version="\1" date="\2"\/>/p' "$ROOT/CHANGELOG.md")
grep -q "version=\"$version\"" <<<"$releases" || die "CHANGELOG.md has no entry for $version"
awk -v releases="$releases" '/<!-- build-deb.sh writes/ {print releases; next} {print}' \
    "$HERE/$NAME.metainfo.xml" >"$PKG/usr/share/metainfo/$METAINFO_ID.metainfo.xml"

gzip -9n <"$ROOT/CHANGELOG.md" >"$PKG/usr/share/doc/$NAME/changelog.gz"
cat >"$PKG/usr/share/doc/$NAME/copyright" <<'EOF'
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: AICode Manager

Files: *
Copyright: the AICode Manager authors
License: MIT
Comment: /opt/aicode-manager/_internal carries Python (PSF-2.0), Qt for Python
 (LGPL-3.0), and the Python packages the app uses, each under its own licence.

License: MIT
 Permission is hereby granted, free of charge, to any person obtaining a copy of
 this software and associated documentation files (the "Software"), to deal in
 the Software without restriction, including without limitation the rights to
 use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of
 the Software, and to permit persons to whom the Software is furnished to do so,
 subject to the following conditions:
 .
 The above copyright notice and this permission notice shall be included in all
 copies or substantial portions of the Software.
 .
 THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
 IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS
 FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR
 COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN
 AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION
 WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
EOF
chmod -R u+rwX,go+rX,go-w "$PKG"

# -- Depends: ------------------------------------------------------------------------
shlibs=$("$PY" "$HERE/system_depends.py" "$PKG/opt/$NAME") || die "could not derive Depends:"

installed_kb=$(du -sk --exclude=DEBIAN "$PKG" | cut -f1)
cat >"$PKG/DEBIAN/control" <<EOF
Package: $NAME
Version: $deb_version
Architecture: $arch
Maintainer: AICode Manager <noreply@aicode-manager.invalid>
Installed-Size: $installed_kb
Depends: $shlibs, git, ca-certificates
Recommends: gnome-keyring | libkf5wallet-bin | keepassxc
Suggests: docker.io | docker-ce
Section: devel
Priority: optional
Description: Run the Claude Code CLI safely in containers on your own Docker engine
 Point AICode Manager at a project folder or a git URL, type a task, and watch
 the agent work in an isolated container. The agent never writes your files: it
 works on its own copy, and you review its changes as a diff and apply or
 discard them. Your API key lives in the OS keyring (a Secret Service such as
 GNOME Keyring or KWallet). Needs a Docker engine, local or remote.
 .
 This package installs the desktop app (aicode-desktop) and the headless
 aicode command.
EOF

# What `dpkg --verify` checks the installed files against.
(cd "$PKG" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z | xargs -0 md5sum) >"$PKG/DEBIAN/md5sums"
# xz -1: under a minute here, where xz's default level takes four for 10% less.
dpkg-deb --root-owner-group -Zxz "-z${AICODE_DEB_XZ_LEVEL:-1}" --build "$PKG" "$deb" >/dev/null
echo "build-deb.sh: $(basename "$deb"): $(du -h "$deb" | cut -f1), installs ${installed_kb} KiB" >&2
echo "$deb"
