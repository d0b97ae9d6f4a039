"""The tasks this process runs, whichever command or window started them.

The warm service makes one ``App`` per command, so ``aicode task cancel``
and the ``aicode task run`` that runs the task hold different schedulers;
they share this registry through the process's context, so a cancel in the
same process stops the run directly and the service knows it is busy.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.services.runner import TaskRun


class LocalRuns:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._runs: dict[str, tuple[TaskRun, threading.Thread]] = {}

    def add(self, run: TaskRun, thread: threading.Thread) -> None:
        with self._lock:
            self._runs[run.task.id] = (run, thread)

    def remove(self, task_id: str) -> None:
        with self._lock:
            self._runs.pop(task_id, None)

    def get(self, task_id: str) -> TaskRun | None:
        with self._lock:
            found = self._runs.get(task_id)
        return found[0] if found else None

    def ids(self) -> list[str]:
        with self._lock:
            return [task_id for task_id, (_run, thread) in self._runs.items() if thread.is_alive()]

    def join(self, task_id: str, timeout: float | None = None) -> None:
        with self._lock:
            found = self._runs.get(task_id)
        if found is not None:
            found[1].join(timeout)
