"""Notices of the review: a refused apply's conflicting hunks, and where a
change was saved (after a discard, a partial apply, a removed workspace).

Both are plain text: the conflicting parts name the agent's files, so they
are never read as rich text; a saved patch's path sits in a read-only field
a person can select and copy.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QToolButton, QVBoxLayout, QWidget

from desktop.ui.look import icons
from desktop.ui.look.widgets import button, plain_label, repolish

MAX_PARTS_SHOWN = 12  # more would push the diff off the screen; the rest are counted



def _dismiss(owner: QFrame) -> QToolButton:
    close = QToolButton(objectName="Flat")
    close.setIcon(icons.icon("close", "muted"))
    close.setToolTip("Dismiss")
    close.setAccessibleName("Dismiss")
    close.clicked.connect(owner.hide)
    return close


def _tone_icon(tone: str) -> QLabel:
    name = {"success": "check-circle", "danger": "x-circle", "warning": "alert"}.get(tone, "info")
    widget = QLabel()
    widget.setPixmap(icons.icon(name, tone).pixmap(18, 18))
    widget.setAlignment(Qt.AlignmentFlag.AlignTop)
    return widget


class ConflictNotice(QFrame):
    """Apply was refused: what no longer fits, and that nothing was changed.

    Signals:
        merge_requested(): "Show three-way merge…" was clicked (a preview; nothing is written).
    """

    merge_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Banner")
        self.setProperty("tone", "danger")
        self.title = plain_label("", "Title", selectable=True)
        self.parts = plain_label(selectable=True)
        self.parts.setObjectName("ConflictParts")
        self.hint = plain_label("", "Muted", selectable=True)
        self.merge_button = button("Show three-way merge…", "Secondary", "git")
        self.merge_button.setToolTip("See your folder's files and the task's change merged, with git's conflict "
                                     "markers; nothing is written unless you ask")
        self.merge_button.clicked.connect(self.merge_requested)
        actions = QHBoxLayout()
        actions.setContentsMargins(0, 4, 0, 0)
        actions.addWidget(self.merge_button)
        actions.addStretch(1)
        text = QVBoxLayout()
        text.setSpacing(4)
        text.addWidget(self.title)
        text.addWidget(self.parts)
        text.addWidget(self.hint)
        text.addLayout(actions)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 8, 8, 8)
        row.setSpacing(10)
        row.addWidget(_tone_icon("danger"), 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(text, 1)
        row.addWidget(_dismiss(self), 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_conflict(self, message: str, parts: tuple[str, ...]) -> None:
        """``parts`` are already made visible by the services; shown as plain text only."""
        from desktop.ui.look import theme

        self.parts.setFont(theme.mono_font(-0.5))
        if parts:
            self.title.setText("These parts no longer match your folder:")
            shown = list(parts[:MAX_PARTS_SHOWN])
            if len(parts) > MAX_PARTS_SHOWN:
                shown.append(f"… and {len(parts) - MAX_PARTS_SHOWN} more")
            self.parts.setText("\n".join(shown))
            self.hint.setText("Your folder was not changed. Untick these and apply the rest, look at a "
                              "three-way merge, or run a follow-up on the current files.")
        else:
            self.title.setText("The change no longer fits your folder.")
            self.parts.setText("")
            self.hint.setText(message)
        self.parts.setVisible(bool(parts))
        repolish(self)
        self.show()

    @property
    def text(self) -> str:
        return "\n".join(w.text() for w in (self.title, self.parts, self.hint) if w.text())


class SavedNotice(QFrame):
    """Where a change was saved, with the path ready to copy."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Banner")
        self.message = plain_label(selectable=True)
        self.path = QLineEdit(objectName="SavedPath")
        self.path.setReadOnly(True)
        self.path.setAccessibleName("Where the change was saved")
        self.copy_button = button("Copy path", "Secondary", "copy")
        self.copy_button.clicked.connect(self._copy)
        self._icon = QLabel()
        self._icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        field = QHBoxLayout()
        field.setSpacing(6)
        field.addWidget(self.path, 1)
        field.addWidget(self.copy_button)
        text = QVBoxLayout()
        text.setSpacing(6)
        text.addWidget(self.message)
        text.addLayout(field)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 8, 8, 8)
        row.setSpacing(10)
        row.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(text, 1)
        row.addWidget(_dismiss(self), 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_saved(self, message: str, path: str, tone: str = "info") -> None:
        self._icon.setPixmap(icons.icon({"success": "check-circle", "warning": "alert"}.get(tone, "info"),
                                        tone).pixmap(18, 18))
        self.setProperty("tone", tone)
        self.message.setText(message)
        self.path.setText(path)
        self.path.setToolTip(path)
        self.path.setCursorPosition(0)
        self.copy_button.setText("Copy path")
        repolish(self)
        self.show()

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.path.text())
        self.copy_button.setText("Copied")
