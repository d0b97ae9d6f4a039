"""The frame every request card shares: what is asked (icon, title, the tool),
the target and the agent's words, a body of its own kind, a row of buttons.

Keyboard: Tab walks the card's fields and buttons; Enter presses the focused
button, or the card's default (Allow once, Approve plan, Answer, Send) from
anywhere else in it; Enter in the "why" field denies; Esc goes to that field,
and from it (empty) back to the default button.

Everything shown came from the agent: plain-text labels only, made visible
and bounded before it gets here (``preview``, ``visible``).

Signals:
    answered(AnswerGiven | MessageGiven): the person answered; the card waits
    (its buttons off) until the request is gone or the answer failed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.approvals import PendingRequest
from desktop.domain.review import visible
from desktop.ui.bridge.approval_payloads import AnswerGiven
from desktop.ui.look import icons, theme
from desktop.ui.look.widgets import Chip, icon_label, plain_label

MAX_MESSAGE = 4000  # what the services accept as a deny's reason
WHY = "Tell the agent why (optional)"


class RequestCard(QFrame):
    answered = Signal(object)

    icon_name = "shield"
    shows_tool = False  # the tool's name as a chip (a permission's; a plan's or question's is internal)

    def __init__(self, request: PendingRequest, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.request = request
        self.setObjectName("RequestCard")
        self.setAccessibleName(f"The agent asks: {title}")
        self.default_button: QPushButton | None = None
        self.why: QLineEdit | None = None
        self.deny_button: QPushButton | None = None
        self._buttons: list[QPushButton] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(14, 10, 14, 12)
        self._layout.setSpacing(6)
        head = QHBoxLayout()
        head.setSpacing(8)
        head.addWidget(icon_label(icons.icon(self.icon_name, "info"), 18))
        self.title = plain_label(title, "CardTitle", wrap=True)
        head.addWidget(self.title, 1)
        if request.tool and self.shows_tool:
            self.tool_chip = Chip("", "info")
            self.tool_chip.setTextFormat(Qt.TextFormat.PlainText)  # the agent names its tools
            self.tool_chip.setText(visible(request.tool)[:60])
            head.addWidget(self.tool_chip, 0, Qt.AlignmentFlag.AlignTop)
        self._layout.addLayout(head)
        self.status = plain_label("", "Muted")
        self.status.hide()

    # -- building, for the kinds of card -------------------------------------

    def add_line(self, text: str, name: str = "Muted", mono: bool = False) -> QLabel:
        label = plain_label(text, name, wrap=True, selectable=True)
        if mono:
            label.setObjectName("CardTarget")
            label.setFont(theme.mono_font())
        self._layout.addWidget(label)
        return label

    def add_widget(self, widget: QWidget, stretch: int = 0) -> None:
        self._layout.addWidget(widget, stretch)

    def add_button(self, text: str, role: str, slot, default: bool = False) -> QPushButton:  # noqa: ANN001
        widget = QPushButton(text)
        widget.setObjectName(role)
        widget.clicked.connect(slot)
        widget.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self._buttons.append(widget)
        if default:
            self.default_button = widget
        return widget

    def why_field(self, placeholder: str = WHY) -> QLineEdit:
        self.why = QLineEdit(objectName="AnswerField", placeholderText=placeholder)
        self.why.setMaxLength(MAX_MESSAGE)
        self.why.setAccessibleName(placeholder)
        self.why.setClearButtonEnabled(True)
        self.why.returnPressed.connect(self.deny)
        return self.why

    def add_row(self, *items: QWidget | int) -> QHBoxLayout:
        """A row of widgets; an int is a stretch."""
        row = QHBoxLayout()
        row.setSpacing(8)
        for item in items:
            if isinstance(item, int):
                row.addStretch(item)
            else:
                row.addWidget(item, 1 if isinstance(item, QLineEdit) else 0)
        self._layout.addLayout(row)
        return row

    def finish(self) -> None:
        self._layout.addWidget(self.status)

    def focus_chain(self) -> list[QWidget]:
        """The card's widgets in the order Tab reaches them."""
        return [w for w in self.findChildren(QWidget) if w.focusPolicy() & Qt.FocusPolicy.TabFocus]

    # -- answering ----------------------------------------------------------

    def allow(self, always: bool = False) -> None:
        self._answer(AnswerGiven(self.request.task_id, self.request.request_id, True, always=always,
                                 tool=self.request.tool))

    def deny(self) -> None:
        message = self.why.text().strip() if self.why is not None else ""
        self._answer(AnswerGiven(self.request.task_id, self.request.request_id, False, message=message or None,
                                 tool=self.request.tool))

    def _answer(self, answer: object) -> None:
        if self.busy:
            return
        self.set_busy(True)
        self.answered.emit(answer)

    @property
    def busy(self) -> bool:
        return bool(self.property("busy"))

    def set_busy(self, busy: bool, note: str = "Sending your answer…") -> None:
        """While an answer travels nothing can be pressed twice; a failed one gives the card back."""
        self.setProperty("busy", busy)
        for widget in [*self.findChildren(QAbstractButton), *self.findChildren(QLineEdit)]:
            widget.setEnabled(not busy)
        self.status.setText(note if busy else "")
        self.status.setVisible(busy)
        if not busy:
            self.sync()

    def sync(self) -> None:
        """Buttons enabled as the card's fields allow (an answer chosen, a message typed)."""

    # -- keyboard -----------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        focus = self.focusWidget()
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if focus is not None and focus is self.why:
                return  # the field's own Enter denies
            if isinstance(focus, QPushButton) and focus in self._buttons:
                focus.click()
            elif self.default_button is not None and self.default_button.isEnabled():
                self.default_button.click()
            return
        if key == Qt.Key.Key_Escape and self.why is not None:
            if focus is self.why and not self.why.text() and self.default_button is not None:
                self.default_button.setFocus(Qt.FocusReason.ShortcutFocusReason)
            else:
                self.why.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return
        super().keyPressEvent(event)
