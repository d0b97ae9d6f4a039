"""Run a command next to a private, unlocked Secret Service.

    .venv/bin/python packaging/with_keyring.py COMMAND [ARG...]

gnome-keyring on a D-Bus session bus of its own, in a temporary folder (the
test suite's ``tests/keyring_service.py``): the user's keyring is never read
or written. The command gets DBUS_SESSION_BUS_ADDRESS for that bus; the exit
code is the command's. packaging/build.sh uses it to check that the frozen
app finds and uses the Secret Service backend.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.keyring_service import running_keyring_service  # noqa: E402


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    with running_keyring_service() as service:
        env = dict(os.environ, DBUS_SESSION_BUS_ADDRESS=service.address)
        env.pop("PYTHON_KEYRING_BACKEND", None)
        return subprocess.call(argv, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
