"""Reviewing a task's change: read it, apply all or part of it, undo it,
discard it (kept aside, never lost), compare two tasks' end states.

A follow-up's change is taken against the first task's snapshot, so it holds
its parents' changes too; once a parent's change is in the folder, Apply
writes only the follow-up's own step (the in-container script makes both).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from desktop.domain import Task, Workspace
from desktop.domain.changes import ChangedFile, DiffStat
from desktop.domain.review import ChangeSet, MergePreview, Selection, visible
from desktop.domain.task import PatchState
from desktop.hostgit.patch.flags import HIDDEN_TEXT
from desktop.services.context import AppContext
from desktop.services.errors import Conflict, UserError, boundary
from desktop.services.patch_checks import (
    conflicting_hunks,
    digest,
    refuse_a_false_claim,
    refuse_stored_secrets,
    rest,
    secret_files,
)
from desktop.services.patch_store import PatchStore
from desktop.services.review_folder import FolderActions
from desktop.services.tasks import Tasks


@dataclass(frozen=True)
class Applied:
    task: Task
    files: tuple[ChangedFile, ...]
    kept: Path | None = None  # where the part left out of a partial apply was saved


@dataclass(frozen=True)
class Discarded:
    task: Task
    kept: Path | None  # where the discarded change was saved (None: there was none)
    withheld: str | None = None  # why it was not saved (it holds a stored secret)


@boundary
class Review(FolderActions):
    def __init__(self, ctx: AppContext, tasks: Tasks) -> None:
        self.ctx = ctx
        self.tasks = tasks
        self.store = PatchStore()

    # -- reading --

    def patch(self, ref: str) -> bytes:
        """The patch Apply writes (or wrote): the task's change, or a follow-up's own step."""
        return self._effective(self.tasks.get(ref))[0]

    def changes(self, ref: str) -> ChangeSet:
        from desktop.hostgit.patch.review import file_diffs
        from desktop.services.user_folder import read_bytes

        task = self.tasks.get(ref)
        data, step, claimed = self._effective(task)
        folder = self._folder(task)
        files = file_diffs(data, lambda path: read_bytes(folder, path))
        if claimed != data:  # the effect is shown: say where the agent's own patch hid text as binary
            hidden = {f.path for f in file_diffs(claimed) if f.binary} - {f.path for f in files if f.binary}
            files = [replace(f, flags=(HIDDEN_TEXT, *f.flags)) if f.path in hidden else f for f in files]
        if step:  # what only the parents changed is in the folder already
            mine = {f.path for f in files}
            files += [replace(f, applied=True) for f in file_diffs(self._whole(task)) if f.path not in mine]
        return ChangeSet(task.id, tuple(files), step, digest(data))

    def changed_files(self, ref: str) -> list[ChangedFile]:
        return [f.changed_file() for f in self.changes(ref).pending_files]

    def diff_stat(self, ref: str) -> DiffStat:
        return DiffStat.of(self.changed_files(ref))

    # -- applying --

    def apply(self, ref: str, selection: Selection | None = None, reviewed: str | None = None) -> Applied:
        """Apply the task's change (or the selected part) to the workspace's
        folder: all of it or nothing, checked against the folder as it is now.

        ``reviewed``: the ``digest`` of the ChangeSet the person looked at;
        if the change is no longer that one, nothing is applied.
        """
        from desktop.hostgit.errors import PatchError
        from desktop.hostgit.patch.apply import apply

        task = self.tasks.get(ref)
        _reviewable(task)
        whole, step, _claimed = self._effective(task)
        if reviewed is not None and reviewed != digest(whole):
            raise Conflict(f"The change of task {task.id} is not the one you reviewed (it was replaced since): "
                           "nothing was applied; review it again")
        data = _cut(whole, selection)
        folder = self._folder(task)
        try:
            files = apply(data, folder)
        except PatchError as error:
            raise self._explained(error, data, folder) from None
        self.store.write(self.store.applied(task.id), data)
        kept = None
        if selection is not None and (left_out := rest(whole, selection)):
            kept = self.store.keep_unapplied(task.id, left_out, "not-applied")
        with self.ctx.db.write():
            task = self.ctx.db.tasks.update(task.id, patch_state=PatchState.APPLIED)
            if not step:  # the whole change holds the pending parents' changes too
                for parent in self._ancestors(task):
                    if parent.patch_state is PatchState.PENDING:
                        self.ctx.db.tasks.update(parent.id, patch_state=PatchState.APPLIED)
        self.ctx.record("task.applied", task.id)
        self._publish(task)
        return Applied(task, tuple(f.changed_file() for f in files), kept)

    def merge_preview(self, ref: str, selection: Selection | None = None) -> tuple[MergePreview, ...]:
        """For each file of the change (or selection) that no longer applies,
        a three-way merge to inspect; nothing is written."""
        from desktop.services.merging import previews

        task = self.tasks.get(ref)
        _reviewable(task)
        data = self._selected(task, selection)
        return tuple(previews(self.ctx, self._workspace(task), data, self._folder(task)))

    def apply_merged(self, ref: str, selection: Selection | None = None) -> Applied:
        """Apply what fits and write the three-way merge of what does not,
        conflict markers included, once the person has seen the preview."""
        from desktop.services.merging import write_merged

        task = self.tasks.get(ref)
        _reviewable(task)
        data = self._selected(task, selection)
        files = write_merged(self.ctx, self._workspace(task), data, self._folder(task))
        self.store.write(self.store.merged(task.id), data)
        # No applied record: a merge has no exact reverse, so Undo says so.
        task = self.ctx.db.tasks.update(task.id, patch_state=PatchState.APPLIED)
        self.ctx.record("task.applied", task.id)
        self._publish(task)
        return Applied(task, tuple(f.changed_file() for f in files))

    def undo(self, ref: str) -> list[ChangedFile]:
        """Take an applied change back out of the folder, exactly; refused
        (nothing changed) when the files were edited since."""
        from desktop.hostgit.errors import PatchConflictError
        from desktop.hostgit.patch.apply import apply

        task = self.tasks.get(ref)
        if task.patch_state is not PatchState.APPLIED:
            raise UserError(f"The changes of task {task.id} are not applied ({task.patch_state}), so there is nothing to undo")
        data = self.store.read(self.store.applied(task.id))
        if data is None:
            raise UserError(f"Task {task.id} was applied with a three-way merge or as part of a follow-up: "
                            "undo that follow-up, or undo the merge in your editor")
        try:
            files = apply(data, self._folder(task), reverse=True)
        except PatchConflictError as error:
            raise Conflict(
                f"The changes of task {task.id} cannot be undone: these files were edited since they were "
                f"applied: {', '.join(visible(p) for p in error.paths) or 'some files'}. Nothing was changed.",
                tuple(visible(p) for p in error.paths),
            ) from None
        self.store.applied(task.id).unlink()
        with self.ctx.db.write():
            task = self.ctx.db.tasks.update(task.id, patch_state=PatchState.PENDING)
            for parent in self._ancestors(task):  # applied with this task's whole change
                if parent.patch_state is PatchState.APPLIED and not self.store.applied(parent.id).exists():
                    self.ctx.db.tasks.update(parent.id, patch_state=PatchState.PENDING)
        self.ctx.record("task.undone", task.id)
        self._publish(task)
        return [f.changed_file() for f in files]

    def discard(self, ref: str) -> Discarded:
        """Drop the change from review; it is saved in the data folder first."""
        task = self.tasks.get(ref)
        _reviewable(task)
        data = self._to_apply(task)[0]
        self.ctx.mask_workspace(task.workspace_id)
        held = secret_files(data, self.ctx.masker()) if data else []
        kept = self.store.keep_unapplied(task.id, data, "discarded") if data and not held else None
        if held:  # no copy, and the stored one goes: a stored secret stays off the disk
            self.store.forget(task.id)
        task = self.ctx.db.tasks.update(task.id, patch_state=PatchState.DISCARDED)
        self.ctx.record("task.discarded", task.id)
        self._publish(task)
        withheld = f"not saved: it writes a secret stored in the keyring into {', '.join(held)}" if held else None
        return Discarded(task, kept, withheld)

    def keep_pending(self, workspace_id: str) -> list[Path]:
        """Save every change of a workspace still waiting for review (before it is removed)."""
        kept = []
        self.ctx.mask_workspace(workspace_id)
        for task in self.ctx.db.tasks.list(workspace_id=workspace_id):
            if task.patch_state is PatchState.PENDING and (data := self._to_apply(task)[0]):
                if secret_files(data, self.ctx.masker()):
                    self.store.forget(task.id)  # no copy of a stored secret stays on disk
                    continue
                kept.append(self.store.keep_unapplied(task.id, data, "workspace-removed"))
        return kept

    # -- comparing (folder actions: review_folder.FolderActions) --

    def compare(self, first: str, second: str) -> bytes:
        """The difference between two tasks' end states, as a patch."""
        from desktop.services.checkpoints import diff_results

        a, b = self.tasks.get(first), self.tasks.get(second)
        if a.workspace_id != b.workspace_id:
            raise UserError(f"Tasks {a.id} and {b.id} belong to different workspaces")
        for task in (a, b):
            if not task.is_final:
                raise UserError(f"Task {task.id} is still {task.state}: compare it once it has ended")
        data = diff_results(self.ctx, self.ctx.db.workspaces.get(a.workspace_id), a.id, b.id)
        self._refuse_secrets(b, data)
        return data

    def compare_files(self, first: str, second: str) -> ChangeSet:
        """``compare`` as files to read (from ``first``'s end state to ``second``'s);
        nothing in it is for Apply."""
        from desktop.hostgit.patch.review import file_diffs

        data = self.compare(first, second)
        return ChangeSet(self.tasks.get(second).id, tuple(file_diffs(data)), digest=digest(data))

    # -- helpers --

    def _whole(self, task: Task) -> bytes:
        data = self.store.read(self.store.whole(task.id))
        if data is None and not task.is_final:
            raise UserError(f"Task {task.id} is still {task.state}: its changes are taken when it ends")
        return data or b""

    def _effective(self, task: Task) -> tuple[bytes, bool, bytes]:
        """``_to_apply``'s patch as it would really act on the folder now: the
        canonical patch host git writes after applying it to a scratch copy
        (so what is shown is what is written, whatever the agent's text
        claims). The agent's own patch where it does not apply (a conflict:
        then nothing is written) or is refused as unsafe (nor then).
        Neither when it holds a stored secret: then it is refused.
        Returns (that patch, whether it is a follow-up's own step, the agent's own)."""
        from desktop.hostgit.errors import PatchError
        from desktop.hostgit.patch.apply import validate_patch
        from desktop.hostgit.patch.effect import effect_patch

        data, step = self._to_apply(task)
        self._refuse_secrets(task, data)
        if not data or task.patch_state is not PatchState.PENDING:
            return data, step, data
        folder = self._folder(task)
        try:
            effect = effect_patch(data, validate_patch(data, folder), folder)
        except PatchError:
            effect = None
        if effect is not None:
            refuse_a_false_claim(data, effect)
            self._refuse_secrets(task, effect)
        return (data if effect is None else effect), step, data

    def _refuse_secrets(self, task: Task, data: bytes) -> None:
        self.ctx.mask_workspace(task.workspace_id)
        refuse_stored_secrets(data, self.ctx.masker(), task.id)

    def _to_apply(self, task: Task) -> tuple[bytes, bool]:
        """(the patch, whether it is a follow-up's own step)."""
        if task.parent_id and task.patch_state is not PatchState.APPLIED:
            parent = self.ctx.db.tasks.get(task.parent_id)
            step = self.store.read(self.store.step(task.id))
            if parent.patch_state is PatchState.APPLIED and step is not None:
                return step, True
        elif task.patch_state is PatchState.APPLIED:
            applied = self.store.read(self.store.applied(task.id))
            if applied is not None:
                return applied, False
        return self._whole(task), False

    def _selected(self, task: Task, selection: Selection | None) -> bytes:
        """The agent's own patch, or the selected part (what a three-way merge works on)."""
        whole = self._to_apply(task)[0]
        self._refuse_secrets(task, whole)
        return _cut(whole, selection)

    def _workspace(self, task: Task) -> Workspace:
        return self.ctx.db.workspaces.get(task.workspace_id)

    def _ancestors(self, task: Task) -> list[Task]:
        found = []
        while task.parent_id:
            task = self.ctx.db.tasks.get(task.parent_id)
            found.append(task)
        return found

    def _folder(self, task: Task) -> Path:
        return Path(self.ctx.db.workspaces.get(task.workspace_id).source_path)

    def _publish(self, task: Task) -> None:
        self.ctx.hub.publish_task(task)
        for parent in self._ancestors(task):
            self.ctx.hub.publish_task(parent)

    def _explained(self, error: Exception, data: bytes, folder: Path) -> Exception:
        """A conflict names the hunks that no longer fit; a refused patch says why."""
        from desktop.hostgit.errors import PatchConflictError

        if not isinstance(error, PatchConflictError):
            return UserError(str(error))
        parts = conflicting_hunks(data, folder)
        listed = "; ".join(parts) if parts else ", ".join(visible(p) for p in error.paths)
        return Conflict(
            f"The changes do not apply to {visible(str(folder))}: {listed or 'some files'} no longer "
            "match what the task started from. Nothing was changed: apply the other parts, look at a "
            "three-way merge ('aicode task merge'), or run a follow-up on the current files.",
            parts,
        )


def _cut(whole: bytes, selection: Selection | None) -> bytes:
    """``whole``, or the part ``selection`` names; refused when that is nothing."""
    from desktop.hostgit.patch.review import select

    data = whole if selection is None else select(whole, selection)
    if not data:
        raise UserError("Nothing is selected: choose the files or hunks to apply")
    return data


def _reviewable(task: Task) -> None:
    if task.patch_state is PatchState.PENDING:
        return
    if task.patch_state is PatchState.NONE:
        raise UserError(f"Task {task.id} has no changes to review"
                        + ("" if task.is_final else f" yet (it is {task.state})"))
    raise UserError(f"The changes of task {task.id} were already {task.patch_state}")
