"""The prompt box and its buttons under the transcript: Run, Follow up and Cancel,
and while the shown task runs, Send and Stop turn.

"New task from here…" puts the box in a mode of its own: a strip above it
says which task's end state the next Run starts from, with a button that
leaves the mode (Run then starts from the workspace's folder again).

While the shown task runs, the box talks to its agent: Run reads "Send" and
sends the text into the running task, and "Stop turn" stops the agent's
current turn (it then waits for a message; the task goes on). Cancel still
ends the task.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from desktop.ui.look import icons
from desktop.ui.look.widgets import ElidedLabel, button
from desktop.ui.window.prompt_parts import ModeChoice, PromptEdit, PromptSubmitted, StartFromStrip, StartingPoint

RUN_TIP = "Run the prompt as a new task (Ctrl+Enter)"
SEND_TIP = ("Send the text to the running agent: it reads it once its current step is done, "
            "or at once after Stop turn (Ctrl+Enter)")
STOP_TURN_TIP = ("Stop the agent's current turn: it stops what it is doing and waits for your message. "
                 "The task, its container and its session stay; Cancel ends the task.")
CANCEL_TIP = "End the selected task: the agent stops for good and its changes so far are kept for review (Esc)"
RUN_HINT = "Ctrl+Enter to run  ·  Ctrl+Shift+Enter to follow up"
SEND_HINT = "Ctrl+Enter to send to the running agent"

__all__ = ["PromptPanel", "PromptSubmitted", "StartingPoint"]


class PromptPanel(QWidget):
    """Where a task is asked for, and where a running one is talked to.

    Signals:
        run_requested(PromptSubmitted): run the text as a new task.
        follow_up_requested(PromptSubmitted): continue the selected task with the text.
        cancel_requested(): end the selected task.
        message_requested(PromptSubmitted): send the text to the selected running task's agent.
        stop_turn_requested(): stop the selected running task's current turn.
    """

    run_requested = Signal(object)
    follow_up_requested = Signal(object)
    cancel_requested = Signal()
    message_requested = Signal(object)
    stop_turn_requested = Signal()

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
        self.hint = ElidedLabel(RUN_HINT, "Hint", all_or_nothing=True)
        self.mode = ModeChoice()
        self.stop_turn_button = button("Stop turn", "Secondary", "pause")
        self.stop_turn_button.setToolTip(STOP_TURN_TIP)
        self.stop_turn_button.hide()
        self.cancel_button = button("Cancel", "Danger", "stop")
        self.cancel_button.setToolTip(CANCEL_TIP)
        self.follow_button = button("Follow up", "Secondary", "reply")
        self.follow_button.setToolTip("Continue the selected task's conversation with this prompt (Ctrl+Shift+Enter)")
        self.run_button = button("Run", "Primary", "play")
        self.run_button.setToolTip(RUN_TIP)
        # In a narrow window these three show their icon only (their tooltip and
        # accessible name keep the words); Run keeps its word always.
        self._worded = {b: b.text() for b in (self.stop_turn_button, self.cancel_button, self.follow_button)}
        for b, text in self._worded.items():
            b.setAccessibleName(text)
            b.setText("")
            b.setMinimumWidth(b.sizeHint().width())  # its icon, whole
            b.setText(text)
        self._compact = False
        self._word_widths: dict[object, int] = {}  # each one's width with its word, measured while it had it
        row = QHBoxLayout()
        row.setSpacing(8)
        row.addWidget(self.hint, 1)
        row.addWidget(self.mode)
        row.addWidget(self.stop_turn_button)
        row.addWidget(self.cancel_button)
        row.addWidget(self.follow_button)
        row.addWidget(self.run_button)
        self._row = row
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 12)
        layout.setSpacing(8)
        layout.addWidget(self.start_strip)
        layout.addWidget(self.edit)
        layout.addLayout(row)
        self._can_run = self._can_follow = self._can_cancel = self._can_type = self._talking = False
        self.run_button.clicked.connect(self.submit_run)
        self.follow_button.clicked.connect(self.submit_follow_up)
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.stop_turn_button.clicked.connect(self.stop_turn_requested)
        self.edit.run_pressed.connect(self.submit_run)
        self.edit.follow_up_pressed.connect(self.submit_follow_up)
        self.edit.textChanged.connect(self._sync)
        self._sync()

    def set_context(self, can_run: bool, can_follow_up: bool, can_cancel: bool, placeholder: str = "",
                    can_type: bool | None = None, talking: bool = False) -> None:
        """What the selection allows; an empty box disables Run and Follow up on its own.
        ``can_type``: the box stays editable (say, while the engine starts) even if Run is not allowed.
        ``talking``: the shown task runs and its agent can be reached: Run sends, Stop turn is offered."""
        self._can_run, self._can_follow, self._can_cancel = can_run, can_follow_up, can_cancel
        self._talking = talking
        self._can_type = can_run or can_follow_up or talking if can_type is None else can_type or talking
        if placeholder:
            self.edit.setPlaceholderText(placeholder)
        self._sync()

    def text(self) -> str:
        return self.edit.toPlainText().strip()

    @property
    def start_from(self) -> StartingPoint | None:
        return self._start_from

    @property
    def sends(self) -> bool:
        """Whether Run sends the text to the running task (rather than run a new one)."""
        return self._talking and self._start_from is None

    def begin_start_from(self, point: StartingPoint) -> None:
        """The next Run starts from ``point``'s end state, until it runs or the mode is left."""
        self._start_from = point
        self.start_strip.show_point(point)
        self._sync()
        self.edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def end_start_from(self) -> None:
        self._start_from = None
        self.start_strip.hide()
        self._sync()

    def submit_run(self) -> None:
        if not self.run_button.isEnabled():
            return
        if self.sends:
            self.message_requested.emit(PromptSubmitted(self.text()))
            self.edit.clear()
            return
        point = self._start_from
        self.run_requested.emit(PromptSubmitted(self.text(), point.task_id if point else None, self.mode.mode()))
        self.edit.clear()
        self.mode.set_mode(None)  # a mode picked for one task is not the next one's unasked
        self.end_start_from()

    def submit_follow_up(self) -> None:
        if self.follow_button.isEnabled():
            self.follow_up_requested.emit(PromptSubmitted(self.text(), permission_mode=self.mode.mode()))
            self.edit.clear()
            self.mode.set_mode(None)

    def put_back(self, text: str) -> None:
        """A message that could not be sent comes back into an empty box, so it is not lost."""
        if not self.text():
            self.edit.setPlainText(text)

    def _sync(self) -> None:
        has_text = bool(self.text())
        sends = self.sends
        self.run_button.setText("Send" if sends else "Run")
        self.run_button.setIcon(icons.icon("send" if sends else "play", "on_accent"))
        self.run_button.setToolTip(SEND_TIP if sends else
                                   "Run the prompt as a new task that starts from that task's end state (Ctrl+Enter)"
                                   if self._start_from else RUN_TIP)
        self.hint.setText(SEND_HINT if sends else RUN_HINT)
        self.run_button.setEnabled((self._talking if sends else self._can_run) and has_text)
        self.follow_button.setEnabled(self._can_follow and has_text)
        self.cancel_button.setEnabled(self._can_cancel)
        self.stop_turn_button.setVisible(self._talking)
        self.stop_turn_button.setEnabled(self._talking)
        self.mode.setVisible(not sends)  # a running task keeps the mode it started with
        self.mode.setEnabled(self._can_run or self._can_follow)
        self.edit.setEnabled(self._can_type)
        self._fit_row()

    def resizeEvent(self, event) -> None:  # noqa: ANN001 - QResizeEvent
        super().resizeEvent(event)
        self._fit_row()

    def _fit_row(self) -> None:
        if not self._compact:
            self._word_widths = {b: b.sizeHint().width() for b in self._worded}
        shown = [w for w in (self.mode, *self._worded, self.run_button) if not w.isHidden()]
        widths = [self._word_widths.get(w, w.sizeHint().width()) for w in shown]
        margins = self.layout().contentsMargins()
        need = sum(widths) + self._row.spacing() * len(shown) + margins.left() + margins.right()
        compact = self.width() < need
        if compact != self._compact:
            self._compact = compact
            for b, text in self._worded.items():
                b.setText("" if compact else text)
