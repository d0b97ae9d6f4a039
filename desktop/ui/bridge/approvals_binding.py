"""Connects the cards under the transcript to the approvals controller: the
shown task's waiting requests are loaded when it is shown, again whenever a
request or a decision arrives in its stream (from this window, another one,
the CLI or the time-out), and whenever its count of waiting requests moves.

Flow only: what may be answered, and how, is the services' to say.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from desktop.domain import EventKind
from desktop.ui.bridge.approval_payloads import AnswerRefused, RequestsLoaded
from desktop.ui.bridge.controller import Controller
from desktop.ui.bridge.payloads import EventsArrived, TaskChanged
from desktop.ui.window.main_window import MainWindow

TALK = (EventKind.REQUEST, EventKind.DECISION)


class ApprovalsBinding(QObject):
    def __init__(self, window: MainWindow, controller: Controller) -> None:
        super().__init__(window)
        self.w = window
        self.dock = window.pages.approvals
        self.approvals = controller.approvals
        self.dock.answer_given.connect(self.approvals.answer)
        self.dock.message_given.connect(self.approvals.say)
        self.approvals.requests_loaded.connect(self._loaded)
        self.approvals.answer_refused.connect(self._refused)
        self.approvals.operation_failed.connect(controller.operation_failed)
        controller.events_arrived.connect(self._events)
        controller.task_changed.connect(self._task_changed)

    def _shown(self, task_id: str) -> bool:
        shown = self.w.shown_task
        return shown is not None and shown.id == task_id

    def _events(self, arrived: EventsArrived) -> None:
        if arrived.view != "main" or not self._shown(arrived.task_id):
            return
        if arrived.replace or any(event.kind in TALK for event in arrived.events):
            self.approvals.load(arrived.task_id)

    def _task_changed(self, changed: TaskChanged) -> None:
        task = changed.task
        if self._shown(task.id) and (self.dock.task_id != task.id or task.waiting != len(self.dock.cards)):
            self.approvals.load(task.id)

    def _loaded(self, loaded: RequestsLoaded) -> None:
        if self._shown(loaded.task_id):
            self.dock.show_requests(loaded.task_id, list(loaded.requests))

    def _refused(self, refused: AnswerRefused) -> None:
        if self._shown(refused.task_id):
            self.dock.answer_failed(refused.request_id)
