from __future__ import annotations

from datetime import datetime

import pytest

from desktop.store import AlreadyExists, AuditEntry, Database


def test_entries_come_back_in_order(db: Database) -> None:
    assert db.audit.last() is None
    assert db.audit.all() == []
    at = datetime(2026, 4, 4, 4, 4, 4)
    first = db.audit.append(at, "workspace.add", "ws1", None, "0" * 64, "a" * 64)
    second = db.audit.append(at, "task.create", None, "hmac", "a" * 64, "b" * 64)
    assert first == AuditEntry(first.id, at, "workspace.add", "ws1", None, "0" * 64, "a" * 64)
    assert second.id > first.id
    assert db.audit.all() == [first, second]
    assert db.audit.last() == second


def test_ids_are_never_reused(db: Database) -> None:
    at = datetime(2026, 4, 4)
    db.audit.append(at, "a", None, None, "p", "e1")
    last = db.audit.append(at, "b", None, None, "e1", "e2")
    with db.write() as connection:
        connection.exec_driver_sql("DELETE FROM audit_entries WHERE id = ?", (last.id,))
    assert db.audit.append(at, "c", None, None, "e1", "e3").id == last.id + 1


def test_append_entry_keeps_the_callers_id(db: Database) -> None:
    at = datetime(2026, 4, 4)
    first = AuditEntry(1, at, "a", "x", "mac", "0" * 64, "e1")
    assert db.audit.append_entry(first) == first
    with db.write():  # how desktop.audit chains: read the last, write the next
        last = db.audit.last()
        assert last is not None
        second = db.audit.append_entry(
            AuditEntry(last.id + 1, at, "b", None, None, last.entry_hash, "e2")
        )
    assert db.audit.all() == [first, second]
    with pytest.raises(AlreadyExists):
        db.audit.append_entry(AuditEntry(2, at, "c", None, None, "e2", "e3"))
    assert db.audit.append(at, "d", None, None, "e2", "e4").id == 3
