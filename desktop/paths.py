"""Where the app keeps its data: platformdirs, or AICODE_HOME when set."""

from __future__ import annotations

import os
import sys
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
