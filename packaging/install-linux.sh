#!/usr/bin/env bash
# Install the frozen bundle for the current user (no root), or remove it.
#
#   packaging/install-linux.sh [BUNDLE]     install or upgrade (default BUNDLE: the
#                                           aicode-manager/ beside it, else dist/aicode-manager)
#   packaging/install-linux.sh --uninstall  remove it again
#
# Puts the bundle in ~/.local/opt/aicode-manager, links ~/.local/bin/aicode and
# ~/.local/bin/aicode-desktop to it, and installs the menu entry and its icon
# under ${XDG_DATA_HOME:-~/.local/share}. Running it again is harmless. The
# app's data (~/.local/share/aicode-manager) and the keyring are never touched.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
NAME=aicode-manager
OPT=$HOME/.local/opt/$NAME
BIN=$HOME/.local/bin
DATA=${XDG_DATA_HOME:-$HOME/.local/share}
DESKTOP_FILE=$DATA/applications/$NAME.desktop
ICON=$DATA/icons/hicolor/scalable/apps/$NAME.svg
EXECUTABLES=(aicode aicode-desktop)

die() {
    echo "install-linux.sh: $*" >&2
    exit 1
}

# Our link: a symbolic link into $OPT (ours to replace or remove).
ours() { [[ -L $1 && $(readlink "$1") == "$OPT/"* ]]; }

# The bundle's programs still running. Replacing or deleting their files under
# them would break them: they read their code from the executable as they go.
refuse_if_running() {
    if [[ -x $OPT/aicode ]]; then
        "$OPT/aicode" service stop >/dev/null 2>&1 || true # this environment's warm service
    fi
    local running="" exe pid
    for exe in /proc/[0-9]*/exe; do
        pid=${exe#/proc/}
        pid=${pid%/exe}
        [[ $(readlink "$exe" 2>/dev/null) == "$OPT/"* ]] && running+=" $pid"
    done
    [[ -z $running ]] || die "AICode Manager is still running from $OPT (process$running).
Quit the app, stop its services ('aicode service stop' in each environment, or wait
ten minutes: they exit when idle), then run this again."
}

uninstall() {
    refuse_if_running
    local exe
    for exe in "${EXECUTABLES[@]}"; do
        if ours "$BIN/$exe"; then rm -f "$BIN/$exe"; fi
    done
    rm -f "$DESKTOP_FILE" "$ICON"
    rm -rf "$OPT" "$OPT.new" "$OPT.old"
    refresh_caches
    echo "AICode Manager removed. Your data in ${AICODE_HOME:-$DATA/$NAME} and the keyring are kept."
}

refresh_caches() {
    if command -v update-desktop-database >/dev/null; then
        update-desktop-database -q "$DATA/applications" 2>/dev/null || true
    fi
    if command -v gtk-update-icon-cache >/dev/null && [[ -f $DATA/icons/hicolor/index.theme ]]; then
        gtk-update-icon-cache -q -t "$DATA/icons/hicolor" 2>/dev/null || true
    fi
}

install() {
    local bundle exe
    bundle=$(cd "$1" 2>/dev/null && pwd) || die "no bundle at $1: run packaging/build.sh first"
    for exe in "${EXECUTABLES[@]}"; do
        [[ -x $bundle/$exe ]] || die "$bundle/$exe is missing: not a bundle from packaging/build.sh"
    done
    [[ -f $bundle/_internal/resources/icons/app.svg ]] || die "$bundle has no resources/icons/app.svg"
    [[ $bundle != "$OPT" ]] || die "$bundle is the installed copy itself"
    # Never replace a program that is not ours (say, a pip --user install's aicode).
    for exe in "${EXECUTABLES[@]}"; do
        if [[ -e $BIN/$exe || -L $BIN/$exe ]] && ! ours "$BIN/$exe"; then
            die "$BIN/$exe exists and is not a link to $OPT: remove it first"
        fi
    done
    refuse_if_running

    # Copy beside the old version, then swap: symbolic links inside the bundle
    # are kept (cp -a), and an interrupted copy leaves the old version working.
    mkdir -p "$(dirname "$OPT")" "$BIN" "$(dirname "$DESKTOP_FILE")" "$(dirname "$ICON")"
    rm -rf "$OPT.new" "$OPT.old"
    cp -a "$bundle" "$OPT.new"
    if [[ -e $OPT ]]; then mv "$OPT" "$OPT.old"; fi
    mv "$OPT.new" "$OPT"
    rm -rf "$OPT.old"

    for exe in "${EXECUTABLES[@]}"; do
        ln -sfn "$OPT/$exe" "$BIN/$exe"
    done
    cp "$OPT/_internal/resources/icons/app.svg" "$ICON"
    sed -e "s|^Exec=.*|Exec=$OPT/aicode-desktop|" -e "s|^TryExec=.*|TryExec=$OPT/aicode-desktop|" \
        "$HERE/$NAME.desktop" >"$DESKTOP_FILE.tmp"
    mv "$DESKTOP_FILE.tmp" "$DESKTOP_FILE"
    refresh_caches

    echo "AICode Manager $("$OPT/aicode" --version | sed 's/^aicode //') installed in $OPT"
    echo "  commands: $BIN/aicode, $BIN/aicode-desktop; menu entry: $DESKTOP_FILE"
    case ":$PATH:" in
    *":$BIN:"*) ;;
    *) echo "  note: $BIN is not on your PATH; add it to run 'aicode' by name" ;;
    esac
}

case ${1:-} in
--uninstall) uninstall ;;
-h | --help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//' ;;
-*) die "unknown option $1 (see --help)" ;;
*) # The bundle beside this script (the release tarball), else the build's.
    if [[ -z ${1:-} && -d $HERE/$NAME ]]; then install "$HERE/$NAME"; else install "${1:-$HERE/../dist/$NAME}"; fi ;;
esac
