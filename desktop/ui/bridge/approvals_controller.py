"""Answering what a running agent asks, through ``app.tasks``: the waiting
requests of a task (``pending``), allow, deny, a message after a stopped turn.

Each call runs on a worker (``Calls``). Loads are numbered per task: only the
answer of the latest load is shown, so a slow early one never brings back a
card that a later one removed. An answer that comes too late (someone, or
the time-out, answered first) is a ``Conflict``: not a failure to show, just
a reason to load again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from desktop.services.errors import Conflict
from desktop.ui.bridge import service_mapping as cm
from desktop.ui.bridge.approval_payloads import AnswerGiven, AnswerRefused, MessageGiven, RequestsLoaded
from desktop.ui.bridge.calls import Calls
from desktop.ui.bridge.payloads import OperationFailed

if TYPE_CHECKING:
    from desktop.domain.approvals import PendingRequest
    from desktop.services.app import App

ANSWER = "Answer the agent"
SEND = "Send the message"


class ApprovalsController(QObject):
    """Signals:
        requests_loaded(RequestsLoaded): what a task's agent waits for now.
        answer_refused(AnswerRefused): an answer did not go through (the card is given back).
        operation_failed(OperationFailed): one that failed for a reason worth telling.
    """

    requests_loaded = Signal(object)
    answer_refused = Signal(object)
    operation_failed = Signal(object)

    def __init__(self, app: App, calls: Calls, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._app = app
        self._calls = calls
        self._loads: dict[str, int] = {}  # task id -> number of the latest load

    def load(self, task_id: str) -> None:
        number = self._loads[task_id] = self._loads.get(task_id, 0) + 1

        def done(requests: list[PendingRequest]) -> None:
            if self._loads.get(task_id) == number:
                self.requests_loaded.emit(RequestsLoaded(task_id, tuple(requests)))

        self._calls.run("Load what the agent asks", self._app.tasks.pending, task_id, then=done, quiet=True)

    def answer(self, given: AnswerGiven) -> None:
        tasks = self._app.tasks
        if given.allow:
            fn, kwargs = tasks.approve, {"always": given.always, "answers": dict(given.answers) or None}
        else:
            fn, kwargs = tasks.deny, {"message": given.message}
        self._calls.run(ANSWER, fn, given.task_id, given.request_id, **kwargs, quiet=True,
                        then=lambda _decided: self.load(given.task_id),
                        failed_error=lambda error: self._refused(given.task_id, given.request_id, ANSWER, error))

    def say(self, given: MessageGiven) -> None:
        self._calls.run(SEND, self._app.tasks.say, given.task_id, given.text, quiet=True,
                        then=lambda _task: self.load(given.task_id),
                        failed_error=lambda error: self._refused(given.task_id, given.request_id, SEND, error))

    def _refused(self, task_id: str, request_id: str, action: str, error: Exception) -> None:
        already = isinstance(error, Conflict)
        message = cm.error_text(error)
        self.answer_refused.emit(AnswerRefused(task_id, request_id, message, already))
        if not already:
            self.operation_failed.emit(OperationFailed(action, message))
        self.load(task_id)
