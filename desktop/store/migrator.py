"""Bringing a database file to the schema this code was written for.

Why not alembic: the schema version lives in SQLite's ``user_version``
header field, so the check on every start is one pragma read and needs no
table, no extra package and no migration scripts to ship beside a frozen
executable. Alembic would add all three and, on SQLite, its "batch" mode just
generates the copy-and-rename table rebuild that ``migrations.py`` can spell
out just as well. The whole history is a tuple of SQL steps.

Every upgrade runs in one BEGIN IMMEDIATE transaction (SQLite's DDL is
transactional): a failed step leaves the file as it was, and two processes
starting at once cannot both run a step, as the second re-reads the version
once it holds the lock. A brand-new file runs all steps, the same path an old
file takes, so the two cannot drift apart.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from sqlalchemy import Engine

from desktop.store.errors import MigrationFailed, NotOurDatabase, SchemaTooNew
from desktop.store.migrations import APPLICATION_ID, MIGRATIONS, Migration


def ensure_current(engine: Engine, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Upgrade the file if it is behind; return the version it had before."""
    head = migrations[-1].version
    pooled = engine.raw_connection()
    try:
        # The raw driver connection: the migrator issues its own BEGIN and
        # must toggle foreign_keys, which only works outside a transaction.
        connection = pooled.driver_connection
        assert isinstance(connection, sqlite3.Connection)
        found, application_id = _read_header(connection)
        if found == head and application_id == APPLICATION_ID:
            return found  # the normal start: nothing else to do
        if found > head:
            raise SchemaTooNew(found, head)
        return _upgrade(connection, migrations, str(engine.url.database))
    finally:
        pooled.close()


def _read_header(connection: sqlite3.Connection) -> tuple[int, int]:
    row = connection.execute(
        "SELECT user_version, application_id FROM pragma_user_version(), pragma_application_id()"
    ).fetchone()
    return int(row[0]), int(row[1])


def _upgrade(connection: sqlite3.Connection, migrations: Sequence[Migration], path: str) -> int:
    head = migrations[-1].version
    connection.execute("PRAGMA foreign_keys = OFF")
    try:
        connection.execute("BEGIN IMMEDIATE")
        try:
            found, application_id = _read_header(connection)
            _check_ours(connection, found, application_id, path)
            if found > head:
                raise SchemaTooNew(found, head)
            for migration in migrations:
                if migration.version > found:
                    for statement in migration.statements:
                        connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {head}")
            broken = connection.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise MigrationFailed(
                    f"upgrading {path} to schema {head} would break {len(broken)} "
                    "references between rows; the file was left unchanged"
                )
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
    finally:
        connection.execute("PRAGMA foreign_keys = ON")
    return found


def _check_ours(
    connection: sqlite3.Connection, version: int, application_id: int, path: str
) -> None:
    if version == 0:
        # Version 0 is what SQLite reports for a new, empty file.
        tables = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if tables:
            raise NotOurDatabase(path)
    elif application_id != APPLICATION_ID:
        raise NotOurDatabase(path)
