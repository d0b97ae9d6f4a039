"""Tasks: created, found by (short) id, listed, updated, and queued."""

from __future__ import annotations

import builtins
import dataclasses
from collections.abc import Collection, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Row, Select, delete, exists, insert, select, update

from desktop.domain import PermissionMode, Task, TaskState
from desktop.domain.task import PatchState
from desktop.store.encoding import optional_datetime_from_text, optional_datetime_to_text
from desktop.store.errors import AlreadyExists, AmbiguousId, NotFound, StaleState
from desktop.store.tables import tasks, workspaces

if TYPE_CHECKING:
    from desktop.store.database import Database

_FIELDS = tuple(field.name for field in dataclasses.fields(Task))
_ENUMS: dict[str, type[TaskState] | type[PatchState] | type[PermissionMode]] = {
    "state": TaskState,
    "patch_state": PatchState,
    "permission_mode": PermissionMode,
}
_DATETIMES = frozenset({"created_at", "started_at", "finished_at"})
# What a task is and where it belongs; everything else is its progress.
_FIXED = frozenset({"id", "workspace_id", "created_at"})
# How many candidates an ambiguous short id reports.
_AMBIGUOUS_SHOWN = 10


class TaskRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def create(self, task: Task) -> Task:
        with self._db.write() as connection:
            # Checked under the write lock, for errors that name the culprit
            # rather than a bare "FOREIGN KEY constraint failed".
            if _exists(connection, tasks.c.id == task.id):
                raise AlreadyExists("task", task.id)
            if not _exists(connection, workspaces.c.id == task.workspace_id):
                raise NotFound("workspace", task.workspace_id)
            if task.parent_id is not None and not _exists(connection, tasks.c.id == task.parent_id):
                raise NotFound("task", task.parent_id)
            connection.execute(insert(tasks).values(_to_row(task)))
        return task

    def get(self, ref: str) -> Task:
        """The task whose id is ``ref`` or, failing that, starts with it."""
        with self._db.read() as connection:
            row = connection.execute(select(tasks).where(tasks.c.id == ref)).first()
            if row is None and ref:
                matches = connection.execute(
                    select(tasks)
                    .where(tasks.c.id.op("GLOB")(_glob_literal(ref) + "*"))
                    .order_by(tasks.c.id)
                    .limit(_AMBIGUOUS_SHOWN + 1)
                ).all()
                if len(matches) > 1:
                    raise AmbiguousId("task", ref, (m.id for m in matches[:_AMBIGUOUS_SHOWN]))
                row = matches[0] if matches else None
        if row is None:
            raise NotFound("task", ref)
        return _from_row(row)

    def list(
        self,
        workspace_id: str | None = None,
        states: Iterable[TaskState] | None = None,
        text: str | None = None,
        limit: int | None = None,
        patch_states: Iterable[PatchState] | None = None,
    ) -> builtins.list[Task]:
        """Tasks, newest first; ``text`` is looked for in the prompt, ignoring case."""
        query = select(tasks).order_by(tasks.c.created_at.desc(), tasks.c.id.desc())
        if workspace_id is not None:
            query = query.where(tasks.c.workspace_id == workspace_id)
        if states is not None:
            query = query.where(tasks.c.state.in_([TaskState(state).value for state in states]))
        if patch_states is not None:
            query = query.where(tasks.c.patch_state.in_([PatchState(state).value for state in patch_states]))
        if text:
            query = query.where(tasks.c.prompt.like(f"%{_like_literal(text)}%", escape="\\"))
        if limit is not None:
            query = query.limit(limit)
        return self._all(query)

    def update(
        self,
        task_id: str,
        /,
        *,
        expected_state: TaskState | Iterable[TaskState] | None = None,
        **fields: Any,
    ) -> Task:
        """Change some fields of a task and return it as it now is.

        With ``expected_state`` the change only happens if the task is (one
        of) that state, else StaleState: that is how a state change is made
        safely when the scheduler, the GUI and the CLI may race for it.
        """
        not_allowed = fields.keys() - (set(_FIELDS) - _FIXED)
        if not_allowed:
            raise TypeError(f"cannot update a task's {', '.join(sorted(not_allowed))}")
        values: dict[str, Any] = {
            name: _ENUMS[name](value) if name in _ENUMS and value is not None else value
            for name, value in fields.items()
        }
        with self._db.write() as connection:
            row = connection.execute(select(tasks).where(tasks.c.id == task_id)).first()
            if row is None:
                raise NotFound("task", task_id)
            current = _from_row(row)
            if expected_state is not None:
                expected = _states(expected_state)
                if current.state not in expected:
                    raise StaleState(task_id, current.state, expected)
            if values:
                connection.execute(
                    update(tasks)
                    .where(tasks.c.id == task_id)
                    .values({name: _to_column(name, value) for name, value in values.items()})
                )
        return dataclasses.replace(current, **values)

    def remove(self, task_id: str) -> None:
        """Delete a task and its events; its follow-ups lose their parent."""
        with self._db.write() as connection:
            removed = connection.execute(delete(tasks).where(tasks.c.id == task_id)).rowcount
        if not removed:
            raise NotFound("task", task_id)

    def next_queued(
        self, workspace_id: str | None = None, *, exclude_workspaces: Collection[str] = ()
    ) -> Task | None:
        """The oldest queued task (of one workspace, or not of some)."""
        query = (
            select(tasks)
            .where(tasks.c.state == TaskState.QUEUED.value)
            .order_by(tasks.c.created_at, tasks.c.id)
            .limit(1)
        )
        if workspace_id is not None:
            query = query.where(tasks.c.workspace_id == workspace_id)
        if exclude_workspaces:
            query = query.where(tasks.c.workspace_id.not_in(list(exclude_workspaces)))
        found = self._all(query)
        return found[0] if found else None

    def claim_next(
        self,
        workspace_id: str | None = None,
        *,
        exclude_workspaces: Collection[str] = (),
        started_at: datetime | None = None,
    ) -> Task | None:
        """Take the oldest queued task and mark it running, in one transaction.

        Two schedulers (say the GUI's and ``aicode run``) never get the same
        task.
        """
        with self._db.write():
            task = self.next_queued(workspace_id, exclude_workspaces=exclude_workspaces)
            if task is None:
                return None
            return self.update(
                task.id,
                expected_state=TaskState.QUEUED,
                state=TaskState.RUNNING,
                started_at=started_at or datetime.now(),
            )

    def running(self) -> builtins.list[Task]:
        """The running tasks, longest-running first."""
        return self._all(
            select(tasks)
            .where(tasks.c.state == TaskState.RUNNING.value)
            .order_by(tasks.c.started_at, tasks.c.created_at, tasks.c.id)
        )

    def _all(self, query: Select[Any]) -> builtins.list[Task]:
        with self._db.read() as connection:
            rows = connection.execute(query).all()
        return [_from_row(row) for row in rows]


