"""Where a task's patches live in the data folder, and the unapplied ones kept.

- ``patches/ID.patch``: the task's whole change (a follow-up's includes its
  parents', taken against the first task's snapshot).
- ``patches/ID.step.patch``: a follow-up's own step, against its parent's end.
- ``patches/ID.applied.patch``: exactly what Apply wrote, for Undo.
- ``patches/ID.merged.patch``: what a three-way merge took, for Commit.
- ``unapplied/``: changes discarded, or left behind, before they were applied.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from desktop import paths


class PatchStore:
    def __init__(self) -> None:
        self.folder = paths.data_dir() / "patches"
        self.folder.mkdir(exist_ok=True, mode=0o700)

    def whole(self, task_id: str) -> Path:
        return self.folder / f"{task_id}.patch"

    def step(self, task_id: str) -> Path:
        return self.folder / f"{task_id}.step.patch"

    def applied(self, task_id: str) -> Path:
        return self.folder / f"{task_id}.applied.patch"

    def merged(self, task_id: str) -> Path:
        """What a three-way merge took (no exact reverse: Undo refuses; Commit takes its files)."""
        return self.folder / f"{task_id}.merged.patch"

    def read(self, path: Path) -> bytes | None:
        try:
            return path.read_bytes()
        except FileNotFoundError:
            return None

    def write(self, path: Path, data: bytes) -> None:
        """Written whole or not at all: a crash never leaves half a patch."""
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, path)

    def forget(self, task_id: str) -> None:
        """Remove a task's change and step (never applied: no Undo needs them)."""
        for path in (self.whole(task_id), self.step(task_id)):
            path.unlink(missing_ok=True)

    def keep_unapplied(self, task_id: str, data: bytes, why: str) -> Path:
        """Save a change that was never applied; returns where it is."""
        folder = paths.data_dir() / "unapplied"
        folder.mkdir(exist_ok=True, mode=0o700)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        path = folder / f"{task_id}-{why}-{stamp}.patch"
        self.write(path, data)
        return path
