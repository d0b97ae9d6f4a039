"""A workspace's allowlist: its hosts, each with Remove, and a field to add one.

The field's text is checked by the services (``allow``): what they refuse is
said under the field, which keeps the text to correct. A workspace that has
no list of its own follows the app's default one; its first change makes
the list its own (the services copy the default list first).
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.look import icons
from desktop.ui.look.widgets import button, label, plain_label

PLACEHOLDER = "host, host:port or *.domain"


class AllowList(QWidget):
    """Signals:
        host_added(str): Add was clicked (or Enter pressed) with this text.
        host_removed(str): a host's Remove was clicked.
    """

    host_added = Signal(str)
    host_removed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.note = label("", "Hint", wrap=True)
        self.list = QListWidget(objectName="AllowList")
        self.list.setAccessibleName("Allowed hosts")
        self.list.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.list.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its Remove buttons take the focus
        self.field = QLineEdit()
        self.field.setPlaceholderText(PLACEHOLDER)
        self.field.setAccessibleName("Host to allow")
        self.field.setClearButtonEnabled(True)
        self.add_button = button("Add", "Secondary", "plus")
        self.add_button.setEnabled(False)
        self.add_button.setToolTip("Let the agent reach this host (ports 443 and 80 unless a port is given)")
        self.field.textChanged.connect(self._edited)
        self.field.returnPressed.connect(self._add)
        self.add_button.clicked.connect(self._add)
        self.error = plain_label("", "ErrorText")
        self.error.hide()
        add = QHBoxLayout()
        add.setSpacing(6)
        add.addWidget(self.field, 1)
        add.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.note)
        layout.addWidget(self.list, 1)
        layout.addLayout(add)
        layout.addWidget(self.error)
        self._hosts: tuple[str, ...] = ()

    def set_hosts(self, hosts: tuple[str, ...], follows_default: bool, in_use: bool = True) -> None:
        """The list as it is now; ``in_use``: the workspace's mode is the allowlist."""
        notes = []
        if follows_default:
            notes.append("Following the app's default list (Settings); a change makes it this workspace's own.")
        if not in_use:
            notes.append("Used only in Allowlist mode.")
        self.note.setText(" ".join(notes))
        self.note.setVisible(bool(notes))
        if hosts == self._hosts and self.list.count() == len(hosts):
            return
        self._hosts = hosts
        scroll = self.list.verticalScrollBar().value()
        self.list.clear()
        for host in hosts:
            self._add_row(host)
        if not hosts:
            item = QListWidgetItem("No hosts: the agent reaches the model only.")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(item)
        self.list.verticalScrollBar().setValue(scroll)

    @property
    def hosts(self) -> tuple[str, ...]:
        return self._hosts

    def remove_button(self, host: str) -> QToolButton | None:
        for row in range(self.list.count()):
            widget = self.list.itemWidget(self.list.item(row))
            if widget is not None and widget.property("host") == host:
                return widget.findChild(QToolButton)
        return None

    def refused(self, message: str) -> None:
        """The services did not take the typed host: why, under the field (the text stays)."""
        self.error.setText(message)
        self.error.show()

    def saved(self, host: str) -> None:
        """``host`` went on the list: the field empties if it still holds it."""
        self.error.hide()
        if self.field.text().strip() == host:
            self.field.clear()

    def clear_error(self) -> None:
        self.error.hide()

    def _add_row(self, host: str) -> None:
        row = QWidget()
        row.setProperty("host", host)
        name = plain_label(host, wrap=False)  # stored by the services' rules: ASCII, no spaces
        name.setToolTip(host)
        remove = QToolButton(objectName="Flat")
        remove.setIcon(icons.icon("trash", "muted"))
        remove.setIconSize(QSize(14, 14))
        remove.setToolTip(f"Remove {host} from the allowlist")
        remove.setAccessibleName(f"Remove {host}")
        remove.clicked.connect(lambda _c=False, h=host: self.host_removed.emit(h))
        line = QHBoxLayout(row)
        line.setContentsMargins(6, 0, 2, 0)
        line.addWidget(name, 1)
        line.addWidget(remove)
        item = QListWidgetItem()
        item.setSizeHint(QSize(0, remove.sizeHint().height() + 2))
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        self.list.addItem(item)
        self.list.setItemWidget(item, row)

    def _edited(self, text: str) -> None:
        self.add_button.setEnabled(bool(text.strip()))
        self.error.hide()

    def _add(self) -> None:
        text = self.field.text().strip()
        if text:
            self.host_added.emit(text)
