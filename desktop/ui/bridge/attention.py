"""Which tasks wait on the person, and the news when one of their agents asks
something new.

A task's row says how many of its requests wait (``Task.waiting``); what
they ask is read from the services when that changes. Each request is news
once: a request that waits on is not told again, and one a workspace's rule
answered at once never made its task wait, so it never gets here. A turn the
person stopped (the agent waits for their message) is not news to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from desktop.domain import Task
from desktop.domain.approvals import PendingRequest, RequestKind
from desktop.ui.bridge.calls import Calls
from desktop.ui.bridge.payloads import TaskRef

if TYPE_CHECKING:
    from desktop.services.app import App


@dataclass(frozen=True)
class InputRequested:
    """``task``'s agent asks ``request`` of the person, and waits."""

    task: Task
    request: PendingRequest


class AttentionWatch(QObject):
    """Signals:
        input_requested(InputRequested): a task's agent asks something new (once per request).
        input_settled(TaskRef): a task no longer waits on the person (answered, timed out or ended).
    """

    input_requested = Signal(object)
    input_settled = Signal(object)

    def __init__(self, app: App, calls: Calls, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._app = app
        self._calls = calls
        self._last: dict[str, Task] = {}  # the tasks waiting on the person, as last seen
        self._told: set[tuple[str, str]] = set()  # (task id, request id) already news

    def seen(self, task: Task) -> None:
        """A fresh copy of a task (hub, stream, poll)."""
        before = self._last.get(task.id)
        if not task.needs_input:
            if before is not None:
                del self._last[task.id]
                self.input_settled.emit(TaskRef(task.id))
            return
        self._last[task.id] = task
        if before != task:  # its requests may have changed: which wait now?
            self._calls.run("Load requests", self._app.tasks.pending, task.id, quiet=True,
                            then=lambda requests: self._pending(task, requests))

    def seen_all(self, tasks: list[Task]) -> None:
        """The queued and running tasks (at start, and as they change)."""
        for task in tasks:
            self.seen(task)

    def waiting(self) -> list[Task]:
        return list(self._last.values())

    def _pending(self, task: Task, requests: list[PendingRequest]) -> None:
        if task.id not in self._last:
            return  # answered meanwhile
        for request in requests:
            key = (task.id, request.request_id)
            if key in self._told or request.kind is RequestKind.MESSAGE:
                continue
            self._told.add(key)
            self.input_requested.emit(InputRequested(self._last[task.id], request))
