"""The transcript page: the transcript, and under it the cards of what its
agent waits for (``ApprovalDock``), which take at most part of the height."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from desktop.ui.approvals.dock import ApprovalDock


class TranscriptPage(QWidget):
    def __init__(self, transcript: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.transcript = transcript
        self.approvals = ApprovalDock()
        self.approvals.tab_after(transcript)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addWidget(transcript, 1)
        box.addWidget(self.approvals)

    def resizeEvent(self, event) -> None:  # noqa: ANN001
        super().resizeEvent(event)
        self.approvals.set_limit(self.height())
