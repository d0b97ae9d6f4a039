"""Inspect, check and apply a task's patch (``git diff --binary`` text).

The patch was made inside the agent's container, so it is treated as
hostile: every path is checked (no absolute paths, no "..", nothing in
``.git``, no symlink leaving the folder, nothing written through a symlink),
our reading of the patch is cross-checked against git's, and git itself
runs isolated (see ``patch_git``). ``apply`` changes nothing unless the
whole patch applies.
"""

from __future__ import annotations

import os
from pathlib import Path

from desktop.domain.changes import DiffStat
from desktop.hostgit.errors import PatchApplyError, PatchError
from desktop.hostgit.patch.conflicts import failure_error
from desktop.hostgit.patch.crosscheck import cross_check
from desktop.hostgit.patch.git import IsolatedGit, isolated_git
from desktop.hostgit.patch.model import PatchFile, PatchText
from desktop.hostgit.patch.parse import parse_patch, to_bytes
from desktop.hostgit.patch.quote import printable
from desktop.hostgit.patch.rollback import Snapshot
from desktop.hostgit.patch.rules import check_files
from desktop.hostgit.patch.tree import check_tree

__all__ = ["apply", "check", "parse_patch", "patch_stat", "validate_patch"]


def patch_stat(patch: PatchText) -> DiffStat:
    """Files, insertions and deletions, for ``aicode task diff --stat``.

    Pure parsing, no git and no safety checks: use ``validate_patch`` before
    trusting the paths for anything but display.
    """
    return DiffStat.of(f.changed_file() for f in parse_patch(patch))


def validate_patch(patch: PatchText, target_dir: Path | None = None) -> list[PatchFile]:
    """Parse ``patch`` and refuse anything unsafe; with ``target_dir`` also
    check it against the symlinks in that folder. Does not write anything.

    Raises PatchFormatError or UnsafePatchError.
    """
    data = to_bytes(patch)
    files = _parse_and_check_rules(data)
    if not files:
        return files
    root = _folder(target_dir) if target_dir is not None else None
    with isolated_git() as git:
        cross_check(git, data, files, root or git.home)
    if root is not None:
        check_tree(files, root)
    return files


def check(patch: PatchText, target_dir: Path, reverse: bool = False) -> list[PatchFile]:
    """Validate ``patch`` and make sure all of it applies to ``target_dir``
    (``reverse``: that all of it can be taken back out of it).

    Returns the files it would change. Raises PatchFormatError,
    UnsafePatchError or PatchConflictError (naming the files). Writes nothing.
    """
    data = to_bytes(patch)
    root = _folder(target_dir)
    files = _parse_and_check_rules(data)
    if not files:
        return files
    with isolated_git() as git:
        _check(git, data, files, root, _direction(reverse))
    return files


def apply(patch: PatchText, target_dir: Path, reverse: bool = False) -> list[PatchFile]:
    """Apply ``patch`` to ``target_dir``: all of it, or nothing. ``reverse``
    takes an applied patch back out (the same checks, run on the patch as
    the agent made it).

    Same errors as ``check``, plus PatchApplyError when writing failed
    half-way (the touched files are then restored). An empty patch is a no-op.
    """
    data = to_bytes(patch)
    root = _folder(target_dir)
    files = _parse_and_check_rules(data)
    if not files:
        return files
    with isolated_git() as git:
        _check(git, data, files, root, _direction(reverse))
        snapshot = Snapshot.take(root, [path for item in files for path in item.read_paths])
        result = git.apply(data, root, *_direction(reverse))
        if result.returncode != 0:
            # The check just passed, so this is a write failure (or the folder
            # changed in between): undo whatever git managed to write.
            failures = snapshot.restore()
            said = printable(result.stderr.strip())
            if failures:
                raise PatchApplyError(
                    f"Applying the changes to {printable(str(root))} failed part-way, and these "
                    f"files could not be put back: {', '.join(failures)}. git said:\n{said}",
                    failures,
                )
            raise PatchApplyError(
                f"Applying the changes to {printable(str(root))} failed; the files were put back "
                f"as they were. Check the disk space and permissions. git said:\n{said}"
            )
    return files


def _parse_and_check_rules(data: bytes) -> list[PatchFile]:
    files = parse_patch(data)
    check_files(files)
    return files


def _direction(reverse: bool) -> tuple[str, ...]:
    return ("--reverse",) if reverse else ()


def _check(git: IsolatedGit, data: bytes, files: list[PatchFile], root: Path, direction: tuple[str, ...] = ()) -> None:
    cross_check(git, data, files, root)
    check_tree(files, root)
    result = git.apply(data, root, "--check", *direction)
    if result.returncode != 0:
        raise failure_error(result.stderr, files, str(root))


def _folder(target_dir: Path) -> Path:
    # Resolved once: the user's folder may itself be reached through a
    # symlink; below it, nothing is followed.
    path = Path(target_dir)
    if not path.is_dir():
        raise PatchError(f"The folder {printable(str(path))} does not exist (or is not a folder).")
    return Path(os.path.realpath(path))
