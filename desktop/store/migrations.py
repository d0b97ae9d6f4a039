"""The schema's history: every change ever made to it, oldest first.

A step is frozen once released: never edit one, append a new one. The SQL is
written out by hand rather than generated from ``tables.py`` because a step
must keep meaning what it meant on the day it shipped, whatever the tables
look like later. ``tests/store`` checks that the result of all steps matches
``tables.py``.

SQLite can add a column with ALTER TABLE but not change or drop a constraint;
for that a step follows SQLite's "make a new table, copy, drop, rename"
procedure. The migrator runs steps with foreign keys off (so dropping the old
table does not cascade into its children) and runs ``foreign_key_check``
before committing.
"""

from __future__ import annotations

from dataclasses import dataclass

# Written to the file header so a stray AICODE_HOME cannot make us "migrate"
# some other program's database. ASCII "AICD".
APPLICATION_ID = 0x41494344


@dataclass(frozen=True)
class Migration:
    version: int  # the schema version once this step has run
    summary: str
    statements: tuple[str, ...]


_INITIAL_SCHEMA = (
    f"PRAGMA application_id = {APPLICATION_ID}",
    # Names are compared case-insensitively: "Shop" and "shop" side by side
    # would only confuse people typing them on the command line.
    """
    CREATE TABLE workspaces (
        id              TEXT NOT NULL PRIMARY KEY,
        name            TEXT NOT NULL COLLATE NOCASE UNIQUE,
        source_kind     TEXT NOT NULL,
        source_path     TEXT NOT NULL,
        git_url         TEXT,
        image           TEXT NOT NULL,
        cpus            REAL NOT NULL,
        memory          TEXT NOT NULL,
        network         TEXT NOT NULL,
        env             TEXT NOT NULL DEFAULT '{}',
        permission_mode TEXT NOT NULL,
        created_at      TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE tasks (
        id            TEXT NOT NULL PRIMARY KEY,
        workspace_id  TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
        parent_id     TEXT REFERENCES tasks (id) ON DELETE SET NULL,
        prompt        TEXT NOT NULL,
        state         TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        model         TEXT,
        started_at    TEXT,
        finished_at   TEXT,
        session_id    TEXT,
        result        TEXT,
        error         TEXT,
        exit_code     INTEGER,
        cost_usd      REAL,
        input_tokens  INTEGER,
        output_tokens INTEGER,
        num_turns     INTEGER,
        duration_ms   INTEGER,
        patch_state   TEXT NOT NULL DEFAULT 'none',
        cli_version   TEXT
    )
    """,
    # A workspace's task list, newest first.
    "CREATE INDEX tasks_by_workspace ON tasks (workspace_id, created_at)",
    # The queue (oldest queued first) and the running list.
    "CREATE INDEX tasks_by_state ON tasks (state, created_at)",
    # Without it, deleting a task scans every row for ON DELETE SET NULL.
    "CREATE INDEX tasks_by_parent ON tasks (parent_id)",
    # A rowid table rather than WITHOUT ROWID: ``raw`` can hold a long tool
    # output, and such rows belong out of the (task_id, seq) b-tree.
    """
    CREATE TABLE task_events (
        id         INTEGER PRIMARY KEY,
        task_id    TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
        seq        INTEGER NOT NULL CHECK (seq >= 1),
        kind       TEXT NOT NULL,
        data       TEXT NOT NULL DEFAULT '{}',
        raw        TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        UNIQUE (task_id, seq)
    )
    """,
    # AUTOINCREMENT so an id is never handed out twice, even after the last
    # entries were deleted: a reused id would hide the tampering.
    """
    CREATE TABLE audit_entries (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        at         TEXT NOT NULL,
        action     TEXT NOT NULL,
        object_id  TEXT,
        text_hmac  TEXT,
        prev_hash  TEXT NOT NULL,
        entry_hash TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE settings (
        key   TEXT NOT NULL PRIMARY KEY,
        value TEXT NOT NULL
    )
    """,
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema", _INITIAL_SCHEMA),
    # A task may start from another's end state with a session of its own
    # (parent_id set, new_session 1) rather than continue its session.
    Migration(2, "tasks.new_session", ("ALTER TABLE tasks ADD COLUMN new_session INTEGER NOT NULL DEFAULT 0",)),
    # Talking with the agent: a task's permission mode, the requests it made
    # (waiting ones counted on the task, for lists), a workspace's tools
    # allowed always.
    Migration(3, "task requests, egress", (
        "ALTER TABLE tasks ADD COLUMN permission_mode TEXT",
        "ALTER TABLE tasks ADD COLUMN waiting INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE tasks ADD COLUMN stream_lines INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE workspaces ADD COLUMN allowed_tools TEXT NOT NULL DEFAULT '[]'",
        # The agent's way out: through the app's proxy by default.
        "ALTER TABLE workspaces ADD COLUMN egress TEXT NOT NULL DEFAULT 'allowlist'",
        "ALTER TABLE workspaces ADD COLUMN egress_allow TEXT",
        """
        CREATE TABLE egress_log (
            id           INTEGER PRIMARY KEY,
            workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
            at           TEXT NOT NULL,
            host         TEXT NOT NULL,
            port         INTEGER NOT NULL,
            verdict      TEXT NOT NULL,
            reason       TEXT NOT NULL DEFAULT ''
        )
        """,
        "CREATE INDEX egress_log_by_workspace ON egress_log (workspace_id, at)",
        """
        CREATE TABLE task_requests (
            task_id     TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
            request_id  TEXT NOT NULL,
            kind        TEXT NOT NULL,
            tool        TEXT NOT NULL,
            input       TEXT NOT NULL DEFAULT '{}',
            description TEXT NOT NULL DEFAULT '',
            created_at  TEXT NOT NULL,
            decision    TEXT,
            message     TEXT,
            decided_at  TEXT,
            PRIMARY KEY (task_id, request_id)
        )
        """,
    )),
    # Variables marked secret: their names; the values are in the keyring.
    # Nothing is moved there by the migration (a value the user never marked
    # secret stays plain until `workspace set --secret-env NAME` moves it).
    Migration(4, "workspaces.secret_env", ("ALTER TABLE workspaces ADD COLUMN secret_env TEXT NOT NULL DEFAULT '[]'",)),
    # Paths of a workspace's folder that never travel into its container.
    Migration(5, "workspaces.excluded", ("ALTER TABLE workspaces ADD COLUMN excluded TEXT NOT NULL DEFAULT '[]'",)),
    # Docker engines besides this machine's own ("local", never stored), and
    # the one each workspace lives on. TLS files are paths on this machine.
    Migration(6, "engines", (
        """
        CREATE TABLE engines (
            name       TEXT NOT NULL PRIMARY KEY,
            url        TEXT NOT NULL,
            tls_ca     TEXT,
            tls_cert   TEXT,
            tls_key    TEXT,
            created_at TEXT NOT NULL
        )
        """,
        "ALTER TABLE workspaces ADD COLUMN engine TEXT NOT NULL DEFAULT 'local'",
    )),
)

SCHEMA_VERSION = MIGRATIONS[-1].version
