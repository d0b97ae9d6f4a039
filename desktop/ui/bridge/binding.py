"""Connects the views to the controller: what a click asks for, what news updates.

It decides flow (a task ended while the window is in the background →
notify), never business rules. Dialogs are opened by ``DialogHost``; the
review of a task's change is wired by ``ReviewBinding``, what is done with a
task's end state (compare, start from) by ``EndStateBinding``, talking with a
running task and the news that one needs the person by ``TalkBinding``, the
agent's way out (the Egress section, the blocked badges) by ``EgressBinding``.
"""

from __future__ import annotations

import html
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from desktop.domain import Task
from desktop.ui.bridge import aio
from desktop.ui.bridge import controller as ctl
from desktop.ui.bridge.approvals_binding import ApprovalsBinding
from desktop.ui.bridge.container_binding import ContainerBinding
from desktop.ui.bridge.egress_binding import EgressBinding
from desktop.ui.bridge.end_state_binding import EndStateBinding
from desktop.ui.bridge.payloads import (
    EngineStatusChanged,
    EventsArrived,
    ImageBuildFinished,
    ImageStatusChanged,
    OperationFailed,
    RunningChanged,
    SecretStatusChanged,
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
from desktop.ui.bridge.review_binding import ReviewBinding
from desktop.ui.bridge.system_controller import BUILD_IMAGE
from desktop.ui.bridge.talk_binding import TalkBinding
from desktop.ui.bridge.terminal_binding import TerminalBinding
from desktop.ui.bridge.viewdata import SettingsValues, ThemeMode
from desktop.ui.dialogs.dialog_host import DialogHost
from desktop.ui.look import theme
from desktop.ui.notify.notices import Notice, finished_notice
from desktop.ui.notify.tray import Tray
from desktop.ui.window.main_window import MainWindow, QuitRequested

if TYPE_CHECKING:
    from desktop.ui.dialogs.settings_dialog import SettingsSaved

STILL_RUNNING = Notice("AICode Manager is still running", "Your tasks go on; the tray icon brings the window back.", "info")


class Binding(QObject):
    def __init__(self, app: QApplication, window: MainWindow, controller: ctl.Controller, tray: Tray) -> None:
        super().__init__(window)
        self.app = app
        self.w = window
        self.c = controller
        self.tray = tray
        self.settings = SettingsValues()
        self.dialogs = DialogHost(window, controller, lambda: self.settings, self._settings_saved)
        self.review = ReviewBinding(window, controller, self.dialogs)
        self.end_states = EndStateBinding(window, controller, self.dialogs)
        self.approvals = ApprovalsBinding(window, controller)
        self.egress = EgressBinding(window, controller)
        self.containers = ContainerBinding(window, controller)
        self.talk = TalkBinding(window, controller, tray, lambda: self.settings)
        self.terminals = TerminalBinding(window, controller, lambda: self.settings)
        self._reveal: str | None = None  # a task to select once its workspace's tasks are listed
        window.tray_available = tray.available
        self._connect_views()
        self._connect_controller()

    def start(self) -> None:
        self.c.start()
        self.c.system.check_image()
        self.c.system.check_secret()

    # -- views → controller -------------------------------------------------

    def _connect_views(self) -> None:
        w, c, d, s = self.w, self.c, self.dialogs, self.c.system
        w.sidebar.workspace_selected.connect(self._workspace_selected)
        w.sidebar.add_folder_requested.connect(lambda: d.open_add_workspace(git=False))
        w.sidebar.add_git_requested.connect(lambda: d.open_add_workspace(git=True))
        w.sidebar.rename_requested.connect(d.rename_workspace)
        w.sidebar.edit_requested.connect(d.edit_workspace)
        w.sidebar.remove_requested.connect(d.remove_workspace)
        w.workspace_header.rename_requested.connect(d.rename_workspace)
        w.workspace_header.edit_requested.connect(d.edit_workspace)
        w.workspace_header.remove_requested.connect(d.remove_workspace)
        w.workspace_header.move_requested.connect(d.move_workspace)
        w.tasks.task_selected.connect(self._task_selected)
        w.run_requested.connect(c.submit)
        w.follow_up_requested.connect(c.follow_up)
        w.cancel_requested.connect(c.cancel)
        w.engine.retry_requested.connect(s.check_engine)
        w.quit_requested.connect(self.quit)
        w.hidden_to_tray.connect(lambda: self.tray.notify(STILL_RUNNING))
        w.details_dock.visibilityChanged.connect(self._details_visible)
        a = w.actions
        a.settings.triggered.connect(d.open_settings)
        a.engines.triggered.connect(d.open_engines)
        a.welcome.triggered.connect(d.open_welcome)
        a.history.triggered.connect(d.open_history)
        a.about.triggered.connect(d.about)
        for mode, action in a.theme_actions.items():
            action.triggered.connect(lambda _c=False, m=mode: self._choose_theme(m))
        self.tray.show_requested.connect(self.show_window)
        self.tray.quit_requested.connect(lambda: self.w.close())
        self.tray.task_activated.connect(self.reveal_task)

    def _workspace_selected(self, ref: WorkspaceRef) -> None:
        self.w.workspace_shown(self.c.item(ref.workspace_id))
        self.c.load_tasks(ref)
        self.c.system.load_container(ref)  # the header says whether its container runs
        if self.w.details_dock.isVisible():
            self.c.system.watch_stats(ref)

    def _task_selected(self, ref: TaskRef) -> None:
        task = self.w.tasks.current_task()
        if task is None or task.id != ref.task_id:
            return
        if self.w.shown_task is not None and self.w.shown_task.id == task.id:
            return
        self.review.task_selected()
        self.w.show_task(task)
        self.c.open_task(ref)
        self.review.maybe_load(task)

    def _details_visible(self, visible: bool) -> None:
        ws = self.w.sidebar.current_id()
        if visible and ws:
            self.c.system.load_container(WorkspaceRef(ws))
            self.c.system.watch_stats(WorkspaceRef(ws))
        else:
            self.c.system.unwatch_stats()

    def _choose_theme(self, mode: ThemeMode) -> None:
        self.settings = replace(self.settings, theme=mode)
        self._apply_theme(mode)
        self.c.system.save_settings(self.settings)

    def _apply_theme(self, mode: ThemeMode) -> None:
        theme.apply(self.app, mode)
        self.w.actions.theme_actions[mode].setChecked(True)

    def _settings_saved(self, saved: SettingsSaved) -> None:
        self.c.system.save_settings(saved.values)
        if saved.values.theme != self.settings.theme:
            self._apply_theme(saved.values.theme)
        self.settings = saved.values
        self.terminals.restyle()

    # -- controller → views -------------------------------------------------

    def _connect_controller(self) -> None:
        c, s, d = self.c, self.c.system, self.dialogs
        c.workspaces_loaded.connect(self._workspaces_loaded)
        c.workspace_changed.connect(self._workspace_changed)
        c.workspace_moved.connect(lambda moved: self.w.notify(
            f"Moved <b>{html.escape(moved.name)}</b> to the engine {html.escape(moved.engine)}. "
            + ("Its working copy and Claude's sessions came along." if moved.carried else
               "The old engine did not answer: the next task sends your folder again and starts a new session."),
            "success"))
        c.workspace_added.connect(self._workspace_added)
        c.clone_progressed.connect(lambda p: d.add and d.add.show_progress(p.fraction, p.message))
        c.tasks_loaded.connect(self._tasks_loaded)
        c.history_loaded.connect(lambda loaded: d.history and d.history.show_results(list(loaded.tasks)))
        c.task_submitted.connect(self._task_submitted)
        c.task_changed.connect(self._task_changed)
        c.task_finished.connect(self._task_finished)
        c.running_changed.connect(self._running_changed)
        c.events_arrived.connect(self._events_arrived)
        c.operation_failed.connect(self._failed)
        s.engine_status_changed.connect(self._engine_status)
        s.image_status_changed.connect(self._image_status)
        s.image_build_progressed.connect(lambda p: d.welcome and d.welcome.add_build_progress(p.progress))
        s.image_build_finished.connect(self._image_built)
        s.secret_status_changed.connect(self._secret_status)
        s.settings_loaded.connect(self._settings_loaded)
        s.stats_sampled.connect(self._stats)

    def _workspaces_loaded(self, loaded: WorkspacesLoaded) -> None:
        self.w.show_workspaces(list(loaded.items))
        if self.dialogs.history is not None:
            self.dialogs.history.set_workspaces([i.workspace for i in loaded.items])

    def _workspace_changed(self, changed: WorkspaceChanged) -> None:
        if changed.item is None:
            self.w.sidebar.remove(changed.workspace_id)
            if not self.w.sidebar.model.rowCount():
                self.w.show_workspaces([])
        else:
            self.w.show_workspace_item(changed.item)
            if changed.workspace_id == self.w.sidebar.current_id() and self.c.system.engine.ok:
                # Saved settings may have made its container again.
                self.c.system.load_container(WorkspaceRef(changed.workspace_id))
        self.tray.set_running(self.c.active_tasks(), self.c.workspace_names())

    def _workspace_added(self, added: WorkspaceAdded) -> None:
        if self.dialogs.add is not None:
            self.dialogs.add.finish()
        self.w.sidebar.select(added.workspace.id)

    def _tasks_loaded(self, loaded: TasksLoaded) -> None:
        if loaded.workspace_id is None:
            return
        shown = self.w.shown_task
        keep = shown.id if shown is not None and shown.workspace_id == loaded.workspace_id else None
        reveal, self._reveal = self._reveal, None
        select = reveal if reveal and any(t.id == reveal for t in loaded.tasks) else keep
        self.w.show_tasks(loaded.workspace_id, list(loaded.tasks), select_id=select)

    def _task_submitted(self, submitted: TaskSubmitted) -> None:
        task = submitted.task
        if task.workspace_id != self.w.sidebar.current_id():
            self._reveal = task.id
            self.w.sidebar.select(task.workspace_id)
        self.w.tasks.upsert(task, select=True)

    def _task_changed(self, changed: TaskChanged) -> None:
        self.w.show_task_update(changed.task)
        if self.dialogs.history is not None:
            self.dialogs.history.show_task_update(changed.task)
        self.review.maybe_load(changed.task)

    def _task_finished(self, finished: TaskFinished) -> None:
        task = finished.task
        shown = self.w.shown_task
        if not self.settings.notifications:
            return
        if self.w.isVisible() and self.w.isActiveWindow() and shown is not None and shown.id == task.id:
            return  # the person is watching this very task end
        ws = self.c.workspaces.get(task.workspace_id)
        self.tray.notify(finished_notice(task, ws.name if ws else "a workspace"))

    def _running_changed(self, running: RunningChanged) -> None:
        self.w.set_running_count(sum(t.state.value == "running" for t in running.tasks))
        self.tray.set_running(list(running.tasks), self.c.workspace_names())
        current = self.w.sidebar.current_id()
        if current and self.c.system.engine.ok:  # a task starting may have made its container
            self.c.system.load_container(WorkspaceRef(current))

    def _events_arrived(self, arrived: EventsArrived) -> None:
        if arrived.view == "history":
            if self.dialogs.history is not None:
                self.dialogs.history.show_events(arrived.task_id, list(arrived.events), arrived.replace)
        else:
            self.w.show_events(arrived.task_id, list(arrived.events), arrived.replace)

    def _engine_status(self, changed: EngineStatusChanged) -> None:
        self.w.show_engine_status(changed.status)
        if not changed.status.checking:
            self.dialogs.check_known("engine", changed.status.ok, lambda d: d.show_engine(changed.status))
            if changed.status.ok:
                self.c.system.check_image()
        elif self.dialogs.welcome is not None:
            self.dialogs.welcome.show_engine(changed.status)

    def _image_status(self, changed: ImageStatusChanged) -> None:
        self.dialogs.check_known("image", changed.status.ok, lambda d: d.show_image(changed.status))

    def _image_built(self, built: ImageBuildFinished) -> None:
        if self.dialogs.welcome is not None:
            self.dialogs.welcome.build_finished(built.ok, built.message)
        elif not built.ok:
            self._failed(OperationFailed(BUILD_IMAGE, built.message))

    def _secret_status(self, changed: SecretStatusChanged) -> None:
        if self.dialogs.settings_dialog is not None:
            self.dialogs.settings_dialog.show_secret_status(changed.status)
        self.dialogs.check_known("secret", changed.status.stored, lambda d: d.show_secret(changed.status))

    def _settings_loaded(self, loaded: SettingsLoaded) -> None:
        changed_theme = loaded.values.theme != self.settings.theme
        self.settings = loaded.values
        if changed_theme or not self.w.actions.themes.checkedAction():
            self._apply_theme(loaded.values.theme)

    def _stats(self, sample: StatsSampled) -> None:
        if sample.workspace_id == self.w.sidebar.current_id():
            self.w.workspace_panel.add_sample(sample.cpu_percent, sample.mem_bytes, sample.mem_limit)

    def _failed(self, failure: OperationFailed) -> None:
        add = self.dialogs.add
        if failure.action == ctl.ADD_WORKSPACE and add is not None and add.isVisible():
            add.show_error(failure.message)
            return
        self.review.failed(failure)
        # The message may name the agent's files: text, never markup.
        self.w.notify(f"<b>{html.escape(failure.action)} failed.</b> {html.escape(failure.message)}", "danger")

    # -- windows ------------------------------------------------------------

    def show_window(self) -> None:
        self.w.showNormal()
        self.w.raise_()
        self.w.activateWindow()

    def reveal_task(self, ref: TaskRef) -> None:
        """Show a task wherever it is (a clicked notification, the tray menu)."""
        self.show_window()
        if self.w.tasks.model.row_of(ref.task_id) >= 0:
            self.w.tasks.select(ref.task_id)
            return

        def found(task: Task) -> None:
            if task.workspace_id == self.w.sidebar.current_id():
                self.w.tasks.upsert(task, select=True)
            else:
                self._reveal = task.id
                self.w.sidebar.select(task.workspace_id)

        self.c.calls.run("Open task", self.c.app.tasks.get, ref.task_id, then=found)

    def quit(self, request: QuitRequested) -> None:
        async def stop_then_quit() -> None:
            if request.stop_tasks:
                await self.c.cancel_all()
            self.c.shutdown()
            self.tray.close()
            await aio.run_blocking(self.c.close_services)
            self.app.quit()

        self.dialogs.close_all()
        aio.spawn(stop_then_quit(), name="quit")
