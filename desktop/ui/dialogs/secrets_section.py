"""The API key field: typed once, stored in the OS keyring, never shown again.

The view holds the key only between typing and the click on Save; after
``secret_submitted`` the field is emptied. Where the key lives ("Stored in
GNOME Keyring") is shown instead of the key; a weak backend gets a warning.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from desktop.ui.bridge.payloads import SecretSubmitted
from desktop.ui.bridge.viewdata import SecretStatus
from desktop.ui.look import icons
from desktop.ui.look.widgets import button, label

API_KEY = "anthropic-api-key"  # the keyring name the services stores it under


class KeyField(QWidget):
    """A password field with a show/hide toggle and a Save button.

    Signals:
        submitted(SecretSubmitted): Save was clicked (or Enter pressed) with a value.
    """

    submitted = Signal(object)

    def __init__(self, name: str = API_KEY, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._name = name
        self.edit = QLineEdit()
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setPlaceholderText("sk-ant-…")
        self.edit.setAccessibleName("API key")
        self.edit.setClearButtonEnabled(True)
        # Copying a password field's text is off by default in Qt; keep it so.
        self._reveal = self.edit.addAction(icons.icon("eye", "muted"), QLineEdit.ActionPosition.TrailingPosition)
        self._reveal.setToolTip("Show the key while typing")
        self._reveal.setCheckable(True)
        self._reveal.toggled.connect(self._toggle_reveal)
        self.save = button("Save key", "Secondary", "key")
        self.save.setEnabled(False)
        self.edit.textChanged.connect(lambda text: self.save.setEnabled(bool(text.strip())))
        self.edit.returnPressed.connect(self._submit)
        self.save.clicked.connect(self._submit)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.save)

    def _toggle_reveal(self, on: bool) -> None:
        self.edit.setEchoMode(QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password)
        self._reveal.setIcon(icons.icon("eye-off" if on else "eye", "muted"))

    def _submit(self) -> None:
        value = self.edit.text().strip()
        if not value:
            return
        self.edit.clear()
        self._reveal.setChecked(False)
        self.submitted.emit(SecretSubmitted(self._name, value))


class SecretsSection(QGroupBox):
    """Signals:
        secret_submitted(SecretSubmitted): a new key to store.
    """

    secret_submitted = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Anthropic API key", parent)
        self._icon = QLabel()
        self.status = QLabel()
        self.status.setAccessibleName("API key status")
        self.warning = label("", "ErrorText", wrap=True)
        self.field = KeyField()
        self.field.submitted.connect(self.secret_submitted)
        note = label("The key is kept in your system keyring and passed to the agent's container when a "
                     "task starts. It is never written to settings, logs or the transcript.", "Hint", wrap=True)
        status_row = QHBoxLayout()
        status_row.setSpacing(6)
        status_row.addWidget(self._icon)
        status_row.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addLayout(status_row)
        layout.addWidget(self.warning)
        layout.addWidget(self.field)
        layout.addWidget(note)
        self.show_status(SecretStatus(stored=False))

    def show_status(self, status: SecretStatus) -> None:
        if status.stored:
            where = f"Stored in {status.backend}" if status.backend else "Stored"
            self.status.setText(where)
            self._icon.setPixmap(icons.icon("check-circle", "success" if status.secure else "warning").pixmap(16, 16))
            self.field.edit.setPlaceholderText("Type a new key to replace the stored one")
        else:
            self.status.setText("No API key stored yet" + (f" · will be kept in {status.backend}" if status.backend else ""))
            self._icon.setPixmap(icons.icon("alert", "warning").pixmap(16, 16))
            self.field.edit.setPlaceholderText("sk-ant-…")
        warning = status.warning or ("" if status.secure else "This keyring is not encrypted: anyone with "
                                     "access to your account's files can read the key.")
        self.warning.setText(warning)
        self.warning.setVisible(bool(warning))
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
