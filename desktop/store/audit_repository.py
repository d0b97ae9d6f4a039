"""The audit log's storage: append-only rows in id order.

Hashing and verifying the chain is ``desktop.audit``'s job. To append
without another writer slipping in between reading the last entry and
writing the next, do both inside one ``db.write()``.

``append`` lets SQLite choose the id; ``append_entry`` keeps the one the
caller chose (and hashed).
"""

from __future__ import annotations

import builtins
import dataclasses
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Row, exists, insert, select

from desktop.store.encoding import datetime_from_text, datetime_to_text
from desktop.store.errors import AlreadyExists
from desktop.store.records import AuditEntry
from desktop.store.tables import audit_entries

if TYPE_CHECKING:
    from desktop.store.database import Database


class AuditRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def append(
        self,
        at: datetime,
        action: str,
        object_id: str | None,
        text_hmac: str | None,
        prev_hash: str,
        entry_hash: str,
    ) -> AuditEntry:
        with self._db.write() as connection:
            result = connection.execute(
                insert(audit_entries).values(
                    at=datetime_to_text(at),
                    action=action,
                    object_id=object_id,
                    text_hmac=text_hmac,
                    prev_hash=prev_hash,
                    entry_hash=entry_hash,
                )
            )
            (entry_id,) = result.inserted_primary_key or (None,)
        assert entry_id is not None
        return AuditEntry(entry_id, at, action, object_id, text_hmac, prev_hash, entry_hash)

    def append_entry(self, entry: AuditEntry) -> AuditEntry:
        """Store ``entry`` under its own id (the audit log hashes the id).

        An id already used raises AlreadyExists: the chain must not fork.
        """
        row = {field.name: getattr(entry, field.name) for field in dataclasses.fields(entry)}
        row["at"] = datetime_to_text(entry.at)
        with self._db.write() as connection:
            taken = select(exists().where(audit_entries.c.id == entry.id))
            if connection.execute(taken).scalar():
                raise AlreadyExists("audit entry", str(entry.id))
            connection.execute(insert(audit_entries).values(row))
        return entry

    def all(self) -> builtins.list[AuditEntry]:
        with self._db.read() as connection:
            rows = connection.execute(select(audit_entries).order_by(audit_entries.c.id)).all()
        return [_from_row(row) for row in rows]

    def last(self) -> AuditEntry | None:
        with self._db.read() as connection:
            row = connection.execute(
                select(audit_entries).order_by(audit_entries.c.id.desc()).limit(1)
            ).first()
        return None if row is None else _from_row(row)


def _from_row(row: Row[Any]) -> AuditEntry:
    return AuditEntry(
        id=row.id,
        at=datetime_from_text(row.at),
        action=row.action,
        object_id=row.object_id,
        text_hmac=row.text_hmac,
        prev_hash=row.prev_hash,
        entry_hash=row.entry_hash,
    )
