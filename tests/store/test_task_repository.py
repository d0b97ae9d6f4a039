from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from desktop.domain import Task, TaskState, Workspace
from desktop.domain.task import PatchState
from desktop.store import AlreadyExists, AmbiguousId, Database, NotFound, StaleState

MakeTask = Callable[..., Task]


def test_create_then_get_returns_an_equal_task(db: Database, make_task: MakeTask) -> None:
    parent = db.tasks.create(make_task())
    task = make_task(
        parent_id=parent.id,
        model="claude-sonnet",
        state=TaskState.SUCCEEDED,
        started_at=datetime(2026, 1, 2, 3, 4, 5),
        finished_at=datetime(2026, 1, 2, 3, 4, 5, 600000),
        session_id="s-1",
        result="done ✓",
        exit_code=0,
        cost_usd=0.0123,
        input_tokens=10,
        output_tokens=20,
        num_turns=3,
        duration_ms=4567,
        patch_state=PatchState.PENDING,
        cli_version="1.0.0",
    )
    db.tasks.create(task)
    assert db.tasks.get(task.id) == task


def test_create_refuses_a_taken_id_and_unknown_references(
    db: Database, make_task: MakeTask
) -> None:
    task = db.tasks.create(make_task())
    with pytest.raises(AlreadyExists):
        db.tasks.create(make_task(id=task.id))
    with pytest.raises(NotFound, match="workspace"):
        db.tasks.create(make_task(workspace_id="nope"))
    with pytest.raises(NotFound, match="task"):
        db.tasks.create(make_task(parent_id="nope"))


def test_get_accepts_a_unique_prefix(db: Database, make_task: MakeTask) -> None:
    db.tasks.create(make_task(id="3f2a91"))
    db.tasks.create(make_task(id="3f7b00"))
    assert db.tasks.get("3f2").id == "3f2a91"
    with pytest.raises(AmbiguousId) as caught:
        db.tasks.get("3f")
    assert caught.value.matches == ("3f2a91", "3f7b00")
    with pytest.raises(NotFound):
        db.tasks.get("4")
    with pytest.raises(NotFound):
        db.tasks.get("")


def test_an_exact_id_wins_over_longer_ids_it_prefixes(db: Database, make_task: MakeTask) -> None:
    db.tasks.create(make_task(id="abc"))
    db.tasks.create(make_task(id="abcd"))
    assert db.tasks.get("abc").id == "abc"


def test_prefix_wildcards_are_taken_literally(db: Database, make_task: MakeTask) -> None:
    db.tasks.create(make_task(id="a*b"))
    db.tasks.create(make_task(id="axb"))
    db.tasks.create(make_task(id="Abc"))
    assert db.tasks.get("a*").id == "a*b"
    with pytest.raises(NotFound):
        db.tasks.get("?")
    assert db.tasks.get("A").id == "Abc"  # ids are case-sensitive


def test_list_filters_and_orders_newest_first(
    db: Database, make_task: MakeTask, make_workspace: Callable[..., Workspace]
) -> None:
    other = db.workspaces.add(make_workspace())
    first = db.tasks.create(make_task(prompt="Fix the LOGIN page"))
    second = db.tasks.create(make_task(prompt="write 100% tests", state=TaskState.RUNNING))
    third = db.tasks.create(make_task(workspace_id=other.id, state=TaskState.FAILED))

    assert db.tasks.list() == [third, second, first]
    assert db.tasks.list(workspace_id=other.id) == [third]
    assert db.tasks.list(states=[TaskState.RUNNING, TaskState.FAILED]) == [third, second]
    assert db.tasks.list(text="login") == [first]
    assert db.tasks.list(text="100%") == [second]
    assert db.tasks.list(text="0_") == []  # LIKE wildcards are literal
    assert db.tasks.list(limit=2) == [third, second]


