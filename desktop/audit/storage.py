"""What the audit log needs from its storage (the SQLite store implements it)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

from desktop.audit.entry import AuditEntry


class AuditStorage(Protocol):
    """Durable, append-only rows of AuditEntry.

    Fields must come back exactly as written (``at`` is a string: store it
    as TEXT, not as a datetime that could be re-formatted).
    """

    def append_chained(self, compute: Callable[[AuditEntry | None], AuditEntry]) -> AuditEntry:
        """Append ``compute(last)`` and return it, atomically.

        All of it - reading the last row, calling ``compute``, inserting the
        row with the id it chose - must happen in ONE write transaction that
        excludes other writers from the start (SQLite: ``BEGIN IMMEDIATE``),
        and ``id`` must be the primary key. Otherwise two processes could both
        chain onto the same last row and fork the log. ``compute`` is pure and
        quick; if it raises, roll back and let the error propagate.
        """
        ...

    def all(self) -> Iterable[AuditEntry]:
        """Every row in ascending id order."""
        ...

    def last(self) -> AuditEntry | None:
        """The row with the highest id, or None if the log is empty."""
        ...
