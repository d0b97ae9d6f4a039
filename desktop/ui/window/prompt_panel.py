"""The prompt box and the Run, Follow-up and Cancel buttons under the transcript.

"New task from here…" puts the box in a mode of its own: a strip above it
says which task's end state the next Run starts from, with a button that
leaves the mode (Run then starts from the workspace's folder again).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPlainTextEdit, QToolButton, QVBoxLayout, QWidget

from desktop.ui.look import formatting, icons
from desktop.ui.look.widgets import ElidedLabel, button, icon_label, repolish


@dataclass(frozen=True)
class PromptSubmitted:
    text: str
    start_from: str | None = None  # a task id: the new task starts from that task's end state


@dataclass(frozen=True)
class StartingPoint:
    """The finished task whose end state the next Run starts from."""

    task_id: str
    workspace_id: str
    prompt: str


class StartFromStrip(QFrame):
    """"Starting from the end of task …", and a way back to a plain Run.

    Signals:
        cancelled(): the person left the mode.
    """

    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Banner")
        self.setProperty("tone", "info")
        self.text = ElidedLabel("", "Title")
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.cancel_button = QToolButton(objectName="Flat")
        self.cancel_button.setIcon(icons.icon("close", "muted"))
        self.cancel_button.setText("Start from the folder instead")
        self.cancel_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.cancel_button.setToolTip("Start from the workspace's folder instead: Run works as usual again")
        self.cancel_button.setAccessibleName("Cancel starting from this task")
        self.cancel_button.clicked.connect(self.cancelled)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 4, 4, 4)
        row.setSpacing(8)
        row.addWidget(icon_label(icons.icon("play", "info"), 16))
        row.addWidget(self.text, 1)
        row.addWidget(self.cancel_button)
        repolish(self)

    def show_point(self, point: StartingPoint) -> None:
        self.text.setText(f"Starting from the end of task “{formatting.first_line(point.prompt, 120)}”")
        self.show()


class PromptEdit(QPlainTextEdit):
    """Multi-line; Ctrl+Enter runs, Ctrl+Shift+Enter follows up, Enter is a new line.

    Signals:
        run_pressed(): Ctrl+Enter.
        follow_up_pressed(): Ctrl+Shift+Enter.
    """

    run_pressed = Signal()
    follow_up_pressed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PromptEdit")
        self.setTabChangesFocus(True)  # Tab moves on to the buttons; prompts rarely need tabs
        self.setAccessibleName("Task prompt")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # The window's actions normally take these as shortcuts first; this is
        # for a prompt box used on its own.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.follow_up_pressed.emit()
            else:
                self.run_pressed.emit()
            return
        super().keyPressEvent(event)


class PromptPanel(QWidget):
    """Where a task is asked for.

    Signals:
        run_requested(PromptSubmitted): run the text as a new task.
        follow_up_requested(PromptSubmitted): continue the selected task with the text.
        cancel_requested(): stop the selected task.
    """

    run_requested = Signal(object)
    follow_up_requested = Signal(object)
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PromptPanel")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.edit = PromptEdit()
        self.edit.setPlaceholderText(
            "Describe a task for Claude in this workspace, e.g. “Fix the failing tests in tests/api and explain the cause”"
        )
        self.edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 18)
        self.start_strip = StartFromStrip()
        self.start_strip.cancelled.connect(self.end_start_from)
        self.start_strip.hide()
        self._start_from: StartingPoint | None = None
        self.hint = ElidedLabel("Ctrl+Enter to run  ·  Ctrl+Shift+Enter to follow up", "Hint",
                                all_or_nothing=True)
        self.cancel_button = button("Cancel", "Danger", "stop")
        self.cancel_button.setToolTip("Stop the selected task (Esc)")
        self.follow_button = button("Follow up", "Secondary", "reply")
        self.follow_button.setToolTip("Continue the selected task's conversation with this prompt (Ctrl+Shift+Enter)")
        self.run_button = button("Run", "Primary", "play")
        self.run_button.setToolTip("Run the prompt as a new task (Ctrl+Enter)")
        row = QHBoxLayout()
        row.setSpacing(8)
        row.addWidget(self.hint, 1)
        row.addWidget(self.cancel_button)
        row.addWidget(self.follow_button)
        row.addWidget(self.run_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 12)
        layout.setSpacing(8)
        layout.addWidget(self.start_strip)
        layout.addWidget(self.edit)
        layout.addLayout(row)
        self._can_run = self._can_follow = self._can_cancel = self._can_type = False
        self.run_button.clicked.connect(self.submit_run)
        self.follow_button.clicked.connect(self.submit_follow_up)
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.edit.run_pressed.connect(self.submit_run)
        self.edit.follow_up_pressed.connect(self.submit_follow_up)
        self.edit.textChanged.connect(self._sync)
        self._sync()

    def set_context(self, can_run: bool, can_follow_up: bool, can_cancel: bool, placeholder: str = "",
                    can_type: bool | None = None) -> None:
        """What the selection allows; an empty box disables Run and Follow up on its own.
        ``can_type``: the box stays editable (say, while the engine starts) even if Run is not allowed."""
        self._can_run, self._can_follow, self._can_cancel = can_run, can_follow_up, can_cancel
        self._can_type = can_run or can_follow_up if can_type is None else can_type
        if placeholder:
            self.edit.setPlaceholderText(placeholder)
        self._sync()

    def text(self) -> str:
        return self.edit.toPlainText().strip()

    @property
    def start_from(self) -> StartingPoint | None:
        return self._start_from

    def begin_start_from(self, point: StartingPoint) -> None:
        """The next Run starts from ``point``'s end state, until it runs or the mode is left."""
        self._start_from = point
        self.start_strip.show_point(point)
        self.run_button.setToolTip("Run the prompt as a new task that starts from that task's end state "
                                   "(Ctrl+Enter)")
        self.edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def end_start_from(self) -> None:
        self._start_from = None
        self.start_strip.hide()
        self.run_button.setToolTip("Run the prompt as a new task (Ctrl+Enter)")

    def submit_run(self) -> None:
        if self.run_button.isEnabled():
            point = self._start_from
            self.run_requested.emit(PromptSubmitted(self.text(), point.task_id if point else None))
            self.edit.clear()
            self.end_start_from()

    def submit_follow_up(self) -> None:
        if self.follow_button.isEnabled():
            self.follow_up_requested.emit(PromptSubmitted(self.text()))
            self.edit.clear()

    def _sync(self) -> None:
        has_text = bool(self.text())
        self.run_button.setEnabled(self._can_run and has_text)
        self.follow_button.setEnabled(self._can_follow and has_text)
        self.cancel_button.setEnabled(self._can_cancel)
        self.edit.setEnabled(self._can_type)
