"""Add a workspace from a folder or a git URL (with clone progress), or edit one's limits."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain import EgressMode, NetworkMode, PermissionMode, Workspace
from desktop.ui.bridge.payloads import AddWorkspaceRequested
from desktop.ui.bridge.viewdata import DEFAULTS, WorkspaceSpec
from desktop.ui.dialogs import workspace_checks as checks
from desktop.ui.dialogs.field_error import FieldError, with_error
from desktop.ui.dialogs.limits_form import Limits, LimitsForm
from desktop.ui.look import icons
from desktop.ui.look.widgets import button, fit_height, label


@dataclass(frozen=True)
class WorkspaceUpdateRequested:
    workspace: Workspace
    removed_tools: tuple[str, ...] = ()  # taken back from "Allowed always" (the rest stays as stored)
    # Values typed for secret variables (to the keyring); the others keep theirs.
    secret_values: dict[str, str] = field(default_factory=dict, repr=False)


def name_from_source(source: str) -> str:
    tail = source.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
    return tail.removesuffix(".git")


class AddWorkspaceDialog(QDialog):
    """Signals:
        add_requested(AddWorkspaceRequested): create the workspace (clone first for a URL).
        cancel_requested(): stop the clone under way.
        update_requested(WorkspaceUpdateRequested): edit mode: save the new limits.
    """

    add_requested = Signal(object)
    cancel_requested = Signal()
    update_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None, git: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add Workspace")
        self.setMinimumWidth(600)
        self._editing: Workspace | None = None
        self._busy = False
        self._name_edited = False
        self._taken: tuple[str, ...] = ()  # the other workspaces' names
        self._touched: set[QWidget] = set()  # fields the person typed in: their problems show

        self.folder_mode = QPushButton(icons.icon("folder"), "Project folder")
        self.git_mode = QPushButton(icons.icon("git"), "Git URL")
        self._modes = QButtonGroup(self)
        for i, b in enumerate((self.folder_mode, self.git_mode)):
            b.setCheckable(True)
            b.setObjectName("Secondary")
            self._modes.addButton(b, i)
        self._modes.idToggled.connect(self._mode_changed)
        modes = QHBoxLayout()
        modes.setSpacing(6)
        modes.addWidget(self.folder_mode)
        modes.addWidget(self.git_mode)
        modes.addStretch(1)

        self.folder = QLineEdit()
        self.folder.setPlaceholderText("/path/to/your/project")
        browse = button("Browse…", "Secondary", "folder")
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.setContentsMargins(0, 0, 0, 0)
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        folder_box = QWidget()
        folder_box.setLayout(folder_row)
        self.folder_hint = _hint("Your folder is never mounted: the agent works on a copy in its container, and its "
                                 "changes come back as a patch you review before anything is written.")
        self.folder_page, self.folder_error = with_error(folder_box, self.folder_hint)
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://github.com/owner/repo.git  or  git@github.com:owner/repo.git")
        self.url_hint = _hint("The repository is cloned into the app's data folder; private repositories use "
                              "your git credentials.")
        self.git_page, self.url_error = with_error(self.url, self.url_hint)
        # Both pages sit in the form, one hidden: unlike a stacked widget, the layout
        # then asks the wrapped hints their height at the width they get.
        source = QWidget()
        pages = QVBoxLayout(source)
        pages.setContentsMargins(0, 0, 0, 0)
        pages.addWidget(self.folder_page)
        pages.addWidget(self.git_page)

        self.name = QLineEdit()
        self.name.setPlaceholderText("A short name, e.g. billing-api")
        self.name_field, self.name_error = with_error(self.name)
        self.name.textEdited.connect(lambda _t: setattr(self, "_name_edited", True))
        for edit in (self.folder, self.url, self.name):
            edit.textEdited.connect(lambda _t, f=edit: self._touched.add(f))
        self.folder.textChanged.connect(self._suggest_name)
        self.url.textChanged.connect(self._suggest_name)
        self.folder.textChanged.connect(self._validate)
        self.url.textChanged.connect(self._validate)
        self.name.textChanged.connect(self._validate)

        # Where its container lives: shown once engines besides this machine's exist.
        self.engine = QComboBox()
        self.engine.setAccessibleName("Engine")
        self.engine.addItem("This machine", "local")
        self.engine.setToolTip("The Docker engine the workspace's container runs on (File ▸ Engines… adds more)")

        self.advanced_toggle = QToolButton(objectName="Link", text="Advanced: image, limits, egress, environment")
        self.advanced_toggle.setCheckable(True)
        self.advanced_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.advanced_toggle.setIcon(icons.icon("chevron-right", "accent"))
        self.advanced_toggle.toggled.connect(self._toggle_advanced)
        self.limits = LimitsForm()
        self.limits.hide()
        self.memory_error = FieldError()
        self.limits.memory.editTextChanged.connect(self._validate)

        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress_text = label("", "Muted")
        self.error = FieldError()
        for w in (self.progress, self.progress_text, self.error):
            w.hide()

        self.cancel_button = button("Cancel", "Secondary")
        self.cancel_button.clicked.connect(self._cancel)
        self.add_button = button("Add workspace", "Primary", "plus")
        self.add_button.setDefault(True)
        self.add_button.clicked.connect(self._submit)
        footer = QHBoxLayout()
        footer.addStretch(1)
        footer.addWidget(self.cancel_button)
        footer.addWidget(self.add_button)

        form = QFormLayout()
        form.addRow("Source", source)
        form.addRow("Name", self.name_field)
        form.addRow("Engine", self.engine)
        self._form = form
        form.setRowVisible(self.engine, False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)
        layout.setSpacing(10)
        layout.addLayout(modes)
        layout.addLayout(form)
        layout.addWidget(self.advanced_toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.limits)
        layout.addWidget(self.memory_error)
        layout.addWidget(self.progress)
        layout.addWidget(self.progress_text)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addLayout(footer)
        (self.git_mode if git else self.folder_mode).setChecked(True)
        spec = WorkspaceSpec(name="")  # the services' defaults until the stored settings arrive
        self.set_defaults(Limits(DEFAULTS.default_image, spec.cpus, spec.memory, spec.network, spec.permission_mode,
                                 egress=spec.egress))

    # -- set-up -------------------------------------------------------------


    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        fit_height(self)

    def set_defaults(self, limits: Limits) -> None:
        self.limits.set_values(limits)

    def set_engines(self, names: Iterable[str]) -> None:
        """The engines added besides this machine's; the choice shows only when there are some."""
        names = [n for n in names if n != "local"]
        chosen = self.engine.currentData()
        self.engine.clear()
        self.engine.addItem("This machine", "local")
        if names:
            self.engine.addItem("The one with most room (auto)", "auto")
        for name in names:
            self.engine.addItem(name, name)
        found = self.engine.findData(chosen)
        self.engine.setCurrentIndex(max(found, 0))
        self._form.setRowVisible(self.engine, bool(names) and self._editing is None)
        self._fit()

    def set_taken_names(self, names: Iterable[str]) -> None:
        """The names of the workspaces there are: a new one's must differ."""
        self._taken = tuple(names)
        self._validate()

    def load_workspace(self, ws: Workspace) -> None:
        """Edit mode: the source is fixed; name and limits can change."""
        self._editing = ws
        self.setWindowTitle(f"Workspace “{ws.name}”")
        self.folder_mode.setEnabled(False)
        self.git_mode.setEnabled(False)
        (self.git_mode if ws.git_url else self.folder_mode).setChecked(True)
        self.folder.setText(ws.source_path)
        self.url.setText(ws.git_url or "")
        self.folder.setReadOnly(True)
        self.url.setReadOnly(True)
        self.name.setText(ws.name)
        self._name_edited = True
        self.limits.set_values(Limits(ws.image, ws.cpus, ws.memory, ws.network.value, ws.permission_mode.value,
                                      dict(ws.env), EgressMode(ws.egress).value, ws.secret_env,
                                      excluded=ws.excluded))
        self.limits.set_allowed_tools(ws.allowed_tools)
        self.advanced_toggle.setChecked(True)
        self.add_button.setText("Save")
        self.add_button.setIcon(icons.icon("check", "on_accent"))
        self._validate()

    # -- what the controller tells ------------------------------------------

    def show_progress(self, fraction: float | None, message: str) -> None:
        self.progress.show()
        self.progress_text.show()
        if fraction is None:
            self.progress.setRange(0, 0)
        else:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(fraction * 1000))
        self.progress_text.setText(message)

    def show_error(self, message: str) -> None:
        self._set_busy(False)
        self.progress.hide()
        self.progress_text.hide()
        self.error.show_problem(message)
        self._fit()

    def finish(self) -> None:
        self._set_busy(False)
        self.accept()

    # -- internals ----------------------------------------------------------

    @property
    def is_git(self) -> bool:
        return self.git_mode.isChecked()

    def spec(self) -> WorkspaceSpec:
        lim = self.limits.values()
        return WorkspaceSpec(
            name=self.name.text().strip(),
            folder=None if self.is_git else self.folder.text().strip(),
            git_url=self.url.text().strip() if self.is_git else None,
            image=lim.image, cpus=lim.cpus, memory=lim.memory, network=lim.network,
            permission_mode=lim.permission_mode, env=lim.env, egress=lim.egress,
            secret_env={name: lim.secret_values.get(name, "") for name in lim.secret_env},
            excluded=lim.excluded, engine=str(self.engine.currentData() or ""),
        )

    def source_problem(self) -> str:
        if self._editing is not None:
            return ""  # the source is fixed
        return checks.url_problem(self.url.text()) if self.is_git else checks.folder_problem(self.folder.text())

    def name_problem(self) -> str:
        return checks.name_problem(self.name.text(), self._taken, self._editing.name if self._editing else "")

    def memory_problem(self) -> str:
        return "" if self.limits.memory_ok() else "The memory limit must be a size such as 4g or 1536m."

    def problem(self) -> str:
        """What is missing or wrong, for people; empty when the form can be sent."""
        return self.source_problem() or self.name_problem() or self.memory_problem()

    def _validate(self) -> None:
        """Each field's problem under it once the person typed there; Add only when there is none."""
        source = self.source_problem()
        field = self.url if self.is_git else self.folder
        shown = source if field in self._touched else ""
        self.url_error.show_problem(shown if self.is_git else "")
        self.folder_error.show_problem("" if self.is_git else shown)
        self.name_error.show_problem(self.name_problem() if self.name in self._touched else "")
        self.memory_error.show_problem(self.memory_problem())
        problem = self.problem()
        self.add_button.setEnabled(not problem and not self._busy)
        self.add_button.setToolTip(problem)
        self._fit()

    def _fit(self) -> None:
        if self.isVisible():
            fit_height(self)

    def _submit(self) -> None:
        self._touched.update((self.folder, self.url, self.name))  # every problem shows now
        self._validate()
        problem = self.problem()
        if problem:
            return
        self.error.hide()
        if self._editing is not None:
            lim = self.limits.values()
            ws = replace(self._editing, name=self.name.text().strip(), image=lim.image, cpus=lim.cpus,
                         memory=lim.memory, network=NetworkMode(lim.network),
                         permission_mode=PermissionMode(lim.permission_mode), env=lim.env,
                         allowed_tools=self.limits.allowed.tools(), egress=EgressMode(lim.egress),
                         secret_env=lim.secret_env, excluded=lim.excluded)
            self.update_requested.emit(WorkspaceUpdateRequested(ws, self.limits.allowed.removed(),
                                                                lim.secret_values))
            self.accept()
            return
        self._set_busy(True)
        self.show_progress(None, "Cloning the repository…" if self.is_git else "Adding the workspace…")
        self.add_requested.emit(AddWorkspaceRequested(self.spec()))

    def _cancel(self) -> None:
        if self._busy:
            self.cancel_requested.emit()
            self.progress_text.setText("Cancelling…")
            self.cancel_button.setEnabled(False)
        else:
            self.reject()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText("Cancel clone" if busy and self.is_git else "Cancel")
        for w in (self.folder, self.url, self.name, self.limits, self.folder_mode, self.git_mode):
            w.setEnabled(not busy)
        self._validate()

    def _mode_changed(self, index: int, checked: bool) -> None:
        if checked:
            self.folder_page.setVisible(index == 0)
            self.git_page.setVisible(index == 1)
            self.setWindowTitle(self.windowTitle() if self._editing else
                                "Clone a Git Repository" if index else "Add a Project Folder")
            self._suggest_name()
            self._validate()

    def _suggest_name(self) -> None:
        """The name follows the source until the person types one; a source that is
        refused (an address git would not be given) suggests nothing."""
        if not self._name_edited:
            source = self.url.text() if self.is_git else self.folder.text()
            self.name.setText("" if self.source_problem() else name_from_source(source.strip()))

    def _browse(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Choose the project folder", self.folder.text() or os.path.expanduser("~"))
        if path:
            self._touched.add(self.folder)
            self.folder.setText(path)

    def _toggle_advanced(self, on: bool) -> None:
        self.limits.setVisible(on)
        self.advanced_toggle.setIcon(icons.icon("chevron-down" if on else "chevron-right", "accent"))
        self.adjustSize()

    def reject(self) -> None:
        if self._busy:  # Esc during a clone cancels the clone first
            self._cancel()
            return
        super().reject()


def _hint(text: str) -> QLabel:
    hint = label(text, "Hint", wrap=True)
    hint.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)  # its whole height, always
    return hint
