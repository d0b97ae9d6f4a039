"""What the prompt panel's buttons mean for the shown task and workspace.

The panel says "run this", "send this", "stop the turn"; this decides what
that is about (the selected workspace, the shown task, the task a new one
starts from), asks before ending a task, and keeps the panel's buttons in
step with the selection and the engine. It speaks through the window's
signals; the window stays the one thing the binding listens to.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from desktop.domain import Task, TaskState
from desktop.ui.bridge.payloads import (
    FollowUpRequested,
    MessageRequested,
    RunRequested,
    StartFromRequested,
    TaskRef,
)
from desktop.ui.dialogs import cancel_prompt
from desktop.ui.window.prompt_parts import PromptSubmitted, StartingPoint

if TYPE_CHECKING:
    from desktop.ui.window.main_window import MainWindow

NEW_TASK = "Describe a task for Claude in this workspace, e.g. “Fix the failing tests in tests/api and explain the cause”"
TALK = ("Write to the running agent: it reads your message once its current step is done. "
        "Stop turn first to have it stop and listen now.")
NO_WORKSPACE = "Add a workspace first: File › Add Workspace from Folder (Ctrl+O)."
NO_ENGINE = "The Docker engine is not running. Start it, then press Retry in the status bar."


class PromptRouting(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        prompt = window.prompt
        prompt.run_requested.connect(self.run)
        prompt.follow_up_requested.connect(self.follow_up)
        prompt.message_requested.connect(self.send)
        prompt.stop_turn_requested.connect(self.stop_turn)
        prompt.cancel_requested.connect(self.cancel)

    def run(self, submitted: PromptSubmitted) -> None:
        workspace_id = self.w.sidebar.current_id()
        if submitted.text and submitted.start_from:
            self.w.start_from_requested.emit(StartFromRequested(submitted.start_from, submitted.text,
                                                                submitted.permission_mode))
        elif workspace_id and submitted.text:
            self.w.run_requested.emit(RunRequested(workspace_id, submitted.text,
                                                   permission_mode=submitted.permission_mode))

    def follow_up(self, submitted: PromptSubmitted) -> None:
        task = self.w.shown_task
        if task is not None and submitted.text:
            self.w.follow_up_requested.emit(FollowUpRequested(task.id, submitted.text, submitted.permission_mode))

    def send(self, submitted: PromptSubmitted) -> None:
        task = self.w.shown_task
        if task is not None and task.state is TaskState.RUNNING and submitted.text:
            self.w.message_requested.emit(MessageRequested(task.id, submitted.text))

    def stop_turn(self) -> None:
        task = self.w.shown_task
        if task is not None and task.state is TaskState.RUNNING:
            self.w.stop_turn_requested.emit(TaskRef(task.id))

    def cancel(self) -> None:
        task = self.w.shown_task
        if task is None or task.is_final:
            return
        if cancel_prompt.ask_cancel(self.w, running=task.state is TaskState.RUNNING):
            self.w.cancel_requested.emit(TaskRef(task.id))

    def begin_start_from(self, task: Task | None) -> None:
        """"New task from here…": the next Run starts from ``task``'s end state."""
        if task is not None and task.is_final and task.started_at is not None:
            self.w.prompt.begin_start_from(StartingPoint(task.id, task.workspace_id, task.prompt))

    def sync(self, engine_ok: bool) -> None:
        """The panel's buttons and the Task menu, for the selection and the engine as they are now."""
        w = self.w
        has_ws = w.sidebar.current_id() is not None
        task = w.shown_task
        can_cancel = task is not None and not task.is_final
        can_follow = task is not None and task.is_final and engine_ok
        talking = task is not None and task.state is TaskState.RUNNING and engine_ok
        if not has_ws:
            placeholder = NO_WORKSPACE
        elif not engine_ok:
            placeholder = NO_ENGINE
        else:
            placeholder = TALK if talking and w.prompt.start_from is None else NEW_TASK
        w.prompt.set_context(has_ws and engine_ok, can_follow, can_cancel, placeholder, can_type=has_ws,
                             talking=talking)
        w.actions.run.setEnabled(has_ws and engine_ok)  # Task › Run, as the panel's Run button
        w.actions.cancel.setEnabled(can_cancel)
        w.actions.stop_turn.setEnabled(talking)
        w.actions.compare.setEnabled(can_follow)
        w.actions.start_from.setEnabled(can_follow and task is not None and task.started_at is not None)
