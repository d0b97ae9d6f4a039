"""The cards of what the shown task's agent waits for, docked under its
transcript while they wait (the transcript's own rows record each request
and its answer).

``show_requests`` is given the waiting requests as the services have them;
cards of requests still waiting are kept as they are (a half-typed reason
survives a reload), the others go. The dock is at most ``MAX_SHARE`` of the
page's height and scrolls beyond.

Signals:
    answer_given(AnswerGiven): allow or deny a request, or answer its questions.
    message_given(MessageGiven): a message for an agent whose turn was stopped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QApplication, QFrame, QScrollArea, QVBoxLayout, QWidget

from desktop.domain.approvals import PendingRequest, RequestKind
from desktop.ui.bridge.approval_payloads import AnswerGiven

if TYPE_CHECKING:
    from desktop.ui.approvals.card import RequestCard

MAX_SHARE = 0.6


def card_for(request: PendingRequest) -> RequestCard:
    # Imported on first use: the window's first paint does not wait for them.
    from desktop.ui.approvals.message_card import MessageCard
    from desktop.ui.approvals.permission_card import PermissionCard
    from desktop.ui.approvals.plan_card import PlanCard
    from desktop.ui.approvals.question_card import QuestionCard

    cards = {RequestKind.PERMISSION: PermissionCard, RequestKind.PLAN: PlanCard,
             RequestKind.QUESTION: QuestionCard, RequestKind.MESSAGE: MessageCard}
    return cards.get(request.kind, PermissionCard)(request)


class ApprovalDock(QFrame):
    answer_given = Signal(object)
    message_given = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ApprovalDock")
        self.task_id: str | None = None
        self.cards: dict[str, RequestCard] = {}  # request id -> card, oldest first
        self._after: QWidget | None = None  # Tab goes from it to the first card
        self._limit = 400
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.content = QWidget(objectName="ApprovalCards")
        self._column = QVBoxLayout(self.content)
        self._column.setContentsMargins(12, 10, 12, 10)
        self._column.setSpacing(10)
        self.scroll.setWidget(self.content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll)
        self.hide()

    def tab_after(self, widget: QWidget) -> None:
        """Tab from ``widget`` (the transcript) reaches the cards first."""
        self._after = widget

    def clear(self) -> None:
        self.task_id = None
        self._set({})

    def show_requests(self, task_id: str, requests: list[PendingRequest]) -> None:
        if task_id != self.task_id:
            self.task_id = task_id
            self._set({})
        waiting = {r.request_id: r for r in requests if r.waiting and r.task_id == task_id}
        self._set(waiting)

    def answer_failed(self, request_id: str) -> None:
        card = self.cards.get(request_id)
        if card is not None:
            card.set_busy(False)

    def _set(self, waiting: dict[str, PendingRequest]) -> None:
        focus = QApplication.focusWidget()
        had_focus = focus is not None and self.isAncestorOf(focus)
        for request_id in [r for r in self.cards if r not in waiting]:
            card = self.cards.pop(request_id)
            card.hide()
            card.deleteLater()
        for request_id, request in waiting.items():
            if request_id not in self.cards:
                card = card_for(request)
                card.answered.connect(self._answered)
                self._column.addWidget(card)
                self.cards[request_id] = card
        self.setVisible(bool(self.cards))
        self._chain_tabs()
        self._fit()
        focus = QApplication.focusWidget()
        if had_focus and (focus is None or not self.isAncestorOf(focus)):
            # The answered card had the keyboard: the next card gets it, else the transcript.
            if self.cards:
                self._focus_first()
            elif self._after is not None:
                self._after.setFocus(Qt.FocusReason.OtherFocusReason)

    def _answered(self, answer: object) -> None:
        (self.answer_given if isinstance(answer, AnswerGiven) else self.message_given).emit(answer)

    def _chain_tabs(self) -> None:
        if self._after is None:
            return
        previous = self._after
        for card in self.cards.values():
            for widget in card.focus_chain():
                QWidget.setTabOrder(previous, widget)
                previous = widget

    def _focus_first(self) -> None:
        card = next(iter(self.cards.values()))
        target = card.default_button or (card.focus_chain() or [card])[0]
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- size ---------------------------------------------------------------

    def set_limit(self, page_height: int) -> None:
        self._limit = max(160, int(page_height * MAX_SHARE))
        self._fit()

    def _fit(self) -> None:
        if not self.cards:
            return
        layout = self.content.layout()
        # The content is as wide as the dock (no frame, no horizontal bar); the viewport may not know yet.
        width = self.width()
        needed = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else layout.totalSizeHint().height()
        self.setFixedHeight(min(self._limit, needed + 2))

    def resizeEvent(self, event) -> None:  # noqa: ANN001
        super().resizeEvent(event)
        self._fit()
