"""The status bar's engine line: connected, checking, or not running with a fix."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from desktop.ui.bridge.viewdata import EngineStatus
from desktop.ui.look import icons
from desktop.ui.look.widgets import button


class EngineIndicator(QWidget):
    """Shows whether the Docker engine answers, and how to make it.

    Signals:
        retry_requested(): check the engine again.
    """

    retry_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._icon = QLabel()
        self.text = QLabel()
        self.hint = QLabel(objectName="Hint")
        self.hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.retry = button("Retry", "Secondary", "refresh")
        self.retry.setToolTip("Check the Docker engine again")
        self.retry.clicked.connect(self.retry_requested)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 0, 8, 0)
        row.setSpacing(6)
        row.addWidget(self._icon)
        row.addWidget(self.text)
        row.addWidget(self.hint)
        row.addWidget(self.retry)
        row.addStretch(1)
        self.status: EngineStatus | None = None
        self.show_status(EngineStatus(ok=False, message="Checking the Docker engine…", checking=True))

    def show_status(self, status: EngineStatus) -> None:
        self.status = status
        if status.checking:
            name, role = "running", "muted"
        elif status.ok:
            name, role = "check-circle", "success"
        else:
            name, role = "alert", "danger"
        self._icon.setPixmap(icons.icon(name, role).pixmap(14, 14))
        self.text.setText(status.message)
        self.hint.setText(f"— {status.fix}" if status.fix and not status.ok else "")
        self.hint.setVisible(bool(status.fix) and not status.ok)
        self.retry.setVisible(not status.ok and not status.checking)
        self.setToolTip(status.message + (f"\n{status.fix}" if status.fix else ""))
