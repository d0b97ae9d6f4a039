"""The one place where the GUI calls the services (``desktop.services.app.App``).

Every services method blocks, so each call runs on a worker thread (``Calls``) and
its outcome comes back as a signal on the GUI thread; a task's event stream
(``Tasks.follow``) gets a reader thread of its own (``StreamReader``).
Workspaces and tasks are here; the review of a task's change is in ``review``
(``ReviewController``); the engine, the image, the API key, the settings and
containers are in ``system`` (``SystemController``); which tasks are active,
and the news when one ends, in ``watch`` (``TaskWatch``); which wait on the
person, and what their agents ask, in ``attention`` (``AttentionWatch``); what
the agents may reach, and were refused, in ``egress`` (``EgressController``);
the Docker engines there are to run on, in ``engines`` (``EnginesController``).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from desktop.domain import Task, TaskEvent, TaskState, Workspace
from desktop.ui.bridge import aio
from desktop.ui.bridge import service_mapping as cm
from desktop.ui.bridge.approvals_controller import ApprovalsController
from desktop.ui.bridge.attention import AttentionWatch
from desktop.ui.bridge.calls import Calls
from desktop.ui.bridge.egress_controller import EgressController
from desktop.ui.bridge.engines_controller import EnginesController
from desktop.ui.bridge.payloads import (
    AddWorkspaceRequested,
    CloneProgressed,
    ContainerChanged,
    EventsArrived,
    FollowUpRequested,
    HistoryQuery,
    MessageRequested,
    OperationFailed,
    ReviewChanged,
    RunningChanged,
    RunRequested,
    StartFromRequested,
    TaskFinished,
    TaskRef,
    TasksLoaded,
    TaskSubmitted,
    WorkspaceAdded,
    WorkspaceChanged,
    WorkspaceMoved,
    WorkspaceRef,
    WorkspaceRemoved,
    WorkspacesLoaded,
)
from desktop.ui.bridge.review_controller import ReviewController
from desktop.ui.bridge.stream_reader import ItemsArrived, StreamEnded, StreamReader
from desktop.ui.bridge.system_controller import SystemController
from desktop.ui.bridge.task_watch import TaskWatch
from desktop.ui.bridge.viewdata import ContainerState, WorkspaceItem

if TYPE_CHECKING:
    from desktop.services.app import App
    from desktop.services.results import CloneProgress
    from desktop.services.workspaces import RemovedWorkspace

ADD_WORKSPACE = "Add workspace"
START_FROM = "Start from a task's end"
STOP_TURN = "Stop turn"
SEND_MESSAGE = "Send message"
TASK_LIMIT = 500  # tasks listed per workspace or history query


class Controller(QObject):
    """Signals:
        workspaces_loaded(WorkspacesLoaded), workspace_changed(WorkspaceChanged),
        workspace_added(WorkspaceAdded), workspace_removed(WorkspaceRemoved), workspace_moved(WorkspaceMoved),
        clone_progressed(CloneProgressed),
        tasks_loaded(TasksLoaded), history_loaded(TasksLoaded), task_submitted(TaskSubmitted),
        task_changed(TaskChanged), task_finished(TaskFinished), running_changed(RunningChanged),
        review_changed(ReviewChanged), events_arrived(EventsArrived), operation_failed(OperationFailed).
    """

    workspaces_loaded = Signal(object)
    workspace_changed = Signal(object)
    workspace_added = Signal(object)
    workspace_removed = Signal(object)
    workspace_moved = Signal(object)
    clone_progressed = Signal(object)
    tasks_loaded = Signal(object)
    history_loaded = Signal(object)
    task_submitted = Signal(object)
    task_changed = Signal(object)
    task_finished = Signal(object)
    running_changed = Signal(object)
    review_changed = Signal(object)
    events_arrived = Signal(object)
    operation_failed = Signal(object)

    def __init__(self, app: App, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._app = app
        self.calls = Calls(self)
        self.calls.failed.connect(self.operation_failed)
        self.system = SystemController(app, self.calls, self)
        self.watch = TaskWatch(app, self.calls, self)
        self.watch.task_changed.connect(self.task_changed)
        self.watch.task_finished.connect(self._finished)
        self.watch.running_changed.connect(self._running_changed)
        self.watch.review_changed.connect(self._review_changed)
        self.attention = AttentionWatch(app, self.calls, self)
        self.watch.task_changed.connect(lambda changed: self.attention.seen(changed.task))
        self.watch.running_changed.connect(lambda running: self.attention.seen_all(list(running.tasks)))
        self.review = ReviewController(app, self.calls, self.watch, self)
        self.review.operation_failed.connect(self.operation_failed)
        self.approvals = ApprovalsController(app, self.calls, self)  # what a running agent asks
        self.egress = EgressController(app, self.calls, self._workspace_saved, self)  # what it may reach
        self.engines = EnginesController(app, self.calls, self)  # where workspaces may run
        self.system.container_changed.connect(self._container_changed)
        self.workspaces: dict[str, Workspace] = {}
        self._readers: dict[str, StreamReader] = {}
        self._counted: dict[str, WorkspaceItem | None] = {}
        self._containers: dict[str, ContainerState] = {}  # as last looked at
        self._cancel_add: threading.Event | None = None
        self._closed = False

    @property
    def app(self) -> App:
        return self._app

    def start(self) -> None:
        """First calls once the window is up: the engine is checked while tasks
        whose process died are settled and the lists load (no engine needed)."""
        self.system.check_engine()
        self.system.load_settings()

        def reconcile_then_list() -> tuple[list[Workspace], list[Task], list[Task]]:
            self._app.reconcile(with_engine=False)  # tasks left "running" by a dead process fail, with why
            return self._app.workspaces.list(), self._app.tasks.list(states=list(cm.ACTIVE)), \
                self._app.tasks.to_review()

        # A task whose app process quit while its agent waited for an answer
        # (or worked on) is taken over: read to its end, its requests answerable.
        self.calls.run("Take over tasks", self._app.tasks.adopt_orphans, quiet=True)

        def done(result: tuple[list[Workspace], list[Task], list[Task]]) -> None:
            workspaces, active, to_review = result
            self.workspaces = {ws.id: ws for ws in workspaces}
            self.watch.start(active, to_review)
            self.workspaces_loaded.emit(WorkspacesLoaded(tuple(cm.workspace_items(workspaces, active, to_review))))

        self.calls.run("Load workspaces", reconcile_then_list, then=done)

    def shutdown(self, wait: float = 0.0) -> None:
        """Stop every reader thread (waiting up to ``wait`` seconds for them) and any clone;
        no services call is made after this."""
        self.calls.close()
        readers = [*self._readers.values(), *self.watch.stop(), *self.system.stop()]
        self._readers.clear()
        for reader in readers:
            reader.stop()
        if self._cancel_add is not None:
            self._cancel_add.set()
        for reader in readers:
            reader.join(wait)

    def close_services(self) -> None:
        """At exit: the services writes what it still holds (audit entries) and lets go."""
        if self._closed:
            return
        self._closed = True
        self._app.shutdown()  # the process is ending: its own context too

    # -- workspaces ---------------------------------------------------------

    def refresh_workspaces(self) -> None:
        def both() -> tuple[list[Workspace], list[Task]]:
            return self._app.workspaces.list(), self._app.tasks.list(states=list(cm.ACTIVE))

        def done(result: tuple[list[Workspace], list[Task]]) -> None:
            workspaces, active = result
            self.workspaces = {ws.id: ws for ws in workspaces}
            self.workspaces_loaded.emit(WorkspacesLoaded(tuple(cm.workspace_items(workspaces, active,
                                                                                  self.watch.to_review()))))

        self.calls.run("Load workspaces", both, then=done)

    def item(self, workspace_id: str) -> WorkspaceItem | None:
        ws = self.workspaces.get(workspace_id)
        if ws is None:
            return None
        item = cm.workspace_items([ws], self.watch.active(), self.watch.to_review())[0]
        return replace(item, container=self._containers.get(workspace_id, ContainerState.UNKNOWN))

    def add_workspace(self, request: AddWorkspaceRequested) -> None:
        cancel = self._cancel_add = threading.Event()

        def progress(update: CloneProgress) -> None:  # on the worker: the signal is queued to the GUI
            p = cm.clone_progress(update)
            self.clone_progressed.emit(CloneProgressed(p.fraction, p.line or "Cloning…"))

        def done(ws: Workspace) -> None:
            self._cancel_add = None
            self.workspaces[ws.id] = ws
            self.workspace_changed.emit(WorkspaceChanged(ws.id, self.item(ws.id)))
            self.workspace_added.emit(WorkspaceAdded(ws))

        self.calls.run(ADD_WORKSPACE, self._app.workspaces.add, cm.workspace_spec(request.spec),
                       progress=progress, cancel=cancel, then=done)

    def cancel_add_workspace(self) -> None:
        if self._cancel_add is not None:
            self._cancel_add.set()

    def rename_workspace(self, ref: WorkspaceRef, name: str) -> None:
        self.calls.run("Rename workspace", self._app.workspaces.rename, ref.workspace_id, name,
                       then=self._workspace_saved)

    def update_workspace(self, ws: Workspace, removed_tools: tuple[str, ...] = (),
                         secret_values: dict[str, str] | None = None) -> None:
        """Save a workspace's settings. Its "Allowed always" tools are the stored ones less
        ``removed_tools``: one the agent was allowed while the dialog was open stays; so does
        its allowlist (the Egress section changes it, not this dialog)."""
        def save() -> Workspace:
            stored = self._app.workspaces.get(ws.id)
            tools = tuple(t for t in stored.allowed_tools if t not in removed_tools)
            return self._app.workspaces.update(replace(ws, allowed_tools=tools, egress_allow=stored.egress_allow),
                                               dict(secret_values or {}))

        self.calls.run("Save workspace", save, then=self._workspace_saved)

    def _workspace_saved(self, ws: Workspace) -> None:
        self.workspaces[ws.id] = ws
        self.workspace_changed.emit(WorkspaceChanged(ws.id, self.item(ws.id)))

    def move_workspace(self, ref: WorkspaceRef, engine: str) -> None:
        def done(moved: object) -> None:
            ws = getattr(moved, "workspace")
            self._workspace_saved(ws)
            self.workspace_moved.emit(WorkspaceMoved(ws.id, ws.name, ws.engine, bool(getattr(moved, "carried"))))

        self.calls.run("Move workspace", self._app.workspaces.move, ref.workspace_id, engine, then=done)

    def remove_workspace(self, ref: WorkspaceRef) -> None:
        def done(removed: RemovedWorkspace) -> None:
            self.workspaces.pop(ref.workspace_id, None)
            self.workspace_changed.emit(WorkspaceChanged(ref.workspace_id, None))
            self.workspace_removed.emit(WorkspaceRemoved(ref.workspace_id, removed.workspace.name, removed.kept))

        self.calls.run("Remove workspace", self._app.workspaces.remove, ref.workspace_id, then=done)

    # -- tasks --------------------------------------------------------------

    def load_tasks(self, ref: WorkspaceRef) -> None:
        self.calls.run("Load tasks", self._app.tasks.list, workspace=ref.workspace_id, limit=TASK_LIMIT,
                       then=lambda tasks: self.tasks_loaded.emit(TasksLoaded(ref.workspace_id, tuple(tasks))))

    def search_history(self, query: HistoryQuery) -> None:
        self.calls.run("Search history", self._app.tasks.list, workspace=query.workspace_id,
                       states=[TaskState(s) for s in query.states] or None, text=query.text or None,
                       limit=TASK_LIMIT, then=lambda tasks: self.history_loaded.emit(TasksLoaded(None, tuple(tasks))))

    def submit(self, request: RunRequested) -> None:
        self.calls.run("Run task", self._app.tasks.submit, request.workspace_id, request.prompt, request.model,
                       permission_mode=request.permission_mode, then=self._submitted)

    def follow_up(self, request: FollowUpRequested) -> None:
        self.calls.run("Follow up", self._app.tasks.follow_up, request.task_id, request.prompt,
                       permission_mode=request.permission_mode, then=self._submitted)

    def start_from(self, request: StartFromRequested) -> None:
        """A new task whose files start as another task's ended (a Claude session of its own)."""
        self.calls.run(START_FROM, self._app.tasks.start_from, request.task_id, request.prompt,
                       permission_mode=request.permission_mode, then=self._submitted)

    def _submitted(self, task: Task) -> None:
        self.watch.seen(task)
        self.task_submitted.emit(TaskSubmitted(task))

    def cancel(self, ref: TaskRef) -> None:
        self.calls.run("Cancel task", self._app.tasks.cancel, ref.task_id, then=self.watch.seen)

    def stop_turn(self, ref: TaskRef) -> None:
        """The agent stops its current turn and waits for a message; the task, its container and session stay."""
        self.calls.run(STOP_TURN, self._app.tasks.interrupt, ref.task_id, then=self.watch.seen)

    def say(self, request: MessageRequested, failed: Callable[[str], None] | None = None) -> None:
        """A message into the running task (it also answers a stopped turn's wait)."""
        self.calls.run(SEND_MESSAGE, self._app.tasks.say, request.task_id, request.text, then=self.watch.seen,
                       failed=failed)

    async def cancel_all(self, timeout: float = 10.0) -> None:
        """Cancel every queued and running task and wait, at most ``timeout``, for them
        to end (at quit: their last events and state are written before the services closes)."""

        def stop(task_id: str) -> None:
            try:
                self._app.tasks.cancel(task_id)
                self._app.tasks.wait(task_id, timeout)
            except Exception:  # noqa: BLE001 - it ended meanwhile; quitting goes on
                pass

        calls = [aio.spawn(aio.run_blocking(stop, task.id)) for task in self.watch.active()]
        if calls:
            await asyncio.wait(calls, timeout=timeout)

    def active_tasks(self) -> list[Task]:
        return self.watch.active()

    def workspace_names(self) -> dict[str, str]:
        """Workspace id -> name, as last loaded (the tray names tasks by workspace)."""
        return {ws_id: ws.name for ws_id, ws in self.workspaces.items()}

    def refresh_task(self, ref: TaskRef) -> None:
        self.calls.run("Load task", self._app.tasks.get, ref.task_id, then=self.watch.seen, quiet=True)

    def open_task(self, ref: TaskRef, view: str = "main") -> None:
        """Show a task's events in ``view``: the stored ones, then live ones until it ends."""
        self.close_task(view)
        if self.calls.closed:
            return
        self.events_arrived.emit(EventsArrived(ref.task_id, (), replace=True, view=view))
        task_id = ref.task_id

        def events(stop: threading.Event) -> Iterator[TaskEvent | Task]:
            return self._app.tasks.follow(task_id, stop)

        reader = StreamReader(view, events, self, describe_error=cm.error_text)
        reader.items_arrived.connect(lambda batch: self._stream_items(task_id, batch))
        reader.ended.connect(self._stream_ended)
        self._readers[view] = reader
        reader.start()

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
                self.watch.seen(item)

    def _stream_ended(self, end: StreamEnded) -> None:
        # A stopped reader says nothing more, so this is the view's current one.
        self._readers.pop(end.key, None)
        if end.error:
            self.operation_failed.emit(OperationFailed("Show transcript", end.error))

    # -- news from the watch ------------------------------------------------

    def _finished(self, finished: TaskFinished) -> None:
        if finished.task.state is TaskState.FAILED:
            self.system.engine_maybe_lost()  # the engine may be why: the status line should say so
        self.task_finished.emit(finished)

    def _container_changed(self, changed: ContainerChanged) -> None:
        info = changed.info
        if self._containers.get(info.workspace_id) is not info.state and info.workspace_id in self.workspaces:
            self._containers[info.workspace_id] = info.state
            self.workspace_changed.emit(WorkspaceChanged(info.workspace_id, self.item(info.workspace_id)))

    def _running_changed(self, running: RunningChanged) -> None:
        self.running_changed.emit(running)
        self._recount()

    def _review_changed(self, changed: ReviewChanged) -> None:
        self.review_changed.emit(changed)
        self._recount()

    def _recount(self) -> None:
        for ws_id in self.workspaces:  # only the workspaces whose counts moved
            item = self.item(ws_id)
            if item != self._counted.get(ws_id):
                self._counted[ws_id] = item
                self.workspace_changed.emit(WorkspaceChanged(ws_id, item))
