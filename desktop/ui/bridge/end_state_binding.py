"""Connects what is done with a finished task's end state: compare it with
another task's (pick one, then read the difference in a window of its own)
and start a new task from it (the prompt box's mode, then Run).

Flow only: which tasks may be compared is what the task list shows (the
finished tasks of the same workspace); the services check it again.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from desktop.ui.bridge.controller import Controller
from desktop.ui.bridge.payloads import Compared, TaskRef
from desktop.ui.dialogs.dialog_host import DialogHost
from desktop.ui.look import formatting
from desktop.ui.window.main_window import MainWindow


def comparison_title(first_prompt: str, second_prompt: str) -> str:
    """“Task A” → “Task B”, by their prompts."""
    return f"“{formatting.first_line(first_prompt, 60)}” → “{formatting.first_line(second_prompt, 60)}”"


class EndStateBinding(QObject):
    def __init__(self, window: MainWindow, controller: Controller, dialogs: DialogHost) -> None:
        super().__init__(window)
        self.w = window
        self.c = controller
        self.d = dialogs
        self._prompts: dict[str, str] = {}  # task id → prompt, for the comparison's title
        window.compare_requested.connect(self.pick_comparison)
        window.start_from_requested.connect(controller.start_from)
        controller.review.compared.connect(self._compared)

    def pick_comparison(self, ref: TaskRef) -> None:
        """The person asked to compare ``ref``'s end state: offer the other finished tasks."""
        model = self.w.tasks.model
        row = model.row_of(ref.task_id)
        if row < 0:
            return
        first = model.task(row)
        others = [t for t in self.w.tasks.finished_tasks(but=first.id) if t.workspace_id == first.workspace_id]
        self._prompts.update({t.id: t.prompt for t in (first, *others)})
        self.d.open_compare_picker(first, others)

    def _compared(self, compared: Compared) -> None:
        first, second = compared.request.first, compared.request.second
        title = comparison_title(self._prompts.get(first, f"task {first}"), self._prompts.get(second, f"task {second}"))
        self.d.open_comparison(compared, title)
