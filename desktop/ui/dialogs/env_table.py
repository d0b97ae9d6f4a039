"""A workspace's environment variables, each plain or secret.

A secret row's value is typed into a masked field and goes to the OS keyring
(the services store it there, never in the database). Editing a workspace,
a stored secret's value is never loaded into the window: its field stays
empty, and empty means "keep the stored value". Ticking Secret on a stored
plain row moves its value to the keyring on Save.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.look import icons

NAME, VALUE, SECRET = range(3)
KEEP_HINT = "kept in the keyring"


@dataclass(frozen=True)
class EnvValues:
    plain: dict[str, str] = field(default_factory=dict)
    secret_names: tuple[str, ...] = ()
    # New values typed for secret rows; a name without one keeps its stored value.
    secret_values: dict[str, str] = field(default_factory=dict, repr=False)


class EnvTable(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Variable", "Value", "Secret"])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(SECRET, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setFixedHeight(110)
        self.table.setAccessibleName("Environment variables")
        add = QToolButton(objectName="Flat")
        add.setIcon(icons.icon("plus", "muted"))
        add.setToolTip("Add a variable")
        add.clicked.connect(lambda: self.add_row())
        remove = QToolButton(objectName="Flat")
        remove.setIcon(icons.icon("trash", "muted"))
        remove.setToolTip("Remove the selected variable")
        remove.clicked.connect(self._remove_rows)
        buttons = QVBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.table, 1)
        row.addLayout(buttons)

    def set_values(self, plain: dict[str, str], secret_names: tuple[str, ...] = ()) -> None:
        """Stored secrets show as a masked, empty field: their values stay in the keyring."""
        self.table.setRowCount(0)
        for name, value in plain.items():
            self.add_row(name, value, edit=False)
        for name in secret_names:
            self.add_row(name, secret=True, stored=True, edit=False)

    def add_row(self, name: str = "", value: str = "", secret: bool = False, stored: bool = False,
                edit: bool = True) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, NAME, QTableWidgetItem(name))
        masked = QLineEdit(value)
        masked.setFrame(False)
        masked.setAccessibleName(f"Value of {name}" if name else "Value")
        masked.setProperty("stored_secret", stored)
        self.table.setCellWidget(row, VALUE, masked)
        box = QCheckBox()
        box.setAccessibleName("Secret")
        box.setToolTip("Keep the value in the OS keyring and mask it in everything shown or stored")
        box.setChecked(secret)
        # On the table's own base colour an unticked box would not show in the dark theme.
        palette = box.palette()
        palette.setColor(QPalette.ColorRole.Base, palette.color(QPalette.ColorRole.Button))
        box.setPalette(palette)
        box.toggled.connect(lambda _on, field=masked: self._show_as(field, _on))
        cell = QWidget()
        centred = QHBoxLayout(cell)
        centred.setContentsMargins(0, 0, 0, 0)
        centred.setAlignment(Qt.AlignmentFlag.AlignCenter)
        centred.addWidget(box)
        self.table.setCellWidget(row, SECRET, cell)
        self._show_as(masked, secret)
        if edit and not name:
            self.table.editItem(self.table.item(row, NAME))

    def values(self) -> EnvValues:
        plain: dict[str, str] = {}
        names: list[str] = []
        given: dict[str, str] = {}
        for row in range(self.table.rowCount()):
            item = self.table.item(row, NAME)
            name = item.text().strip() if item else ""
            if not name:
                continue
            text = self.value_field(row).text()
            if self.secret_box(row).isChecked():
                names.append(name)
                if text:
                    given[name] = text
            else:
                plain[name] = text
        return EnvValues(plain, tuple(names), given)

    def value_field(self, row: int) -> QLineEdit:
        return self.table.cellWidget(row, VALUE)  # type: ignore[return-value]

    def secret_box(self, row: int) -> QCheckBox:
        return self.table.cellWidget(row, SECRET).findChild(QCheckBox)  # type: ignore[union-attr, return-value]

    @staticmethod
    def _show_as(value: QLineEdit, secret: bool) -> None:
        value.setEchoMode(QLineEdit.EchoMode.Password if secret else QLineEdit.EchoMode.Normal)
        stored = bool(value.property("stored_secret"))
        value.setPlaceholderText(KEEP_HINT if secret and stored else "")
        value.setToolTip("Empty keeps the stored value; type to replace it" if secret and stored else "")
        if not secret and stored and not value.text():
            value.setPlaceholderText("type a value: it was kept in the keyring")

    def _remove_rows(self) -> None:
        for row in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)
