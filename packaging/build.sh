#!/usr/bin/env bash
# Build dist/aicode-manager/ from a clean state, then smoke-test the frozen
# binaries (as qutebrowser's build_release.py does): each check runs the real
# executables and fails on a wrong exit code, wrong output or a traceback. Then
# make the Linux installers (the .deb, the tarball) and install them in a fresh
# Debian container (packaging/linux/make-installers.sh), reporting the installed
# size and start-up times.
#
#   packaging/build.sh              build the working tree, then smoke-test and package
#   packaging/build.sh --head       build the last commit (a release), likewise
#   packaging/build.sh --no-build   smoke-test and package the existing dist/aicode-manager/
#
# The build reads a snapshot of desktop/ and resources/ (build/source/), so edits
# made while it runs change neither the bundle nor the unfrozen app it is
# compared with.
#
# Exits non-zero if the build or any smoke check fails. A release step, not part
# of the pytest suite (it takes a few minutes). Checks that need something the
# machine may lack (git, the private Secret Service, a Docker engine) say
# "skip" when it is missing; the rest always run.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
PY=$ROOT/.venv/bin/python
NAME=aicode-manager
DIST=$ROOT/dist/$NAME
CLI=$DIST/aicode
GUI=$DIST/aicode-desktop
SOURCE=$ROOT/build/source
GUI_SECONDS=8

# -- the internal mode: checks that run next to a private Secret Service -------
if [[ ${1:-} == --keyring-checks ]]; then
    SMOKE=$2
fi

FAILURES=0
ok() { printf '  ok    %s\n' "$*"; }
skip() { printf '  skip  %s\n' "$*"; }
fail() {
    printf '  FAIL  %s\n' "$*"
    FAILURES=$((FAILURES + 1))
}
show() { # the captured output of a check, indented
    local name=$1
    sed 's/^/        | /' "$SMOKE/$name.out" "$SMOKE/$name.err" | head -40
}

# run NAME "EXIT CODES" CMD...: stdout and stderr go to $SMOKE/NAME.{out,err};
# stdin comes from $STDIN (default /dev/null). Fails on another exit code or on
# a traceback anywhere in the output. Returns 1 when it failed.
run() {
    local name=$1 allowed=$2
    shift 2
    local code=0 started ended
    started=$(date +%s%N)
    "$@" <"${STDIN:-/dev/null}" >"$SMOKE/$name.out" 2>"$SMOKE/$name.err" || code=$?
    ended=$(date +%s%N)
    LAST_MS=$(((ended - started) / 1000000))
    if [[ " $allowed " != *" $code "* ]]; then
        fail "$name: exit $code, expected ${allowed// / or }"
        show "$name"
        return 1
    fi
    if grep -q '^Traceback' "$SMOKE/$name.out" "$SMOKE/$name.err"; then
        fail "$name: a traceback"
        show "$name"
        return 1
    fi
    ok "$name (exit $code, ${LAST_MS} ms)"
}

# expect NAME REGEX: the check's stdout matches the (extended) regular expression.
expect() {
    if grep -Eq -- "$2" "$SMOKE/$1.out"; then
        return 0
    fi
    fail "$1: stdout does not match /$2/"
    show "$1"
    return 1
}

json_field() { # json_field NAME PYTHON-EXPRESSION-ON-doc: prints its value
    "$PY" -c 'import json, sys; doc = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$SMOKE/$1.out" "$2"
}

new_home() { # a fresh AICODE_HOME under $SMOKE
    mktemp -d "$SMOKE/home.XXXXXX"
}

stop_service() { # stop_service HOME: the warm service of that environment, if any
    AICODE_HOME=$1 "$CLI" service stop >/dev/null 2>&1 || true
}

