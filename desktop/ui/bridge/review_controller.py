"""The review of a task's change, through ``app.review``: load it, apply all or
part of it, undo, discard, commit, the folder's lines around a hunk; a
three-way merge of what no longer applies (previewed, then written only when
asked); two tasks' end states compared.

Each call runs on a worker (``Calls``); its outcome comes back as one signal.
A conflicting apply is news of its own (``apply_conflicted``, with the
hunks that no longer fit), not a failure banner: the review panel lists
them next to the selection the person can change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from desktop.services.errors import Conflict, ServiceError
from desktop.ui.bridge import service_mapping as cm
from desktop.ui.bridge.calls import Calls
from desktop.ui.bridge.payloads import (
    ApplyConflicted,
    ApplyRequested,
    ChangesApplied,
    ChangesDiscarded,
    ChangesLoaded,
    ChangesUndone,
    CommitMessageLoaded,
    CommitRequested,
    Committed,
    Compared,
    CompareRequested,
    ContextLoaded,
    ContextRequested,
    MergeLoaded,
    MergeRequested,
    MergeWritten,
    OperationFailed,
    TaskRef,
)
from desktop.ui.bridge.task_watch import TaskWatch

if TYPE_CHECKING:
    from desktop.domain import Task
    from desktop.domain.review import ChangeSet
    from desktop.services.app import App
    from desktop.services.review import Applied, Discarded

APPLY = "Apply changes"
DISCARD = "Discard changes"
UNDO = "Undo apply"
COMMIT = "Commit"
MERGE_PREVIEW = "Show the three-way merge"
MERGE_WRITE = "Write merged files"
COMPARE = "Compare tasks"


class ReviewController(QObject):
    """Signals:
        changes_loaded(ChangesLoaded): a task's change, as Apply would write it.
        context_loaded(ContextLoaded): lines of a file around a hunk.
        applied(ChangesApplied), undone(ChangesUndone), discarded(ChangesDiscarded).
        apply_conflicted(ApplyConflicted): Apply was refused; the folder is as it was.
        commit_message_loaded(CommitMessageLoaded), committed(Committed).
        commit_failed(OperationFailed): for the commit dialog to say why.
        operation_failed(OperationFailed): an apply that failed for another reason.
        merge_loaded(MergeLoaded): the three-way merge of each file that no longer applies.
        merge_written(MergeWritten): the merged files (conflict markers included) were written.
        merge_failed(OperationFailed): for the merge dialog to say why.
        compared(Compared): two tasks' end states, as files to read.
    """

    changes_loaded = Signal(object)
    context_loaded = Signal(object)
    applied = Signal(object)
    undone = Signal(object)
    discarded = Signal(object)
    apply_conflicted = Signal(object)
    commit_message_loaded = Signal(object)
    committed = Signal(object)
    commit_failed = Signal(object)
    operation_failed = Signal(object)
    merge_loaded = Signal(object)
    merge_written = Signal(object)
    merge_failed = Signal(object)
    compared = Signal(object)

    def __init__(self, app: App, calls: Calls, watch: TaskWatch, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._app = app
        self.calls = calls
        self.watch = watch

    def load_changes(self, ref: TaskRef) -> None:
        review = self._app.review

        def both() -> tuple[ChangeSet, bool]:
            return review.changes(ref.task_id), _quietly(review.can_commit, ref.task_id)

        self.calls.run("Load changes", both,
                       then=lambda r: self.changes_loaded.emit(ChangesLoaded(ref.task_id, r[0], r[1])))

    def load_context(self, request: ContextRequested) -> None:
        def done(lines: list[str] | None) -> None:
            shown = None if lines is None else tuple(lines)
            self.context_loaded.emit(ContextLoaded(request.task_id, request.path, request.first, shown))

        # Quiet: a file gone from the folder is an answer (None), and a failure only leaves the gap unexpanded.
        self.calls.run("Show more lines", self._app.review.context_lines, request.task_id, request.folder_path,
                       request.first, request.count, then=done, quiet=True,
                       failed=lambda _m: self.context_loaded.emit(
                           ContextLoaded(request.task_id, request.path, request.first, None)))

    def apply(self, request: ApplyRequested) -> None:
        review, task_id = self._app.review, request.task_id

        def apply_then_check() -> tuple[Applied, bool]:
            done = review.apply(task_id, request.selection, reviewed=request.reviewed)
            return done, _quietly(review.can_commit, task_id)

        def done(result: tuple[Applied, bool]) -> None:
            applied, can_commit = result
            self.watch.seen(applied.task)
            self.applied.emit(ChangesApplied(task_id, applied.files, applied.kept, can_commit))

        def failed(error: Exception) -> None:
            self._refresh(task_id)
            if isinstance(error, Conflict):
                self.apply_conflicted.emit(ApplyConflicted(task_id, cm.error_text(error), tuple(error.parts)))
            else:
                self.operation_failed.emit(OperationFailed(APPLY, cm.error_text(error)))

        self.calls.run(APPLY, apply_then_check, then=done, failed_error=failed, quiet=True)

    def undo(self, ref: TaskRef) -> None:
        def done(files: list) -> None:
            self._refresh(ref.task_id)
            self.undone.emit(ChangesUndone(ref.task_id, tuple(files)))

        self.calls.run(UNDO, self._app.review.undo, ref.task_id, then=done,
                       failed=lambda _m: self._refresh(ref.task_id))

    def discard(self, ref: TaskRef) -> None:
        def done(discarded: Discarded) -> None:
            self.watch.seen(discarded.task)
            self.discarded.emit(ChangesDiscarded(ref.task_id, discarded.kept))

        self.calls.run(DISCARD, self._app.review.discard, ref.task_id, then=done,
                       failed=lambda _m: self._refresh(ref.task_id))

    def load_commit_message(self, ref: TaskRef) -> None:
        self.calls.run("Prepare the commit", self._app.review.commit_message, ref.task_id,
                       then=lambda text: self.commit_message_loaded.emit(CommitMessageLoaded(ref.task_id, text)))

    def commit(self, request: CommitRequested) -> None:
        self.calls.run(COMMIT, self._app.review.commit, request.task_id, request.message, quiet=True,
                       then=lambda commit: self.committed.emit(Committed(request.task_id, commit)),
                       failed=lambda m: self.commit_failed.emit(OperationFailed(COMMIT, m)))

    def load_merge(self, request: MergeRequested) -> None:
        """Preview only: nothing is written."""
        self.calls.run(MERGE_PREVIEW, self._app.review.merge_preview, request.task_id, request.selection,
                       quiet=True, then=lambda previews: self.merge_loaded.emit(MergeLoaded(request, tuple(previews))),
                       failed=lambda m: self.merge_failed.emit(OperationFailed(MERGE_PREVIEW, m)))

    def write_merged(self, request: MergeRequested, conflicted: tuple[str, ...]) -> None:
        """Apply what fits and write the merge of the rest, once the person has seen it."""
        def done(applied: Applied) -> None:
            self.watch.seen(applied.task)  # Applied now: the panel reloads its change
            self.merge_written.emit(MergeWritten(request.task_id, applied.files, conflicted))

        def failed(message: str) -> None:
            self._refresh(request.task_id)
            self.merge_failed.emit(OperationFailed(MERGE_WRITE, message))

        self.calls.run(MERGE_WRITE, self._app.review.apply_merged, request.task_id, request.selection,
                       quiet=True, then=done, failed=failed)

    def compare(self, request: CompareRequested) -> None:
        self.calls.run(COMPARE, self._app.review.compare_files, request.first, request.second,
                       then=lambda changes: self.compared.emit(Compared(request, changes)))

    def _refresh(self, task_id: str) -> None:
        """The task as stored now: its review buttons follow its patch state."""
        self.calls.run("Load task", self._app.tasks.get, task_id, then=self._seen, quiet=True)

    def _seen(self, task: Task) -> None:
        self.watch.seen(task)


def _quietly(check: Callable[[str], bool], task_id: str) -> bool:
    """A yes/no question whose failure means no (is the folder a git work tree?)."""
    try:
        return bool(check(task_id))
    except ServiceError:
        return False
