from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from desktop.domain import EventKind, NewEvent, Task, TaskEvent
from desktop.store import Database, NotFound


@pytest.fixture
def task(db: Database, make_task: Callable[..., Task]) -> Task:
    return db.tasks.create(make_task())


def test_append_numbers_events_from_one(db: Database, task: Task) -> None:
    at = datetime(2026, 3, 3, 3, 3, 3, 3)
    first = db.events.append(task.id, EventKind.SESSION_INIT, {"model": "m"}, '{"type":"x"}', at)
    second = db.events.append(task.id, EventKind.TEXT, {"text": "héllo"})
    assert first == TaskEvent(
        task.id, 1, EventKind.SESSION_INIT, {"model": "m"}, '{"type":"x"}', at
    )
    assert (second.seq, second.data, second.raw) == (2, {"text": "héllo"}, "")
    assert db.events.list(task.id) == [first, second]
    assert db.events.last_seq(task.id) == 2


def test_append_many_gives_consecutive_seqs(db: Database, task: Task) -> None:
    db.events.append(task.id, EventKind.STATE, {"state": "started"})
    batch = db.events.append_many(
        task.id,
        [NewEvent(EventKind.TEXT, {"text": str(n)}, raw=f"line {n}") for n in range(5)],
    )
    assert [event.seq for event in batch] == [2, 3, 4, 5, 6]
    assert db.events.list(task.id)[1:] == batch
    assert db.events.append_many(task.id, []) == []


def test_list_after_a_seq_and_with_a_limit(db: Database, task: Task) -> None:
    db.events.append_many(task.id, [NewEvent(EventKind.RAW, raw=str(n)) for n in range(10)])
    assert [e.seq for e in db.events.list(task.id, after_seq=7)] == [8, 9, 10]
    assert [e.seq for e in db.events.list(task.id, after_seq=2, limit=3)] == [3, 4, 5]
    assert db.events.list(task.id, after_seq=10) == []


def test_seqs_are_per_task(db: Database, make_task: Callable[..., Task]) -> None:
    one = db.tasks.create(make_task())
    two = db.tasks.create(make_task())
    db.events.append(one.id, EventKind.TEXT)
    assert db.events.append(two.id, EventKind.TEXT).seq == 1
    assert db.events.last_seq("no such task") == 0


def test_events_of_an_unknown_task(db: Database) -> None:
    with pytest.raises(NotFound, match="no task matches 'nope'"):
        db.events.append("nope", EventKind.TEXT)


def test_a_failed_batch_leaves_no_events(db: Database, task: Task) -> None:
    with pytest.raises(TypeError):
        db.events.append_many(
            task.id, [NewEvent(EventKind.TEXT), NewEvent(EventKind.TEXT, {"x": object()})]
        )
    assert db.events.last_seq(task.id) == 0
