"""Connects the Egress section and the blocked badges to the egress controller.

The selected workspace's egress is loaded when it is selected or changed,
when one of its tasks ends, and (at most every few seconds) while the shown
task's events arrive: the proxy's refusals are not events of their own, and
a refused request usually shows in the transcript as a failed command. What
a task's agent was refused is looked up when the task is shown or ends, and
for the newest tasks when a workspace's tasks are listed.

Flow only: what may be reached is the services' to say.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

from desktop.ui.bridge.controller import Controller
from desktop.ui.bridge.egress_payloads import EgressLoaded, TaskBlocked
from desktop.ui.bridge.payloads import EventsArrived, TaskFinished, TaskRef, TasksLoaded, WorkspaceChanged
from desktop.ui.window.main_window import MainWindow

REFRESH_MS = 2000  # while a shown task's events arrive, its refusals are looked up at most this often


class EgressBinding(QObject):
    def __init__(self, window: MainWindow, controller: Controller) -> None:
        super().__init__(window)
        self.w = window
        self.egress = controller.egress
        self.panel = window.workspace_panel
        section = self.panel.egress
        section.mode_chosen.connect(self.egress.set_mode)
        section.host_allowed.connect(self.egress.allow)
        section.host_removed.connect(self.egress.remove)
        self.egress.egress_loaded.connect(self._loaded)
        self.egress.change_refused.connect(section.change_refused)
        self.egress.host_saved.connect(section.host_saved)
        self.egress.task_blocked.connect(self._task_blocked)
        self.egress.operation_failed.connect(controller.operation_failed)
        window.sidebar.workspace_selected.connect(lambda ref: self.load(ref.workspace_id))
        window.tasks.task_selected.connect(self._task_selected)
        window.task_header.blocked.clicked.connect(self.show_log)
        controller.workspace_changed.connect(self._workspace_changed)
        controller.tasks_loaded.connect(self._tasks_loaded)
        controller.task_finished.connect(self._task_finished)
        controller.events_arrived.connect(self._events)
        self._refresh = QTimer(self, singleShot=True, interval=REFRESH_MS, timeout=self._refresh_shown)

    def load(self, workspace_id: str | None = None) -> None:
        """The selected workspace's egress (or ``workspace_id``'s, if it is the selected one)."""
        current = self.w.sidebar.current_id()
        if current and workspace_id in (None, current):
            self.egress.load(current)

    def show_log(self) -> None:
        """The workspace details, on the Egress tab (a task's badge was clicked)."""
        self.w.details_dock.show()
        self.panel.show_egress_tab()
        shown = self.w.shown_task
        if shown is not None and self.w.sidebar.current_id() != shown.workspace_id:
            self.w.sidebar.select(shown.workspace_id)  # a task from elsewhere (the history): its workspace
        self.load()

    # -- news ---------------------------------------------------------------

    def _loaded(self, loaded: EgressLoaded) -> None:
        if loaded.workspace_id == self.w.sidebar.current_id():
            self.panel.egress.show_egress(loaded)
            self.panel.show_blocked(loaded.latest_blocked)

    def _task_blocked(self, blocked: TaskBlocked) -> None:
        self.w.tasks.model.set_blocked(blocked.task_id, blocked.refusals)
        self.w.task_header.show_blocked(blocked.task_id, blocked.refusals)

    def _workspace_changed(self, changed: WorkspaceChanged) -> None:
        if changed.item is not None:
            self.load(changed.workspace_id)

    def _tasks_loaded(self, loaded: TasksLoaded) -> None:
        if loaded.workspace_id is not None:
            self.egress.blocked(loaded.tasks)

    def _task_selected(self, ref: TaskRef) -> None:
        task = self.w.tasks.current_task()
        if task is not None and task.id == ref.task_id:
            self.egress.blocked([task])

    def _task_finished(self, finished: TaskFinished) -> None:
        self.egress.blocked([finished.task])
        self.load(finished.task.workspace_id)

    def _events(self, arrived: EventsArrived) -> None:
        shown = self.w.shown_task
        if (arrived.view == "main" and not arrived.replace and shown is not None and shown.id == arrived.task_id
                and not self._refresh.isActive()):
            self._refresh.start()

    def _refresh_shown(self) -> None:
        shown = self.w.shown_task
        if shown is not None:
            self.egress.blocked([shown])
            self.load(shown.workspace_id)

