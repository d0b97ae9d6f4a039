"""Opens the app's dialogs and secondary windows and wires each to the controller.

Dialogs are imported when first opened, so the first window does not wait
for them. The three first-run checks (engine, image, API key) are collected
here: when all are known and one failed, the welcome dialog opens by itself.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox

from desktop.ui.bridge.controller import Controller
from desktop.ui.bridge.payloads import (
    ApplyRequested,
    Compared,
    ContextRequested,
    MergeRequested,
    TaskRef,
    WorkspaceRef,
)
from desktop.ui.bridge.viewdata import SettingsValues, WorkspaceSpec
from desktop.ui.window.main_window import MainWindow

if TYPE_CHECKING:
    from desktop.domain import Task
    from desktop.domain.review import ChangeSet, Selection
    from desktop.ui.dialogs.add_workspace_dialog import AddWorkspaceDialog
    from desktop.ui.dialogs.commit_dialog import CommitDialog
    from desktop.ui.dialogs.compare_dialog import ComparePicker
    from desktop.ui.dialogs.flags_dialog import FlagsDialog
    from desktop.ui.dialogs.merge_dialog import MergeDialog
    from desktop.ui.dialogs.settings_dialog import SettingsDialog, SettingsSaved
    from desktop.ui.dialogs.welcome_dialog import WelcomeDialog
    from desktop.ui.engines.page import EnginesDialog
    from desktop.ui.review.diff_window import DiffWindow
    from desktop.ui.review.payloads import SelectionChanged
    from desktop.ui.window.history_view import HistoryView

CHECKS = ("engine", "image", "secret")


class DialogHost(QObject):
    def __init__(self, window: MainWindow, controller: Controller,
                 settings: Callable[[], SettingsValues], save_settings: Callable[[SettingsSaved], None]) -> None:
        super().__init__(window)
        self.w = window
        self.c = controller
        self._settings = settings
        self._save_settings = save_settings
        self.add: AddWorkspaceDialog | None = None
        self.settings_dialog: SettingsDialog | None = None
        self.engines: EnginesDialog | None = None
        self.welcome: WelcomeDialog | None = None
        self.history: HistoryView | None = None
        self.flags: FlagsDialog | None = None
        self.commit: CommitDialog | None = None
        self.merge: MergeDialog | None = None
        self.diff_windows: dict[str, DiffWindow] = {}  # by task id: one window a task
        self.compare_picker: ComparePicker | None = None
        self.comparisons: dict[tuple[str, str], DiffWindow] = {}  # by (first, second) task id
        self._checks: dict[str, bool] = {}
        self._welcomed = False  # the start-up checks were all known once: no more opening by itself

    # -- first-run checks ---------------------------------------------------

    def check_known(self, name: str, ok: bool, show: Callable[[WelcomeDialog], None]) -> None:
        """One of the first-run checks is known. Once all three are known at start-up, the
        welcome dialog opens if one failed; later changes (the engine stopping mid-session)
        are the status line's news, not a first run."""
        self._checks[name] = ok
        if self.welcome is not None:
            show(self.welcome)
        elif set(self._checks) == set(CHECKS) and not self._welcomed:
            self._welcomed = True
            if not all(self._checks.values()):
                self.open_welcome()

    def open_welcome(self) -> None:
        from desktop.ui.dialogs.welcome_dialog import WelcomeDialog

        if self.welcome is not None:
            self.welcome.raise_()
            return
        s = self.c.system
        dialog = self.welcome = WelcomeDialog(self.w)
        dialog.engine_check_requested.connect(s.check_engine)
        dialog.image_build_requested.connect(s.build_image)
        dialog.secret_submitted.connect(s.set_secret)
        dialog.finished.connect(lambda _r: setattr(self, "welcome", None))
        dialog.show_engine(s.engine)
        s.check_image()
        s.check_secret()
        dialog.open()

    # -- workspaces ---------------------------------------------------------

    def open_add_workspace(self, git: bool) -> None:
        from desktop.ui.dialogs.add_workspace_dialog import AddWorkspaceDialog
        from desktop.ui.dialogs.limits_form import Limits

        if self.add is not None and self.add.isVisible():
            self.add.raise_()
            return
        dialog = self.add = AddWorkspaceDialog(self.w, git=git)
        s = self._settings()
        spec = WorkspaceSpec(name="")  # the services' defaults for what the settings do not hold
        dialog.set_defaults(Limits(s.default_image, s.default_cpus, s.default_memory, spec.network,
                                   spec.permission_mode, egress=spec.egress))
        dialog.set_taken_names(ws.name for ws in self.c.workspaces.values())
        dialog.add_requested.connect(self.c.add_workspace)
        dialog.cancel_requested.connect(self.c.cancel_add_workspace)
        dialog.finished.connect(lambda _r: setattr(self, "add", None))

        def listed(found: object) -> None:
            if self.add is dialog:
                dialog.set_engines(item.name for item in getattr(found, "engines", ()))
        self.c.engines.engines_listed.connect(listed)
        dialog.finished.connect(lambda _r: self.c.engines.engines_listed.disconnect(listed))
        self.c.engines.load()
        dialog.open()

    def edit_workspace(self, ref: WorkspaceRef) -> None:
        from desktop.ui.dialogs.add_workspace_dialog import AddWorkspaceDialog

        ws = self.c.workspaces.get(ref.workspace_id)
        if ws is None or self._container_busy(ref):
            return
        dialog = AddWorkspaceDialog(self.w)
        dialog.load_workspace(ws)
        dialog.set_taken_names(other.name for other in self.c.workspaces.values())
        dialog.update_requested.connect(lambda req: self.c.update_workspace(req.workspace, req.removed_tools,
                                                                            req.secret_values))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def rename_workspace(self, ref: WorkspaceRef) -> None:
        ws = self.c.workspaces.get(ref.workspace_id)
        name, ok = QInputDialog.getText(self.w, "Rename Workspace", "Name:", text=ws.name if ws else "")
        if ok and name.strip():
            self.c.rename_workspace(ref, name.strip())

    def _container_busy(self, ref: WorkspaceRef) -> bool:
        """New limits remake the container and removal deletes it: neither while an
        action works on it (from the sidebar's menu, whose items stay on, the window says so)."""
        action = self.c.system.container_busy.get(ref.workspace_id)
        if action is not None:
            self.w.notify(f"Wait until the container's {action.value} ends.", "info")
        return action is not None

    def move_workspace(self, ref: WorkspaceRef) -> None:
        """Ask where to (the engines as listed now), then move; the result is said in the window."""
        if self._container_busy(ref):
            return
        engines = self.c.engines

        def listed(found: object) -> None:
            engines.engines_listed.disconnect(listed)
            ws = self.c.workspaces.get(ref.workspace_id)
            if ws is None:
                return
            names = [item.name for item in getattr(found, "engines", ()) if item.name != ws.engine]
            if not names:
                self.w.notify("There is no other engine to move to: add one in File ▸ Engines….", "info")
                return
            name, ok = QInputDialog.getItem(
                self.w, "Move Workspace", f"Move “{ws.name}” (now on {ws.engine}) to the engine:", names, 0, False)
            if ok and name:
                self.w.notify(f"Moving “{html.escape(ws.name)}” to {html.escape(name)}… its working copy and "
                              "Claude's sessions come along.", "info")
                self.c.move_workspace(ref, name)

        engines.engines_listed.connect(listed)
        engines.load()

    def remove_workspace(self, ref: WorkspaceRef) -> None:
        if self._container_busy(ref):
            return
        ws = self.c.workspaces.get(ref.workspace_id)
        name = ws.name if ws else "this workspace"
        kept = "Your folder stays where it is." if ws is None or ws.git_url is None else "The app's clone is deleted."
        answer = QMessageBox.question(
            self.w, "Remove workspace?", f"Remove “{name}” and its task history from AICode Manager? {kept}",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Yes:
            self.c.remove_workspace(ref)

    # -- settings and history -----------------------------------------------

    def open_settings(self) -> None:
        from desktop.ui.dialogs.settings_dialog import SettingsDialog

        dialog = self.settings_dialog = SettingsDialog(self.w)
        dialog.set_values(self._settings())
        dialog.settings_saved.connect(self._save_settings)
        dialog.secret_submitted.connect(self.c.system.set_secret)
        dialog.secret_removed.connect(self.c.system.delete_secret)
        dialog.finished.connect(lambda _r: setattr(self, "settings_dialog", None))

        def open_still(then: Callable[..., None]) -> Callable[..., None]:  # an answer after Cancel is dropped
            return lambda *answer: then(*answer) if self.settings_dialog is dialog else None

        egress = self.c.egress
        egress.load_default(then=open_still(dialog.show_default_list))
        dialog.default_list_submitted.connect(lambda sent: egress.save_default(
            list(sent.hosts), then=open_still(dialog.default_list_saved), failed=open_still(dialog.default_list_refused)))
        self.c.system.check_secret()
        dialog.open()

    def open_engines(self) -> None:
        """The Engines page, every engine tested as it opens."""
        from desktop.ui.bridge.engines_binding import EnginesBinding
        from desktop.ui.engines.page import EnginesDialog

        if self.engines is not None:
            self.engines.raise_()
            self.engines.activateWindow()
            return
        dialog = self.engines = EnginesDialog(self.w)
        binding = EnginesBinding(dialog, self.c.engines)
        dialog.finished.connect(lambda _r: setattr(self, "engines", None) if self.engines is dialog else None)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        binding.start()
        dialog.open()

    def open_history(self) -> None:
        from desktop.ui.bridge.history_review import HistoryReview
        from desktop.ui.window.history_view import HistoryView

        if self.history is None:
            self.history = HistoryView()
            HistoryReview(self.history, self.c, self)  # its Changes, as the main window's
            self.history.set_workspaces(list(self.c.workspaces.values()))
            self.history.query_changed.connect(self.c.search_history)
            self.history.task_opened.connect(lambda ref: self.c.open_task(ref, view="history"))
        self.history.show()
        self.history.raise_()
        self.history.activateWindow()
        self.c.search_history(self.history.query())

    # -- review -------------------------------------------------------------

    def confirm_flags(self, request: ApplyRequested, confirmed: Callable[[ApplyRequested], None],
                      cancelled: Callable[[ApplyRequested], None]) -> None:
        """Ask before flagged files are applied; nothing is applied unless confirmed."""
        from desktop.ui.dialogs.flags_dialog import FlagsDialog

        if self.flags is not None:
            self.flags.reject()
        dialog = self.flags = FlagsDialog(request, self.w)
        dialog.apply_confirmed.connect(confirmed)
        dialog.apply_cancelled.connect(cancelled)
        dialog.finished.connect(lambda _r: self._forget_flags(dialog))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _forget_flags(self, dialog: FlagsDialog) -> None:
        if self.flags is dialog:
            self.flags = None

    def open_commit(self, ref: TaskRef) -> None:
        from desktop.ui.dialogs.commit_dialog import CommitDialog

        if self.commit is not None and self.commit.task_id == ref.task_id:
            self.commit.raise_()
            return
        if self.commit is not None:
            self.commit.reject()
        dialog = self.commit = CommitDialog(ref.task_id, self.w)
        dialog.commit_requested.connect(self.c.review.commit)
        dialog.finished.connect(lambda _r: setattr(self, "commit", None) if self.commit is dialog else None)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.c.review.load_commit_message(ref)
        dialog.open()

    def open_merge(self, request: MergeRequested) -> None:
        """The three-way merge of what no longer applies, loaded as the dialog opens;
        written only when the person asks, and then only with the dialog's consent."""
        from desktop.ui.dialogs.merge_dialog import MergeDialog

        if self.merge is not None:
            self.merge.reject()
        dialog = self.merge = MergeDialog(request, self.w)
        dialog.write_requested.connect(lambda r: self.c.review.write_merged(r, dialog.conflicted_paths()))
        dialog.finished.connect(lambda _r: setattr(self, "merge", None) if self.merge is dialog else None)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.c.review.load_merge(request)
        dialog.open()

    def open_diff_window(self, task_id: str, change: ChangeSet, selection: Selection | None, title: str,
                         chosen: Callable[[SelectionChanged], None]) -> DiffWindow:
        """The change in a window of its own, with the same parts ticked; its "more
        lines" come from the controller, what is ticked in it goes to ``chosen``."""
        from desktop.ui.review.diff_window import DiffWindow

        window = self.diff_windows.get(task_id)
        if window is None:
            window = self.diff_windows[task_id] = DiffWindow(change, None, selection, title)
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            window.destroyed.connect(lambda _o=None, t=task_id: self.diff_windows.pop(t, None))
            window.view.context_requested.connect(
                lambda request, t=task_id: self.c.review.load_context(ContextRequested.of(t, request)))
            window.view.selection_changed.connect(chosen)
        else:
            window.view.set_change(change, selection)
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def open_compare_picker(self, first: Task, others: list[Task]) -> None:
        """Pick the task whose end state ``first``'s is compared with."""
        from desktop.ui.dialogs.compare_dialog import ComparePicker

        if self.compare_picker is not None:
            self.compare_picker.reject()
        dialog = self.compare_picker = ComparePicker(first, others, self.w)
        dialog.compare_requested.connect(self.c.review.compare)
        dialog.finished.connect(lambda _r: setattr(self, "compare_picker", None)
                                if self.compare_picker is dialog else None)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def open_comparison(self, compared: Compared, title: str) -> DiffWindow:
        """Two end states compared, in a window to read (nothing is applied from it)."""
        from desktop.ui.dialogs.comparison_window import comparison_window

        key = (compared.request.first, compared.request.second)
        window = self.comparisons.get(key)
        if window is not None:
            window.close()
        window = self.comparisons[key] = comparison_window(compared.changes, title)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.destroyed.connect(lambda _o=None, k=key, w=window: self.comparisons.pop(k, None)
                                 if self.comparisons.get(k) is w else None)
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def about(self) -> None:
        from desktop import __version__

        QMessageBox.about(self.w, "About AICode Manager",
                          f"<b>AICode Manager {__version__}</b><p>Runs the Claude Code CLI inside containers on your "
                          "own Docker engine, and lets you review every change before it reaches your files.</p>")

    def close_all(self) -> None:
        """At quit: close the windows of their own (the history) and the dialogs."""
        for dialog in (self.add, self.settings_dialog, self.engines, self.welcome, self.flags, self.commit, self.merge,
                       self.compare_picker, *self.diff_windows.values(), *self.comparisons.values()):
            if dialog is not None:
                dialog.close()
        if self.history is not None:
            self.c.close_task("history")
            self.history.query_changed.disconnect()
            self.history.close()
            self.history.deleteLater()
            self.history = None

