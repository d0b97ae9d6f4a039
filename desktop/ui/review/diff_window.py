"""A big change in a window of its own: the same DiffView, with room to read."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QMainWindow, QWidget

from desktop.domain.review import ChangeSet, Selection
from desktop.ui.review.diff_view import DiffView


class DiffWindow(QMainWindow):
    """Hosts a ``DiffView`` of ``change``; connect to ``view``'s signals
    (``selection_changed``, ``context_requested``) and answer through it.
    Closes with Escape or Ctrl+W."""

    def __init__(self, change: ChangeSet, parent: QWidget | None = None, selection: Selection | None = None,
                 title: str = "", read_only: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("DiffWindow")
        self.setWindowTitle(title or f"Changes of task {change.task_id}")
        self.view = DiffView()
        self.view.set_change(change, selection, read_only)
        self.setCentralWidget(self.view)
        self.resize(1280, 820)
        for keys in (QKeySequence(QKeySequence.StandardKey.Close), QKeySequence("Escape")):
            QShortcut(keys, self, activated=self.close)
