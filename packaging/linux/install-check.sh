#!/usr/bin/env bash
# Runs INSIDE the fresh Debian container that test-install.sh starts, as root:
#
#   install-check.sh DEB VERSION [TARBALL]
#
# installs DEB with apt (its Depends: and Recommends: resolved from the
# distribution's mirror), checks it as a person "alice" would use it (with a
# session bus and an unlocked GNOME Keyring holding her API key), removes it
# with `apt-get purge`, and checks that nothing is left but alice's data; then,
# given the release tarball, installs that for alice alone with its install.sh and
# uninstalls it again. Prints one line per check ("ok", "FAIL", "note", "report")
# and exits 1 if any failed.
set -uo pipefail

DEB=$1
VERSION=$2
TARBALL=${3:-}
NAME=aicode-manager
USER_NAME=alice
FAILURES=0
ok() { printf '  ok    %s\n' "$*"; }
note() { printf '  note  %s\n' "$*"; }
report() { printf '  report %s\n' "$*"; }
fail() {
    printf '  FAIL  %s\n' "$*"
    FAILURES=$((FAILURES + 1))
}
indent() { sed 's/^/        | /' | tail -"${1:-20}"; }
# A command as alice, in a clean environment (with her session bus once it runs).
as_user() {
    runuser -u "$USER_NAME" -- env -i HOME="/home/$USER_NAME" PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 \
        ${BUS:+DBUS_SESSION_BUS_ADDRESS=$BUS} "$@"
}
ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }

# Everything on the root file system but what the system rewrites by itself.
snapshot() {
    find / -xdev \( -path /proc -o -path /sys -o -path /dev -o -path /tmp -o -path /run -o -path /var/cache \
        -o -path /var/lib/apt -o -path /var/lib/dpkg -o -path /var/log -o -path /pkg \) -prune -o -print | sort
}

export DEBIAN_FRONTEND=noninteractive
echo "== installing $(basename "$DEB") in a fresh $(. /etc/os-release && echo "$PRETTY_NAME")"
apt-get update -qq >/tmp/apt.log 2>&1 || { fail "apt-get update"; indent </tmp/apt.log; exit 1; }

# The person, and their group for the host's Docker socket (passed in by test-install.sh).
useradd -m -s /bin/bash "$USER_NAME"
if [[ -S /var/run/docker.sock ]]; then
    gid=$(stat -c %g /var/run/docker.sock)
    getent group "$gid" >/dev/null || groupadd -g "$gid" hostdocker
    usermod -aG "$(getent group "$gid" | cut -d: -f1)" "$USER_NAME"
fi

# What the package needs, from the distribution (apt resolves the fields as written),
# before the snapshot: so the snapshot after removal shows what the package itself left.
depends=$(dpkg-deb -f "$DEB" Depends)
recommends=$(dpkg-deb -f "$DEB" Recommends)
if apt-get satisfy -y -qq "$depends, $recommends" >/tmp/apt.log 2>&1; then
    ok "Depends and Recommends resolved from the distribution ($(grep -c '^Setting up' /tmp/apt.log) packages)"
else
    fail "apt could not satisfy Depends: $depends / Recommends: $recommends"
    indent </tmp/apt.log
    exit 1
fi
snapshot >/tmp/before.txt
# dpkg removes a folder of the package's that is empty at removal and owned by no
# other package: /opt is such a folder when nothing else is installed there.
[[ -d /opt && -z $(ls -A /opt) ]] && opt_was_empty=1 || opt_was_empty=0

if apt-get install -y -qq "$DEB" >/tmp/apt.log 2>&1; then
    ok "apt-get install $(basename "$DEB")"
else
    fail "apt-get install $(basename "$DEB")"
    indent </tmp/apt.log
    exit 1
fi
dpkg -L "$NAME" >/tmp/owned.txt

# What alice's desktop session would run: a session bus and GNOME Keyring (installed
# as the package's Recommends:), unlocked; the package must never touch what she keeps there.
BUS=""
if command -v dbus-daemon >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
    BUS=$(as_user dbus-daemon --session --fork --print-address=1 | head -1)
    printf 'alice-login' | as_user gnome-keyring-daemon --daemonize --unlock --components=secrets >/dev/null 2>&1 ||
        fail "gnome-keyring-daemon did not start"
    ok "alice's session bus and unlocked GNOME Keyring"
else
    note "no dbus-daemon or gnome-keyring-daemon: the Recommends: did not bring a Secret Service"
fi
KEY="sk-ant-install-test-$RANDOM$RANDOM"

echo "== the installed app"
report "installed size: $(dpkg-query -W -f '${Installed-Size}' "$NAME") KiB (dpkg), $(du -sh /opt/$NAME | cut -f1) in /opt/$NAME"
for exe in aicode aicode-desktop; do
    found=$(as_user bash -c "command -v $exe")
    if [[ $found == /usr/bin/$exe && -x $(readlink -f "$found") ]]; then ok "$exe on PATH: $found"; else fail "$exe on PATH: '$found'"; fi
