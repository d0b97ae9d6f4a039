"""Checks of a patch against the folder it will be applied to, on disk.

Symlinks already in the folder matter: writing ``sub/file`` when ``sub`` is
a symlink would write wherever ``sub`` points. We walk each path with
``os.lstat`` (which never follows a link) and refuse on the first symlink.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from desktop.hostgit.errors import UnsafePatchError
from desktop.hostgit.patch.model import SYMLINK_MODE, ChangeKind, PatchFile
from desktop.hostgit.patch.quote import printable
from desktop.hostgit.patch.rules import check_symlink_target


def check_tree(files: Iterable[PatchFile], root: Path) -> None:
    """Refuse paths below symlinks in ``root``, and moved symlinks that would
    point outside ``root`` from their new place."""
    for item in files:
        for path in item.read_paths:
            _refuse_symlinked_parents(root, path)
        if item.kind in (ChangeKind.RENAMED, ChangeKind.COPIED):
            _check_moved_symlink(root, item)


def _refuse_symlinked_parents(root: Path, path: str) -> None:
    parts = path.split("/")
    current = root
    for index, part in enumerate(parts[:-1]):
        current = current / part
        try:
            mode = os.lstat(current).st_mode
        except FileNotFoundError:
            return  # git creates the rest; nothing below can be a link yet
        except OSError as exc:
            raise UnsafePatchError(
                f"Cannot inspect '{printable(str(current))}': {exc.strerror}. Nothing was changed.",
                path,
            ) from exc
        if stat.S_ISLNK(mode):
            parent = "/".join(parts[: index + 1])
            raise UnsafePatchError(
                f"The patch writes '{printable(path)}' through the symlink "
                f"'{printable(parent)}' in the folder. Nothing was changed.",
                path,
            )
        if not stat.S_ISDIR(mode):
            return  # git will refuse: a file cannot have children


def _check_moved_symlink(root: Path, item: PatchFile) -> None:
    # A relative link means something else from another directory, so a
    # moved link is checked again from its new place.
    if item.old_path is None or item.new_mode not in (None, SYMLINK_MODE):
        return
    if item.symlink_target is not None:
        return  # the patch carries the new target; patch_rules checked it
    source = root / item.old_path
    try:
        if not stat.S_ISLNK(os.lstat(source).st_mode):
            return
        target = os.readlink(source)
    except OSError:
        return  # missing: git apply reports it as a conflict
    check_symlink_target(item.path, target)