def test_list_filters_by_the_state_of_the_change(db: Database, make_task: MakeTask) -> None:
    pending = db.tasks.create(make_task(state=TaskState.SUCCEEDED, patch_state=PatchState.PENDING))
    db.tasks.create(make_task(state=TaskState.SUCCEEDED, patch_state=PatchState.APPLIED))
    db.tasks.create(make_task(state=TaskState.FAILED, patch_state=PatchState.NONE))
    assert db.tasks.list(patch_states=[PatchState.PENDING]) == [pending]
    assert db.tasks.list(states=[TaskState.FAILED], patch_states=[PatchState.PENDING]) == []


def test_update_returns_the_new_task(db: Database, make_task: MakeTask) -> None:
    task = db.tasks.create(make_task())
    finished = datetime(2026, 5, 5, 5, 5, 5)
    updated = db.tasks.update(
        task.id, state="succeeded", finished_at=finished, cost_usd=1.5, patch_state="pending"
    )
    assert updated == dataclasses.replace(
        task,
        state=TaskState.SUCCEEDED,
        finished_at=finished,
        cost_usd=1.5,
        patch_state=PatchState.PENDING,
    )
    assert db.tasks.get(task.id) == updated


def test_update_refuses_identity_fields_and_unknown_ones(db: Database, make_task: MakeTask) -> None:
    task = db.tasks.create(make_task())
    for field in ("id", "workspace_id", "created_at", "colour"):
        change: dict[str, Any] = {field: "x"}
        with pytest.raises(TypeError, match=field):
            db.tasks.update(task.id, **change)
    with pytest.raises(ValueError):
        db.tasks.update(task.id, state="sleeping")
    with pytest.raises(NotFound):
        db.tasks.update("nope", result="x")


def test_update_with_an_expected_state(db: Database, make_task: MakeTask) -> None:
    task = db.tasks.create(make_task(state=TaskState.RUNNING))
    with pytest.raises(StaleState, match="is running, not queued"):
        db.tasks.update(task.id, expected_state=TaskState.QUEUED, state=TaskState.CANCELLED)
    assert db.tasks.get(task.id).state is TaskState.RUNNING
    cancelled = db.tasks.update(
        task.id,
        expected_state=(TaskState.QUEUED, TaskState.RUNNING),
        state=TaskState.CANCELLED,
        error="cancelled by the user",
    )
    assert cancelled.state is TaskState.CANCELLED


def test_remove_keeps_follow_ups_without_their_parent(db: Database, make_task: MakeTask) -> None:
    parent = db.tasks.create(make_task())
    child = db.tasks.create(make_task(parent_id=parent.id))
    db.tasks.remove(parent.id)
    assert db.tasks.get(child.id).parent_id is None
    with pytest.raises(NotFound):
        db.tasks.remove(parent.id)


def test_queue_is_oldest_first(
    db: Database, make_task: MakeTask, make_workspace: Callable[..., Workspace]
) -> None:
    other = db.workspaces.add(make_workspace())
    db.tasks.create(make_task(state=TaskState.SUCCEEDED))
    oldest = db.tasks.create(make_task())
    newer = db.tasks.create(make_task(workspace_id=other.id))

    assert db.tasks.next_queued() == oldest
    assert db.tasks.next_queued(other.id) == newer
    assert db.tasks.next_queued(exclude_workspaces=[oldest.workspace_id]) == newer
    assert db.tasks.next_queued(exclude_workspaces=[oldest.workspace_id, other.id]) is None


def test_claim_next_marks_the_task_running(db: Database, make_task: MakeTask) -> None:
    first = db.tasks.create(make_task())
    second = db.tasks.create(make_task())
    started = datetime(2026, 2, 2)

    claimed = db.tasks.claim_next(started_at=started)
    assert claimed == dataclasses.replace(first, state=TaskState.RUNNING, started_at=started)
    assert db.tasks.claim_next() is not None
    assert db.tasks.claim_next() is None
    assert [task.id for task in db.tasks.running()] == [first.id, second.id]
