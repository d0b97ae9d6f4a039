"""The one object that owns the database file: its Engine and transactions.

Every repository call is its own short transaction on a pooled connection,
so nothing holds the write lock while the app waits for a container or a
person. To make several calls atomic, wrap them in ``db.write()``: calls made
inside it (in the same thread or asyncio task) join that transaction instead
of opening their own::

    with db.write():
        db.tasks.update(task.id, state=TaskState.CANCELLED)
        db.events.append(task.id, EventKind.STATE, {"state": "cancelled"})

The joining is tracked in a ContextVar, so threads and asyncio tasks each get
their own transaction. Never ``await`` inside ``db.write()``: SQLite has one
writer, and everyone else waits for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import TracebackType

from sqlalchemy import Connection, Engine

from desktop import paths
from desktop.store import sqlite_engine
from desktop.store.audit_repository import AuditRepository
from desktop.store.egress_repository import EgressRepository
from desktop.store.engine_repository import EngineRepository
from desktop.store.event_repository import EventRepository
from desktop.store.migrator import ensure_current
from desktop.store.request_repository import RequestRepository
from desktop.store.settings_repository import SettingsRepository
from desktop.store.task_repository import TaskRepository
from desktop.store.workspace_repository import WorkspaceRepository


@dataclass(frozen=True)
class _Transaction:
    connection: Connection
    writable: bool


class Database:
    """Open with ``Database.open()``; close with ``close()`` or a ``with`` block."""

    def __init__(self, engine: Engine, path: Path) -> None:
        self._engine = engine
        self.path = path
        self._closed = False
        # One variable per Database: two open files must not share transactions.
        self._current: ContextVar[_Transaction | None] = ContextVar(
            f"aicode_store_transaction_{id(self)}", default=None
        )

    @classmethod
    def open(cls, path: Path | str | None = None) -> Database:
        """Open (creating or upgrading if needed) the database at ``path``.

        The default is the app's database under ``AICODE_HOME`` or the
        platform's data directory.
        """
        resolved = paths.database_path() if path is None else Path(path)
        resolved.parent.mkdir(parents=True, exist_ok=True)
        engine = sqlite_engine.create_sqlite_engine(resolved)
        try:
            ensure_current(engine)
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, resolved)

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def forget_old_versions(self) -> bool:
        """Copy the write-ahead log into the file and empty it, so a value just
        replaced (a variable moved to the keyring) is on disk nowhere: the
        file's pages have it zeroed (secure_delete). False if a reader in
        another process still needed part of the log."""
        raw = self._engine.raw_connection()
        try:
            busy, _, _ = raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            raw.close()
        return not busy

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction (BEGIN IMMEDIATE), committed unless it raises."""
        current = self._current.get()
        if current is not None:
            if not current.writable:
                # Upgrading a read transaction to a write one can fail with
                # SQLITE_BUSY without waiting; start with write() instead.
                raise RuntimeError("db.write() inside db.read(): use db.write() outside")
            yield current.connection
            return
        with self._transaction(writable=True) as connection:
            yield connection

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction: one consistent snapshot, never blocked by writers."""
        current = self._current.get()
        if current is not None:
            yield current.connection
            return
        with self._transaction(writable=False) as connection:
            yield connection

    @contextmanager
    def _transaction(self, *, writable: bool) -> Iterator[Connection]:
        if self._closed:
            raise RuntimeError(f"the database {self.path} is closed")
        mode = sqlite_engine.IMMEDIATE if writable else sqlite_engine.DEFERRED
        with self._engine.connect() as connection:
            connection.execution_options(**{sqlite_engine.BEGIN_MODE_OPTION: mode})
            transaction = connection.begin()
            token = self._current.set(_Transaction(connection, writable))
            try:
                yield connection
            except BaseException:
                transaction.rollback()
                raise
            else:
                if writable:
                    transaction.commit()
                else:
                    # Should anything have written in a read by mistake, it
                    # is not kept.
                    transaction.rollback()
            finally:
                self._current.reset(token)

    @cached_property
    def workspaces(self) -> WorkspaceRepository:
        return WorkspaceRepository(self)

    @cached_property
    def engines(self) -> EngineRepository:
        return EngineRepository(self)

    @cached_property
    def egress(self) -> EgressRepository:
        return EgressRepository(self)

    @cached_property
    def requests(self) -> RequestRepository:
        return RequestRepository(self)

    @cached_property
    def tasks(self) -> TaskRepository:
        return TaskRepository(self)

    @cached_property
    def events(self) -> EventRepository:
        return EventRepository(self)

    @cached_property
    def audit(self) -> AuditRepository:
        return AuditRepository(self)

    @cached_property
    def settings(self) -> SettingsRepository:
        return SettingsRepository(self)
