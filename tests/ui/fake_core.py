"""An in-memory Core with the facade's method names, for the controller's tests.

It is a working stand-in (state, threads, a live event stream), not a mock:
calls block briefly like the real one, and ``subscribe`` yields stored events
then live ones, then ends when the task does.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import datetime

from desktop.domain import Task, TaskEvent, TaskState, Workspace
from desktop.domain.task import PatchState
from tests.ui import factories


@dataclass
class Status:
    ok: bool
    message: str
    fix: str = ""


@dataclass
class Secret:
    stored: bool
    backend: str = "GNOME Keyring"


@dataclass
class Settings:
    concurrency: int = 2
    default_image: str = "aicode-agent:latest"
    default_cpus: float = 2.0
    default_memory: str = "4g"
    theme: str = "light"
    notifications: bool = True


class FakeCore:
    def __init__(self, workspaces: list[Workspace] | None = None, tasks: list[Task] | None = None) -> None:
        self.lock = threading.Lock()
        self.workspaces = {w.id: w for w in (workspaces or [])}
        self.tasks = {t.id: t for t in (tasks or [])}
        self.events: dict[str, list[TaskEvent]] = {}
        self.engine_ok = True
        self.secret = Secret(stored=True)
        self.saved_settings: Settings | None = None
        self.calls: list[str] = []
        self.applied: list[str] = []
        self._n = 0

    def _log(self, name: str) -> None:
        assert threading.current_thread() is not threading.main_thread(), f"{name} called on the GUI thread"
        self.calls.append(name)

    # workspaces
    def list_workspaces(self) -> list[Workspace]:
        self._log("list_workspaces")
        return list(self.workspaces.values())

    def add_workspace(self, spec, progress=None, cancel=None) -> Workspace:  # noqa: ANN001
        self._log("add_workspace")
        for i in range(5):
            if cancel is not None and cancel.is_set():
                raise RuntimeError("Clone cancelled")
            if progress:
                progress(i / 4)
            time.sleep(0.01)
        ws = factories.workspace(f"ws{len(self.workspaces) + 1}", spec.name)
        self.workspaces[ws.id] = ws
        return ws

    def rename_workspace(self, id: str, name: str) -> None:
        self._log("rename_workspace")
        self.workspaces[id] = replace(self.workspaces[id], name=name)

    def update_workspace(self, ws: Workspace) -> None:
        self._log("update_workspace")
        self.workspaces[ws.id] = ws

    def remove_workspace(self, id: str) -> None:
        self._log("remove_workspace")
        del self.workspaces[id]

    # tasks
    def submit_task(self, workspace_id: str, prompt: str, model: str | None = None) -> Task:
        self._log("submit_task")
        with self.lock:
            self._n += 1
            task = Task(f"new{self._n}", workspace_id, prompt, TaskState.RUNNING, datetime.now(), model=model,
                        started_at=datetime.now())
            self.tasks[task.id] = task
            self.events[task.id] = []
        return task

    def follow_up(self, task_id: str, prompt: str) -> Task:
        self._log("follow_up")
        parent = self.tasks[task_id]
        task = self.submit_task(parent.workspace_id, prompt)
        self.tasks[task.id] = replace(task, parent_id=task_id)
        return self.tasks[task.id]

    def cancel_task(self, task_id: str) -> None:
        self._log("cancel_task")
        self.finish(task_id, TaskState.CANCELLED)

    def list_tasks(self, workspace_id=None, states=None, text=None) -> list[Task]:  # noqa: ANN001
        self._log("list_tasks")
        with self.lock:
            return [t for t in self.tasks.values()
                    if (workspace_id is None or t.workspace_id == workspace_id)
                    and (not states or t.state in states)
                    and (not text or text.lower() in t.prompt.lower())]

    def get_task(self, task_id: str) -> Task:
        self._log("get_task")
        return self.tasks[task_id]

    def events_of(self, task_id: str) -> list[TaskEvent]:
        with self.lock:
            return list(self.events.get(task_id, []))

    async def subscribe(self, task_id: str) -> AsyncIterator[TaskEvent | Task]:
        seen = 0
        state = None
        while True:
            with self.lock:
                events = self.events.get(task_id, [])[seen:]
                task = self.tasks[task_id]
            for event in events:
                yield event
            seen += len(events)
            if task.state != state:
                state = task.state
                yield task
            if task.is_final:
                return
            await asyncio.sleep(0.01)

    def emit(self, task_id: str, events: list[TaskEvent]) -> None:
        """The agent says something (from the test's thread)."""
        with self.lock:
            self.events.setdefault(task_id, []).extend(events)

    def finish(self, task_id: str, state: TaskState = TaskState.SUCCEEDED) -> None:
        with self.lock:
            task = self.tasks[task_id]
            patch = PatchState.PENDING if state is TaskState.SUCCEEDED else PatchState.NONE
            self.tasks[task_id] = replace(task, state=state, finished_at=datetime.now(), patch_state=patch, cost_usd=0.05)

    def changed_files(self, task_id: str) -> list[tuple[str, int, int, str]]:
        self._log("changed_files")
        return [("src/app.py", 3, 1, "M"), ("tests/test_app.py", 20, 0, "A")]

    def apply(self, task_id: str) -> None:
        self._log("apply")
        self.applied.append(task_id)
        self.tasks[task_id] = replace(self.tasks[task_id], patch_state=PatchState.APPLIED)

    def discard(self, task_id: str) -> None:
        self._log("discard")
        self.tasks[task_id] = replace(self.tasks[task_id], patch_state=PatchState.DISCARDED)

    # engine, image, secrets, settings
    def engine_status(self) -> Status:
        self._log("engine_status")
        if self.engine_ok:
            return Status(True, "Docker 27.3.1")
        return Status(False, "Docker is not running", "Start Docker Desktop")

    def image_status(self) -> Status:
        self._log("image_status")
        return Status(True, "aicode-agent:latest")

    def build_image(self, progress) -> None:  # noqa: ANN001 - called as (fraction | None, message)
        self._log("build_image")
        for i in range(3):
            progress(None, f"Step {i + 1}/3")
        progress(1.0, "done")

    def secret_status(self) -> Secret:
        self._log("secret_status")
        return self.secret

    def set_secret(self, name: str, value: str) -> None:
        self._log("set_secret")
        self.secret = Secret(stored=True)

    def settings(self) -> Settings:
        self._log("settings")
        return Settings()

    def save_settings(self, settings: Settings) -> Settings:
        self._log("save_settings")
        self.saved_settings = settings
        return settings
