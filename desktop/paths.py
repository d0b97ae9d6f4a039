"""Where the app keeps its data: platformdirs, or AICODE_HOME when set."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def data_dir() -> Path:
    """The app's data directory (database, clones, logs), created on demand."""
    override = os.environ.get("AICODE_HOME")
    if override:
        path = Path(override).expanduser()
    else:
        import platformdirs  # lazy: the CLI's start-up path stays lean

        path = Path(platformdirs.user_data_dir("aicode-manager", appauthor=False))
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def database_path() -> Path:
    return data_dir() / "aicode.sqlite3"


def clones_dir() -> Path:
    path = data_dir() / "clones"
    path.mkdir(exist_ok=True, mode=0o700)
    return path


def resources_dir() -> Path:
    """The shipped resources (icons, the agent Dockerfile, themes)."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def runtime_dir() -> Path:
    """A private folder for sockets (the warm service's, the proxy's); short,
    since socket paths are limited to ~100 bytes."""
    base = os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()
    folder = Path(base) / f"aicode-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    info = folder.stat()
    if info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise PermissionError(f"{folder} is not private to this user")
    return folder
