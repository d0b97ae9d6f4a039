"""Connects the review panel (and its dialogs) to the review controller.

Flow only: a finished task shown → load its change; Apply with flagged
files → ask first; a conflict → a three-way merge to inspect, written only
from its dialog; an outcome → the panel's state and a notice saying where
anything set aside was saved. Nothing the agent wrote reaches a
notice as rich text: the banner's message is escaped, saved paths sit in a
plain field.
"""

from __future__ import annotations

import html
import os
from pathlib import Path

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
    CommitMessageLoaded,
    Committed,
    ContextLoaded,
    MergeLoaded,
    MergeWritten,
    OperationFailed,
    TaskRef,
    WorkspaceRemoved,
)
from desktop.ui.dialogs.dialog_host import DialogHost
from desktop.ui.look import formatting
from desktop.ui.review.payloads import SelectionChanged
from desktop.ui.window.main_window import MainWindow

REVIEW_ACTIONS = (rc.APPLY, rc.DISCARD, rc.UNDO)
REAPPLY = "re-apply it in the folder with “git apply <path>”"


class ReviewBinding(QObject):
    def __init__(self, window: MainWindow, controller: Controller, dialogs: DialogHost) -> None:
        super().__init__(window)
        self.w = window
        self.c = controller
        self.d = dialogs
        self._loaded_key: tuple[str, str] | None = None  # (task, patch state) whose change is shown
        self._committed: set[str] = set()  # committed in this session: no second Commit
        self._merged: set[str] = set()  # written by a merge: no exact record of what to commit or undo
        self._connect()

    def _connect(self) -> None:
        r, rv, d = self.w.review, self.c.review, self.d
        r.apply_requested.connect(self._apply_requested)
        r.discard_requested.connect(rv.discard)
        r.undo_requested.connect(rv.undo)
        r.commit_requested.connect(d.open_commit)
        r.window_requested.connect(self._open_window)
        r.context_requested.connect(rv.load_context)
        r.merge_requested.connect(d.open_merge)
        r.diff.selection_changed.connect(self._chosen_in_panel)
        rv.changes_loaded.connect(self._changes_loaded)
        rv.context_loaded.connect(self._context_loaded)
        rv.applied.connect(self._applied)
        rv.apply_conflicted.connect(self._conflicted)
        rv.discarded.connect(self._discarded)
        rv.undone.connect(self._undone)
        rv.commit_message_loaded.connect(self._commit_message)
        rv.committed.connect(self._done_committing)
        rv.commit_failed.connect(lambda f: d.commit is not None and d.commit.show_error(f.message))
        rv.merge_loaded.connect(self._merge_loaded)
        rv.merge_failed.connect(self._merge_failed)
        rv.merge_written.connect(self._merge_written)
        self.c.workspace_removed.connect(self._workspace_removed)

    # -- which change is shown ----------------------------------------------

    def task_selected(self) -> None:
        """Another task is shown: its change is loaded afresh."""
        self._loaded_key = None

    def maybe_load(self, task: Task) -> None:
        shown = self.w.shown_task
        if shown is None or task.id != shown.id or not task.is_final:
            return
        key = (task.id, task.patch_state.value)
        if key != self._loaded_key:
            self._loaded_key = key
            self.c.review.load_changes(TaskRef(task.id))

    def _changes_loaded(self, loaded: ChangesLoaded) -> None:
        shown = self.w.shown_task
        if shown is not None and shown.id == loaded.task_id:
            can_commit = self._can_commit(loaded.task_id, loaded.can_commit)
            self.w.show_changes(loaded.task_id, loaded.changes, shown.patch_state, can_commit)
        window = self.d.diff_windows.get(loaded.task_id)
        if window is not None and self.w.review.task_id == loaded.task_id:
            window.view.set_change(self.w.review.diff.change, self.w.review.diff.selection())

    def _context_loaded(self, loaded: ContextLoaded) -> None:
        self.w.review.show_context(loaded)
        window = self.d.diff_windows.get(loaded.task_id)
        if window is not None:
            window.view.show_context(loaded.path, loaded.first, None if loaded.lines is None else list(loaded.lines))

    def _open_window(self, ref: TaskRef) -> None:
        panel, shown = self.w.review, self.w.shown_task
        change = panel.diff.change
        if change is None or panel.task_id != ref.task_id:
            return
        title = formatting.first_line(shown.prompt, 80) if shown is not None and shown.id == ref.task_id else ref.task_id
        self.d.open_diff_window(ref.task_id, change, panel.diff.selection(), f"Changes — {title}",
                                lambda chosen, t=ref.task_id: self._chosen_in_window(t, chosen))

    def _chosen_in_window(self, task_id: str, chosen: SelectionChanged) -> None:
        """Ticked in the window: the panel's Apply takes the same (each side changes
        the other only when they differ, so the echo stops there)."""
        panel = self.w.review
        if panel.task_id == task_id and panel.pending and panel.diff.selection() != chosen.selection:
            panel.diff.set_selection(chosen.selection)

    def _chosen_in_panel(self, chosen: SelectionChanged) -> None:
        window = self.d.diff_windows.get(self.w.review.task_id or "")
        if window is not None and window.view.selection() != chosen.selection:
            window.view.set_selection(chosen.selection)

    # -- what the person asked ----------------------------------------------

    def _apply_requested(self, request: ApplyRequested) -> None:
        if request.flagged:
            self.d.confirm_flags(request, self.c.review.apply, lambda _r: self.w.review.set_busy(False))
        else:
            self.c.review.apply(request)

    def _commit_message(self, loaded: CommitMessageLoaded) -> None:
        if self.d.commit is not None and self.d.commit.task_id == loaded.task_id:
            self.d.commit.show_message(loaded.message)

    # -- outcomes -----------------------------------------------------------

    def _applied(self, applied: ChangesApplied) -> None:
        if self._is_shown(applied.task_id):
            self.w.review.show_state(PatchState.APPLIED, self._can_commit(applied.task_id, applied.can_commit))
        n = len(applied.files)
        written = f"Applied {n} file{'s' if n != 1 else ''} to the workspace's folder."
        if applied.kept is not None:
            self.w.notify_saved(f"{written} The part you left out is saved as a patch: {REAPPLY}.",
                                str(applied.kept), "success")
        else:
            self.w.notify(html.escape(written), "success")

    def _conflicted(self, conflicted: ApplyConflicted) -> None:
        if self._is_shown(conflicted.task_id):
            self.w.review.show_conflict(conflicted.message, conflicted.parts)
        else:
            self.w.notify(f"<b>{rc.APPLY} failed.</b> {html.escape(conflicted.message)}", "danger")

    def _merge_loaded(self, loaded: MergeLoaded) -> None:
        dialog = self.d.merge
        if dialog is not None and dialog.request == loaded.request:
            dialog.show_previews(loaded.previews)

    def _merge_failed(self, failure: OperationFailed) -> None:
        if self.d.merge is not None:
            self.d.merge.show_error(failure.message)
        else:
            self.w.notify(f"<b>{html.escape(failure.action)} failed.</b> {html.escape(failure.message)}", "danger")

    def _merge_written(self, written: MergeWritten) -> None:
        self._merged.add(written.task_id)
        if self.d.merge is not None and self.d.merge.request.task_id == written.task_id:
            self.d.merge.accept()
        if self._is_shown(written.task_id):
            self.w.review.conflict.hide()
            self.w.review.show_state(PatchState.APPLIED, False)
        n, marked = len(written.files), written.conflicted
        text = f"Wrote {n} file{'s' if n != 1 else ''} to the workspace's folder."
        if marked:
            text += (f" {len(marked)} of them hold{'s' if len(marked) == 1 else ''} conflict markers to resolve in "
                     f"your editor: {', '.join(marked)}.")
        self.w.notify(html.escape(text + " A merge cannot be undone here: use your editor or git."),
                      "warning" if marked else "success")

    def _discarded(self, discarded: ChangesDiscarded) -> None:
        if discarded.kept is not None:
            self.w.notify_saved(f"The change was discarded, and your files were not touched. It is saved as a "
                                f"patch, nothing is lost: {REAPPLY}.", str(discarded.kept))
        else:
            self.w.notify("The change was discarded; your files were not touched.", "info")

    def _undone(self, undone: ChangesUndone) -> None:
        if self._is_shown(undone.task_id):
            self.w.review.show_state(PatchState.PENDING, False)
        self._committed.discard(undone.task_id)
        n = len(undone.files)
        self.w.notify(f"Undone: {n} file{'s are' if n != 1 else ' is'} back as before Apply. "
                      "The change is ready to review again.", "success")

    def _done_committing(self, committed: Committed) -> None:
        self._committed.add(committed.task_id)
        if self.d.commit is not None and self.d.commit.task_id == committed.task_id:
            self.d.commit.show_committed(committed.commit)
        if self._is_shown(committed.task_id):
            self.w.review.show_state(PatchState.APPLIED, False)
        self.w.notify(f"Committed as {html.escape(committed.commit[:12])}.", "success")

    def _workspace_removed(self, removed: WorkspaceRemoved) -> None:
        if not removed.kept:
            return
        n = len(removed.kept)
        if n == 1:
            self.w.notify_saved(f"“{removed.name}” was removed. Its change still waiting for review is saved as a "
                                f"patch: {REAPPLY}.", str(removed.kept[0]))
        else:
            self.w.notify_saved(f"“{removed.name}” was removed. Its {n} changes still waiting for review are saved "
                                "as patches in this folder (one file a task):", _common_folder(removed.kept))

    def failed(self, failure: OperationFailed) -> None:
        """A review call failed: the panel's buttons work again (the banner says why)."""
        if failure.action in REVIEW_ACTIONS:
            self.w.review.set_busy(False)

    def _can_commit(self, task_id: str, folder_allows: bool) -> bool:
        return folder_allows and task_id not in self._committed and task_id not in self._merged

    def _is_shown(self, task_id: str) -> bool:
        shown = self.w.shown_task
        return shown is not None and shown.id == task_id


def _common_folder(paths: tuple[Path, ...]) -> str:
    return os.path.commonpath([str(p.parent) for p in paths])
