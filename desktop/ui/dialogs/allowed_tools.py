"""A workspace's "Allowed always" tools: listed, and taken back one by one.

The names were the agent's (a request the person answered "Allow always"):
shown as plain list items, made visible, never as markup.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from desktop.domain.review import visible
from desktop.ui.look.widgets import button, label

EMPTY = "No tool is allowed always: the agent asks each time (as the mode above says)."


class AllowedToolsList(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setAccessibleName("Tools allowed always")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setFixedHeight(92)
        self.list.itemSelectionChanged.connect(self._sync)
        self.remove_button = button("Remove", "Secondary", "trash")
        self.remove_button.setToolTip("Take the selected tools back: the agent asks before using them again")
        self.remove_button.clicked.connect(self._remove)
        self.empty = label(EMPTY, "Hint", wrap=True)
        side = QVBoxLayout()
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(self.remove_button)
        side.addStretch(1)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.list, 1)
        row.addLayout(side)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(row)
        layout.addWidget(self.empty)
        self._tools: tuple[str, ...] = ()
        self._sync()

    def set_tools(self, tools: tuple[str, ...]) -> None:
        self._tools = tuple(tools)
        self.list.clear()
        for tool in tools:
            item = QListWidgetItem(visible(tool))
            item.setData(Qt.ItemDataRole.UserRole, tool)
            self.list.addItem(item)
        self._sync()

    def tools(self) -> tuple[str, ...]:
        """The tools still listed, in their order."""
        return tuple(self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count()))

    def removed(self) -> tuple[str, ...]:
        """The tools the person took back."""
        kept = set(self.tools())
        return tuple(t for t in self._tools if t not in kept)

    def _remove(self) -> None:
        for item in self.list.selectedItems():
            self.list.takeItem(self.list.row(item))
        self._sync()

    def _sync(self) -> None:
        has = self.list.count() > 0
        self.list.setVisible(has)
        self.remove_button.setVisible(has)
        self.remove_button.setEnabled(bool(self.list.selectedItems()))
        self.empty.setVisible(not has)
