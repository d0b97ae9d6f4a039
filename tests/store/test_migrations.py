"""Schema versions: a new file starts at head, an old one is upgraded."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import Engine, event

from desktop.domain import Task, Workspace
from desktop.store import Database, MigrationFailed, NotOurDatabase, SchemaTooNew
from desktop.store.migrations import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, Migration
from desktop.store.migrator import ensure_current
from desktop.store.sqlite_engine import create_sqlite_engine
from desktop.store.tables import metadata

# Tomorrow's release: a column added to a table, then a parent table rebuilt
# (the way SQLite changes a constraint), which must not cascade into tasks.
_NEXT = (
    *MIGRATIONS,
    Migration(
        SCHEMA_VERSION + 1,
        "tasks get a label",
        (
            "ALTER TABLE tasks ADD COLUMN label TEXT NOT NULL DEFAULT ''",
            "UPDATE tasks SET label = 'from ' || workspace_id",
        ),
    ),
    Migration(
        SCHEMA_VERSION + 2,
        "cpus must be positive",
        (
            """
        CREATE TABLE workspaces_new (
            id TEXT NOT NULL PRIMARY KEY,
            name TEXT NOT NULL COLLATE NOCASE UNIQUE,
            source_kind TEXT NOT NULL, source_path TEXT NOT NULL, git_url TEXT,
            image TEXT NOT NULL, cpus REAL NOT NULL CHECK (cpus > 0),
            memory TEXT NOT NULL, network TEXT NOT NULL,
            env TEXT NOT NULL DEFAULT '{}', permission_mode TEXT NOT NULL,
            created_at TEXT NOT NULL, allowed_tools TEXT NOT NULL DEFAULT '[]',
            egress TEXT NOT NULL DEFAULT 'allowlist', egress_allow TEXT,
            secret_env TEXT NOT NULL DEFAULT '[]',
            excluded TEXT NOT NULL DEFAULT '[]',
            engine TEXT NOT NULL DEFAULT 'local'
        )
        """,
            "INSERT INTO workspaces_new SELECT * FROM workspaces",
            "DROP TABLE workspaces",
            "ALTER TABLE workspaces_new RENAME TO workspaces",
        ),
    ),
)


@pytest.fixture
def engine(home: Path) -> Iterator[Engine]:
    engine = create_sqlite_engine(home / "aicode.sqlite3")
    yield engine
    engine.dispose()


_HEADER_QUERY = (
    "SELECT user_version, application_id FROM pragma_user_version(), pragma_application_id()"
)


def _header(path: Path) -> tuple[int, int]:
    with closing(sqlite3.connect(path)) as connection:
        row = connection.execute(_HEADER_QUERY).fetchone()
    return row[0], row[1]


def _columns(path: Path, table: str) -> dict[str, bool]:
    """Column name -> NOT NULL, as SQLite sees the table."""
    with closing(sqlite3.connect(path)) as connection:
        rows = connection.execute(f"PRAGMA table_info({table})").fetchall()
    return {row[1]: bool(row[3] or row[5]) for row in rows}


def test_a_new_file_is_created_at_head(db: Database) -> None:
    assert _header(db.path) == (SCHEMA_VERSION, APPLICATION_ID)


def test_the_migrated_schema_matches_the_query_tables(db: Database) -> None:
    for table in metadata.sorted_tables:
        expected = {column.name: not column.nullable for column in table.columns}
        assert _columns(db.path, table.name) == expected, table.name


def test_opening_at_head_only_reads_the_header(db: Database, engine: Engine) -> None:
    statements: list[str] = []

    @event.listens_for(engine, "connect")
    def trace(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.set_trace_callback(statements.append)

    assert ensure_current(engine) == SCHEMA_VERSION
    assert [s for s in statements if not s.startswith(("PRAGMA", "--"))] == [_HEADER_QUERY]


def test_an_older_file_is_upgraded_keeping_its_data(
    db: Database, engine: Engine, workspace: Workspace, make_task: Callable[..., Task]
) -> None:
    task = db.tasks.create(make_task())
    db.events.append(task.id, "text")  # type: ignore[arg-type]
    db.close()

    assert ensure_current(engine, _NEXT) == SCHEMA_VERSION
    assert _header(db.path) == (SCHEMA_VERSION + 2, APPLICATION_ID)
    with closing(sqlite3.connect(db.path)) as connection:
        assert connection.execute("SELECT id, label FROM tasks").fetchall() == [
            (task.id, f"from {workspace.id}")
        ]
        assert connection.execute("SELECT count(*) FROM task_events").fetchone() == (1,)
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            connection.execute("UPDATE workspaces SET cpus = 0")
    # And from then on it is at head.
    assert ensure_current(engine, _NEXT) == SCHEMA_VERSION + 2


def test_a_failing_step_changes_nothing(db: Database, engine: Engine) -> None:
    db.close()
    broken = (
        *MIGRATIONS,
        Migration(
            SCHEMA_VERSION + 1,
            "broken",
            (
                "CREATE TABLE half_done (x)",
                "ALTER TABLE no_such_table ADD COLUMN y",
            ),
        ),
    )
    with pytest.raises(Exception, match="no_such_table"):
        ensure_current(engine, broken)
    assert _header(db.path) == (SCHEMA_VERSION, APPLICATION_ID)
    assert "x" not in _columns(db.path, "half_done")


def test_a_step_that_breaks_references_changes_nothing(
    db: Database, engine: Engine, make_task: Callable[..., Task]
) -> None:
    db.tasks.create(make_task())
    db.close()
    orphaning = (*MIGRATIONS, Migration(SCHEMA_VERSION + 1, "oops", ("DELETE FROM workspaces",)))
    with pytest.raises(MigrationFailed):
        ensure_current(engine, orphaning)
    assert _header(db.path)[0] == SCHEMA_VERSION
    with closing(sqlite3.connect(db.path)) as connection:
        assert connection.execute("SELECT count(*) FROM workspaces").fetchone() == (1,)


def test_a_newer_file_is_refused(db: Database) -> None:
    db.close()
    with closing(sqlite3.connect(db.path)) as connection:
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(SchemaTooNew, match="please update"):
        Database.open(db.path)


def test_another_programs_database_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE photos (id INTEGER)")
    with pytest.raises(NotOurDatabase):
        Database.open(path)
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA user_version = 1")
    with pytest.raises(NotOurDatabase):
        Database.open(path)
    assert _header(path) == (1, 0)


def test_version_one_files_get_new_session_false(home: Path) -> None:
    """A database of the first release: its tasks keep continuing their
    parents' sessions (new_session 0) once upgraded."""
    engine = create_sqlite_engine(home / "aicode.sqlite3")
    try:
        assert ensure_current(engine, MIGRATIONS[:1]) == 0
        with closing(sqlite3.connect(home / "aicode.sqlite3")) as connection, connection:
            connection.execute("INSERT INTO workspaces VALUES ('w1', 'w', 'folder', '/x', NULL, 'img', 1.0, '1g',"
                               " 'none', '{}', 'default', '2026-01-01T00:00:00')")
            connection.execute("INSERT INTO tasks (id, workspace_id, prompt, state, created_at) "
                               "VALUES ('t1', 'w1', 'p', 'succeeded', '2026-01-01T00:00:00')")
        assert ensure_current(engine) == 1
    finally:
        engine.dispose()
    db = Database.open(home / "aicode.sqlite3")
    try:
        assert db.tasks.get("t1").new_session is False
    finally:
        db.close()


def test_finding_3_the_secret_variables_migration_moves_nothing(tmp_path: Path) -> None:
    """Version 4 adds the names of the variables kept in the keyring; a plain
    value stays where it was (only `workspace set --secret-env` moves one)."""
    path = tmp_path / "v3.sqlite3"
    engine = create_sqlite_engine(path)
    try:
        assert ensure_current(engine, MIGRATIONS[:3]) == 0  # (the version it found)
        with closing(sqlite3.connect(path)) as connection:
            connection.execute(
                "INSERT INTO workspaces (id, name, source_kind, source_path, image, cpus, memory, network, env, "
                "permission_mode, created_at) VALUES ('w1', 'old', 'folder', '/p', 'img', 1, '1g', 'bridge', "
                "'{\"TOKEN\": \"plain-all-along\"}', 'default', '2026-01-01T00:00:00')")
            connection.commit()
        assert ensure_current(engine, MIGRATIONS) == 3 and _header(path)[0] == SCHEMA_VERSION
    finally:
        engine.dispose()
    with Database.open(path) as db:
        workspace = db.workspaces.get("w1")
    assert workspace.env == {"TOKEN": "plain-all-along"} and workspace.secret_env == ()
