"""Connects the views to the controller: what a click asks for, what news updates.

It decides flow (a finished task shown → load its changes; a task ended while
the window is in the background → notify), never business rules. Dialogs are
imported when first opened, so the first window does not wait for them.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from desktop.domain import Task
from desktop.ui import aio, theme
from desktop.ui import controller as ctl
from desktop.ui.main_window import MainWindow, QuitRequested
from desktop.ui.payloads import (
    ChangesLoaded,
    EventsArrived,
    OperationFailed,
    RunningChanged,
    SecretStatusChanged,
    SettingsLoaded,
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
from desktop.ui.tray import Notice, Tray, finished_notice
from desktop.ui.viewdata import SettingsValues, ThemeMode

STILL_RUNNING = Notice("AICode Manager is still running", "Your tasks go on; the tray icon brings the window back.", "info")

if TYPE_CHECKING:
    from desktop.ui.add_workspace_dialog import AddWorkspaceDialog
    from desktop.ui.history_view import HistoryView
    from desktop.ui.settings_dialog import SettingsDialog
    from desktop.ui.welcome_dialog import WelcomeDialog


class Binding(QObject):
    def __init__(self, app: QApplication, window: MainWindow, controller: ctl.Controller, tray: Tray) -> None:
        super().__init__(window)
        self.app = app
        self.w = window
        self.c = controller
        self.tray = tray
        self.settings = SettingsValues()
        self._changes_key: tuple[str, str] | None = None
        self._add: AddWorkspaceDialog | None = None
        self._settings_dialog: SettingsDialog | None = None
        self._welcome: WelcomeDialog | None = None
        self._history: HistoryView | None = None
        self._checks: dict[str, bool] = {}
        self._welcomed = False  # the first-run dialog opens by itself once per session at most
        window.tray_available = tray.available
        self._connect_views()
        self._connect_controller()

    def start(self) -> None:
        self.c.start()
        self.c.check_image()
        self.c.check_secret()

    # -- views → controller -------------------------------------------------

    def _connect_views(self) -> None:
        w, c = self.w, self.c
        w.sidebar.workspace_selected.connect(self._workspace_selected)
        w.sidebar.add_folder_requested.connect(lambda: self.open_add_workspace(git=False))
        w.sidebar.add_git_requested.connect(lambda: self.open_add_workspace(git=True))
        w.sidebar.rename_requested.connect(self._rename)
        w.sidebar.edit_requested.connect(self._edit)
        w.sidebar.remove_requested.connect(self._remove)
        w.tasks.task_selected.connect(self._task_selected)
        w.run_requested.connect(c.submit)
        w.follow_up_requested.connect(c.follow_up)
        w.cancel_requested.connect(c.cancel)
        w.changes.apply_requested.connect(c.apply)
        w.changes.discard_requested.connect(c.discard)
        w.engine.retry_requested.connect(c.check_engine)
        w.quit_requested.connect(self.quit)
        w.hidden_to_tray.connect(lambda: self.tray.notify(STILL_RUNNING))
        w.details_dock.visibilityChanged.connect(self._details_visible)
        w.workspace_panel.start_requested.connect(c.start_container)
        w.workspace_panel.stop_requested.connect(c.stop_container)
        w.workspace_panel.recreate_requested.connect(c.recreate_container)
        a = w.actions
        a.settings.triggered.connect(self.open_settings)
        a.welcome.triggered.connect(self.open_welcome)
        a.history.triggered.connect(self.open_history)
        a.about.triggered.connect(self._about)
        for mode, action in a.theme_actions.items():
            action.triggered.connect(lambda _c=False, m=mode: self._choose_theme(m))
        self.tray.show_requested.connect(self.show_window)
        self.tray.quit_requested.connect(lambda: self.w.close())
        self.tray.task_activated.connect(self._show_task)

    def _workspace_selected(self, ref: WorkspaceRef) -> None:
        self.w.workspace_shown(self.c.item(ref.workspace_id))
        self.c.load_tasks(ref)
        if self.w.details_dock.isVisible():
            self.c.load_container(ref)
            self.c.watch_stats(ref)

    def _task_selected(self, ref: TaskRef) -> None:
        task = self.w.tasks.current_task()
        if task is None or task.id != ref.task_id:
            return
        if self.w.shown_task is not None and self.w.shown_task.id == task.id:
            return
        self._changes_key = None
        self.w.show_task(task)
        self.c.open_task(ref)
        self._maybe_load_changes(task)

    def _details_visible(self, visible: bool) -> None:
        ws = self.w.sidebar.current_id()
        if visible and ws:
            self.c.load_container(WorkspaceRef(ws))
            self.c.watch_stats(WorkspaceRef(ws))
        else:
            self.c.unwatch_stats()

    def _rename(self, ref: WorkspaceRef) -> None:
        ws = self.c.workspaces.get(ref.workspace_id)
        name, ok = QInputDialog.getText(self.w, "Rename Workspace", "Name:", text=ws.name if ws else "")
        if ok and name.strip():
            self.c.rename_workspace(ref, name.strip())

    def _edit(self, ref: WorkspaceRef) -> None:
        from desktop.ui.add_workspace_dialog import AddWorkspaceDialog

        ws = self.c.workspaces.get(ref.workspace_id)
        if ws is None:
            return
        dialog = AddWorkspaceDialog(self.w)
        dialog.load_workspace(ws)
        dialog.update_requested.connect(lambda req: self.c.update_workspace(req.workspace))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _remove(self, ref: WorkspaceRef) -> None:
        ws = self.c.workspaces.get(ref.workspace_id)
        name = ws.name if ws else "this workspace"
        kept = "Your folder stays where it is." if ws is None or ws.git_url is None else "The app's clone is deleted."
        answer = QMessageBox.question(
            self.w, "Remove workspace?", f"Remove “{name}” and its task history from AICode Manager? {kept}",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Yes:
            self.c.remove_workspace(ref)

    def _choose_theme(self, mode: ThemeMode) -> None:
        self.settings = replace(self.settings, theme=mode)
        self._apply_theme(mode)
        self.c.save_settings(self.settings)

    def _apply_theme(self, mode: ThemeMode) -> None:
        theme.apply(self.app, mode)
        self.w.actions.theme_actions[mode].setChecked(True)

    # -- controller → views -------------------------------------------------

    def _connect_controller(self) -> None:
        c = self.c
        c.workspaces_loaded.connect(self._workspaces_loaded)
        c.workspace_changed.connect(self._workspace_changed)
        c.workspace_added.connect(self._workspace_added)
        c.clone_progressed.connect(lambda p: self._add and self._add.show_progress(p.fraction, p.message))
        c.tasks_loaded.connect(self._tasks_loaded)
        c.history_loaded.connect(lambda loaded: self._history and self._history.show_results(list(loaded.tasks)))
        c.task_submitted.connect(self._task_submitted)
        c.task_changed.connect(self._task_changed)
        c.task_finished.connect(self._task_finished)
        c.running_changed.connect(self._running_changed)
        c.events_arrived.connect(self._events_arrived)
        c.changes_loaded.connect(self._changes_loaded)
        c.engine_status_changed.connect(self._engine_status)
        c.image_status_changed.connect(lambda s: self._check("image", s.status.ok, lambda d: d.show_image(s.status)))
        c.image_build_progressed.connect(lambda p: self._welcome and self._welcome.add_build_progress(p.progress))
        c.image_build_finished.connect(lambda f: self._welcome and self._welcome.build_finished(f.ok, f.message))
        c.secret_status_changed.connect(self._secret_status)
        c.settings_loaded.connect(self._settings_loaded)
        c.container_changed.connect(lambda ch: self.w.workspace_panel.show_container(ch.info))
        c.stats_sampled.connect(self._stats)
        c.operation_failed.connect(self._failed)

    def _workspaces_loaded(self, loaded: WorkspacesLoaded) -> None:
        self.w.show_workspaces(list(loaded.items))
        if self._history is not None:
            self._history.set_workspaces([i.workspace for i in loaded.items])

    def _workspace_changed(self, changed: WorkspaceChanged) -> None:
        if changed.item is None:
            self.w.sidebar.remove(changed.workspace_id)
            if not self.w.sidebar.model.rowCount():
                self.w.show_workspaces([])
        else:
            self.w.show_workspace_item(changed.item)
        self.tray.set_running(self.c.active_tasks(), self._names())

    def _workspace_added(self, added: WorkspaceAdded) -> None:
        if self._add is not None:
            self._add.finish()
        self.w.sidebar.select(added.workspace.id)

    def _tasks_loaded(self, loaded: TasksLoaded) -> None:
        if loaded.workspace_id is not None:
            shown = self.w.shown_task
            keep = shown.id if shown is not None and shown.workspace_id == loaded.workspace_id else None
            self.w.show_tasks(loaded.workspace_id, list(loaded.tasks), select_id=keep)

    def _task_submitted(self, submitted: TaskSubmitted) -> None:
        task = submitted.task
        if task.workspace_id != self.w.sidebar.current_id():
            self.w.sidebar.select(task.workspace_id)
        self.w.tasks.upsert(task, select=True)

    def _task_changed(self, changed: TaskChanged) -> None:
        self.w.show_task_update(changed.task)
        if self._history is not None:
            self._history.show_task_update(changed.task)
        self._maybe_load_changes(changed.task)

    def _maybe_load_changes(self, task: Task) -> None:
        shown = self.w.shown_task
        if shown is None or task.id != shown.id or not task.is_final:
            return
        key = (task.id, task.patch_state.value)
        if key != self._changes_key:
            self._changes_key = key
            self.c.load_changes(TaskRef(task.id))

    def _task_finished(self, finished: TaskFinished) -> None:
        if self.settings.notifications:
            ws = self.c.workspaces.get(finished.task.workspace_id)
            self.tray.notify(finished_notice(finished.task, ws.name if ws else "a workspace"))

    def _running_changed(self, running: RunningChanged) -> None:
        self.w.set_running_count(sum(t.state.value == "running" for t in running.tasks))
        self.tray.set_running(list(running.tasks), self._names())

    def _events_arrived(self, arrived: EventsArrived) -> None:
        if arrived.view == "history":
            if self._history is not None:
                self._history.show_events(arrived.task_id, list(arrived.events), arrived.replace)
        else:
            self.w.show_events(arrived.task_id, list(arrived.events), arrived.replace)

    def _changes_loaded(self, loaded: ChangesLoaded) -> None:
        shown = self.w.shown_task
        if shown is not None and shown.id == loaded.task_id:
            self.w.show_changes(loaded.task_id, list(loaded.files), shown.patch_state)

    def _engine_status(self, changed: Any) -> None:
        self.w.show_engine_status(changed.status)
        if not changed.status.checking:
            self._check("engine", changed.status.ok, lambda d: d.show_engine(changed.status))
        elif self._welcome is not None:
            self._welcome.show_engine(changed.status)

    def _secret_status(self, changed: SecretStatusChanged) -> None:
        if self._settings_dialog is not None:
            self._settings_dialog.show_secret_status(changed.status)
        self._check("secret", changed.status.stored, lambda d: d.show_secret(changed.status))

    def _check(self, name: str, ok: bool, show: Any) -> None:
        """One of the three first-run checks is known; when all are and one failed, welcome."""
        self._checks[name] = ok
        if self._welcome is not None:
            show(self._welcome)
        elif len(self._checks) == 3 and not all(self._checks.values()) and not self._welcomed:
            self._welcomed = True
            self.open_welcome()

    def _settings_loaded(self, loaded: SettingsLoaded) -> None:
        changed_theme = loaded.values.theme != self.settings.theme
        self.settings = loaded.values
        if changed_theme or not self.w.actions.themes.checkedAction():
            self._apply_theme(loaded.values.theme)

    def _stats(self, sample: Any) -> None:
        if sample.workspace_id == self.w.sidebar.current_id():
            self.w.workspace_panel.add_sample(sample.cpu_percent, sample.mem_bytes, sample.mem_limit)

    def _failed(self, failure: OperationFailed) -> None:
        if failure.action == ctl.ADD_WORKSPACE and self._add is not None and self._add.isVisible():
            self._add.show_error(failure.message)
            return
        if failure.action in (ctl.APPLY, ctl.DISCARD):
            self.w.changes.set_busy(False)
        self.w.notify(f"<b>{failure.action} failed.</b> {failure.message}", "danger")

    # -- dialogs and windows ------------------------------------------------

    def open_add_workspace(self, git: bool) -> None:
        from desktop.ui.add_workspace_dialog import AddWorkspaceDialog
        from desktop.ui.limits_form import Limits

        if self._add is not None and self._add.isVisible():
            self._add.raise_()
            return
        dialog = self._add = AddWorkspaceDialog(self.w, git=git)
        s = self.settings
        dialog.set_defaults(Limits(s.default_image, s.default_cpus, s.default_memory, "bridge", "bypassPermissions"))
        dialog.add_requested.connect(self.c.add_workspace)
        dialog.cancel_requested.connect(self.c.cancel_add_workspace)
        dialog.finished.connect(lambda _r: setattr(self, "_add", None))
        dialog.open()

    def open_settings(self) -> None:
        from desktop.ui.settings_dialog import SettingsDialog

        dialog = self._settings_dialog = SettingsDialog(self.w)
        dialog.set_values(self.settings)
        dialog.settings_saved.connect(self._settings_saved)
        dialog.secret_submitted.connect(self.c.set_secret)
        dialog.finished.connect(lambda _r: setattr(self, "_settings_dialog", None))
        self.c.check_secret()
        dialog.open()

    def _settings_saved(self, saved: Any) -> None:
        self.c.save_settings(saved.values)
        if saved.values.theme != self.settings.theme:
            self._apply_theme(saved.values.theme)
        self.settings = saved.values

    def open_welcome(self) -> None:
        from desktop.ui.welcome_dialog import WelcomeDialog

        if self._welcome is not None:
            self._welcome.raise_()
            return
        dialog = self._welcome = WelcomeDialog(self.w)
        dialog.engine_check_requested.connect(self.c.check_engine)
        dialog.image_build_requested.connect(self.c.build_image)
        dialog.secret_submitted.connect(self.c.set_secret)
        dialog.finished.connect(lambda _r: setattr(self, "_welcome", None))
        dialog.show_engine(self.c.engine)
        self.c.check_image()
        self.c.check_secret()
        dialog.open()

    def open_history(self) -> None:
        from desktop.ui.history_view import HistoryView

        if self._history is None:
            self._history = HistoryView()
            self._history.set_workspaces(list(self.c.workspaces.values()))
            self._history.query_changed.connect(self.c.search_history)
            self._history.task_opened.connect(lambda ref: self.c.open_task(ref, view="history"))
        self._history.show()
        self._history.raise_()
        self._history.activateWindow()
        self.c.search_history(self._history.query())

    def show_window(self) -> None:
        self.w.showNormal()
        self.w.raise_()
        self.w.activateWindow()

    def _show_task(self, ref: TaskRef) -> None:
        self.show_window()
        self.w.tasks.select(ref.task_id)

    def _about(self) -> None:
        from desktop import __version__

        QMessageBox.about(self.w, "About AICode Manager",
                          f"<b>AICode Manager {__version__}</b><p>Runs the Claude Code CLI inside containers on your "
                          "own Docker engine, and lets you review every change before it reaches your files.</p>")

    def _names(self) -> dict[str, str]:
        return {ws_id: ws.name for ws_id, ws in self.c.workspaces.items()}

    def quit(self, request: QuitRequested) -> None:
        async def stop_then_quit() -> None:
            if request.stop_tasks:
                await self.c.cancel_all()
            self.c.shutdown()
            self.app.quit()

        if self._history is not None:
            self._history.close()
        aio.spawn(stop_then_quit(), name="quit")

