"""AuditStorage implementations for tests: in memory, and a sqlite3 reference."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import astuple
from pathlib import Path

from desktop.audit import AuditEntry


class MemoryStorage:
    """Rows in a list; ``rows`` is public so tests can tamper with it."""

    def __init__(self) -> None:
        self.rows: list[AuditEntry] = []
        self._lock = threading.Lock()

    def append_chained(self, compute: Callable[[AuditEntry | None], AuditEntry]) -> AuditEntry:
        with self._lock:
            entry = compute(self.last())
            self.rows.append(entry)
            return entry

    def all(self) -> Iterator[AuditEntry]:
        return iter(sorted(self.rows, key=lambda e: e.id))

    def last(self) -> AuditEntry | None:
        return max(self.rows, key=lambda e: e.id, default=None)


class SqliteStorage:
    """How desktop.store should do it: BEGIN IMMEDIATE around read-compute-insert.

    One connection per instance, so two instances behave like two processes.
    """

    _COLUMNS = "id, at, action, object_id, text_hmac, prev_hash, entry_hash"

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(
            path, timeout=30, isolation_level=None, check_same_thread=False
        )
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS audit (id INTEGER PRIMARY KEY, at TEXT NOT NULL,"
            " action TEXT NOT NULL, object_id TEXT, text_hmac TEXT,"
            " prev_hash TEXT NOT NULL, entry_hash TEXT NOT NULL)"
        )

    def close(self) -> None:
        self._db.close()

    def append_chained(self, compute: Callable[[AuditEntry | None], AuditEntry]) -> AuditEntry:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            entry = compute(self.last())
            self._db.execute(
                f"INSERT INTO audit ({self._COLUMNS}) VALUES (?,?,?,?,?,?,?)", astuple(entry)
            )
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")
        return entry

    def all(self) -> Iterator[AuditEntry]:
        for row in self._db.execute(f"SELECT {self._COLUMNS} FROM audit ORDER BY id"):
            yield AuditEntry(*row)

    def last(self) -> AuditEntry | None:
        row = self._db.execute(
            f"SELECT {self._COLUMNS} FROM audit ORDER BY id DESC LIMIT 1"
        ).fetchone()
        return AuditEntry(*row) if row else None
