"""A task's requests: the first answer wins, and the task's waiting count
moves with them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from desktop.domain import SourceKind, Task, TaskState, Workspace
from desktop.domain.approvals import Decision, PendingRequest, RequestKind
from desktop.domain.workspace import NetworkMode
from desktop.store import Database


def _db(tmp_path: Path) -> tuple[Database, Task]:
    db = Database.open(tmp_path / "db.sqlite3")
    db.workspaces.add(Workspace("w1", "w", SourceKind.FOLDER, str(tmp_path), None, "img", 1.0, "1g",
                                   NetworkMode.NONE, allowed_tools=("Bash",)))
    task = db.tasks.create(Task("t1", "w1", "p", TaskState.RUNNING, datetime.now()))
    return db, task


def test_waiting_count_and_first_answer_wins(tmp_path: Path) -> None:
    db, task = _db(tmp_path)
    assert db.workspaces.get("w1").allowed_tools == ("Bash",)
    one = PendingRequest(task.id, "r1", RequestKind.PERMISSION, "Write", {"file_path": "a"})
    two = PendingRequest(task.id, "r2", RequestKind.QUESTION, "AskUserQuestion", {})
    assert db.requests.add(one) and db.requests.add(two)
    assert not db.requests.add(one)  # the same line again
    assert db.tasks.get(task.id).waiting == 2 and db.tasks.get(task.id).needs_input
    assert [r.request_id for r in db.requests.waiting(task.id)] == ["r1", "r2"]

    decided = db.requests.decide(task.id, "r1", Decision.DENY, "no")
    assert decided is not None and decided.decision is Decision.DENY and decided.message == "no"
    assert db.requests.decide(task.id, "r1", Decision.ALLOW) is None  # too late: denied stands
    assert db.requests.get(task.id, "r1").decision is Decision.DENY
    assert db.tasks.get(task.id).waiting == 1
    db.requests.decide(task.id, "r2", Decision.TIMEOUT)
    current = db.tasks.get(task.id)
    assert current.waiting == 0 and not current.needs_input and current.shown_state == "running"
    assert [r.decision for r in db.requests.list(task.id)] == [Decision.DENY, Decision.TIMEOUT]
    # A request a rule answers is stored answered: the task never waits for it.
    ruled = PendingRequest(task.id, "r3", RequestKind.PERMISSION, "Bash", {}, decision=Decision.ALLOW,
                           message="rule", decided_at=datetime.now())
    assert db.requests.add(ruled)
    assert db.tasks.get(task.id).waiting == 0 and db.requests.get(task.id, "r3").decision is Decision.ALLOW
    db.close()
