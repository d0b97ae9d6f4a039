"""The files a finished task changed, with Apply and Discard for the whole change."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.changes import ChangedFile
from desktop.domain.task import PatchState
from desktop.ui.bridge.payloads import TaskRef
from desktop.ui.look import theme
from desktop.ui.look.widgets import Chip, ElidedLabel, button

STATUS_NAMES = {"M": "Modified", "A": "Added", "D": "Deleted", "R": "Renamed", "C": "Copied", "T": "Type changed"}


def summary(files: list[ChangedFile]) -> str:
    n = len(files)
    plus = sum(f.insertions or 0 for f in files)
    minus = sum(f.deletions or 0 for f in files)
    return f"{n} file{'s' if n != 1 else ''}   +{plus}  −{minus}"


class ChangesPanel(QFrame):
    """Review of a task's change: list it, then apply it to the workspace or discard it.

    Signals:
        apply_requested(TaskRef): write the change into the workspace.
        discard_requested(TaskRef): throw the change away (after confirmation).
    """

    apply_requested = Signal(object)
    discard_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ChangesPanel")
        self._task_id: str | None = None
        self.title = ElidedLabel("", "Title")
        self.state = Chip()
        self.tree = QTreeWidget(objectName="ChangedFiles")
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels(["", "File", "+", "−"])
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setAccessibleName("Changed files")
        header = self.tree.header()
        header.hide()  # status letter, path, +n, −n: clear without a header row
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.discard_button = button("Discard", "Danger", "trash")
        self.discard_button.setToolTip("Throw the agent's change away; your files stay as they are")
        self.apply_button = button("Apply", "Primary", "apply")
        self.apply_button.setToolTip("Write the agent's change into the workspace's files")
        self.discard_button.clicked.connect(self._discard)
        self.apply_button.clicked.connect(self._apply)
        top = QHBoxLayout()
        top.setSpacing(10)
        top.addWidget(self.title, 1)
        top.addWidget(self.state)
        top.addWidget(self.discard_button)
        top.addWidget(self.apply_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 10, 20, 12)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.tree)
        self.hide()

    @property
    def task_id(self) -> str | None:
        return self._task_id

    def show_changes(self, task_id: str, files: list[ChangedFile], patch_state: PatchState) -> None:
        self._task_id = task_id
        self.set_busy(False)
        self.tree.clear()
        c = theme.current()
        for f in files:
            counts = ["binary", ""] if f.binary else [f"+{f.insertions or 0}", f"−{f.deletions or 0}"]
            item = QTreeWidgetItem(["", f.path, *counts])
            item.setText(0, f.letter)
            item.setToolTip(0, STATUS_NAMES.get(f.letter, f.status))
            item.setToolTip(1, f.path)
            item.setForeground(0, QBrush(c.q({"A": "success", "D": "danger"}.get(f.letter, "warning"))))
            item.setForeground(2, QBrush(c.q("success")))
            item.setForeground(3, QBrush(c.q("danger")))
            for col in (2, 3):
                item.setTextAlignment(col, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.tree.addTopLevelItem(item)
        rows = min(len(files), 5) or 1
        self.tree.setFixedHeight(self.tree.sizeHintForRow(0) * rows + 6 if files else 0)
        self.tree.setVisible(bool(files))
        self.title.setText(summary(files) if files else "No files changed")
        pending = patch_state is PatchState.PENDING and bool(files)
        self.apply_button.setVisible(pending)
        self.discard_button.setVisible(pending)
        chip = {PatchState.APPLIED: ("Applied", "success"), PatchState.DISCARDED: ("Discarded", "neutral"),
                PatchState.PENDING: ("To review", "warning")}.get(patch_state)
        self.state.setVisible(chip is not None and bool(files))
        if chip:
            self.state.show_state(*chip)
        self.show()

    def set_busy(self, busy: bool) -> None:
        """While an apply or discard runs: no second click."""
        self.apply_button.setEnabled(not busy)
        self.discard_button.setEnabled(not busy)

    def _apply(self) -> None:
        if self._task_id:
            self.set_busy(True)
            self.apply_requested.emit(TaskRef(self._task_id))

    def _discard(self) -> None:
        if not self._task_id:
            return
        answer = QMessageBox.question(
            self, "Discard the change?",
            "The agent's change to these files will be thrown away. Your own files are not touched.",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Discard:
            self.set_busy(True)
            self.discard_requested.emit(TaskRef(self._task_id))
