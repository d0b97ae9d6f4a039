#!/usr/bin/env bash
# The macOS disk image around the .app PyInstaller built (on macOS only):
#
#   packaging/macos/make-dmg.sh VERSION
#
# reads "dist/AICode Manager.app" and writes dist/aicode-manager-VERSION.dmg: the
# app beside a link to /Applications, to drag it onto. Run from the repository's
# root after `pyinstaller packaging/aicode.spec` (.github/workflows/build.yml).
# Signing and notarising need an Apple Developer identity: with
# AICODE_CODESIGN_IDENTITY set, the app is signed (hardened runtime) before the
# image is made; without it, it is not, and Gatekeeper asks the user to allow it.
set -euo pipefail

VERSION=${1:?usage: packaging/macos/make-dmg.sh VERSION}
APP="dist/AICode Manager.app"
DMG=dist/aicode-manager-$VERSION.dmg
[[ -d $APP ]] || { echo "make-dmg.sh: $APP is missing: run pyinstaller packaging/aicode.spec first" >&2; exit 1; }
plist_version=$(/usr/libexec/PlistBuddy -c 'Print :CFBundleShortVersionString' "$APP/Contents/Info.plist")
[[ $plist_version == "$VERSION" ]] || { echo "make-dmg.sh: the app is $plist_version, not $VERSION" >&2; exit 1; }

if [[ -n ${AICODE_CODESIGN_IDENTITY:-} ]]; then
    codesign --force --deep --options runtime --timestamp --sign "$AICODE_CODESIGN_IDENTITY" "$APP"
fi

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp -R "$APP" "$stage/"
ln -s /Applications "$stage/Applications"
rm -f "$DMG"
hdiutil create -volname "AICode Manager $VERSION" -srcfolder "$stage" -fs HFS+ -format UDZO -ov "$DMG"
echo "$DMG"
