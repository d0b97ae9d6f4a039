"""The audit log's storage on the app database: chain appends in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from desktop.audit import AuditEntry
from desktop.store import AuditEntry as StoredEntry
from desktop.store import Database


class StoreAuditStorage:
    """``desktop.audit.AuditStorage`` over the store's AuditRepository."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def append_chained(self, compute: Callable[[AuditEntry | None], AuditEntry]) -> AuditEntry:
        # Reading the last entry and writing the next under one BEGIN IMMEDIATE
        # keeps two processes from forking the chain.
        with self._db.write():
            last = self.last()
            entry = compute(last)
            self._db.audit.append_entry(_to_stored(entry))
        return entry

    def all(self) -> Iterable[AuditEntry]:
        return [_from_stored(e) for e in self._db.audit.all()]

    def last(self) -> AuditEntry | None:
        found = self._db.audit.last()
        return None if found is None else _from_stored(found)


def _to_stored(entry: AuditEntry) -> StoredEntry:
    return StoredEntry(
        entry.id, datetime.fromisoformat(entry.at), entry.action, entry.object_id,
        entry.text_hmac, entry.prev_hash, entry.entry_hash,
    )


def _from_stored(entry: StoredEntry) -> AuditEntry:
    return AuditEntry(
        entry.id, entry.at.isoformat(timespec="microseconds"), entry.action, entry.object_id,
        entry.text_hmac, entry.prev_hash, entry.entry_hash,
    )
