#!/usr/bin/env bash
# Set up everything AICode Manager needs on a Debian-like machine, idempotently:
#   scripts/setup.sh app    the Docker engine, the agent image, the Python environment
#   scripts/setup.sh test   the same plus what the test suite uses (a Secret Service,
#                           a virtual display, a local Debian base image)
# A second run with nothing to do takes a few seconds.
set -eu
what=${1:-app}
cd "$(dirname "$0")/.."
say() { printf '\033[1m==>\033[0m %s\n' "$*" >&2; }
die() { echo "error: $*" >&2; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "root or sudo is needed to install: ${*: -1}"; fi; }

# 1. Debian packages (only the missing ones; apt's lists are refreshed once).
packages=(git python3-venv)
command -v apt-get >/dev/null && packages+=(debootstrap)
command -v npm >/dev/null || packages+=(npm)  # the embedded terminal's xterm.js (step 5)
[ "$what" = test ] && packages+=(gnome-keyring dbus dbus-x11 xvfb xauth x11-utils trayer dunst libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-randr0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libegl1 libgl1 libfontconfig1 libdbus-1-3 desktop-file-utils appstream binutils openssh-server openssh-client)
[ "$what" = app ] && packages+=(gnome-keyring libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-randr0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libegl1 libgl1)
if command -v dpkg >/dev/null; then
  missing=()
  for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    say "Installing Debian packages: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
      || die "apt-get could not install: ${missing[*]}"
  fi
fi

# 2. The Docker engine.
scripts/ensure-docker.sh

# 3. The Python environment (reinstalled only when pyproject.toml changes).
python=${PYTHON:-python3}
stamp=.venv/.aicode-installed
want=$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -x .venv/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  say "Installing the Python environment in .venv"
  [ -x .venv/bin/python ] || "$python" -m venv .venv || die "could not make a virtual environment with $python (Python >= 3.11 and python3-venv are needed)"
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
  .venv/bin/python -m pip install -q -e '.[dev]' || die "pip could not install the project's dependencies"
  echo "$want" > "$stamp"
fi

# 4. The agent image (rebuilt only when its Dockerfile or pinned CLI changed).
# Its base is made locally with debootstrap where apt exists, so no image
# registry is needed; elsewhere Docker pulls the public debian:bookworm-slim.
base=${AICODE_BASE_IMAGE:-}
if [ -z "$base" ] && command -v apt-get >/dev/null; then
  base=aicode-base:bookworm
  scripts/make-base-image.sh "$base"
fi
AICODE_NO_SERVICE=1 .venv/bin/aicode image build ${base:+--base "$base"} --quiet || die "the agent image could not be built (see above)"

# 5. The embedded terminal's front end: xterm.js at the versions of
# resources/terminal/package-lock.json (reinstalled only when it changes).
# The app loads these files from disk, never from the network.
terminal=resources/terminal
stamp=$terminal/node_modules/.aicode-installed
want=$(sha256sum "$terminal/package-lock.json" | cut -c1-16)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  say "Installing the terminal's xterm.js in $terminal/node_modules"
  command -v npm >/dev/null || die "npm is needed to install the terminal's xterm.js"
  (cd "$terminal" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null) \
    || die "npm could not install the terminal's packages"
  echo "$want" > "$stamp"
fi
