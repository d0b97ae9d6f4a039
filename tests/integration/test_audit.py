"""The audit log: actions recorded with only an HMAC of user text, and
`aicode audit verify` naming the first entry broken by an edit, a deletion
or a reordering."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.integration.conftest import Cli

pytestmark = [pytest.mark.docker, pytest.mark.keyring]  # the cli fixture needs the agent image


def _entries(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT id, action, object_id, text_hmac FROM audit_entries ORDER BY id").fetchall()


def _prepare(cli: Cli, tmp_path: Path) -> Path:
    (tmp_path / "p").mkdir()
    cli.ok("workspace", "add", "first", "--path", str(tmp_path / "p"))
    cli.ok("workspace", "add", "second secret name", "--path", str(tmp_path / "p"))
    cli.ok("workspace", "rm", "first")
    return cli.home / "aicode.sqlite3"


def test_actions_are_recorded_without_user_text(cli: Cli, tmp_path: Path) -> None:
    db = _prepare(cli, tmp_path)
    actions = [row[1] for row in _entries(db)]
    assert actions == ["secret.set", "workspace.created", "workspace.created", "workspace.removed"]
    with sqlite3.connect(db) as conn:
        dumped = "\n".join(conn.iterdump())
    audit_rows = [line for line in dumped.splitlines() if "audit_entries" in line]
    assert not any("second secret name" in line for line in audit_rows)
    assert all(row[3] is None or len(row[3]) == 64 for row in _entries(db))
    assert cli.ok("audit", "verify").strip() == "audit log intact (4 entries)"


@pytest.mark.parametrize("tamper", ["edit", "delete", "swap"])
def test_verify_names_the_first_broken_entry(cli: Cli, tmp_path: Path, tamper: str) -> None:
    db = _prepare(cli, tmp_path)
    assert cli("audit", "verify").returncode == 0
    with sqlite3.connect(db) as conn:
        if tamper == "edit":
            conn.execute("UPDATE audit_entries SET action = 'workspace.renamed' WHERE id = 3")
        elif tamper == "delete":
            conn.execute("DELETE FROM audit_entries WHERE id = 3")
        else:
            conn.execute("UPDATE audit_entries SET id = -1 WHERE id = 2")
            conn.execute("UPDATE audit_entries SET id = 2 WHERE id = 3")
            conn.execute("UPDATE audit_entries SET id = 3 WHERE id = -1")
    done = cli("audit", "verify")
    assert done.returncode == 1
    expected = {
        "edit": "audit log broken at entry 3:",
        "delete": "audit log broken at entry 4: entry 3 is missing before it",
        "swap": "audit log broken at entry 2:",
    }[tamper]
    assert done.stdout.startswith(expected), done.stdout
