"""When a change no longer applies: a three-way merge of each file that does
not fit, to inspect first, then to write (with conflict markers where both
sides changed the same lines) only once the person confirms."""

from __future__ import annotations

import os
from pathlib import Path

from desktop.domain import Workspace
from desktop.domain.review import MergePreview, Selection, visible
from desktop.hostgit.patch.model import ChangeKind, PatchFile
from desktop.services.context import AppContext
from desktop.services.errors import UserError


def previews(ctx: AppContext, workspace: Workspace, data: bytes, folder: Path) -> list[MergePreview]:
    """A preview for each file of ``data`` that does not apply to ``folder`` as it is."""
    return [_preview(ctx, workspace, item, folder) for item in _misfits(data, folder)]


def write_merged(ctx: AppContext, workspace: Workspace, data: bytes, folder: Path) -> list[PatchFile]:
    """Apply what fits and write the merged result of what does not: all or nothing."""
    from desktop.hostgit.patch.apply import apply
    from desktop.hostgit.patch.parse import parse_patch
    from desktop.hostgit.patch.review import select
    from desktop.hostgit.patch.rollback import Snapshot
    from desktop.hostgit.patch.tree import check_tree

    misfits = _misfits(data, folder)
    merged = [(item, _preview(ctx, workspace, item, folder)) for item in misfits]
    problems = [f"{visible(p.path)}: {p.problem}" for _, p in merged if p.problem]
    if problems:
        raise UserError("These files cannot be merged: " + "; ".join(problems))
    check_tree([item for item, _ in merged], folder)
    names = {item.path for item in misfits}
    files = parse_patch(data)
    clean = select(data, Selection(files=frozenset(f.path for f in files if f.path not in names)))
    snapshot = Snapshot.take(folder, [p for f in files for p in f.read_paths])
    try:
        if clean:
            apply(clean, folder)
        for item, preview in merged:
            _write(folder / item.path, preview.text.encode("utf-8", "surrogateescape"))
    except BaseException:
        snapshot.restore()
        raise
    return files


def _misfits(data: bytes, folder: Path) -> list[PatchFile]:
    from desktop.hostgit.errors import PatchConflictError
    from desktop.hostgit.patch.apply import check
    from desktop.hostgit.patch.parse import parse_patch
    from desktop.hostgit.patch.review import select

    found = []
    for item in parse_patch(data):
        try:
            check(select(data, Selection(files=frozenset({item.path}))), folder)
        except PatchConflictError:
            found.append(item)
    return found


def _preview(ctx: AppContext, workspace: Workspace, item: PatchFile, folder: Path) -> MergePreview:
    from desktop.hostgit.errors import PatchError
    from desktop.hostgit.patch.merge import apply_to_base, merge_file
    from desktop.services.checkpoints import read_blob
    from desktop.services.user_folder import read_bytes

    if item.binary or not item.hunks:
        return MergePreview(item.path, problem="binary files and mode changes cannot be merged line by line")
    if item.kind is ChangeKind.DELETED:
        return MergePreview(item.path, problem="the task deletes this file, and it was edited since")
    ours = read_bytes(folder, item.path)
    if ours is None:
        return MergePreview(item.path, problem="the file is gone from your folder (or is not a plain file)")
    try:
        base = b"" if item.kind is ChangeKind.ADDED else read_blob(ctx, workspace, item.old_blob or "")
        theirs = apply_to_base(base, list(item.hunks))
        merged, conflicts = merge_file(ours, base, theirs)
    except (PatchError, UserError) as error:
        return MergePreview(item.path, problem=str(error))
    return MergePreview(item.path, merged.decode("utf-8", "surrogateescape"), conflicts)


def _write(path: Path, data: bytes) -> None:
    """Replace a plain file's content in place (its mode kept), never through a symlink."""
    fd = os.open(path, os.O_WRONLY | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
