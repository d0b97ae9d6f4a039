"""One line of a checklist: a status icon, what is checked, what to do about it."""

from __future__ import annotations

import enum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.ui.look import icons
from desktop.ui.look.widgets import label


class CheckState(enum.Enum):
    CHECKING = ("running", "muted")
    OK = ("check-circle", "success")
    PROBLEM = ("x-circle", "danger")
    WARNING = ("alert", "warning")


class CheckRow(QFrame):
    def __init__(self, icon_name: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CheckRow")
        self._state_icon = QLabel()
        self._state_icon.setFixedSize(22, 22)
        self._state_icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        kind = QLabel()
        kind.setPixmap(icons.icon(icon_name, "muted").pixmap(18, 18))
        self.title = label(title, "Title")
        self.detail = label("", "Muted", wrap=True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fix = label("", "Hint", wrap=True)
        self.fix.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.actions = QHBoxLayout()
        self.actions.setSpacing(6)
        head = QHBoxLayout()
        head.setSpacing(8)
        head.addWidget(kind)
        head.addWidget(self.title, 1)
        head.addLayout(self.actions)
        head.addWidget(self._state_icon)
        self.body = QVBoxLayout()
        self.body.setSpacing(6)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(4)
        layout.addLayout(head)
        text = QVBoxLayout()
        text.setContentsMargins(26, 0, 0, 0)
        text.setSpacing(2)
        text.addWidget(self.detail)
        text.addWidget(self.fix)
        text.addLayout(self.body)
        layout.addLayout(text)
        self.state = CheckState.CHECKING
        self.set_state(CheckState.CHECKING, "Checking…")

    def set_state(self, state: CheckState, detail: str, fix: str = "") -> None:
        self.state = state
        name, role = state.value
        self._state_icon.setPixmap(icons.icon(name, role).pixmap(20, 20))
        self._state_icon.setToolTip({CheckState.OK: "OK", CheckState.PROBLEM: "Needs attention",
                                     CheckState.WARNING: "Works, with a warning",
                                     CheckState.CHECKING: "Checking"}[state])
        self.detail.setText(detail)
        self.fix.setText(fix)
        self.fix.setVisible(bool(fix))
        self.setAccessibleDescription(f"{self.title.text()}: {detail} {fix}".strip())
