"""A task's badge when its agent was refused requests: "2 blocked", its
tooltip listing the hosts; a click shows the workspace's egress log."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSizePolicy, QToolButton, QWidget

from desktop.ui.bridge.egress_payloads import Refusal
from desktop.ui.egress import words
from desktop.ui.look import formatting, icons


class BlockedBadge(QToolButton):
    """``clicked``: the person wants to see what was refused (and maybe allow it)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("BlockedBadge")
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setIcon(icons.icon("shield", "warning"))
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.refusals: tuple[Refusal, ...] = ()
        self.hide()

    def show_refusals(self, refusals: tuple[Refusal, ...]) -> None:
        self.refusals = refusals
        self.setText(words.blocked_text(len(refusals)))
        tip = words.blocked_tip(refusals)
        self.setToolTip(formatting.plain_tip(tip) if tip else "")
        self.setAccessibleName(f"The agent was refused {len(refusals)} requests: show the egress log")
        self.setVisible(bool(refusals))
