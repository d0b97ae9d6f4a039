"""The one place where the GUI calls the Core.

Every Core method blocks, so each call runs on a worker thread (``aio``) and
its outcome comes back as a signal on the GUI thread; a task's event stream
(``Core.subscribe``) and container stats get a reader thread each
(``StreamReader``). Failures become ``operation_failed`` with a sentence for
people; nothing here raises into Qt.

Core methods used (see the report in the commit for signatures):
list_workspaces, add_workspace, rename_workspace, update_workspace,
remove_workspace, submit_task, follow_up, cancel_task, list_tasks, get_task,
subscribe, changed_files, apply, discard, engine_status, image_status,
build_image, secret_status, set_secret, settings, save_settings; and, for the
workspace panel, container_status, start_container, stop_container,
recreate_container, container_stats.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.domain import Task, TaskEvent, TaskState, Workspace
from desktop.ui import aio
from desktop.ui import core_mapping as cm
from desktop.ui.payloads import (
    AddWorkspaceRequested,
    ChangesLoaded,
    CloneProgressed,
    ContainerChanged,
    EngineStatusChanged,
    EventsArrived,
    FollowUpRequested,
    HistoryQuery,
    ImageBuildFinished,
    ImageBuildProgressed,
    ImageStatusChanged,
    OperationFailed,
    RunningChanged,
    RunRequested,
    SecretStatusChanged,
    SecretSubmitted,
    SettingsLoaded,
    StatsSampled,
    TaskChanged,
    TaskFinished,
    TaskRef,
    TasksLoaded,
    TaskSubmitted,
    WorkspaceAdded,
    WorkspaceChanged,
    WorkspaceRef,
    WorkspacesLoaded,
)
from desktop.ui.stream_reader import ItemsArrived, StreamEnded, StreamReader
from desktop.ui.viewdata import EngineStatus, SettingsValues, WorkspaceItem

log = logging.getLogger(__name__)

POLL_MS = 1500  # how often queued and running tasks are looked at
ENGINE_RETRY_MS = 15_000  # while the engine is down, look again this often
ADD_WORKSPACE = "Add workspace"
APPLY = "Apply changes"
DISCARD = "Discard changes"
BUILD_IMAGE = "Build image"


class Controller(QObject):
    """Signals:
        workspaces_loaded(WorkspacesLoaded), workspace_changed(WorkspaceChanged),
        workspace_added(WorkspaceAdded), clone_progressed(CloneProgressed),
        tasks_loaded(TasksLoaded), history_loaded(TasksLoaded),
        task_submitted(TaskSubmitted), task_changed(TaskChanged), task_finished(TaskFinished),
        running_changed(RunningChanged), events_arrived(EventsArrived),
        changes_loaded(ChangesLoaded), engine_status_changed(EngineStatusChanged),
        image_status_changed(ImageStatusChanged), image_build_progressed(ImageBuildProgressed),
        image_build_finished(ImageBuildFinished), secret_status_changed(SecretStatusChanged),
        settings_loaded(SettingsLoaded), container_changed(ContainerChanged),
        stats_sampled(StatsSampled), operation_failed(OperationFailed).
    """

    workspaces_loaded = Signal(object)
    workspace_changed = Signal(object)
    workspace_added = Signal(object)
    clone_progressed = Signal(object)
    tasks_loaded = Signal(object)
    history_loaded = Signal(object)
    task_submitted = Signal(object)
    task_changed = Signal(object)
    task_finished = Signal(object)
    running_changed = Signal(object)
    events_arrived = Signal(object)
    changes_loaded = Signal(object)
    engine_status_changed = Signal(object)
    image_status_changed = Signal(object)
    image_build_progressed = Signal(object)
    image_build_finished = Signal(object)
    secret_status_changed = Signal(object)
    settings_loaded = Signal(object)
    container_changed = Signal(object)
    stats_sampled = Signal(object)
    operation_failed = Signal(object)

    def __init__(self, core: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._core = core
        self.workspaces: dict[str, Workspace] = {}
        self._active: dict[str, Task] = {}
        self._was_active: set[str] = set()  # tasks seen queued or running: their end is news
        self._announced: set[str] = set()
        self._readers: dict[str, StreamReader] = {}
        self._cancel_add: threading.Event | None = None
        self._poll_failures = 0
        self.engine = EngineStatus(ok=False, message="Checking the Docker engine…", checking=True)
        self._poll = QTimer(self, interval=POLL_MS, timeout=self.poll_active)
        self._engine_retry = QTimer(self, singleShot=True, interval=ENGINE_RETRY_MS, timeout=self.check_engine)

    # -- running Core calls -------------------------------------------------

    def _call(self, action: str, fn: str | Callable[..., Any], *args: Any, then: Callable[[Any], None] | None = None,
              failed: Callable[[str], None] | None = None, quiet: bool = False, **kwargs: Any) -> None:
        """Run a Core method (by name) or a function of several Core calls on a worker."""

        def call() -> Any:
            # Looked up here, on the worker: a Core without the method fails like any call.
            target = getattr(self._core, fn) if isinstance(fn, str) else fn
            return target(*args, **kwargs)

        async def job() -> None:
            try:
                result = await aio.run_blocking(call)
            except Exception as exc:
                log.warning("%s failed", action, exc_info=True)
                message = cm.error_text(exc)
                if failed is not None:
                    failed(message)
                if not quiet:
                    self.operation_failed.emit(OperationFailed(action, message))
                return
            if then is not None:
                then(result)

        aio.spawn(job(), name=action)

    def start(self) -> None:
        """First calls after the window is up."""
        self.check_engine()
        self.refresh_workspaces()
        self.load_settings()
        self._poll.start()

    def shutdown(self) -> None:
        self._poll.stop()
        self._engine_retry.stop()
        for reader in self._readers.values():
            reader.stop()
        self._readers.clear()
        if self._cancel_add is not None:
            self._cancel_add.set()

    # -- engine, image, secrets, settings ------------------------------------

    def check_engine(self) -> None:
        self._engine_retry.stop()
        self.engine_status_changed.emit(EngineStatusChanged(EngineStatus(False, "Checking the Docker engine…", checking=True)))

        def done(value: Any) -> None:
            self.engine = cm.engine_status(value)
            self.engine_status_changed.emit(EngineStatusChanged(self.engine))
            if not self.engine.ok:
                self._engine_retry.start()

        def failed(message: str) -> None:
            done(EngineStatus(False, "Cannot reach the Docker engine", message))

        self._call("Check engine", "engine_status", then=done, failed=failed, quiet=True)

    def check_image(self) -> None:
        self._call("Check image", "image_status", quiet=True,
                   then=lambda v: self.image_status_changed.emit(ImageStatusChanged(cm.image_status(v))))

    def build_image(self) -> None:
        def progress(*args: Any) -> None:  # on the worker thread: the signal is queued to the GUI
            self.image_build_progressed.emit(ImageBuildProgressed(cm.progress(*args)))

        def done(_result: Any) -> None:
            self.image_build_finished.emit(ImageBuildFinished(True, "The agent image is ready."))
            self.check_image()

        def failed(message: str) -> None:
            self.image_build_finished.emit(ImageBuildFinished(False, message))

        self._call(BUILD_IMAGE, "build_image", progress, then=done, failed=failed, quiet=True)

    def check_secret(self, name: str = "ANTHROPIC_API_KEY") -> None:
        self._call("Check API key", "secret_status", quiet=True,
                   then=lambda v: self.secret_status_changed.emit(SecretStatusChanged(name, cm.secret_status(v))))

    def set_secret(self, submitted: SecretSubmitted) -> None:
        self._call("Store API key", "set_secret", submitted.name, submitted.value,
                   then=lambda _r: self.check_secret(submitted.name))

    def load_settings(self) -> None:
        self._call("Load settings", "settings", quiet=True,
                   then=lambda v: self.settings_loaded.emit(SettingsLoaded(cm.settings_values(v))))

    def save_settings(self, values: SettingsValues) -> None:
        def save() -> Any:  # the Core's settings, with the dialog's fields replaced
            return self._core.save_settings(cm.core_settings(self._core.settings(), values))

        self._call("Save settings", save, then=lambda _r: self.settings_loaded.emit(SettingsLoaded(values)))

    # -- workspaces ---------------------------------------------------------

    def refresh_workspaces(self) -> None:
        def both() -> tuple[list[Workspace], list[Task]]:
            return self._core.list_workspaces(), self._core.list_tasks(states=list(cm.ACTIVE))

        def done(result: tuple[list[Workspace], list[Task]]) -> None:
            workspaces, active = result
            self.workspaces = {ws.id: ws for ws in workspaces}
            self._set_active(active)
            self.workspaces_loaded.emit(WorkspacesLoaded(tuple(cm.workspace_items(workspaces, active))))

        self._call("Load workspaces", both, then=done)

    def item(self, workspace_id: str) -> WorkspaceItem | None:
        ws = self.workspaces.get(workspace_id)
        return cm.workspace_items([ws], self._active.values())[0] if ws else None

    def add_workspace(self, request: AddWorkspaceRequested) -> None:
        cancel = self._cancel_add = threading.Event()

        def progress(*args: Any) -> None:
            p = cm.progress(*args)
            self.clone_progressed.emit(CloneProgressed(p.fraction, p.line or "Cloning…"))

        def done(ws: Workspace) -> None:
            self._cancel_add = None
            self.workspaces[ws.id] = ws
            self.workspace_changed.emit(WorkspaceChanged(ws.id, self.item(ws.id)))
            self.workspace_added.emit(WorkspaceAdded(ws))

        self._call(ADD_WORKSPACE, "add_workspace", cm.workspace_spec(request.spec),
                   progress=progress, cancel=cancel, then=done)

    def cancel_add_workspace(self) -> None:
        if self._cancel_add is not None:
            self._cancel_add.set()

    def rename_workspace(self, ref: WorkspaceRef, name: str) -> None:
        def done(_r: Any) -> None:
            ws = self.workspaces.get(ref.workspace_id)
            if ws is not None:
                self.workspaces[ws.id] = replace(ws, name=name)
                self.workspace_changed.emit(WorkspaceChanged(ws.id, self.item(ws.id)))

        self._call("Rename workspace", "rename_workspace", ref.workspace_id, name, then=done)

    def update_workspace(self, ws: Workspace) -> None:
        def done(_r: Any) -> None:
            self.workspaces[ws.id] = ws
            self.workspace_changed.emit(WorkspaceChanged(ws.id, self.item(ws.id)))

        self._call("Save workspace", "update_workspace", ws, then=done)

    def remove_workspace(self, ref: WorkspaceRef) -> None:
        def done(_r: Any) -> None:
            self.workspaces.pop(ref.workspace_id, None)
            self.workspace_changed.emit(WorkspaceChanged(ref.workspace_id, None))

        self._call("Remove workspace", "remove_workspace", ref.workspace_id, then=done)

    # -- tasks --------------------------------------------------------------

    def load_tasks(self, ref: WorkspaceRef) -> None:
        self._call("Load tasks", "list_tasks", workspace_id=ref.workspace_id,
                   then=lambda tasks: self.tasks_loaded.emit(TasksLoaded(ref.workspace_id, tuple(tasks))))

    def search_history(self, query: HistoryQuery) -> None:
        self._call("Search history", "list_tasks", workspace_id=query.workspace_id,
                   states=[TaskState(s) for s in query.states] or None, text=query.text or None,
                   then=lambda tasks: self.history_loaded.emit(TasksLoaded(None, tuple(tasks))))

    def submit(self, request: RunRequested) -> None:
        self._call("Run task", "submit_task", request.workspace_id, request.prompt, request.model,
                   then=self._submitted)

    def follow_up(self, request: FollowUpRequested) -> None:
        self._call("Follow up", "follow_up", request.task_id, request.prompt, then=self._submitted)

    def _submitted(self, task: Task) -> None:
        self._task_seen(task)
        self.task_submitted.emit(TaskSubmitted(task))
        self.poll_active()

    def cancel(self, ref: TaskRef) -> None:
        self._call("Cancel task", "cancel_task", ref.task_id, then=lambda _r: self.refresh_task(ref))

    async def cancel_all(self, timeout: float = 5.0) -> None:
        """Cancel every queued and running task, waiting at most ``timeout`` (at quit)."""
        calls = [aio.spawn(aio.run_blocking(self._core.cancel_task, task_id)) for task_id in list(self._active)]
        if calls:
            await asyncio.wait(calls, timeout=timeout)

    def active_tasks(self) -> list[Task]:
        return list(self._active.values())

    def refresh_task(self, ref: TaskRef) -> None:
        self._call("Load task", "get_task", ref.task_id, then=self._task_seen, quiet=True)

    def open_task(self, ref: TaskRef, view: str = "main") -> None:
        """Show a task's events in ``view``: the stored ones, then live ones until it ends."""
        old = self._readers.pop(view, None)
        if old is not None:
            old.stop()
        self.events_arrived.emit(EventsArrived(ref.task_id, (), replace=True, view=view))
        reader = StreamReader(view, lambda: self._core.subscribe(ref.task_id), self)
        reader.items_arrived.connect(lambda batch, t=ref.task_id: self._stream_items(t, batch))
        reader.ended.connect(self._stream_ended)
        self._readers[view] = reader
        reader.start()
        self.refresh_task(ref)

    def close_task(self, view: str = "main") -> None:
        reader = self._readers.pop(view, None)
        if reader is not None:
            reader.stop()

    def _stream_items(self, task_id: str, batch: ItemsArrived) -> None:
        events = tuple(item for item in batch.items if isinstance(item, TaskEvent))
        if events:
            self.events_arrived.emit(EventsArrived(task_id, events, view=batch.key))
        for item in batch.items:
            if isinstance(item, Task):
                self._task_seen(item)

    def _stream_ended(self, end: StreamEnded) -> None:
        # A stopped reader says nothing more, so this is the view's current one.
        self._readers.pop(end.key, None)
        if end.error:
            self.operation_failed.emit(OperationFailed("Show transcript", end.error))

    def load_changes(self, ref: TaskRef) -> None:
        self._call("Load changes", "changed_files", ref.task_id,
                   then=lambda rows: self.changes_loaded.emit(ChangesLoaded(ref.task_id, cm.changed_files(rows))))

    def apply(self, ref: TaskRef) -> None:
        self._call(APPLY, "apply", ref.task_id, then=lambda _r: self.refresh_task(ref),
                   failed=lambda _m: self.refresh_task(ref))

    def discard(self, ref: TaskRef) -> None:
        self._call(DISCARD, "discard", ref.task_id, then=lambda _r: self.refresh_task(ref),
                   failed=lambda _m: self.refresh_task(ref))

    # -- watching queued and running tasks ---------------------------------

    def poll_active(self) -> None:
        def failed(_message: str) -> None:
            self._poll_failures += 1
            if self._poll_failures >= 3:  # the Core cannot list tasks: stop asking every second
                self._poll.stop()

        self._call("Watch tasks", "list_tasks", states=list(cm.ACTIVE), quiet=True, then=self._polled, failed=failed)

    def _polled(self, active: list[Task]) -> None:
        self._poll_failures = 0
        now = {t.id: t for t in active}
        for task in active:
            old = self._active.get(task.id)
            if old is None or old.state is not task.state:
                self._task_seen(task)
        for gone in set(self._active) - set(now):
            self.refresh_task(TaskRef(gone))  # it ended: fetch how
        self._set_active(active)

    def _set_active(self, active: list[Task]) -> None:
        before = {(t.id, t.state) for t in self._active.values()}
        counts_before = {ws: self.item(ws) for ws in self.workspaces}
        self._active = {t.id: t for t in active}
        self._was_active.update(self._active)
        if before != {(t.id, t.state) for t in active}:
            self.running_changed.emit(RunningChanged(tuple(active)))
            for ws_id, old in counts_before.items():
                new = self.item(ws_id)
                if new != old:
                    self.workspace_changed.emit(WorkspaceChanged(ws_id, new))

    def _task_seen(self, task: Task) -> None:
        self.task_changed.emit(TaskChanged(task))
        if not task.is_final:
            if task.id not in self._active:
                self._set_active([*self._active.values(), task])
            return
        if task.id in self._active:
            self._set_active([t for t in self._active.values() if t.id != task.id])
        if task.id in self._was_active and task.id not in self._announced:
            self._announced.add(task.id)
            self.task_finished.emit(TaskFinished(task))

    # -- containers ---------------------------------------------------------

    def load_container(self, ref: WorkspaceRef) -> None:
        self._call("Container status", "container_status", ref.workspace_id, quiet=True,
                   then=lambda v: self.container_changed.emit(ContainerChanged(cm.container_info(ref.workspace_id, v))))

    def start_container(self, ref: WorkspaceRef) -> None:
        self._call("Start container", "start_container", ref.workspace_id,
                   then=lambda _r: self.load_container(ref))

    def stop_container(self, ref: WorkspaceRef) -> None:
        self._call("Stop container", "stop_container", ref.workspace_id,
                   then=lambda _r: self.load_container(ref))

    def recreate_container(self, ref: WorkspaceRef) -> None:
        self._call("Recreate container", "recreate_container", ref.workspace_id,
                   then=lambda _r: self.load_container(ref))

    def watch_stats(self, ref: WorkspaceRef) -> None:
        self.unwatch_stats()
        reader = StreamReader("stats", lambda: self._core.container_stats(ref.workspace_id), self)
        reader.items_arrived.connect(lambda batch: self._stats(ref.workspace_id, batch))
        self._readers["stats"] = reader
        reader.start()

    def unwatch_stats(self) -> None:
        self.close_task("stats")

    def _stats(self, workspace_id: str, batch: ItemsArrived) -> None:
        for item in batch.items[-5:]:  # a backlog of samples: the newest few are enough
            cpu, mem, limit = cm.stats_sample(item)
            self.stats_sampled.emit(StatsSampled(workspace_id, cpu, mem, limit))
