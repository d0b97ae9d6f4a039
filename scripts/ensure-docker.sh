#!/usr/bin/env bash
# Make sure a Docker engine answers. On a machine that already has one (a
# user's laptop) this returns at once. On a fresh Debian-like machine it
# installs Debian's docker.io and starts dockerd in the background.
# Idempotent; a second run costs well under a second.
set -u

log=${AICODE_DOCKERD_LOG:-/tmp/aicode-dockerd.log}
fail() { echo "error: the Docker engine could not be started: $*" >&2; exit 1; }
engine_answers() { timeout 10 docker info >/dev/null 2>&1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else return 1; fi; }

command -v docker >/dev/null && engine_answers && exit 0

if ! command -v dockerd >/dev/null && [ ! -x /usr/sbin/dockerd ]; then
  command -v apt-get >/dev/null || fail "dockerd is missing and this is not a Debian-like system; install Docker Engine and run this again"
  echo "Installing Docker Engine (Debian's docker.io)..." >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 \
    && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null 2>&1 \
    || fail "installing docker.io with apt-get failed (root or passwordless sudo is needed)"
fi
command -v docker >/dev/null || fail "the docker client is missing after installing docker.io"
engine_answers && exit 0

if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
  as_root systemctl start docker >/dev/null 2>&1
fi
start_dockerd() {
  echo "Starting dockerd (log: $log)..." >&2
  pid=$(as_root sh -c "nohup dockerd >'$log' 2>&1 & echo \$!") || fail "could not run dockerd (root or passwordless sudo is needed)"
}
if ! engine_answers; then
  pid=""
  pgrep -x dockerd >/dev/null || start_dockerd
  for _ in $(seq 1 120); do
    engine_answers && break
    if [ -n "$pid" ] && [ ! -d "/proc/$pid" ]; then
      fail "dockerd exited at start: $(grep -v '^\s*$' "$log" 2>/dev/null | tail -n 1)"
    fi
    # A dockerd that was shutting down when we looked has gone: start ours.
    [ -z "$pid" ] && ! pgrep -x dockerd >/dev/null && start_dockerd
    sleep 0.5
  done
fi
engine_answers || fail "dockerd runs but 'docker info' does not answer after 60 s; see $log"
# A non-root user needs the socket; the app reports this too (aicode doctor).
if [ "$(id -u)" != 0 ] && ! docker info >/dev/null 2>&1; then
  fail "permission denied on the Docker socket: add yourself to the 'docker' group and log in again"
fi
exit 0
