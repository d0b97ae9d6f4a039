"""The History window's Changes, wired as the main window's are: a finished
task opened there loads its change; Apply (flagged files confirmed first),
Discard, Undo, Commit, the three-way merge and "more lines" go to the same
review controller, and the outcome moves the History's panel on. The notices
saying where anything was saved are the main window's (``ReviewBinding``).

Only methods are connected to the controller's signals, so they go with the
History window when it is deleted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from desktop.domain import Task
from desktop.domain.task import PatchState
from desktop.ui.bridge import review_controller as rc
from desktop.ui.bridge.controller import Controller
from desktop.ui.bridge.payloads import (
    ApplyConflicted,
    ApplyRequested,
    ChangesApplied,
    ChangesDiscarded,
    ChangesLoaded,
    ChangesUndone,
    ContextLoaded,
    MergeWritten,
    OperationFailed,
    TaskChanged,
    TaskRef,
)
from desktop.ui.look import formatting
from desktop.ui.review.payloads import SelectionChanged

if TYPE_CHECKING:
    from desktop.ui.dialogs.dialog_host import DialogHost
    from desktop.ui.window.history_view import HistoryView


class HistoryReview(QObject):
    def __init__(self, view: HistoryView, controller: Controller, dialogs: DialogHost) -> None:
        super().__init__(view)
        self.view = view
        self.c = controller
        self.d = dialogs
        self._loaded_key: tuple[str, str] | None = None  # (task, patch state) whose change is shown
        r, rv = view.review, controller.review
        view.task_opened.connect(self._opened)
        r.apply_requested.connect(self._apply_requested)
        r.discard_requested.connect(rv.discard)
        r.undo_requested.connect(rv.undo)
        r.commit_requested.connect(dialogs.open_commit)
        r.context_requested.connect(rv.load_context)
        r.merge_requested.connect(dialogs.open_merge)
        r.window_requested.connect(self._open_window)
        rv.changes_loaded.connect(self._changes_loaded)
        rv.context_loaded.connect(self._context_loaded)
        rv.applied.connect(self._applied)
        rv.apply_conflicted.connect(self._conflicted)
        rv.discarded.connect(self._discarded)
        rv.undone.connect(self._undone)
        rv.merge_written.connect(self._merge_written)
        controller.task_changed.connect(self._task_changed)
        controller.operation_failed.connect(self._failed)

    # -- which change is shown ----------------------------------------------

    def _opened(self, _ref: TaskRef) -> None:
        self._loaded_key = None
        task = self.view.shown_task
        if task is not None:
            self._maybe_load(task)

    def _task_changed(self, changed: TaskChanged) -> None:
        shown = self.view.shown_task
        if shown is not None and shown.id == changed.task.id:
            self._maybe_load(changed.task)

    def _maybe_load(self, task: Task) -> None:
        """A finished task's change, loaded again when its review state moved on."""
        if not task.is_final:
            return
        key = (task.id, task.patch_state.value)
        if key != self._loaded_key:
            self._loaded_key = key
            self.c.review.load_changes(TaskRef(task.id))

    def _changes_loaded(self, loaded: ChangesLoaded) -> None:
        task = self.view.shown_task
        if task is not None and task.id == loaded.task_id:
            self.view.show_changes(loaded.task_id, loaded.changes, task.patch_state, loaded.can_commit)

    def _context_loaded(self, loaded: ContextLoaded) -> None:
        if self._is_shown(loaded.task_id):
            self.view.review.show_context(loaded)

    # -- what the person asked ----------------------------------------------

    def _apply_requested(self, request: ApplyRequested) -> None:
        if request.flagged:
            self.d.confirm_flags(request, self.c.review.apply, self._apply_cancelled)
        else:
            self.c.review.apply(request)

    def _apply_cancelled(self, _request: ApplyRequested) -> None:
        self.view.review.set_busy(False)

    def _open_window(self, ref: TaskRef) -> None:
        panel, task = self.view.review, self.view.shown_task
        if panel.diff.change is None or panel.task_id != ref.task_id or task is None:
            return
        self.d.open_diff_window(ref.task_id, panel.diff.change, panel.diff.selection(),
                                f"Changes — {formatting.first_line(task.prompt, 80)}", self._chosen_in_window)

    def _chosen_in_window(self, chosen: SelectionChanged) -> None:
        panel = self.view.review
        if panel.pending and panel.diff.selection() != chosen.selection:
            panel.diff.set_selection(chosen.selection)

    # -- outcomes (the main window's banner says them) ------------------------

    def _applied(self, applied: ChangesApplied) -> None:
        if self._is_shown(applied.task_id):
            self.view.review.show_state(PatchState.APPLIED, applied.can_commit)

    def _conflicted(self, conflicted: ApplyConflicted) -> None:
        if self._is_shown(conflicted.task_id):
            self.view.review.show_conflict(conflicted.message, conflicted.parts)

    def _discarded(self, discarded: ChangesDiscarded) -> None:
        if self._is_shown(discarded.task_id):
            self.view.review.show_state(PatchState.DISCARDED)

    def _undone(self, undone: ChangesUndone) -> None:
        if self._is_shown(undone.task_id):
            self.view.review.show_state(PatchState.PENDING, False)

    def _merge_written(self, written: MergeWritten) -> None:
        if self._is_shown(written.task_id):
            self.view.review.conflict.hide()
            self.view.review.show_state(PatchState.APPLIED, False)

    def _failed(self, failure: OperationFailed) -> None:
        if failure.action in (rc.APPLY, rc.DISCARD, rc.UNDO):
            self.view.review.set_busy(False)

    def _is_shown(self, task_id: str) -> bool:
        return self.view.review.task_id == task_id
