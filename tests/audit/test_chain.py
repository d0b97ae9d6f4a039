"""Hash chaining and verification, with tampering of every kind."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop.audit import (
    GENESIS_HASH,
    Anchor,
    AuditAction,
    AuditEntry,
    AuditLog,
    Breach,
    entry_hash,
    text_hmac,
    verify,
)
from tests.audit.memory_storage import MemoryStorage, SqliteStorage

KEY = bytes(range(32))


def make_log(count: int = 5) -> tuple[AuditLog, MemoryStorage]:
    storage = MemoryStorage()
    log = AuditLog(storage, lambda: KEY)
    for i in range(count):
        log.record(AuditAction.TASK_STARTED, f"task-{i}", text=f"prompt {i}")
    return log, storage


def test_entries_chain_from_genesis() -> None:
    _, storage = make_log(3)
    first, second, third = storage.rows
    assert [e.id for e in storage.rows] == [1, 2, 3]
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.entry_hash
    assert third.prev_hash == second.entry_hash
    assert all(e.entry_hash == e.expected_hash for e in storage.rows)


def test_record_keeps_only_an_hmac_of_the_text() -> None:
    log, storage = make_log(0)
    entry = log.record("task.started", "t1", text="fix the secret bug")
    assert entry.text_hmac == text_hmac(KEY, "fix the secret bug")
    assert "fix the secret bug" not in repr(storage.rows)
    assert log.record("task.finished", "t1").text_hmac is None
    # Same text, same HMAC: entries can be matched to a prompt without storing it.
    assert log.record("task.started", "t2", text="fix the secret bug").text_hmac == entry.text_hmac


def test_hmac_key_is_fetched_once_and_only_when_needed() -> None:
    calls: list[int] = []

    def key() -> bytes:
        calls.append(1)
        return KEY

    log = AuditLog(MemoryStorage(), key)
    log.record("workspace.created", "w1")
    assert calls == []
    log.record("task.started", "t1", text="a")
    log.record("task.started", "t2", text="b")
    assert calls == [1]


def test_hash_covers_every_field_and_tells_none_from_empty() -> None:
    base = (1, "2026-01-01T00:00:00.000000+00:00", "task.started", "t", None, GENESIS_HASH)
    digest = entry_hash(*base)
    for i, other in enumerate([2, "2026-01-01T00:00:00.000001+00:00", "task.finished", "u",
                               "00", "1" * 64]):
        changed = list(base)
        changed[i] = other
        assert entry_hash(*changed) != digest
    assert entry_hash(1, "x", "a", None, None, GENESIS_HASH) != entry_hash(
        1, "x", "a", "", None, GENESIS_HASH
    )
    assert entry_hash(1, "x", "a", None, None, GENESIS_HASH) != entry_hash(
        1, "x", "a", "None", None, GENESIS_HASH
    )


def test_intact_log_verifies() -> None:
    log, _ = make_log(5)
    report = log.verify()
    assert report.ok and report.checked == 5 and report.broken_id is None
    assert "intact" in str(report)


def test_empty_log_verifies() -> None:
    assert verify([]).ok


def test_edited_action_is_named() -> None:
    log, storage = make_log(5)
    storage.rows[2] = dataclasses.replace(storage.rows[2], action="task.cancelled")
    report = log.verify()
    assert (report.breach, report.broken_id) == (Breach.EDITED, 3)
    assert "edited" in str(report)


def test_edit_with_recomputed_hash_breaks_the_next_link() -> None:
    log, storage = make_log(5)
    e = dataclasses.replace(storage.rows[2], object_id="someone-else")
    storage.rows[2] = dataclasses.replace(e, entry_hash=e.expected_hash)
    report = log.verify()
    assert (report.breach, report.broken_id) == (Breach.UNLINKED, 4)


def test_deleted_middle_entry_is_an_id_gap() -> None:
    log, storage = make_log(5)
    del storage.rows[2]
    report = log.verify()
    assert (report.breach, report.broken_id) == (Breach.MISSING, 4)
    assert "entry 3 is missing" in str(report)


def test_deleted_and_renumbered_entries_break_the_link() -> None:
    log, storage = make_log(5)
    del storage.rows[1]
    storage.rows[1:] = [dataclasses.replace(e, id=e.id - 1) for e in storage.rows[1:]]
    report = log.verify()
    # id is hashed, so renumbered entries no longer match their own hash either.
    assert report.broken_id == 2 and report.breach in (Breach.UNLINKED, Breach.EDITED)


def test_deleted_first_entry_is_detected() -> None:
    log, storage = make_log(3)
    del storage.rows[0]
    assert (log.verify().breach, log.verify().broken_id) == (Breach.MISSING, 2)


def test_swapped_contents_of_two_entries() -> None:
    # In a table ordered by id, a "swap" means two rows exchanged their data.
    log, storage = make_log(5)
    a, b = storage.rows[1], storage.rows[2]
    storage.rows[1] = dataclasses.replace(b, id=a.id)
    storage.rows[2] = dataclasses.replace(a, id=b.id)
    report = log.verify()
    assert report.broken_id == 2 and not report.ok


def test_entries_out_of_order() -> None:
    _, storage = make_log(4)
    rows = storage.rows
    report = verify([rows[0], rows[2], rows[1], rows[3]])
    assert (report.breach, report.broken_id) == (Breach.MISSING, 3)
    report = verify([rows[0], rows[1], rows[1], rows[2]])
    assert (report.breach, report.broken_id) == (Breach.OUT_OF_ORDER, 2)


def test_truncated_tail_is_invisible_to_the_chain_alone() -> None:
    log, storage = make_log(5)
    storage.rows.pop()
    assert log.verify().ok  # documented limit: this is what the anchor is for


def test_anchor_detects_truncation_and_rewriting() -> None:
    _, storage = make_log(5)
    rows = storage.rows
    anchor = Anchor(rows[-1].id, rows[-1].entry_hash)
    assert verify(rows, anchor).ok

    report = verify(rows[:-1], anchor)
    assert (report.breach, report.broken_id) == (Breach.TRUNCATED, 5)
    assert (verify([], anchor).breach, verify([], anchor).broken_id) == (Breach.TRUNCATED, 1)

    # Someone rebuilt the whole chain with a different entry 2.
    forged: list[AuditEntry] = []
    for e in rows:
        prev = forged[-1].entry_hash if forged else GENESIS_HASH
        fields = dataclasses.replace(e, prev_hash=prev,
                                     object_id="forged" if e.id == 2 else e.object_id)
        forged.append(dataclasses.replace(fields, entry_hash=fields.expected_hash))
    report = verify(forged, anchor)
    assert (report.breach, report.broken_id) == (Breach.REWRITTEN, 5)


def test_stale_anchor_still_accepts_a_longer_log() -> None:
    _, storage = make_log(5)
    rows = storage.rows
    assert verify(rows, Anchor(rows[2].id, rows[2].entry_hash)).ok


def test_empty_action_is_refused() -> None:
    log, _ = make_log(0)
    with pytest.raises(ValueError):
        log.record("")


def test_concurrent_writers_keep_one_chain_in_memory() -> None:
    storage = MemoryStorage()
    log = AuditLog(storage, lambda: KEY)
    _hammer(lambda: log, threads=8, each=50)
    assert log.verify().ok and log.verify().checked == 400


def test_concurrent_sqlite_connections_keep_one_chain(tmp_path: Path) -> None:
    # Separate connections lock like separate processes would.
    path = tmp_path / "audit.sqlite3"
    storages: list[SqliteStorage] = []
    lock = threading.Lock()

    def own_log() -> AuditLog:
        storage = SqliteStorage(path)
        with lock:
            storages.append(storage)
        return AuditLog(storage, lambda: KEY)

    try:
        own_log()  # creates the table before the threads race
        _hammer(own_log, threads=4, each=25)
        report = AuditLog(storages[0], lambda: KEY).verify()
        assert report.ok and report.checked == 100
    finally:
        for storage in storages:
            storage.close()


def _hammer(make: Callable[[], AuditLog], threads: int, each: int) -> None:
    errors: list[BaseException] = []

    def work() -> None:
        try:
            log = make()
            for i in range(each):
                log.record(AuditAction.TASK_FINISHED, f"t{i}", text=str(i))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert errors == []