done

started=$(date +%s%N)
got=$(as_user aicode --version 2>&1)
elapsed=$(ms_since "$started")
if [[ $got == "aicode $VERSION" ]]; then ok "aicode --version: $got"; else fail "aicode --version: '$got', expected 'aicode $VERSION'"; fi
report "start-up: aicode --version ${elapsed} ms"

# Every shared library of the bundle finds what it loads: Depends is complete.
unresolved=$(find /opt/$NAME/_internal -type f \( -name '*.so' -o -name '*.so.*' \) -print0 |
    LD_LIBRARY_PATH=/opt/$NAME/_internal xargs -0 -n 20 ldd 2>/dev/null | grep 'not found' | sort -u)
if [[ -z $unresolved ]]; then ok "every bundled library's dependencies resolve (the Xcb platform plugin's too)"; else
    fail "unresolved libraries:"
    indent <<<"$unresolved"
fi

if [[ -n $BUS ]]; then
    if printf '%s' "$KEY" | as_user aicode secret set anthropic-api-key >/tmp/secret.out 2>&1; then
        ok "aicode secret set: the API key is in alice's keyring"
    else
        fail "aicode secret set"
        indent </tmp/secret.out
    fi
fi

started=$(date +%s%N)
as_user aicode doctor --json >/tmp/doctor.json 2>/tmp/doctor.err
code=$?
elapsed=$(ms_since "$started")
flat=$(tr -d ' \n' </tmp/doctor.json) # no python3 here: the JSON flattened for grep
if [[ $code == 0 || $code == 1 ]] && grep -q '"name":"engine","ok":true' <<<"$flat"; then
    ok "aicode doctor sees the host's engine (exit $code, ${elapsed} ms, the first call starts the warm service)"
    grep -o '"name":"[a-z]*","ok":[a-z]*' <<<"$flat" | sed 's/"name"://; s/,"ok":/ /; s/"//g' |
        paste -sd, | sed 's/,/, /g; s/^/        checks: /'
else
    fail "aicode doctor (exit $code) does not see the engine"
    indent </tmp/doctor.json
    indent </tmp/doctor.err
fi
grep -q '^Traceback' /tmp/doctor.err && fail "doctor printed a traceback"

started=$(date +%s%N)
as_user aicode workspace list >/dev/null 2>&1 || fail "aicode workspace list"
report "start-up: aicode workspace list $(ms_since "$started") ms through the warm service"
started=$(date +%s%N)
as_user env AICODE_NO_SERVICE=1 aicode workspace list >/dev/null 2>&1 || fail "aicode workspace list in-process"
report "start-up: aicode workspace list $(ms_since "$started") ms in-process (AICODE_NO_SERVICE=1)"
as_user aicode service stop >/dev/null 2>&1

echo "== the menu entry and icon"
entry=/usr/share/applications/$NAME.desktop
if [[ -f $entry ]]; then ok "$entry"; else fail "$entry is missing"; fi
exec_line=$(sed -n 's/^Exec=//p' "$entry" | cut -d' ' -f1)
icon=$(sed -n 's/^Icon=//p' "$entry")
[[ $(as_user bash -c "command -v $exec_line") == /usr/bin/aicode-desktop ]] && ok "Exec=$exec_line is aicode-desktop on PATH" ||
    fail "Exec=$exec_line is not on PATH"
for size in 16x16 32x32 48x48 64x64 128x128 256x256 512x512; do
    [[ -f /usr/share/icons/hicolor/$size/apps/$icon.png ]] || fail "no $size icon"
