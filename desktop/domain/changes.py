"""A task's changes as people review them: one line a file, and the totals."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# git's one-letter status of each kind of change ("modified" when unknown).
_LETTERS = {"added": "A", "deleted": "D", "modified": "M", "renamed": "R", "copied": "C"}


@dataclass(frozen=True)
class ChangedFile:
    """One changed file. ``path`` is safe to show (the agent chose the name:
    control characters are escaped); counts are None for binary files."""

    path: str
    status: str  # added, deleted, modified, renamed, copied
    insertions: int | None = 0
    deletions: int | None = 0
    binary: bool = False

    @property
    def letter(self) -> str:
        return _LETTERS.get(self.status, "M")


@dataclass(frozen=True)
class DiffStat:
    """Totals of a change; binary files count as files only."""

    files: int
    insertions: int
    deletions: int
    binary_files: int = 0

    @classmethod
    def of(cls, files: Iterable[ChangedFile]) -> DiffStat:
        items = list(files)
        return cls(
            files=len(items),
            insertions=sum(f.insertions or 0 for f in items),
            deletions=sum(f.deletions or 0 for f in items),
            binary_files=sum(1 for f in items if f.binary),
        )
