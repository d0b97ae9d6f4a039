"""Settings' Claude credential: an API key or a subscription token, typed
once, stored in the OS keyring, never shown again.

Where it lives ("Stored in GNOME Keyring") is shown instead of the value; a
weak backend gets a warning. When both are stored the API key is the one
used: the section says so, and offers to remove it so the token is used.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from desktop.ui.bridge.viewdata import SecretStatus
from desktop.ui.dialogs.credential_field import API_KEY, KeyField, stored_text
from desktop.ui.look import icons
from desktop.ui.look.widgets import label

NOTE = ("Kept in your system keyring; the app adds it to the agent's requests to the model, so it never "
        "enters the container. A subscription token (claude setup-token) uses your Claude plan; an API key is "
        "billed per use.")


class SecretsSection(QGroupBox):
    """Signals:
        secret_submitted(SecretSubmitted): a new credential to store.
        secret_removed(str): the keyring name of a credential to remove.
    """

    secret_submitted = Signal(object)
    secret_removed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Claude account", parent)
        self._icon = QLabel()
        self.status = QLabel()
        self.status.setAccessibleName("Credential status")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.warning = label("", "ErrorText", wrap=True)
        self.remove_key = QToolButton(objectName="Link", text="Remove the API key to use the token")
        self.remove_key.clicked.connect(lambda: self.secret_removed.emit(API_KEY))
        self.remove_key.hide()
        self.field = KeyField()
        self.field.submitted.connect(self.secret_submitted)
        status_row = QHBoxLayout()
        status_row.setSpacing(6)
        status_row.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignTop)
        status_row.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addLayout(status_row)
        layout.addWidget(self.remove_key, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.warning)
        layout.addWidget(self.field)
        layout.addWidget(label(NOTE, "Hint", wrap=True))
        self.show_status(SecretStatus(stored=False))

    def show_status(self, status: SecretStatus) -> None:
        self.status.setText(stored_text(status))
        if status.stored:
            self._icon.setPixmap(icons.icon("check-circle", "success" if status.secure else "warning").pixmap(16, 16))
        else:
            self._icon.setPixmap(icons.icon("alert", "warning").pixmap(16, 16))
        self.field.set_stored(status.stored)
        self.remove_key.setVisible(status.api_key and status.token)
        warning = status.warning or ("" if status.secure else "This keyring is not encrypted: anyone with "
                                     "access to your account's files can read the key.")
        self.warning.setText(warning)
        self.warning.setVisible(bool(warning))
