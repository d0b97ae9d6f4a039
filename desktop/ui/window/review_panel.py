"""The review of a finished task's change: the diff viewer (files, hunks to
tick, unified or split), with Apply / Discard / Undo / Commit above it.

It shows what it is given and says what the person asked for. Apply names
the selected files that carry flags (a workflow, a symlink...), so they are
confirmed before anything is written; the controller never decides that.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QMessageBox, QToolButton, QVBoxLayout, QWidget

from desktop.domain.review import ChangeSet, FileDiff, Selection
from desktop.domain.task import PatchState
from desktop.ui.bridge.payloads import ApplyRequested, ContextLoaded, ContextRequested, MergeRequested, TaskRef
from desktop.ui.look import icons
from desktop.ui.look.widgets import Chip, ElidedLabel, button
from desktop.ui.review.diff_view import DiffView
from desktop.ui.review.payloads import ContextRequest, SelectionChanged
from desktop.ui.window.review_notices import ConflictNotice

STATE_CHIPS = {PatchState.PENDING: ("To review", "warning"), PatchState.APPLIED: ("Applied", "success"),
               PatchState.DISCARDED: ("Discarded", "neutral")}


STATE_TEXTS = {PatchState.PENDING: "Nothing reaches your folder until you apply it.",
               PatchState.APPLIED: "In your folder now. Undo takes it back out, exactly.",
               PatchState.DISCARDED: "Set aside: saved as a patch, your files untouched."}


@dataclass(frozen=True)
class ReviewShown:
    task_id: str | None
    state: PatchState
    busy: bool


def as_applied(changes: ChangeSet) -> ChangeSet:
    """An applied change as the viewer shows what is in the folder already: nothing left to tick."""
    return replace(changes, files=tuple(replace(f, applied=True) for f in changes.files))


def flagged(changes: ChangeSet, selection: Selection | None) -> tuple[FileDiff, ...]:
    """The selected files that carry flags (``None``: everything pending is selected)."""
    return tuple(f for f in changes.pending_files
                 if f.flags and (selection is None or selection.covers(f.path)))


class ReviewPanel(QFrame):
    """Signals:
        apply_requested(ApplyRequested): write the selected part into the workspace's folder.
        discard_requested(TaskRef): set the change aside (after confirmation; it is saved).
        undo_requested(TaskRef): take the applied change back out of the folder.
        commit_requested(TaskRef): commit the applied files (the dialog asks for the message).
        window_requested(TaskRef): show the change in a window of its own.
        context_requested(ContextRequested): unchanged lines around a hunk, from the folder.
        merge_requested(MergeRequested): after a conflict, preview a three-way merge of the selection.
        review_shown(ReviewShown): what the panel offers changed (for the menu's actions).
    """

    apply_requested = Signal(object)
    discard_requested = Signal(object)
    undo_requested = Signal(object)
    commit_requested = Signal(object)
    window_requested = Signal(object)
    context_requested = Signal(object)
    merge_requested = Signal(object)
    review_shown = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ReviewPanel")
        self._task_id: str | None = None
        self._changes: ChangeSet | None = None
        self._state = PatchState.NONE
        self._can_commit = False
        self._busy = False

        self.state = Chip()
        self.title = ElidedLabel("", "Muted")
        self.window_button = QToolButton(objectName="Flat")
        self.window_button.setIcon(icons.icon("external", "muted"))
        self.window_button.setText("Open in window")
        self.window_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.window_button.setToolTip("Open the change in a window of its own")
        self.window_button.setAccessibleName("Open in window")
        self.undo_button = button("Undo", "Secondary", "reply")
        self.undo_button.setToolTip("Take the applied change back out of your files, exactly")
        self.commit_button = button("Commit…", "Secondary", "git")
        self.commit_button.setToolTip("Commit the files Apply wrote to the folder's git repository")
        self.discard_button = button("Discard", "Danger", "trash")
        self.discard_button.setToolTip("Set the agent's change aside; it is saved, your files stay as they are")
        self.apply_button = button("Apply all", "Primary", "apply")
        self.apply_button.setToolTip("Write the ticked hunks into the workspace's files")
        self.window_button.clicked.connect(self.request_window)
        self.undo_button.clicked.connect(self.request_undo)
        self.commit_button.clicked.connect(self.request_commit)
        self.discard_button.clicked.connect(self.request_discard)
        self.apply_button.clicked.connect(self.request_apply)

        self.conflict = ConflictNotice()
        self.conflict.merge_requested.connect(self.request_merge)
        self.diff = DiffView()
        self.diff.selection_changed.connect(self._selection_changed)
        self.diff.context_requested.connect(self._context_requested)
        self.diff.add_header_widget(self.window_button)  # a viewer's control: next to Unified / Split

        bar = QHBoxLayout()
        bar.setSpacing(8)
        bar.addWidget(self.state)
        bar.addWidget(self.title, 1)
        bar.addWidget(self.undo_button)
        bar.addWidget(self.discard_button)
        bar.addWidget(self.commit_button)
        bar.addWidget(self.apply_button)
        top = QVBoxLayout()
        top.setContentsMargins(16, 8, 12, 8)
        top.setSpacing(8)
        top.addLayout(bar)
        top.addWidget(self.conflict)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addWidget(self.diff, 1)
        self.clear()

    # -- what it is told ----------------------------------------------------

    @property
    def task_id(self) -> str | None:
        return self._task_id

    @property
    def changes(self) -> ChangeSet | None:
        return self._changes

    def clear(self) -> None:
        """Nothing to review (another task is shown, or none)."""
        self._task_id, self._changes, self._state = None, None, PatchState.NONE
        self.conflict.hide()
        self._sync()

    def show_changes(self, task_id: str, changes: ChangeSet, state: PatchState, can_commit: bool = False) -> None:
        if task_id != self._task_id or state is not PatchState.PENDING:
            self.conflict.hide()  # a conflict is news about this pending change only
        self._task_id, self._changes, self._state, self._can_commit = task_id, changes, state, can_commit
        self._busy = False
        # A discarded change is only there to read; an applied one shows as applied.
        self.diff.set_change(as_applied(changes) if state is PatchState.APPLIED else changes,
                             read_only=state is PatchState.DISCARDED)
        self._sync()

    def show_state(self, state: PatchState, can_commit: bool | None = None) -> None:
        """The task's review state moved on (applied, undone, discarded) before its change reloads:
        the call is over, so the buttons work again."""
        self._state, self._busy = state, False
        if can_commit is not None:
            self._can_commit = can_commit
        self._sync()

    def show_context(self, loaded: ContextLoaded) -> None:
        if loaded.task_id == self._task_id:
            self.diff.show_context(loaded.path, loaded.first, None if loaded.lines is None else list(loaded.lines))

    def selection(self) -> Selection | None:
        """What Apply would take now (None: everything pending)."""
        return self.diff.selection() if self.pending else None

    def show_conflict(self, message: str, parts: tuple[str, ...]) -> None:
        self.set_busy(False)
        self.conflict.show_conflict(message, parts)

    def set_busy(self, busy: bool) -> None:
        """While an apply, undo or discard runs: no second click."""
        self._busy = busy
        self._sync()

    @property
    def pending(self) -> bool:
        """A change to apply or discard is shown."""
        return self._changes is not None and self._state is PatchState.PENDING and bool(self._changes.pending_files)

    @property
    def applied(self) -> bool:
        return self._changes is not None and self._state is PatchState.APPLIED

    @property
    def file_count(self) -> int:
        return len(self._changes.pending_files) if self._changes is not None else 0

    # -- what the person asks -----------------------------------------------

    def request_apply(self) -> None:
        if not self.pending or self._busy or self._task_id is None or self._changes is None:
            return
        selection = self.diff.selection()
        if selection is not None and selection.empty:
            return
        self.conflict.hide()
        self.set_busy(True)
        reviewed = self._changes.digest if self._changes is not None and self._changes.digest else None
        self.apply_requested.emit(ApplyRequested(self._task_id, selection, flagged(self._changes, selection), reviewed))

    def request_discard(self) -> None:
        if not self.pending or self._busy or self._task_id is None:
            return
        answer = QMessageBox.question(
            self, "Discard the change?",
            "The agent's change is set aside and your files are not touched. It is saved as a patch in the "
            "app's data folder, so nothing is lost.",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Discard:
            self.conflict.hide()
            self.set_busy(True)
            self.discard_requested.emit(TaskRef(self._task_id))

    def request_undo(self) -> None:
        if self.applied and not self._busy and self._task_id is not None:
            self.set_busy(True)
            self.undo_requested.emit(TaskRef(self._task_id))

    def request_commit(self) -> None:
        if self.applied and self._can_commit and not self._busy and self._task_id is not None:
            self.commit_requested.emit(TaskRef(self._task_id))

    def request_merge(self) -> None:
        """The three-way merge of what Apply would take now (the ticks stay as they were)."""
        if self.pending and not self._busy and self._task_id is not None:
            self.merge_requested.emit(MergeRequested(self._task_id, self.diff.selection()))

    def request_window(self) -> None:
        if self._changes is not None and self._task_id is not None:
            self.window_requested.emit(TaskRef(self._task_id))

    def _context_requested(self, request: ContextRequest) -> None:
        if self._task_id is not None:
            self.context_requested.emit(ContextRequested.of(self._task_id, request))

    def _selection_changed(self, _changed: SelectionChanged) -> None:
        self._sync()

    # -- what shows ---------------------------------------------------------

    def _sync(self) -> None:
        changes = self._changes
        has_files = bool(changes is not None and changes.files)
        pending, applied = self.pending, self.applied
        chip = STATE_CHIPS.get(self._state) if has_files else None
        self.state.setVisible(chip is not None)
        if chip:
            self.state.show_state(*chip)
        self.title.setText(STATE_TEXTS.get(self._state, "") if has_files else "")
        selection = self.diff.selection() if pending else None
        nothing = selection is not None and selection.empty
        self.apply_button.setText("Apply all" if selection is None else "Apply selected")
        self.apply_button.setToolTip("Tick at least one file or hunk to apply" if nothing else
                                     "Write the ticked files and hunks into the workspace's folder (Ctrl+Shift+A)")
        self.apply_button.setVisible(pending)
        self.apply_button.setEnabled(not self._busy and not nothing)
        self.discard_button.setVisible(pending)
        self.discard_button.setEnabled(not self._busy)
        self.undo_button.setVisible(applied)
        self.undo_button.setEnabled(not self._busy)
        self.commit_button.setVisible(applied and self._can_commit)
        self.commit_button.setEnabled(not self._busy)
        self.window_button.setVisible(has_files)
        self.review_shown.emit(ReviewShown(self._task_id, self._state, self._busy))
