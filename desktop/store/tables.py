"""The tables as SQLAlchemy Core sees them, for building queries.

This mirrors the schema that ``migrations.py`` creates; it is never used to
create anything. Datetimes and JSON are TEXT here and converted by the
repositories (see ``encoding.py``).
"""

from __future__ import annotations

from sqlalchemy import Column, Float, Integer, MetaData, Table, Text

metadata = MetaData()

workspaces = Table(
    "workspaces",
    metadata,
    Column("id", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("source_kind", Text, nullable=False),
    Column("source_path", Text, nullable=False),
    Column("git_url", Text),
    Column("image", Text, nullable=False),
    Column("cpus", Float, nullable=False),
    Column("memory", Text, nullable=False),
    Column("network", Text, nullable=False),
    Column("env", Text, nullable=False),
    Column("permission_mode", Text, nullable=False),
    Column("created_at", Text, nullable=False),
    Column("allowed_tools", Text, nullable=False, server_default="'[]'"),
    Column("egress", Text, nullable=False, server_default="'allowlist'"),
    Column("egress_allow", Text),
    Column("secret_env", Text, nullable=False, server_default="'[]'"),
    Column("excluded", Text, nullable=False, server_default="'[]'"),
    Column("engine", Text, nullable=False, server_default="'local'"),
)

engines = Table(
    "engines",
    metadata,
    Column("name", Text, primary_key=True),
    Column("url", Text, nullable=False),
    Column("tls_ca", Text),
    Column("tls_cert", Text),
    Column("tls_key", Text),
    Column("created_at", Text, nullable=False),
)

egress_log = Table(
    "egress_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("workspace_id", Text, nullable=False),
    Column("at", Text, nullable=False),
    Column("host", Text, nullable=False),
    Column("port", Integer, nullable=False),
    Column("verdict", Text, nullable=False),
    Column("reason", Text, nullable=False, server_default="''"),
)

tasks = Table(
    "tasks",
    metadata,
    Column("id", Text, primary_key=True),
    Column("workspace_id", Text, nullable=False),
    Column("parent_id", Text),
    Column("prompt", Text, nullable=False),
    Column("state", Text, nullable=False),
    Column("created_at", Text, nullable=False),
    Column("model", Text),
    Column("started_at", Text),
    Column("finished_at", Text),
    Column("session_id", Text),
    Column("result", Text),
    Column("error", Text),
    Column("exit_code", Integer),
    Column("cost_usd", Float),
    Column("input_tokens", Integer),
    Column("output_tokens", Integer),
    Column("num_turns", Integer),
    Column("duration_ms", Integer),
    Column("patch_state", Text, nullable=False),
    Column("cli_version", Text),
    Column("new_session", Integer, nullable=False, server_default="0"),
    Column("permission_mode", Text),
    Column("waiting", Integer, nullable=False, server_default="0"),
    Column("stream_lines", Integer, nullable=False, server_default="0"),
)

task_requests = Table(
    "task_requests",
    metadata,
    Column("task_id", Text, primary_key=True),
    Column("request_id", Text, primary_key=True),
    Column("kind", Text, nullable=False),
    Column("tool", Text, nullable=False),
    Column("input", Text, nullable=False, server_default="'{}'"),
    Column("description", Text, nullable=False, server_default="''"),
    Column("created_at", Text, nullable=False),
    Column("decision", Text),
    Column("message", Text),
    Column("decided_at", Text),
)

task_events = Table(
    "task_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("task_id", Text, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("kind", Text, nullable=False),
    Column("data", Text, nullable=False),
    Column("raw", Text, nullable=False),
    Column("created_at", Text, nullable=False),
)

audit_entries = Table(
    "audit_entries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("object_id", Text),
    Column("text_hmac", Text),
    Column("prev_hash", Text, nullable=False),
    Column("entry_hash", Text, nullable=False),
)

settings = Table(
    "settings",
    metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
)
