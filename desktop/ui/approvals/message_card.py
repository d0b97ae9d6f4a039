"""The person stopped the agent's turn: it waits for their message. A field
and Send here; the prompt box under the transcript works too."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QWidget

from desktop.domain.approvals import PendingRequest
from desktop.ui.approvals.card import RequestCard
from desktop.ui.bridge.approval_payloads import MessageGiven

MAX_MESSAGE = 100_000


class MessageCard(RequestCard):
    icon_name = "reply"

    def __init__(self, request: PendingRequest, parent: QWidget | None = None) -> None:
        super().__init__(request, "The agent stopped and waits for your message", parent)
        self.add_line("Say how to go on. The prompt box below works too.")
        self.text = QLineEdit(objectName="AnswerField", placeholderText="Your message to the agent")
        self.text.setAccessibleName("Your message to the agent")
        self.text.setMaxLength(MAX_MESSAGE)
        self.text.textChanged.connect(lambda *_: self.sync())
        self.send_button = self.add_button("Send", "Primary", self.send, default=True)
        self.add_row(self.text, self.send_button)
        self.finish()
        self.sync()

    def sync(self) -> None:
        if not self.busy:
            self.send_button.setEnabled(bool(self.text.text().strip()))

    def send(self) -> None:
        text = self.text.text().strip()
        if text:
            self._answer(MessageGiven(self.request.task_id, self.request.request_id, text))
