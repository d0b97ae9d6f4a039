"""May the agent use this tool? The command, the diff or the address, then
Allow once, Allow always in this workspace, or Deny with a reason."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QToolButton, QWidget

from desktop.domain.approvals import PendingRequest
from desktop.ui.approvals.card import RequestCard
from desktop.ui.approvals.preview import full_text, preview
from desktop.ui.approvals.preview_box import PreviewBox
from desktop.ui.look import icons
from desktop.ui.look.widgets import section_title


class PermissionCard(RequestCard):
    icon_name = "shield"
    shows_tool = True

    def __init__(self, request: PendingRequest, parent: QWidget | None = None) -> None:
        self.preview = preview(request.tool, request.input, request.description)
        super().__init__(request, self.preview.title + "?", parent)
        p = self.preview
        if p.target:
            self.target = self.add_line(p.target, mono=True)
        if p.description:
            self.add_line(p.description)
        self.box: PreviewBox | None = None
        if p.lines:
            copy = QToolButton(objectName="Flat")
            copy.setIcon(icons.icon("copy", "muted"))
            copy.setToolTip("Copy all of it (control characters shown by name)")
            copy.setAccessibleName("Copy the whole input")
            copy.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the box itself copies with Ctrl+C
            copy.clicked.connect(self.copy)
            title = section_title(p.label)
            title.setTextFormat(Qt.TextFormat.PlainText)
            self.add_row(title, 1, copy)
            self.box = PreviewBox(p.lines, p.label or "Input")
            self.add_widget(self.box)
        self.allow_button = self.add_button("Allow once", "Primary", lambda: self.allow(), default=True)
        self.always_button = self.add_button("Allow always in this workspace", "Secondary",
                                             lambda: self.allow(always=True))
        self.always_button.setToolTip(f"Allow {request.tool} without asking in this workspace from now on"
                                      " (the workspace's settings can take it back)")
        self.deny_button = self.add_button("Deny", "Danger", self.deny)
        self.add_row(self.allow_button, self.always_button, self.why_field(), self.deny_button)
        self.finish()

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(full_text(self.request.tool, self.request.input))
