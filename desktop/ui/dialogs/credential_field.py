"""The Claude credential field: an Anthropic API key or a Claude subscription
token (the long-lived one ``claude setup-token`` prints), typed once and
stored in the OS keyring under its own name, never shown again.

Which of the two it is can be picked, and a pasted value that says what it
is (``sk-ant-oat…`` is a subscription token, ``sk-ant-api…`` an API key)
picks it. The view holds the value only between typing and the click on
Save; after ``submitted`` the field is emptied.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLineEdit, QRadioButton, QVBoxLayout, QWidget

from desktop.ui.bridge.payloads import SecretSubmitted
from desktop.ui.bridge.viewdata import SecretStatus
from desktop.ui.look import icons
from desktop.ui.look.widgets import button

API_KEY = "anthropic-api-key"  # the keyring names the services store them under
OAUTH_TOKEN = "claude-oauth-token"
TOKEN_PREFIX = "sk-ant-oat"  # what `claude setup-token` prints starts so
KEY_PREFIX = "sk-ant-api"

KINDS = {
    API_KEY: ("API key", "sk-ant-api03-…  (from console.anthropic.com)", "Save key"),
    OAUTH_TOKEN: ("Subscription token", "sk-ant-oat01-…  (run: claude setup-token)", "Save token"),
}


def kind_of(value: str) -> str | None:
    """The secret a pasted value is, by its prefix; None when it does not say."""
    value = value.strip()
    if value.startswith(TOKEN_PREFIX):
        return OAUTH_TOKEN
    if value.startswith(KEY_PREFIX):
        return API_KEY
    return None


def stored_text(status: SecretStatus) -> str:
    """What is stored, and where; never the value."""
    where = f" in {status.backend}" if status.backend else ""
    if status.api_key and status.token:
        return f"An API key and a subscription token are stored{where}; the API key is used"
    if status.token:
        return f"Subscription token stored{where}"
    if status.api_key:
        return f"API key stored{where}"
    if status.stored:
        return f"Stored{where}"
    return "No API key or subscription token stored yet" + (f" · will be kept{where}" if where else "")


class KeyField(QWidget):
    """The kind (API key or subscription token), a password field with a
    show/hide toggle, and a Save button.

    Signals:
        submitted(SecretSubmitted): Save was clicked (or Enter pressed) with a value.
    """

    submitted = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.api_key = QRadioButton(KINDS[API_KEY][0])
        self.token = QRadioButton(KINDS[OAUTH_TOKEN][0])
        self.token.setToolTip("The long-lived token `claude setup-token` prints (it starts with sk-ant-oat): "
                              "tasks then use your Claude subscription")
        self.api_key.setToolTip("A key from console.anthropic.com (it starts with sk-ant-api): billed per use")
        self._kinds = QButtonGroup(self)
        self._kinds.addButton(self.api_key)
        self._kinds.addButton(self.token)
        self.api_key.setChecked(True)
        self._kinds.buttonToggled.connect(lambda _b, _on: self._kind_changed())
        self.edit = QLineEdit()
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setClearButtonEnabled(True)
        # Copying a password field's text is off by default in Qt; keep it so.
        self._reveal = self.edit.addAction(icons.icon("eye", "muted"), QLineEdit.ActionPosition.TrailingPosition)
        self._reveal.setToolTip("Show the value while typing")
        self._reveal.setCheckable(True)
        self._reveal.toggled.connect(self._toggle_reveal)
        self.save = button("Save key", "Secondary", "key")
        self.save.setEnabled(False)
        self.edit.textChanged.connect(self._edited)
        self.edit.returnPressed.connect(self._submit)
        self.save.clicked.connect(self._submit)
        kinds = QHBoxLayout()
        kinds.setSpacing(14)
        kinds.addWidget(self.api_key)
        kinds.addWidget(self.token)
        kinds.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.edit, 1)
        row.addWidget(self.save)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(kinds)
        layout.addLayout(row)
        self._stored = False
        self._kind_changed()

    @property
    def name(self) -> str:
        """The keyring name the value goes under."""
        return OAUTH_TOKEN if self.token.isChecked() else API_KEY

    def set_stored(self, stored: bool) -> None:
        """Whether a credential is stored already (then a new value replaces it)."""
        self._stored = stored
        self._kind_changed()

    def _kind_changed(self) -> None:
        what, placeholder, save = KINDS[self.name]
        self.edit.setAccessibleName(what)
        self.edit.setPlaceholderText(f"Type a new {save.split()[-1]} to store" if self._stored else placeholder)
        self.save.setText(save)

    def _edited(self, text: str) -> None:
        self.save.setEnabled(bool(text.strip()))
        kind = kind_of(text)
        if kind is not None and kind != self.name:
            (self.token if kind == OAUTH_TOKEN else self.api_key).setChecked(True)

    def _toggle_reveal(self, on: bool) -> None:
        self.edit.setEchoMode(QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password)
        self._reveal.setIcon(icons.icon("eye-off" if on else "eye", "muted"))

    def _submit(self) -> None:
        value = self.edit.text().strip()
        if not value:
            return
        self.edit.clear()
        self._reveal.setChecked(False)
        self.submitted.emit(SecretSubmitted(self.name, value))
