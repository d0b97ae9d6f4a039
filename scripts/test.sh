#!/usr/bin/env bash
# Set everything up (Docker engine, base and agent image, Python environment,
# Secret Service and display packages) and run the whole test suite.
# Extra arguments go to pytest, e.g. scripts/test.sh -k stream
set -eu
cd "$(dirname "$0")/.."
scripts/setup.sh test
export QT_QPA_PLATFORM=offscreen
echo "==> Running the test suite" >&2
set +e
.venv/bin/python -m pytest "$@"
rc=$?
set -e
# pytest exits 5 when it collected no test: that is a failure, not a pass.
[ "$rc" = 5 ] && { echo "error: no test ran" >&2; exit 1; }
exit "$rc"