keyring_checks() {
    echo "== the frozen CLI with a Secret Service (private gnome-keyring)"
    local home
    home=$(new_home)
    export AICODE_HOME=$home
    local key=$SMOKE/key.txt
    printf 'sk-ant-smoke-%s' "$RANDOM$RANDOM" >"$key"
    STDIN=$key run keyring-secret-set "0" "$CLI" secret set anthropic-api-key || true
    if run keyring-secret-status "0" "$CLI" secret status --json; then
        grep -q "$(cat "$key")" "$SMOKE/keyring-secret-status.out" && fail "secret status printed the secret"
        grep -q 'Secret Service' "$SMOKE/keyring-secret-status.out" ||
            { fail "keyring-secret-status: the Secret Service is not named"; show keyring-secret-status; }
    fi
    if run keyring-doctor "0 1" "$CLI" doctor --json; then
        if [[ $(json_field keyring-doctor '[c["ok"] for c in doc if c["name"] == "keyring"]') == "[True]" ]]; then
            ok "doctor: keyring $(json_field keyring-doctor '[c["detail"] for c in doc if c["name"] == "keyring"][0]')"
        else
            fail "doctor does not accept the Secret Service"
            show keyring-doctor
        fi
    fi
    run keyring-secret-rm "0" "$CLI" secret rm anthropic-api-key || true
    stop_service "$home"
    if grep -q Traceback "$home/logs/service.log" 2>/dev/null; then
        fail "the warm service logged a traceback"
        sed 's/^/        | /' "$home/logs/service.log" | tail -20
    fi
    unset AICODE_HOME
}

if [[ ${1:-} == --keyring-checks ]]; then
    keyring_checks
    exit $((FAILURES > 0))
fi

# -- build ------------------------------------------------------------------------
case ${1:-} in
--no-build | --head | "") ;;
*)
    sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
if [[ ${1:-} != --no-build ]]; then
    rm -rf "$ROOT/build/pyinstaller" "$SOURCE" "$DIST"
    mkdir -p "$SOURCE"
    if [[ ${1:-} == --head ]]; then
        git archive HEAD desktop resources | tar -x -C "$SOURCE"
        echo "commit $(git rev-parse HEAD)" >"$SOURCE/BUILT-FROM"
    else
        tar -c --exclude=__pycache__ desktop resources | tar -x -C "$SOURCE"
        dirty=$(git status --porcelain -- desktop resources | wc -l)
        echo "working tree at $(git rev-parse HEAD), $dirty changed or new file(s) in desktop/ and resources/" >"$SOURCE/BUILT-FROM"
    fi
    echo "== building $DIST from the $(cat "$SOURCE/BUILT-FROM")"
    AICODE_SOURCE=$SOURCE "$ROOT/.venv/bin/pyinstaller" --noconfirm --clean --log-level WARN \
        --workpath "$ROOT/build/pyinstaller" --distpath "$ROOT/dist" packaging/aicode.spec
fi
[[ -x $CLI && -x $GUI && -d $SOURCE/desktop ]] || {
    echo "build.sh: $CLI, $GUI or $SOURCE is missing: build first" >&2
    exit 1
}

SMOKE=$(mktemp -d "${TMPDIR:-/tmp}/aicode-smoke.XXXXXX")
export AICODE_SERVICE_IDLE=120 # a service the checks leave behind exits soon
export AICODE_HOME=$(new_home)  # checks that name no home never touch the user's data
cleanup() {
    local home
    for home in "$SMOKE"/home.*; do
        [[ -d $home ]] && stop_service "$home"
    done
    rm -rf "$SMOKE"
}
trap cleanup EXIT

# -- the bundle's contents -------------------------------------------------------
echo "== bundle contents"
claude=$(find "$DIST" -iname 'claude*')
if [[ -n $claude ]]; then fail "a claude file is in the bundle: $claude"; else ok "no claude binary or package in the bundle"; fi

for path in resources/docker/Dockerfile resources/icons/app.svg resources/themes/base.qss; do
    if [[ -f $DIST/_internal/$path ]]; then ok "$path"; else fail "$path is missing"; fi
done
crt=$(find "$DIST/_internal/resources" -name '*.crt')
if [[ -n $crt ]]; then fail "the build machine's CA certificates shipped: $crt"; else ok "no local CA certificates shipped"; fi

# The terminal's QtWebEngine ships, with the QML and Quick libraries its core
# and widgets link (Qml, QmlMeta, QmlModels, QmlWorkerScript, Quick, QuickWidgets).
unused=$(find "$DIST" \( -name 'libQt6Pdf*' -o -name 'libQt6Multimedia*' -o -name 'libQt63D*' \
    -o -name 'libtk*' -o -name 'libtcl*' \) | head -5)
