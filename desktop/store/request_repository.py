"""A task's requests to its user, and the answers; the task's ``waiting``
count moves with them in the same transaction."""

from __future__ import annotations

import builtins
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Row, and_, insert, select, update

from desktop.domain.approvals import Decision, PendingRequest, RequestKind
from desktop.store.encoding import (
    datetime_from_text,
    datetime_to_text,
    json_from_text,
    json_to_text,
    optional_datetime_from_text,
    optional_datetime_to_text,
)
from desktop.store.tables import task_requests, tasks

if TYPE_CHECKING:
    from desktop.store.database import Database


class RequestRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, request: PendingRequest) -> bool:
        """Store a waiting request; False if the task already has one by that id."""
        with self._db.write() as connection:
            key = _key(request.task_id, request.request_id)
            if connection.execute(select(task_requests.c.request_id).where(key)).first() is not None:
                return False
            connection.execute(insert(task_requests).values(
                task_id=request.task_id, request_id=request.request_id, kind=RequestKind(request.kind).value,
                tool=request.tool, input=json_to_text(request.input), description=request.description,
                created_at=datetime_to_text(request.created_at),
                # Stored already answered when a rule answers it at once.
                decision=None if request.decision is None else Decision(request.decision).value,
                message=request.message, decided_at=optional_datetime_to_text(request.decided_at),
            ))
            _count_waiting(connection, request.task_id)
        return True

    def decide(self, task_id: str, request_id: str, decision: Decision, message: str | None = None,
               at: datetime | None = None) -> PendingRequest | None:
        """Answer a waiting request. None if it was answered already (by
        another process, the time-out, or the agent withdrawing it): the first
        answer wins, whoever gives it."""
        with self._db.write() as connection:
            changed = connection.execute(
                update(task_requests)
                .where(and_(_key(task_id, request_id), task_requests.c.decision.is_(None)))
                .values(decision=Decision(decision).value, message=message,
                        decided_at=datetime_to_text(at or datetime.now()))
            ).rowcount
            if not changed:
                return None
            _count_waiting(connection, task_id)
            row = connection.execute(select(task_requests).where(_key(task_id, request_id))).one()
        return _from_row(row)

    def get(self, task_id: str, request_id: str) -> PendingRequest | None:
        with self._db.read() as connection:
            row = connection.execute(select(task_requests).where(_key(task_id, request_id))).first()
        return None if row is None else _from_row(row)

    def waiting(self, task_id: str) -> builtins.list[PendingRequest]:
        """The requests of a task still waiting for an answer, oldest first."""
        return self._select(task_id, waiting=True)

    def list(self, task_id: str) -> builtins.list[PendingRequest]:
        return self._select(task_id, waiting=False)

    def _select(self, task_id: str, waiting: bool) -> builtins.list[PendingRequest]:
        query = select(task_requests).where(task_requests.c.task_id == task_id)
        if waiting:
            query = query.where(task_requests.c.decision.is_(None))
        query = query.order_by(task_requests.c.created_at, task_requests.c.request_id)
        with self._db.read() as connection:
            return [_from_row(row) for row in connection.execute(query).all()]


def _key(task_id: str, request_id: str) -> Any:
    return and_(task_requests.c.task_id == task_id, task_requests.c.request_id == request_id)


def _count_waiting(connection: Any, task_id: str) -> None:
    count = select(task_requests.c.request_id).where(
        and_(task_requests.c.task_id == task_id, task_requests.c.decision.is_(None))
    ).subquery()
    from sqlalchemy import func

    connection.execute(update(tasks).where(tasks.c.id == task_id).values(
        waiting=select(func.count()).select_from(count).scalar_subquery()
    ))


def _from_row(row: Row[Any]) -> PendingRequest:
    data = json_from_text(row.input)
    return PendingRequest(
        task_id=row.task_id, request_id=row.request_id, kind=RequestKind(row.kind), tool=row.tool,
        input=data if isinstance(data, dict) else {}, description=row.description,
        created_at=datetime_from_text(row.created_at),
        decision=None if row.decision is None else Decision(row.decision), message=row.message,
        decided_at=optional_datetime_from_text(row.decided_at),
    )
