"""Compare a finished task's end state with another's: pick the other task.

Only finished tasks of the same workspace are offered (their end states are
checkpoints in that workspace's container). The comparison itself opens in
a window of its own, to read: nothing can be applied from it.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from desktop.domain import Task
from desktop.ui.bridge.payloads import CompareRequested
from desktop.ui.look import formatting, icons, theme
from desktop.ui.look.widgets import EmptyState

IdRole = Qt.ItemDataRole.UserRole + 1


def _plain(text: str, name: str) -> QLabel:
    widget = QLabel(text)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    widget.setWordWrap(True)
    widget.setObjectName(name)
    return widget


class ComparePicker(QDialog):
    """Signals:
        compare_requested(CompareRequested): from ``first``'s end state to the chosen task's.
    """

    compare_requested = Signal(object)

    def __init__(self, first: Task, others: list[Task], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first = first
        self.setWindowTitle("Compare with another task")
        self.setMinimumSize(520, 420)
        heading = _plain(f"Compare “{formatting.first_line(first.prompt, 90)}” with…", "EmptyTitle")
        heading.setFont(theme.scaled_font(1.1, QFont.Weight.DemiBold))
        hint = _plain("The window that opens shows how the files at the end of this task differ from those "
                      "at the end of the task you pick. It is for reading: nothing is applied from it.", "Muted")
        self.tasks = QListWidget(objectName="CompareList")
        self.tasks.setAccessibleName("Finished tasks of this workspace")
        self.tasks.setIconSize(QSize(16, 16))
        self.tasks.setSpacing(2)
        for task in others:
            item = QListWidgetItem(icons.state_icon(task.state),
                                   f"{formatting.first_line(task.prompt, 100) or '(empty prompt)'}\n"
                                   f"{formatting.task_meta(task)}")
            item.setData(IdRole, task.id)
            item.setToolTip(task.prompt[:2000])
            self.tasks.addItem(item)
        self.tasks.itemDoubleClicked.connect(lambda _item: self._compare())
        self.tasks.currentItemChanged.connect(lambda *_: self._sync())
        self.empty = EmptyState("list", "No other finished task",
                                "Compare needs a second task of this workspace that has ended.")

        buttons = QDialogButtonBox()
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setIcon(QIcon())  # the style's stock icon clashes with the theme
        self.cancel_button.setObjectName("Secondary")
        self.compare_button = buttons.addButton("Compare", QDialogButtonBox.ButtonRole.AcceptRole)
        self.compare_button.setObjectName("Primary")
        self.compare_button.setIcon(icons.icon("list", "on_accent"))
        buttons.accepted.connect(self._compare)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 14)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(hint)
        layout.addWidget(self.tasks, 1)
        layout.addWidget(self.empty, 1)
        layout.addWidget(buttons)
        self.tasks.setVisible(bool(others))
        self.empty.setVisible(not others)
        if others:
            self.tasks.setCurrentRow(0)
        self._sync()

    def choose(self, task_id: str) -> None:
        for row in range(self.tasks.count()):
            if self.tasks.item(row).data(IdRole) == task_id:
                self.tasks.setCurrentRow(row)

    @property
    def listed(self) -> list[str]:
        return [self.tasks.item(row).data(IdRole) for row in range(self.tasks.count())]

    def _compare(self) -> None:
        item = self.tasks.currentItem()
        if item is None:
            return
        self.compare_requested.emit(CompareRequested(self.first.id, item.data(IdRole)))
        self.accept()

    def _sync(self) -> None:
        self.compare_button.setEnabled(self.tasks.currentItem() is not None)