if [[ -n $unused ]]; then fail "unused libraries shipped: $unused"; else ok "no Pdf, Multimedia, 3D or Tk libraries"; fi
dangling=$(find "$DIST" -xtype l | head -5)
if [[ -n $dangling ]]; then fail "dangling symbolic links: $dangling"; else ok "no dangling symbolic links"; fi

# What each executable's archive holds, against what the source tree says it must.
"$ROOT/.venv/bin/pyi-archive_viewer" -b -r "$CLI" 2>/dev/null | sed 's/^ *//' >"$SMOKE/cli-modules.txt"
"$ROOT/.venv/bin/pyi-archive_viewer" -b -r "$GUI" 2>/dev/null | sed 's/^ *//' >"$SMOKE/gui-modules.txt"
missing=""
while IFS= read -r module; do
    grep -qx "$module" "$SMOKE/cli-modules.txt" || missing+=" $module"
done < <(cd "$SOURCE" && find desktop -name '*.py' -not -path 'desktop/ui/*' | sed 's/\.py$//; s/\/__init__$//; s/\//./g' | sort)
if [[ -n $missing ]]; then fail "aicode lacks modules:$missing"; else ok "aicode holds every non-GUI module of desktop/ ($(grep -c '^desktop' "$SMOKE/cli-modules.txt"))"; fi
missing=""
while IFS= read -r module; do
    grep -qx "$module" "$SMOKE/gui-modules.txt" || missing+=" $module"
done < <(cd "$SOURCE" && find desktop -name '*.py' | sed 's/\.py$//; s/\/__init__$//; s/\//./g' | sort)
if [[ -n $missing ]]; then fail "aicode-desktop lacks modules:$missing"; else ok "aicode-desktop holds every module of desktop/ ($(grep -c '^desktop' "$SMOKE/gui-modules.txt"))"; fi
for backend in SecretService libsecret kwallet macOS Windows chainer fail null; do
    grep -qx "keyring.backends.$backend" "$SMOKE/cli-modules.txt" || fail "aicode lacks keyring.backends.$backend"
    grep -qx "keyring.backends.$backend" "$SMOKE/gui-modules.txt" || fail "aicode-desktop lacks keyring.backends.$backend"
done
ok "keyring backends in both executables"
if grep -Eq '^(PySide6|shiboken6|qasync)(\.|$)' "$SMOKE/cli-modules.txt"; then fail "aicode's archive holds Qt modules"; else ok "aicode's archive holds no Qt"; fi
if grep -hEq '^(tkinter|claude_agent_sdk|pytest|_pytest|tests)(\.|$)' "$SMOKE/cli-modules.txt" "$SMOKE/gui-modules.txt"; then
    fail "tkinter, claude_agent_sdk, pytest or tests are in an archive"
else
    ok "no tkinter, claude_agent_sdk, pytest or tests in the archives"
fi

if command -v ldd >/dev/null; then
    unresolved=$(find "$DIST/_internal" -type f \( -name '*.so' -o -name '*.so.*' \) -print0 |
        LD_LIBRARY_PATH=$DIST/_internal xargs -0 -n 20 ldd 2>/dev/null | grep 'not found' | sort -u || true)
    if [[ -n $unresolved ]]; then fail "shared libraries with unresolved dependencies: $unresolved"; else ok "every bundled shared library's dependencies resolve"; fi
fi

# -- the CLI ------------------------------------------------------------------------
echo "== aicode"
version=$(cd "$SOURCE" && "$PY" -c 'import desktop; print(desktop.__version__)')
run version "0" "$CLI" --version && expect version "^aicode $version\$" || true
if run help "0" "$CLI" --help; then
    for command in doctor image workspace task secret audit; do
        expect help "\\b$command\\b" || break
    done
fi
home=$(new_home)
AICODE_HOME=$home AICODE_NO_SERVICE=1 run in-process-list "0" "$CLI" workspace list --json &&
    expect in-process-list '^\[\]$' || true
run usage-error "2" "$CLI" no-such-command || true

