"""Talking with running tasks: the prompt panel's Send and Stop turn, how many
tasks wait on the person, or for review of their change (the window's title,
the tray), and the notice when a task starts waiting on them.

A notice that a task needs the person goes out unless they are looking at that
very task (its card is in front of them), and only when notifications are on;
it is taken back once nothing of that task waits any more.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject

from desktop.ui.bridge import controller as ctl
from desktop.ui.bridge.attention import InputRequested
from desktop.ui.bridge.payloads import MessageRequested, ReviewChanged, RunningChanged, TaskRef
from desktop.ui.bridge.viewdata import SettingsValues
from desktop.ui.notify.notices import needs_input_notice
from desktop.ui.notify.tray import Tray
from desktop.ui.window.main_window import MainWindow


class TalkBinding(QObject):
    def __init__(self, window: MainWindow, controller: ctl.Controller, tray: Tray,
                 settings: Callable[[], SettingsValues]) -> None:
        super().__init__(window)
        self.w = window
        self.c = controller
        self.tray = tray
        self._settings = settings
        window.stop_turn_requested.connect(controller.stop_turn)
        window.message_requested.connect(self._send)
        controller.running_changed.connect(self._running_changed)
        controller.review_changed.connect(self._review_changed)
        controller.attention.input_requested.connect(self._input_requested)
        controller.attention.input_settled.connect(self._input_settled)

    def _send(self, request: MessageRequested) -> None:
        def failed(_message: str) -> None:  # the banner says why; the text is not lost
            shown = self.w.shown_task
            if shown is not None and shown.id == request.task_id:
                self.w.prompt.put_back(request.text)

        self.c.say(request, failed=failed)

    def _running_changed(self, running: RunningChanged) -> None:
        self.w.set_needing_count(sum(t.needs_input for t in running.tasks))

    def _review_changed(self, changed: ReviewChanged) -> None:
        self.w.set_review_count(len(changed.tasks))
        self.tray.set_to_review(list(changed.tasks), self.c.workspace_names())

    def _input_requested(self, asked: InputRequested) -> None:
        task = asked.task
        if not self._settings().notifications:
            return
        shown = self.w.shown_task
        if self.w.isVisible() and self.w.isActiveWindow() and shown is not None and shown.id == task.id:
            return  # the person is looking at this very task: its card asks them already
        ws = self.c.workspaces.get(task.workspace_id)
        self.tray.notify(needs_input_notice(task, asked.request, ws.name if ws else "a workspace"))

    def _input_settled(self, ref: TaskRef) -> None:
        self.tray.withdraw(ref.task_id)
