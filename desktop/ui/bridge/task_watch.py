"""Which tasks are queued or running, which wait for review, and the news when one changes or ends.

Changes made in this process (the GUI's own scheduler runs the tasks) come
from the services' event hub, drained on a reader thread; changes made by other
processes (the ``aicode`` CLI) are only in the database, so the active tasks
and those to review are also listed every few seconds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.domain import Task
from desktop.domain.task import PatchState
from desktop.ui.bridge import service_mapping as cm
from desktop.ui.bridge.calls import Calls
from desktop.ui.bridge.payloads import ReviewChanged, RunningChanged, TaskChanged, TaskFinished
from desktop.ui.bridge.stream_reader import ItemsArrived, StreamReader

if TYPE_CHECKING:
    from desktop.services.app import App

POLL_MS = 3000  # other processes' changes: how often the active tasks are listed


class TaskWatch(QObject):
    """Signals:
        task_changed(TaskChanged): a task's state, result or review changed.
        task_finished(TaskFinished): a task this window saw queued or running has ended (once per task).
        running_changed(RunningChanged): the set of queued and running tasks changed, or which
            of them wait on their user.
        review_changed(ReviewChanged): the set of ended tasks whose change waits for review changed.
    """

    task_changed = Signal(object)
    task_finished = Signal(object)
    running_changed = Signal(object)
    review_changed = Signal(object)

    def __init__(self, app: App, calls: Calls, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._app = app
        self._calls = calls
        self._active: dict[str, Task] = {}
        self._to_review: dict[str, Task] = {}
        self._review_news = 0  # changes to the tasks to review seen here, so a slower poll does not undo them
        self._was_active: set[str] = set()  # seen queued or running: their end is news
        self._announced: set[str] = set()
        self._ended: set[str] = set()  # a task never starts again: later "running" copies are stale
        self._poll_failures = 0
        self._hub: StreamReader | None = None
        self._poll = QTimer(self, interval=POLL_MS, timeout=self.refresh)

    def start(self, active: list[Task], to_review: list[Task] | None = None) -> None:
        self._set_active(active)
        self._set_to_review(to_review or [])
        self._hub = StreamReader("hub", self._app.tasks.watch_changes, self)
        self._hub.items_arrived.connect(self._hub_items)
        self._hub.start()
        self._poll.start()

    def stop(self) -> list[StreamReader]:
        """Stop watching; returns the reader thread stopped, to wait for."""
        self._poll.stop()
        hub, self._hub = self._hub, None
        if hub is None:
            return []
        hub.stop()
        return [hub]

    def active(self) -> list[Task]:
        return list(self._active.values())

    def to_review(self) -> list[Task]:
        """Ended tasks whose change waits for review, newest first."""
        return list(self._to_review.values())

    def seen(self, task: Task) -> None:
        """A fresh copy of a task, from wherever it came (hub, stream, a get)."""
        if not task.is_final and task.id in self._ended:
            return  # read before it ended, delivered after
        self.task_changed.emit(TaskChanged(task))
        if _waits_for_review(task) or task.id in self._to_review:
            self._review_news += 1  # a poll that started before this copy lists an older state
            others = [t for t in self._to_review.values() if t.id != task.id]
            self._set_to_review([task, *others] if _waits_for_review(task) else others)
        if not task.is_final:
            if self._active.get(task.id) != task:
                self._set_active([*(t for t in self._active.values() if t.id != task.id), task])
            return
        self._ended.add(task.id)
        if task.id in self._active:
            self._set_active([t for t in self._active.values() if t.id != task.id])
        if task.id in self._was_active and task.id not in self._announced:
            self._announced.add(task.id)
            self.task_finished.emit(TaskFinished(task))

    def refresh(self) -> None:
        """List the active tasks now (another process may have started or ended some)."""

        def failed(_message: str) -> None:
            self._poll_failures += 1
            if self._poll_failures >= 3:  # the database cannot be read: stop asking every few seconds
                self._poll.stop()

        news = self._review_news

        def both() -> tuple[list[Task], list[Task], int]:
            return self._app.tasks.list(states=list(cm.ACTIVE)), self._app.tasks.to_review(), news

        self._calls.run("Watch tasks", both, quiet=True, then=self._polled, failed=failed)

    # -- the hub, on its reader thread --------------------------------------

    def _hub_items(self, batch: ItemsArrived) -> None:
        latest: dict[str, Task] = {}
        for task in batch.items:  # a burst of changes: the last of each task is enough
            latest.pop(task.id, None)
            latest[task.id] = task
        for task in latest.values():
            self.seen(task)

    # -- polling ------------------------------------------------------------

    def _polled(self, lists: tuple[list[Task], list[Task], int]) -> None:
        active, to_review, news = lists
        if news == self._review_news:
            self._set_to_review(to_review)
        self._poll_failures = 0
        now = {t.id: t for t in active}
        for task in active:
            if self._active.get(task.id) != task:
                self.seen(task)
        for gone in set(self._active) - set(now):
            self._calls.run("Load task", self._app.tasks.get, gone, quiet=True, then=self.seen)

    def _set_active(self, active: list[Task]) -> None:
        before = {(t.id, t.state, t.needs_input) for t in self._active.values()}
        self._active = {t.id: t for t in active}
        self._was_active.update(self._active)
        if before != {(t.id, t.state, t.needs_input) for t in active}:
            self.running_changed.emit(RunningChanged(tuple(active)))

    def _set_to_review(self, tasks: list[Task]) -> None:
        before = list(self._to_review.values())
        ordered = sorted(tasks, key=lambda t: (t.created_at, t.id), reverse=True)
        self._to_review = {t.id: t for t in ordered}
        if [(t.id, t.workspace_id) for t in before] != [(t.id, t.workspace_id) for t in ordered]:
            self.review_changed.emit(ReviewChanged(tuple(ordered)))


def _waits_for_review(task: Task) -> bool:
    return task.is_final and task.patch_state is PatchState.PENDING
