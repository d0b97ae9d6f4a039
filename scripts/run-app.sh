#!/usr/bin/env bash
# Set everything up (Docker engine, agent image, Python environment) and launch
# AICode Manager.
set -eu
cd "$(dirname "$0")/.."
scripts/setup.sh app
exec .venv/bin/aicode-desktop "$@"
