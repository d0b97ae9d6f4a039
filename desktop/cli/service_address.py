"""Where the warm `aicode` service of this environment listens.

One service per user and environment: the data folder, the engine, the
keyring's bus, the API endpoint, the interpreter and the code itself all go
into the socket's name, so a client never talks to a service that would act
differently from a fresh process (a changed setting starts a new service;
the old one exits when idle).
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

from desktop.paths import runtime_dir

# What a command's behaviour depends on besides its arguments.
_ENVIRONMENT = (
    "AICODE_HOME", "DOCKER_HOST", "DOCKER_CONTEXT", "DBUS_SESSION_BUS_ADDRESS",
    "AICODE_ANTHROPIC_BASE_URL", "PYTHON_KEYRING_BACKEND", "XDG_DATA_HOME", "HOME",
)


def _code_stamp() -> str:
    """Changes whenever a module of the package changes (an upgrade, an edit)."""
    if getattr(sys, "frozen", False):
        from desktop import __version__

        # A bundle has no source files to look at: its executable changes instead.
        return f"{__version__}:{os.stat(sys.executable).st_mtime_ns}"
    package = Path(__file__).resolve().parent.parent
    newest = 0
    for folder, _dirs, files in os.walk(package):
        for name in files:
            if name.endswith(".py"):
                newest = max(newest, os.stat(os.path.join(folder, name)).st_mtime_ns)
    return str(newest)


def socket_path() -> Path:
    digest = hashlib.sha256()
    for name in _ENVIRONMENT:
        digest.update(f"{name}={os.environ.get(name, '')}\0".encode())
    digest.update(f"{sys.executable}\0{_code_stamp()}".encode())
    return runtime_dir() / f"{digest.hexdigest()[:20]}.sock"