echo "== aicode through its warm service (started as 'aicode --aicode-service')"
home=$(new_home)
if AICODE_HOME=$home run service-cold "0" "$CLI" workspace list --json && expect service-cold '^\[\]$'; then
    cold=$LAST_MS
    AICODE_HOME=$home run service-warm "0" "$CLI" workspace list --json && expect service-warm '^\[\]$' &&
        ok "cold call ${cold} ms (starts the service), warm call ${LAST_MS} ms"
fi
if grep -q 'serving on' "$home/logs/service.log" 2>/dev/null; then
    ok "the frozen service started: $(grep -m1 'serving on' "$home/logs/service.log" | sed 's/.*INFO //')"
else
    fail "the service did not start (the commands ran in-process)"
    sed 's/^/        | /' "$home/logs/service.log" 2>/dev/null | tail -20
fi
AICODE_HOME=$home run service-stop "0" "$CLI" service stop && expect service-stop '^service stopped$' || true
if grep -q Traceback "$home/logs/service.log" 2>/dev/null; then
    fail "the warm service logged a traceback"
    sed 's/^/        | /' "$home/logs/service.log" | tail -20
fi

echo "== aicode doctor"
home=$(new_home)
# 1 is fine (no keyring, no engine here); a crash is not.
if AICODE_HOME=$home AICODE_NO_SERVICE=1 run doctor "0 1" "$CLI" doctor; then
    sed 's/^/        | /' "$SMOKE/doctor.out"
    AICODE_HOME=$home AICODE_NO_SERVICE=1 run doctor-json "0 1" "$CLI" doctor --json &&
        [[ $(json_field doctor-json '[c["ok"] for c in doc if c["name"] == "database"]') == "[True]" ]] ||
        fail "doctor --json: the database check did not pass"
    if docker info >/dev/null 2>&1; then
        [[ $(json_field doctor-json '[c["ok"] for c in doc if c["name"] == "engine"]') == "[True]" ]] &&
            ok "doctor reaches the Docker engine through the frozen docker-py" ||
            fail "docker info answers but the frozen doctor cannot reach the engine"
    fi
fi

echo "== host git from the frozen app (workspace add --git)"
if command -v git >/dev/null; then
    repo=$SMOKE/repo
    git init -q "$repo"
    git -C "$repo" -c user.name=smoke -c user.email=smoke@example.invalid commit -q --allow-empty -m smoke
    # A git that records the library path it was given, then runs the real one.
    cat >"$SMOKE/git" <<EOF
#!/bin/sh
echo "LD_LIBRARY_PATH=\${LD_LIBRARY_PATH-<unset>}" >>"$SMOKE/git-env.txt"
exec $(command -v git) "\$@"
EOF
    chmod +x "$SMOKE/git"
    home=$(new_home)
    for library_path in /aicode-smoke-original ""; do
        : >"$SMOKE/git-env.txt"
        if [[ -n $library_path ]]; then set -- env LD_LIBRARY_PATH="$library_path"; else set -- env -u LD_LIBRARY_PATH; fi
        name=git-add-${library_path:+with-path}
        name=${name%-}
        AICODE_HOME=$home AICODE_NO_SERVICE=1 GIT_PYTHON_GIT_EXECUTABLE=$SMOKE/git \
            run "$name" "0" "$@" "$CLI" workspace add smoke --git "$repo" --json || continue
        expect "$name" '"source": "git"' || true
        seen=$(sort -u "$SMOKE/git-env.txt")
        if [[ $seen == "LD_LIBRARY_PATH=${library_path:-<unset>}" ]]; then
            ok "git ran with the user's library path (${library_path:-unset}), not the bundle's"
        else
            fail "git ran with: $seen (expected LD_LIBRARY_PATH=${library_path:-<unset>})"
        fi
        AICODE_HOME=$home AICODE_NO_SERVICE=1 run "$name-rm" "0" "$CLI" workspace rm smoke || true
    done
else
    skip "git is not installed"
fi

if command -v dbus-daemon >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
    "$PY" packaging/with_keyring.py "$ROOT/packaging/build.sh" --keyring-checks "$SMOKE" || FAILURES=$((FAILURES + 1))
else
    skip "the Secret Service checks: dbus-daemon or gnome-keyring-daemon is not installed"
