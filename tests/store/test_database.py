"""The Database object: where it opens, its pragmas, its transactions."""

from __future__ import annotations

import sqlite3
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest

from desktop.domain import Workspace
from desktop.store import Database


def test_opens_the_database_under_aicode_home(db: Database, home: Path) -> None:
    assert db.path == home / "aicode.sqlite3"
    assert db.path.exists()


def test_open_creates_missing_parent_folders(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "store.sqlite3"
    with Database.open(path) as db:
        assert db.path == path
    assert path.exists()


@pytest.mark.parametrize("transaction", ["read", "write"])
def test_every_connection_gets_the_pragmas(db: Database, transaction: str) -> None:
    with getattr(db, transaction)() as connection:
        journal, busy, foreign_keys, synchronous = connection.exec_driver_sql(
            "SELECT * FROM pragma_journal_mode(), pragma_busy_timeout(),"
            " pragma_foreign_keys(), pragma_synchronous()"
        ).one()
    assert journal == "wal"
    assert busy >= 5000
    assert foreign_keys == 1
    assert synchronous == 1  # NORMAL


def test_write_takes_the_write_lock_at_begin(db: Database) -> None:
    # BEGIN IMMEDIATE: another writer cannot get in even before we wrote.
    with (
        db.write(),
        closing(sqlite3.connect(db.path, timeout=0)) as other,
        pytest.raises(sqlite3.OperationalError, match="locked"),
    ):
        other.execute("BEGIN IMMEDIATE")


def test_a_writer_waits_for_the_lock_instead_of_failing(db: Database) -> None:
    holding = threading.Event()

    def hold_the_lock() -> None:
        with db.write():
            db.settings.set("holder", True)
            holding.set()
            time.sleep(0.5)  # the scenario: a writer that holds the lock a while (the waiter's time is compared)

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    holding.wait()
    started = time.monotonic()
    db.settings.set("waiter", True)
    waited = time.monotonic() - started
    holder.join()
    assert waited > 0.2
    assert db.settings.all() == {"holder": True, "waiter": True}


def test_readers_are_not_blocked_by_a_writer(db: Database) -> None:
    db.settings.set("k", "old")
    with db.write():
        db.settings.set("k", "new")
        seen: list[object] = []
        reader = threading.Thread(target=lambda: seen.append(db.settings.get("k")))
        reader.start()
        reader.join(timeout=2)
        assert seen == ["old"]  # the committed value, at once
    assert db.settings.get("k") == "new"


def test_calls_inside_write_join_its_transaction(db: Database) -> None:
    with pytest.raises(RuntimeError, match="changed my mind"), db.write():
        db.settings.set("a", 1)
        db.settings.set("b", 2)
        assert db.settings.all() == {"a": 1, "b": 2}  # reads see the writes
        raise RuntimeError("changed my mind")
    assert db.settings.all() == {}


def test_each_thread_has_its_own_transaction(db: Database) -> None:
    results: list[object] = []
    with db.write():
        db.settings.set("a", 1)
        # Another thread must not join this uncommitted transaction.
        other = threading.Thread(target=lambda: results.append(db.settings.get("a")))
        other.start()
        other.join(timeout=2)
    assert results == [None]


def test_write_inside_read_is_refused(db: Database) -> None:
    with db.read(), pytest.raises(RuntimeError, match=r"inside db\.read"), db.write():
        pass


def test_a_read_never_commits(db: Database) -> None:
    with db.read() as connection:
        connection.exec_driver_sql("INSERT INTO settings (key, value) VALUES ('x', '1')")
    assert db.settings.all() == {}


def test_a_closed_database_refuses_work(home: Path) -> None:
    db = Database.open()
    db.close()
    db.close()  # closing twice is fine
    with pytest.raises(RuntimeError, match="closed"):
        db.settings.get("k")


def test_domain_objects_come_back_equal(db: Database, workspace: Workspace) -> None:
    assert db.workspaces.get(workspace.id) == workspace
