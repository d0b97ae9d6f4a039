"""The task queue: a concurrency limit per engine, one running task per workspace.

Tasks wait in the database (state queued), so the GUI and a CLI process can
both schedule: claiming a task is one transaction, and the limits are
counted from the database, not from this process's memory.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections import Counter
from datetime import datetime
from typing import Callable

from desktop.domain import EventKind, Task, TaskState
from desktop.domain.engines import LOCAL
from desktop.services.context import AppContext
from desktop.services.runner import TaskRun
from desktop.services.settings import Settings

log = logging.getLogger(__name__)


def held_workspaces(running: list[Task], placed: dict[str, str], limit: int) -> set[str]:
    """The workspaces none of whose tasks may start now: those running one,
    and every workspace of an engine that runs ``limit`` tasks already (the
    limit counts per engine: a task on a server does not wait for the laptop)."""
    per_engine = Counter(placed.get(t.workspace_id, LOCAL) for t in running)
    full = {engine for engine, count in per_engine.items() if count >= limit}
    return {t.workspace_id for t in running} | {ws for ws, engine in placed.items() if engine in full}


class Scheduler:
    """Starts queued tasks in threads of their own as the limits allow.

    ``runs_queue``: the GUI's scheduler starts any queued task (it runs the
    queue); a CLI command's starts only the task it was asked to run, when
    that task's turn comes (``start_if_ready``).
    """

    def __init__(self, ctx: AppContext, concurrency: Callable[[], int] | None = None, runs_queue: bool = True) -> None:
        self.ctx = ctx
        self.runs_queue = runs_queue
        self._concurrency = concurrency or (lambda: Settings().concurrency)

    def running_here(self) -> list[str]:
        """Ids of the tasks whose agent this process runs."""
        return self.ctx.runs.ids()

    def pump(self) -> list[Task]:
        """Start as many queued tasks as the limits allow; returns those started."""
        started: list[Task] = []
        while self.runs_queue and (task := self._claim(None)) is not None:
            self._start(task)
            started.append(task)
        return started

    def start_if_ready(self, task_id: str) -> bool:
        """Start this queued task here if the limits allow it now."""
        task = self._claim(task_id)
        if task is not None:
            self._start(task)
        return task is not None

    def _claim(self, only: str | None) -> Task | None:
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

    def _claim_one(self, only: str | None) -> Task | None:
        """Called inside _claim's write transaction."""
        db = self.ctx.db
        placed = {w.id: w.engine for w in db.workspaces.list()}
        busy = held_workspaces(db.tasks.running(), placed, max(1, self._concurrency()))
        if only is None:
            return db.tasks.claim_next(exclude_workspaces=busy)
        task = db.tasks.get(only)
        if task.state is not TaskState.QUEUED or task.workspace_id in busy:
            return None
        older = db.tasks.next_queued(task.workspace_id)
        if older is not None and older.id != task.id:
            return None  # an older task of that workspace goes first
        return db.tasks.update(task.id, expected_state=TaskState.QUEUED, state=TaskState.RUNNING,
                               started_at=datetime.now())

    def _start(self, task: Task) -> None:
        self.ctx.hub.publish_task(task)
        run = TaskRun(self.ctx, task)
        thread = threading.Thread(target=self._run, args=(run,), name=f"task-{task.id}", daemon=True)
        self.ctx.runs.add(run, thread)
        thread.start()

    def adopt(self, task: Task) -> None:
        """Run to its end a task another process started and left (see TaskRun.adopt)."""
        run = TaskRun(self.ctx, task)
        thread = threading.Thread(target=self._run, args=(run, True), name=f"task-{task.id}", daemon=True)
        self.ctx.runs.add(run, thread)
        thread.start()

    def _run(self, run: TaskRun, adopted: bool = False) -> None:
        try:
            run.adopt() if adopted else run.run()
        finally:
            self.ctx.runs.remove(run.task.id)
            try:
                self.pump()
            except Exception:  # noqa: BLE001 - the next pump (a submit, a timer) retries
                log.exception("starting the next queued task")

    def cancel_local(self, task_id: str) -> bool:
        run = self.ctx.runs.get(task_id)
        if run is None:
            return False
        run.cancel()
        return True

    def join(self, task_id: str, timeout: float | None = None) -> None:
        self.ctx.runs.join(task_id, timeout)
