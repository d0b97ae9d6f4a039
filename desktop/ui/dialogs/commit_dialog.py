"""Commit an applied change: the message (prefilled from the task, editable),
then the new commit's id.

Only the files the task's Apply wrote are committed; whatever else the person
has staged stays staged. The dialog stays open after the commit so its id
can be copied.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.bridge.payloads import CommitRequested
from desktop.ui.look import icons, theme
from desktop.ui.look.widgets import repolish


class CommitDialog(QDialog):
    """Signals:
        commit_requested(CommitRequested): Commit was clicked with a message.
    """

    commit_requested = Signal(object)

    def __init__(self, task_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.task_id = task_id
        self.setWindowTitle("Commit the applied change")
        self.setMinimumSize(560, 380)
        intro = QLabel("Commits only the files this task's Apply wrote to the folder's git repository; "
                       "anything else you have staged stays staged.")
        intro.setObjectName("Muted")
        intro.setWordWrap(True)
        self.message = QPlainTextEdit(objectName="PromptEdit")
        self.message.setFont(theme.mono_font())
        self.message.setPlaceholderText("Loading the message…")
        self.message.setAccessibleName("Commit message")
        self.message.setTabChangesFocus(True)
        self.message.setEnabled(False)
        self.message.textChanged.connect(self._sync)
        self.status = QLabel(objectName="Muted")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.commit_id = QLineEdit(objectName="CommitId")
        self.commit_id.setReadOnly(True)
        self.commit_id.setFont(theme.mono_font())
        self.commit_id.setAccessibleName("The new commit's id")
        self._done_icon = QLabel()
        done = QHBoxLayout()
        done.setSpacing(8)
        done.addWidget(self._done_icon)
        done.addWidget(self.status, 1)
        self._done_row = QWidget()
        self._done_row.setLayout(done)
        self._done_row.hide()
        done.setContentsMargins(0, 0, 0, 0)

        self.buttons = QDialogButtonBox()
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setIcon(QIcon())  # the style's stock icon clashes with the theme
        self.cancel_button.setObjectName("Secondary")
        self.commit_button = self.buttons.addButton("Commit", QDialogButtonBox.ButtonRole.AcceptRole)
        self.commit_button.setObjectName("Primary")
        self.commit_button.setIcon(icons.icon("git", "on_accent"))
        self.commit_button.setEnabled(False)
        self.buttons.accepted.connect(self._commit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)
        layout.setSpacing(10)
        layout.addWidget(intro)
        layout.addWidget(self.message, 1)
        layout.addWidget(self._done_row)
        layout.addWidget(self.commit_id)
        layout.addWidget(self.buttons)
        self.commit_id.hide()
        self._committed = False
        self._busy = False

    def show_message(self, text: str) -> None:
        """The prefilled message, once loaded."""
        if not self.message.toPlainText():
            self.message.setPlainText(text)
        self.message.setEnabled(True)
        self.message.setFocus()
        self._sync()

    def show_committed(self, commit: str) -> None:
        self._committed, self._busy = True, False
        self._done_icon.setPixmap(icons.icon("check-circle", "success").pixmap(18, 18))
        self.status.setObjectName("SuccessText")
        self.status.setText(f"Committed as {commit[:12]}. The full id:")
        repolish(self.status)  # the look follows the object name
        self._done_row.show()
        self.commit_id.setText(commit)
        self.commit_id.show()
        self.commit_id.selectAll()
        self.message.setReadOnly(True)
        self.commit_button.hide()
        self.cancel_button.setText("Close")
        self.cancel_button.setFocus()

    def show_error(self, message: str) -> None:
        self._busy = False
        self._done_icon.setPixmap(icons.icon("x-circle", "danger").pixmap(18, 18))
        self.status.setObjectName("ErrorText")
        self.status.setText(message)
        repolish(self.status)
        self._done_row.show()
        self._sync()

    @property
    def committed(self) -> bool:
        return self._committed

    def _commit(self) -> None:
        text = self.message.toPlainText()
        if self._committed or self._busy or not text.strip():
            return
        self._busy = True
        self._done_row.hide()
        self._sync()
        self.commit_requested.emit(CommitRequested(self.task_id, text))

    def _sync(self) -> None:
        self.commit_button.setEnabled(not self._busy and self.message.isEnabled()
                                      and bool(self.message.toPlainText().strip()))
