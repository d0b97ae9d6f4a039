"""An SQLAlchemy Engine set up for many short transactions from many places.

The GUI, the CLI and background workers (threads and processes) all write to
one file. WAL lets readers run beside the single writer; the busy timeout
makes a writer wait for the lock instead of failing with "database is
locked".

pysqlite's own transaction handling is switched off (``isolation_level =
None``) and the "begin" event emits BEGIN itself: pysqlite would otherwise
start transactions lazily with a plain BEGIN at the first INSERT, so a write
transaction that reads first would take the write lock only halfway through
and could fail with SQLITE_BUSY, which no busy timeout retries. A write
transaction starts with BEGIN IMMEDIATE, taking the lock (and waiting for it)
before it reads anything.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Connection, Engine, create_engine, event

# The execution option that tells the "begin" event how to start.
BEGIN_MODE_OPTION = "aicode_begin_mode"
DEFERRED = "DEFERRED"
IMMEDIATE = "IMMEDIATE"

BUSY_TIMEOUT_MS = 5000

_PRAGMAS = (
    "PRAGMA foreign_keys = ON",
    # In WAL mode this loses no data on an application crash, only possibly
    # the last commits on a power cut, and spares an fsync per commit.
    "PRAGMA synchronous = NORMAL",
    # Deleted or replaced content is zeroed in the pages a write touches anyway
    # (no extra I/O): a value moved to the keyring leaves no copy in free space.
    "PRAGMA secure_delete = FAST",
)


def create_sqlite_engine(path: Path) -> Engine:
    engine = create_engine(URL.create("sqlite+pysqlite", database=str(path)))
    event.listen(engine, "connect", _configure_connection)
    event.listen(engine, "begin", _begin)
    return engine


def _configure_connection(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    # First, so that what follows waits for a lock too.
    dbapi_connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}").close()
    _use_wal(dbapi_connection)
    for pragma in _PRAGMAS:
        dbapi_connection.execute(pragma).close()


def _use_wal(dbapi_connection: sqlite3.Connection) -> None:
    # Switching a new file to WAL needs it to itself, and SQLite reports a
    # clash with another connection at once instead of calling the busy
    # handler; so connections racing to open a new file retry here. Once the
    # file is in WAL mode (which sticks) this is a quick no-op.
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            dbapi_connection.execute("PRAGMA journal_mode = WAL").close()
            return
        except sqlite3.OperationalError as error:
            busy = getattr(error, "sqlite_errorcode", 0) & 0xFF == sqlite3.SQLITE_BUSY
            if not busy or time.monotonic() > deadline:
                raise
            time.sleep(0.005)


def _begin(connection: Connection) -> None:
    mode = connection.get_execution_options().get(BEGIN_MODE_OPTION, DEFERRED)
    connection.exec_driver_sql(f"BEGIN {mode}")