done
[[ -f /usr/share/icons/hicolor/scalable/apps/$icon.svg ]] || fail "no scalable icon"
ok "Icon=$icon in hicolor (16 to 512 px and scalable)"
metainfo=$(ls /usr/share/metainfo/*.metainfo.xml 2>/dev/null | head -1)
if [[ -n $metainfo ]] && grep -q "<release version=\"$VERSION\"" "$metainfo"; then ok "AppStream metainfo $metainfo names $VERSION"; else fail "no AppStream metainfo for $VERSION"; fi

echo "== aicode-desktop (offscreen)"
started=$(date +%s%N)
as_user env QT_QPA_PLATFORM=offscreen timeout 60 aicode-desktop --quit-after-first-paint >/tmp/gui.out 2>/tmp/gui.err
code=$?
elapsed=$(ms_since "$started")
if [[ $code == 0 ]] && grep -Eq '^first paint after [0-9]+ ms' /tmp/gui.out && ! grep -q '^Traceback' /tmp/gui.err; then
    ok "aicode-desktop painted its window and quit (exit 0): $(cat /tmp/gui.out)"
    report "start-up: aicode-desktop to its first paint and exit ${elapsed} ms"
else
    fail "aicode-desktop --quit-after-first-paint: exit $code"
    indent </tmp/gui.out
    indent </tmp/gui.err
fi

echo "== apt-get purge $NAME"
data=/home/$USER_NAME/.local/share/$NAME
[[ -f $data/aicode.sqlite3 ]] || fail "alice has no database in $data before removal"
if apt-get purge -y -qq "$NAME" >/tmp/apt.log 2>&1; then ok "apt-get purge"; else
    fail "apt-get purge"
    indent </tmp/apt.log
fi
dpkg -s "$NAME" >/dev/null 2>&1 && fail "dpkg still knows $NAME"
left=$(while read -r path; do [[ -e $path || -L $path ]] && [[ ! -d $path ]] && echo "$path"; done </tmp/owned.txt)
if [[ -z $left ]]; then ok "every file the package installed is gone"; else
    fail "files of the package are left:"
    indent <<<"$left"
fi
snapshot >/tmp/after.txt
added=$(comm -13 /tmp/before.txt /tmp/after.txt)
elsewhere=$(grep -v "^/home/$USER_NAME/" <<<"$added" | grep -v '^$')
if [[ -z $elsewhere ]]; then ok "nothing new outside alice's home"; else
    fail "left outside alice's home:"
    indent <<<"$elsewhere"
fi
removed=$(comm -23 /tmp/before.txt /tmp/after.txt)
if [[ $removed == /opt && $opt_was_empty == 1 ]]; then
    note "dpkg removed the empty /opt (owned by no package) with the package's last file there"
    removed=""
fi
[[ -z $removed ]] && ok "nothing that was there before is gone" || { fail "removed by the purge:"; indent <<<"$removed"; }
if [[ -f $data/aicode.sqlite3 ]]; then ok "alice's data is kept: $data ($(du -sh "$data" | cut -f1))"; else fail "alice's data is gone"; fi
grep "^/home/$USER_NAME/" <<<"$added" | grep -v "^$data" | sed 's/^/        also in her home: /' | head -10

if [[ -n $TARBALL ]]; then
    echo "== the tarball for other distributions: install.sh as alice, into ~/.local"
    local_bin=/home/$USER_NAME/.local/bin
    as_user tar -xzf "$TARBALL" -C "/home/$USER_NAME"
    folder=/home/$USER_NAME/$(basename "$TARBALL" .tar.gz)
    if as_user "$folder/install.sh" >/tmp/tar-install.out 2>&1; then ok "install.sh: $(head -1 /tmp/tar-install.out)"; else
        fail "install.sh"
        indent </tmp/tar-install.out
    fi
    got=$(as_user "$local_bin/aicode" --version 2>&1)
    [[ $got == "aicode $VERSION" ]] && ok "~/.local/bin/aicode --version: $got" || fail "~/.local/bin/aicode --version: '$got'"
    if as_user env QT_QPA_PLATFORM=offscreen timeout 60 "$local_bin/aicode-desktop" --quit-after-first-paint >/tmp/gui.out 2>&1; then
        ok "~/.local/bin/aicode-desktop painted and quit"
    else
        fail "~/.local/bin/aicode-desktop --quit-after-first-paint"
        indent </tmp/gui.out
    fi
    [[ -f /home/$USER_NAME/.local/share/applications/$NAME.desktop ]] && ok "its menu entry" || fail "no menu entry in ~/.local/share/applications"
    as_user "$folder/install.sh" --uninstall >/tmp/tar-uninstall.out 2>&1 || { fail "install.sh --uninstall"; indent </tmp/tar-uninstall.out; }
    if [[ ! -e /home/$USER_NAME/.local/opt/$NAME && ! -e $local_bin/aicode && ! -e /home/$USER_NAME/.local/share/applications/$NAME.desktop ]]; then
        ok "install.sh --uninstall removed it"
    else
        fail "install.sh --uninstall left files"
    fi
    [[ -f $data/aicode.sqlite3 ]] && ok "alice's data is still kept" || fail "alice's data is gone"
fi
if [[ -n $BUS ]]; then
    # After the package's purge and the tarball's uninstall, the key is still in her
    # keyring: asked through the unpacked tarball's own aicode.
    if [[ -n $TARBALL ]]; then
        as_user "$folder/aicode-manager/aicode" secret status --json >/tmp/status.json 2>&1
        if grep -q '"anthropic-api-key": true' /tmp/status.json; then
            ok "the API key is still in alice's keyring after both removals"
        else
            fail "the API key is not in alice's keyring after removal"
            indent </tmp/status.json
        fi
        grep -q "$KEY" /tmp/status.json && fail "secret status printed the key"
    fi
fi

echo "== $FAILURES failure(s)"
exit $((FAILURES > 0))
