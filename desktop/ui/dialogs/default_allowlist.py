"""Settings' default allowlist: the hosts a workspace's agent may reach while
the workspace has no list of its own, one a line. The services check each
line when the dialog is saved; what they refuse is said here, and the dialog
stays open to correct it."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QGroupBox, QPlainTextEdit, QVBoxLayout, QWidget

from desktop.ui.look import theme
from desktop.ui.look.widgets import label, plain_label


@dataclass(frozen=True)
class DefaultListSubmitted:
    hosts: tuple[str, ...]


class DefaultAllowlist(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Default allowlist", parent)
        self.edit = QPlainTextEdit(objectName="HostList")
        self.edit.setFont(theme.mono_font(-1))
        self.edit.setAccessibleName("Default allowlist, one host per line")
        self.edit.setPlaceholderText("api.anthropic.com\ngithub.com\n*.githubusercontent.com")
        self.edit.setTabChangesFocus(True)
        self.edit.textChanged.connect(lambda: self.error.hide())
        self.error = plain_label("", "ErrorText")
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setSpacing(6)
        layout.addWidget(label("What an agent may reach while its workspace has no list of its own: one host a "
                               "line (host, host:port or *.domain).", "Hint", wrap=True))
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.error)
        self._loaded: tuple[str, ...] | None = None  # as the services gave it; None until loaded
        self.setEnabled(False)

    def set_hosts(self, hosts: list[str] | tuple[str, ...]) -> None:
        self._loaded = tuple(hosts)
        self.edit.setPlainText("\n".join(hosts))
        self.setEnabled(True)

    def hosts(self) -> tuple[str, ...]:
        """The lines typed, without blank ones (the services check the rest)."""
        return tuple(line.strip() for line in self.edit.toPlainText().splitlines() if line.strip())

    @property
    def changed(self) -> bool:
        return self._loaded is not None and self.hosts() != self._loaded

    def refused(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.edit.setFocus()
