"""Two tasks' end states compared, in a window of its own, to read only.

The diff viewer is made for choosing what to apply; here nothing can be
applied, so it is shown read-only (no boxes to tick, no count of what is
chosen) and the header says so. The lines between
hunks are not in the person's folder either: asked for, they are answered
as not available.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from desktop.domain.review import ChangeSet
from desktop.ui.review.diff_window import DiffWindow
from desktop.ui.review.payloads import ContextRequest

READ_ONLY = "To read only: nothing can be applied from a comparison"


def comparison_window(changes: ChangeSet, title: str, parent: QWidget | None = None) -> DiffWindow:
    window = DiffWindow(changes, parent, None, title, read_only=True)
    window.setObjectName("ComparisonWindow")
    view = window.view
    view.empty.set_text("The same files", "Both tasks ended with the same files.")
    note = QLabel(READ_ONLY, objectName="Muted")
    note.setTextFormat(Qt.TextFormat.PlainText)
    note.setToolTip("The difference from the first task's end state to the second's. To take a task's change, "
                    "review and apply it from its own Changes tab.")
    view.add_header_widget(note)

    def no_lines(request: ContextRequest) -> None:
        view.show_context(request.path, request.first_old_line, None)

    view.context_requested.connect(no_lines)
    return window
