"""Connects a workspace's container buttons to the system controller: a question
first where something would be lost (``dialogs.container_prompt``), then the
action, its progress and its result in the workspace panel; meanwhile the
header's menu offers nothing that would fight it (new limits, removal).
The panel's disk line is measured off the GUI thread when it asks."""

from __future__ import annotations

from PySide6.QtCore import QObject

from desktop.domain import TaskState
from desktop.ui.bridge.container_payloads import ContainerAction, ContainerActionEnded, ContainerActionStarted
from desktop.ui.bridge.controller import Controller
from desktop.ui.bridge.payloads import ContainerChanged, EventsArrived, WorkspaceRef
from desktop.ui.bridge.viewdata import ContainerState
from desktop.ui.dialogs import container_prompt
from desktop.ui.window.main_window import MainWindow


class ContainerBinding(QObject):
    def __init__(self, window: MainWindow, controller: Controller) -> None:
        super().__init__(window)
        self.w = window
        self.c = controller
        panel, s = window.workspace_panel, controller.system
        panel.start_requested.connect(lambda ref: self.request(ref, ContainerAction.START))
        panel.stop_requested.connect(lambda ref: self.request(ref, ContainerAction.STOP))
        panel.recreate_requested.connect(lambda ref: self.request(ref, ContainerAction.RECREATE))
        panel.disk_requested.connect(s.load_disk_usage)
        s.disk_usage_loaded.connect(panel.show_disk)
        s.container_action_started.connect(self._started)
        s.container_action_ended.connect(self._ended)
        s.container_changed.connect(self._changed)
        controller.events_arrived.connect(self._events_arrived)
        self._looked_for: str | None = None  # the running task whose container is being looked at

    def request(self, ref: WorkspaceRef, action: ContainerAction) -> None:
        ws = self.c.workspaces.get(ref.workspace_id)
        if ws is None:
            return
        running = sum(t.workspace_id == ws.id and t.state is TaskState.RUNNING for t in self.c.active_tasks())
        asked = container_prompt.question(action, ws.name, ws.image, running)
        if asked is not None and not container_prompt.ask(self.w, asked):
            return
        self.c.system.container_action(ref, action)

    def _events_arrived(self, arrived: EventsArrived) -> None:
        """A task's start makes its container, after the start was news: once the
        shown running task's agent speaks, its container runs; the panel says so
        (and its charts start). One look at a time, until it says so."""
        task = self.w.shown_task
        if arrived.view != "main" or task is None or task.id != arrived.task_id or task.is_final:
            return
        if self._looked_for == task.id or self.w.workspace_panel.container_state is ContainerState.RUNNING:
            return
        self._looked_for = task.id
        self.c.system.load_container(WorkspaceRef(task.workspace_id))

    def _changed(self, changed: ContainerChanged) -> None:
        panel, info = self.w.workspace_panel, changed.info
        came_up = panel.container_state is not ContainerState.RUNNING and info.state is ContainerState.RUNNING
        panel.show_container(info)
        if self._looked_for is not None and came_up and self.w.details_dock.isVisible() \
                and info.workspace_id == self.w.sidebar.current_id():
            self.c.system.watch_stats(WorkspaceRef(info.workspace_id))
        self._looked_for = None

    def _started(self, started: ContainerActionStarted) -> None:
        self.w.workspace_panel.show_action(started.workspace_id, started.action)
        self._sync_menu()

    def _ended(self, ended: ContainerActionEnded) -> None:
        self.w.workspace_panel.show_action_ended(ended)
        self._sync_menu()

    def _sync_menu(self) -> None:
        self.w.workspace_header.set_container_busy(self.c.system.container_busy.keys())
