"""Transcript | Changes: which of a task's two views fills the space under its header.

Tabs rather than a splitter: at 1024×640 a diff and a transcript stacked
would each get too few lines to read; either one gets the whole height.
"""

from __future__ import annotations

import enum

from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QToolButton, QWidget


class Page(enum.StrEnum):
    TRANSCRIPT = "transcript"
    CHANGES = "changes"


class ViewSwitch(QWidget):
    """Two toggles, one checked; the window connects their clicks."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.transcript_button = self._toggle("Transcript", "Ctrl+3")
        self.changes_button = self._toggle("Changes", "Ctrl+4")
        self.transcript_button.setChecked(True)
        group = QButtonGroup(self)
        group.setExclusive(True)
        group.addButton(self.transcript_button)
        group.addButton(self.changes_button)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        row.addWidget(self.transcript_button)
        row.addWidget(self.changes_button)

    def _toggle(self, text: str, key: str) -> QToolButton:
        widget = QToolButton(objectName="Flat")
        widget.setText(text)
        widget.setCheckable(True)
        widget.setToolTip(f"{text} ({key})")
        return widget

    @property
    def page(self) -> Page:
        return Page.CHANGES if self.changes_button.isChecked() else Page.TRANSCRIPT

    def set_page(self, page: Page) -> None:
        (self.changes_button if page is Page.CHANGES else self.transcript_button).setChecked(True)

    def set_changes(self, count: int | None) -> None:
        """``count`` files changed (None: no change to review, so no Changes tab)."""
        self.changes_button.setVisible(count is not None)
        self.transcript_button.setVisible(count is not None)
        if count is not None:
            self.changes_button.setText(f"Changes ({count})")
            self.changes_button.setToolTip(f"{count} changed file{'s' if count != 1 else ''} to review (Ctrl+4)")