def _exists(connection: Connection, condition: Any) -> bool:
    return bool(connection.execute(select(exists().where(condition))).scalar())


def _states(expected: TaskState | Iterable[TaskState]) -> tuple[TaskState, ...]:
    if isinstance(expected, str):
        return (TaskState(expected),)
    return tuple(TaskState(state) for state in expected)


def _glob_literal(text: str) -> str:
    # GLOB (not LIKE) because it is case-sensitive, as ids are, and can use
    # the primary key index; its wildcards are matched literally in brackets.
    return "".join(f"[{char}]" if char in "*?[" else char for char in text)


def _like_literal(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _to_column(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name in _ENUMS:
        return _ENUMS[name](value).value
    if name in _DATETIMES:
        return optional_datetime_to_text(value)
    return value


def _from_column(name: str, value: Any) -> Any:
    if name == "new_session":
        return bool(value)
    if name in _ENUMS:
        return None if value is None else _ENUMS[name](value)
    if name in _DATETIMES:
        return optional_datetime_from_text(value)
    return value


def _to_row(task: Task) -> dict[str, Any]:
    return {name: _to_column(name, getattr(task, name)) for name in _FIELDS}


def _from_row(row: Row[Any]) -> Task:
    columns = row._mapping
    return Task(**{name: _from_column(name, columns[name]) for name in _FIELDS})
