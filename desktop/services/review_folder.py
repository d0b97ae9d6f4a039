"""What the review does in the person's own folder: lines around a hunk to
show, and committing an applied change to the folder's repository."""

from __future__ import annotations

from desktop.domain.task import PatchState
from desktop.services.errors import UserError, boundary


@boundary
class FolderActions:
    """Part of ``Review`` (its ``tasks``, ``store``, ``ctx`` and ``_folder``)."""

    def context_lines(self, ref: str, path: str, first: int, count: int) -> list[str] | None:
        """Lines ``first``.. (1-based) of ``path`` as it is in the workspace's
        folder now, to show unchanged lines around a hunk; None when the file
        is not there (or not a plain file inside the folder)."""
        from desktop.services.user_folder import read_lines

        task = self.tasks.get(ref)
        lines = read_lines(self._folder(task), path)
        if lines is None:
            return None
        return lines[max(0, first - 1): max(0, first - 1) + max(0, count)]

    def commit_message(self, ref: str) -> str:
        """A commit message for an applied task: its prompt, then its result."""
        task = self.tasks.get(ref)
        title = (task.prompt.strip().splitlines() or ["AICode task"])[0][:72]
        body = (task.result or "").strip()
        return f"{title}\n\n{body}\n\nApplied from AICode Manager task {task.id}.\n" if body else \
            f"{title}\n\nApplied from AICode Manager task {task.id}.\n"

    def can_commit(self, ref: str) -> bool:
        """Whether the task's folder is a git repository its applied change can be committed to."""
        from desktop.services.user_folder import is_git_work_tree

        task = self.tasks.get(ref)
        return (task.patch_state is PatchState.APPLIED and self._written(task.id) is not None
                and is_git_work_tree(self._folder(task)))

    def commit(self, ref: str, message: str) -> str:
        """Commit exactly the files the task's Apply wrote (nothing else the
        person has staged) in the folder's own repository; returns the commit id."""
        from desktop.hostgit.patch.parse import parse_patch
        from desktop.services.user_folder import commit_paths

        task = self.tasks.get(ref)
        if task.patch_state is not PatchState.APPLIED:
            raise UserError(f"The changes of task {task.id} are not applied: apply them first")
        data = self._written(task.id)
        if data is None:
            raise UserError(f"Task {task.id} was applied with its follow-up: commit that one")
        paths = sorted({p for item in parse_patch(data) for p in item.touched_paths})
        if not message.strip():
            raise UserError("The commit message is empty")
        commit = commit_paths(self._folder(task), paths, message)
        self.ctx.record("task.committed", task.id)
        return commit

    def _written(self, task_id: str) -> bytes | None:
        """What this task's own Apply (or three-way merge) wrote; None when it was applied with a follow-up."""
        store = self.store  # type: ignore[attr-defined]
        return store.read(store.applied(task_id)) or store.read(store.merged(task_id))
