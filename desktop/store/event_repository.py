"""A task's events, in order, each with a seq that is gapless per task."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Row, exists, func, insert, select

from desktop.domain import EventKind, TaskEvent
from desktop.domain.events import NewEvent
from desktop.store.encoding import (
    datetime_from_text,
    datetime_to_text,
    json_from_text,
    json_to_text,
)
from desktop.store.errors import NotFound
from desktop.store.tables import task_events, tasks

if TYPE_CHECKING:
    from desktop.store.database import Database


class EventRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def append(
        self,
        task_id: str,
        kind: EventKind,
        data: Mapping[str, Any] | None = None,
        raw: str = "",
        created_at: datetime | None = None,
    ) -> TaskEvent:
        (event,) = self.append_many(task_id, [NewEvent(kind, data or {}, raw, created_at)])
        return event

    def append_many(self, task_id: str, events: Iterable[NewEvent]) -> builtins.list[TaskEvent]:
        """Append events in one transaction; they get consecutive seqs."""
        batch = builtins.list(events)
        if not batch:
            return []
        now = datetime.now()
        with self._db.write() as connection:
            # "Last seq + 1" cannot collide: BEGIN IMMEDIATE holds SQLite's
            # single write lock, so no other writer, in this process or
            # another, runs between this read and the insert.
            last = _last_seq(connection, task_id)
            if last == 0 and not _task_exists(connection, task_id):
                raise NotFound("task", task_id)
            stored = [
                TaskEvent(
                    task_id=task_id,
                    seq=last + offset,
                    kind=EventKind(event.kind),
                    data=dict(event.data),
                    raw=event.raw,
                    created_at=event.created_at or now,
                )
                for offset, event in enumerate(batch, start=1)
            ]
            connection.execute(insert(task_events), [_to_row(event) for event in stored])
        return stored

    def list(
        self, task_id: str, after_seq: int = 0, limit: int | None = None
    ) -> builtins.list[TaskEvent]:
        """The task's events with a seq above ``after_seq``, in order.

        A follower (the GUI's log view, ``aicode task logs -f``) passes the
        last seq it has seen to get only what is new.
        """
        query = (
            select(task_events)
            .where(task_events.c.task_id == task_id, task_events.c.seq > after_seq)
            .order_by(task_events.c.seq)
        )
        if limit is not None:
            query = query.limit(limit)
        with self._db.read() as connection:
            rows = connection.execute(query).all()
        return [_from_row(row) for row in rows]

    def last_seq(self, task_id: str) -> int:
        """The seq of the task's latest event; 0 if it has none."""
        with self._db.read() as connection:
            return _last_seq(connection, task_id)


def _last_seq(connection: Connection, task_id: str) -> int:
    query = select(func.max(task_events.c.seq)).where(task_events.c.task_id == task_id)
    return connection.execute(query).scalar() or 0


def _task_exists(connection: Connection, task_id: str) -> bool:
    return bool(connection.execute(select(exists().where(tasks.c.id == task_id))).scalar())


def _to_row(event: TaskEvent) -> dict[str, Any]:
    return {
        "task_id": event.task_id,
        "seq": event.seq,
        "kind": event.kind.value,
        "data": json_to_text(event.data),
        "raw": event.raw,
        "created_at": datetime_to_text(event.created_at),
    }


def _from_row(row: Row[Any]) -> TaskEvent:
    return TaskEvent(
        task_id=row.task_id,
        seq=row.seq,
        kind=EventKind(row.kind),
        data=json_from_text(row.data),
        raw=row.raw,
        created_at=datetime_from_text(row.created_at),
    )