fi

# -- the GUI ------------------------------------------------------------------------
echo "== aicode-desktop (QT_QPA_PLATFORM=offscreen)"
export QT_QPA_PLATFORM=offscreen
home=$(new_home)
AICODE_HOME=$home run gui-first-paint "0" timeout 60 "$GUI" --quit-after-first-paint &&
    expect gui-first-paint 'first paint after [0-9]+ ms; heavy modules loaded: none$' &&
    ok "$(cat "$SMOKE/gui-first-paint.out")"

# The whole app for a few seconds: the Core loads on its worker (database, docker,
# git, keyring) and the window polls it. Calls the Core refuses here (no keyring,
# say) are logged with a traceback by the unfrozen app too, so only errors the
# frozen app shows and the unfrozen one does not count, and any import or
# missing-file error.
gui_errors() { # the last line of each traceback in a run's stderr, paths of its home masked
    awk '/^Traceback/ {tb = 1; next} tb && /^[^ ]/ {print; tb = 0}' "$SMOKE/$1.err" | sed "s|$2|<HOME>|g" | sort -u
}
frozen_home=$(new_home)
code=0
AICODE_HOME=$frozen_home timeout "$GUI_SECONDS" "$GUI" >"$SMOKE/gui-frozen.out" 2>"$SMOKE/gui-frozen.err" || code=$?
source_home=$(new_home)
(cd "$SOURCE" && AICODE_HOME=$source_home timeout "$GUI_SECONDS" "$PY" -c \
    'import sys; from desktop.ui.app import main; sys.exit(main())' >"$SMOKE/gui-source.out" 2>"$SMOKE/gui-source.err") || true
if [[ $code != 124 ]]; then
    fail "aicode-desktop exited ($code) within ${GUI_SECONDS} s"
    show gui-frozen
else
    ok "aicode-desktop stayed up for ${GUI_SECONDS} s"
fi
if [[ -f $frozen_home/aicode.sqlite3 ]]; then
    ok "its Core started (the database exists)"
elif [[ -f $source_home/aicode.sqlite3 ]]; then
    fail "its Core never opened the database (the unfrozen app's did)"
else
    echo "  note  the Core opened no database, frozen or not: the app's own problem, see below"
fi
frozen_only=$(comm -23 <(gui_errors gui-frozen "$frozen_home") <(gui_errors gui-source "$source_home"))
if grep -Eq 'ModuleNotFoundError|ImportError|No module named|FileNotFoundError|_internal' "$SMOKE/gui-frozen.err"; then
    fail "aicode-desktop: an import or missing-file error"
    show gui-frozen
elif [[ -n $frozen_only ]]; then
    fail "aicode-desktop: errors the unfrozen app does not have:"
    printf '%s\n' "$frozen_only" | sed 's/^/        | /'
else
    ok "no error the unfrozen app does not have"
fi
shared=$(gui_errors gui-frozen "$frozen_home")
if [[ -n $shared ]]; then
    echo "  note  the app (frozen or not) logged these errors here:"
    printf '%s\n' "$shared" | sed 's/^/        | /'
fi
unset QT_QPA_PLATFORM

# -- the installers, and the .deb installed in a clean Debian -----------------------
if ((FAILURES > 0)); then
    echo "== installers"
    skip "the installers: the bundle failed its smoke checks"
else
    "$ROOT/packaging/linux/make-installers.sh" "$DIST" "$version" | tee "$SMOKE/installers.out" ||
        fail "the installers or their clean-system install test"
fi

# -- summary ------------------------------------------------------------------------
echo "== $DIST: $(du -sh "$DIST" | cut -f1) ($(find "$DIST" -type f | wc -l) files), built from the $(cat "$SOURCE/BUILT-FROM")"
if grep -q '^  report ' "$SMOKE/installers.out" 2>/dev/null; then # measured in the clean system, not asserted
    echo "== installed in a clean Debian:"
    sed -n 's/^  report /  /p' "$SMOKE/installers.out"
fi
if ((FAILURES > 0)); then
    echo "build.sh: $FAILURES smoke check(s) FAILED" >&2
    exit 1
fi
echo "build.sh: all smoke checks passed"
