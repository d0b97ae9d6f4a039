"""The task queue: a global concurrency limit, one running task per workspace.

Tasks wait in the database (state queued), so the GUI and a CLI process can
both schedule: claiming a task is one transaction, and the limits are
counted from the database, not from this process's memory.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import datetime
from typing import Callable

from desktop.domain import EventKind, Task, TaskState
from desktop.services.context import AppContext
from desktop.services.runner import TaskRun

log = logging.getLogger(__name__)

DEFAULT_CONCURRENCY = 2


class Scheduler:
    """Starts queued tasks in threads of their own as the limits allow."""

    def __init__(
        self, ctx: AppContext, concurrency: Callable[[], int] | None = None, scope: set[str] | None = None
    ) -> None:
        """``scope``: when given, only these task ids run here (``aicode task
        run`` runs its own task, not the whole queue); the set may grow."""
        self.ctx = ctx
        self._scope = scope
        self._concurrency = concurrency or (lambda: DEFAULT_CONCURRENCY)
        self._lock = threading.Lock()
        self._runs: dict[str, TaskRun] = {}
        self._threads: dict[str, threading.Thread] = {}

    def running_here(self) -> dict[str, TaskRun]:
        with self._lock:
            return dict(self._runs)

    def pump(self) -> list[Task]:
        """Start as many queued tasks as the limits allow; returns those started."""
        started: list[Task] = []
        while True:
            task = self._claim(None if self._scope is None else set(self._scope))
            if task is None:
                return started
            self._start(task)
            started.append(task)

    def _claim(self, only: set[str] | None) -> Task | None:
        db = self.ctx.db
        with db.write():
            task = self._claim_one(only)
            if task is not None:
                # In the claiming transaction: no one ever sees this task running
                # without knowing which process runs it (reconcile relies on it).
                db.events.append(task.id, EventKind.STATE, {
                    "state": "running", "message": "Started",
                    "owner_pid": os.getpid(), "owner_host": socket.gethostname(),
                })
            return task

    def _claim_one(self, only: set[str] | None) -> Task | None:
        """Called inside _claim's write transaction."""
        db = self.ctx.db
        running = db.tasks.running()
        if len(running) >= max(1, self._concurrency()):
            return None
        busy = {t.workspace_id for t in running}
        if only is None:
            return db.tasks.claim_next(exclude_workspaces=busy)
        for task_id in sorted(only):
            task = db.tasks.get(task_id)
            if task.state is TaskState.QUEUED and task.workspace_id not in busy:
                older = db.tasks.next_queued(task.workspace_id)
                if older is not None and older.id != task.id:
                    continue  # an older task of that workspace goes first
                return db.tasks.update(task.id, expected_state=TaskState.QUEUED, state=TaskState.RUNNING,
                                       started_at=datetime.now())
        return None

    def _start(self, task: Task) -> None:
        self.ctx.hub.publish_task(task)
        run = TaskRun(self.ctx, task)
        thread = threading.Thread(target=self._run, args=(run,), name=f"task-{task.id}", daemon=True)
        with self._lock:
            self._runs[task.id] = run
            self._threads[task.id] = thread
        thread.start()

    def _run(self, run: TaskRun) -> None:
        try:
            run.run()
        finally:
            with self._lock:
                self._runs.pop(run.task.id, None)
                self._threads.pop(run.task.id, None)
            try:
                self.pump()
            except Exception:  # noqa: BLE001 - the next pump (a submit, a timer) retries
                log.exception("starting the next queued task")

    def cancel_local(self, task_id: str) -> bool:
        with self._lock:
            run = self._runs.get(task_id)
        if run is None:
            return False
        run.cancel()
        return True

    def join(self, task_id: str, timeout: float | None = None) -> None:
        with self._lock:
            thread = self._threads.get(task_id)
        if thread is not None:
            thread.join(timeout)

