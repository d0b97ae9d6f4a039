"""The agent's questions (AskUserQuestion): each with its options as radio
buttons (check boxes when several may be chosen) and an "Other" field for an
answer of the person's own; Answer sends {question: label or text}.

The questions are the agent's: shown made visible and bounded, answered
under the question's own text (that is how the agent matches them).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.approvals import PendingRequest, Question, questions_of
from desktop.ui.approvals.card import RequestCard
from desktop.ui.bridge.approval_payloads import AnswerGiven
from desktop.ui.look import theme
from desktop.ui.look.widgets import plain_label
from desktop.ui.transcript.talk import one_line

MAX_QUESTIONS = 8
MAX_OPTIONS = 12
OPTION_CHARS = 200
OTHER = "Other"


class QuestionBlock(QWidget):
    """One question: its header and text, its options, "Other" with a field."""

    def __init__(self, question: Question, notes: dict[str, str] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.question = question
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 4, 0, 2)
        box.setSpacing(3)
        if question.header:
            box.addWidget(plain_label(one_line(question.header, 80).upper(), "SectionTitle"))
        box.addWidget(plain_label(one_line(question.question, 1000), "Title", selectable=True))
        kind = QCheckBox if question.multi_select else QRadioButton
        self.group = QButtonGroup(self)
        self.group.setExclusive(not question.multi_select)
        self.options: list[tuple[QAbstractButton, str]] = []
        for label in question.options[:MAX_OPTIONS]:
            note = (notes or {}).get(label, "")
            shown = one_line(label, OPTION_CHARS) + (f" — {one_line(note, OPTION_CHARS)}" if note else "")
            choice = kind(shown)  # a button's text is never rich text
            self.group.addButton(choice)
            self.options.append((choice, label))
            box.addWidget(choice)
        self.other = kind(OTHER)
        self.group.addButton(self.other)
        self.other_text = QLineEdit(objectName="AnswerField", placeholderText="Your own answer")
        self.other_text.setAccessibleName(f"Your own answer to: {one_line(question.question, 200)}")
        self.other_text.setMaxLength(2000)
        # Typing an answer of one's own chooses "Other".
        self.other_text.textEdited.connect(lambda text: self.other.setChecked(bool(text.strip()) or self.other.isChecked()))
        row = QHBoxLayout()
        row.setSpacing(8)
        row.addWidget(self.other)
        row.addWidget(self.other_text, 1)
        box.addLayout(row)
        self._outline()

    def _outline(self) -> None:
        # Fusion draws a box's outline in the window colour, darkened: in the
        # dark theme that is the card's own colour. The muted colour reads in both.
        for button in self.group.buttons():
            palette = button.palette()
            palette.setColor(QPalette.ColorRole.Window, theme.current().q("muted"))
            button.setPalette(palette)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._outline()

    def answer(self) -> str | None:
        """The chosen labels (", " between several), the own text, or None when nothing is chosen."""
        chosen = [label for button, label in self.options if button.isChecked()]
        own = self.other_text.text().strip()
        if self.other.isChecked():
            if not own:
                return None
            chosen.append(own)
        return ", ".join(chosen) if chosen else None


class QuestionCard(RequestCard):
    icon_name = "help"

    def __init__(self, request: PendingRequest, parent: QWidget | None = None) -> None:
        questions = questions_of(request.input)[:MAX_QUESTIONS]
        title = "The agent asks you" if len(questions) <= 1 else f"The agent asks you {len(questions)} questions"
        super().__init__(request, title, parent)
        notes = option_notes(request.input)
        self.blocks = [QuestionBlock(q, notes.get(q.question)) for q in questions]
        for block in self.blocks:
            self.add_widget(block)
            block.group.buttonToggled.connect(lambda *_: self.sync())
            block.other_text.textChanged.connect(lambda *_: self.sync())
        if not self.blocks:
            self.add_line("The agent's question could not be read: decline it, saying what you want.")
        self.answer_button = self.add_button("Answer", "Primary", self.send, default=True)
        self.deny_button = self.add_button("Decline", "Secondary", self.deny)
        self.add_row(self.answer_button, self.why_field("Why not? (optional)"), self.deny_button)
        self.finish()
        self.sync()

    def answers(self) -> dict[str, str] | None:
        """{question as the agent wrote it: answer}, or None while one is unanswered."""
        found = {}
        for block in self.blocks:
            answer = block.answer()
            if answer is None:
                return None
            found[block.question.question] = answer
        return found or None

    def sync(self) -> None:
        if not self.busy:
            self.answer_button.setEnabled(self.answers() is not None)

    def send(self) -> None:
        answers = self.answers()
        if answers is None:
            return
        self._answer(AnswerGiven(self.request.task_id, self.request.request_id, True, answers=answers,
                                 tool=self.request.tool))


def option_notes(data: dict) -> dict[str, dict[str, str]]:
    """{question: {label: description}}: what the agent says of each option, where it says it."""
    found: dict[str, dict[str, str]] = {}
    raw = data.get("questions")
    for item in raw if isinstance(raw, list) else []:
        if isinstance(item, dict) and isinstance(item.get("question"), str) and isinstance(item.get("options"), list):
            found[item["question"]] = {o["label"]: o["description"] for o in item["options"] if isinstance(o, dict)
                                       and isinstance(o.get("label"), str) and isinstance(o.get("description"), str)}
    return found
