"""Where a patch may write: rules on its paths and symlinks, without a disk.

A patch may only create, change or remove files inside the target folder,
never inside a ``.git`` directory (hooks and config there run commands), and
may only create symlinks that stay inside the folder. The rules are
deliberately narrower than what a filesystem allows; each refusal names the
path and why.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import NoReturn

from desktop.hostgit.errors import UnsafePatchError
from desktop.hostgit.patch.model import SYMLINK_MODE, ChangeKind, PatchFile
from desktop.hostgit.patch.quote import printable

# Code points HFS+ ignores in names, so ".g\u200cit" is ".git" on a Mac.
_HFS_IGNORED = re.compile("[\u200c-\u200f\u202a-\u202e\u206a-\u206f\ufeff]")
_DRIVE = re.compile(r"^[A-Za-z]:")


def is_git_dir_name(component: str) -> bool:
    """True for every spelling a filesystem may take as ``.git``."""
    name = _HFS_IGNORED.sub("", component).lower()
    # Windows drops trailing dots and spaces; "git~1" is .git's 8.3 short name.
    return name.rstrip(". ") == ".git" or name == "git~1"


def _has_invisible(text: str) -> bool:
    # Control and format characters (tabs, newlines, ESC, bidi overrides)
    # would garble or forge what a terminal shows of the name. Undecodable
    # bytes (surrogates from surrogateescape) are fine: they are escaped
    # whenever shown.
    return any(unicodedata.category(char) in ("Cc", "Cf") for char in text)


def check_path(path: str) -> None:
    """Refuse a path that could leave the folder or reach into ``.git``."""
    shown = printable(path)
    if not path:
        _refuse(path, "The patch contains an empty file name.")
    if _has_invisible(path):
        _refuse(
            path, f"The patch touches '{shown}', whose name holds control or invisible characters."
        )
    if path.startswith("/") or _DRIVE.match(path):
        _refuse(path, f"The patch touches the absolute path '{shown}'.")
    if "\\" in path:
        _refuse(path, f"The patch touches '{shown}', whose name holds a backslash.")
    for component in path.split("/"):
        if component in ("", ".", ".."):
            _refuse(path, f"The patch touches '{shown}', which leaves or escapes the folder.")
        if is_git_dir_name(component):
            _refuse(
                path,
                f"The patch touches '{shown}' inside a .git directory; "
                "changes to git's own files are never applied.",
            )


def check_symlink_target(link: str, target: str) -> None:
    """Refuse a symlink whose target is absolute or climbs out of the folder.

    Allowed: relative targets whose ".." components all come first and do not
    climb above the folder, e.g. ``lib/x`` or ``../shared/x`` from ``sub/link``.
    A ".." after a name (``a/../..``) is refused: through another symlink it
    could resolve anywhere.
    """
    shown = f"'{printable(link)}' -> '{printable(target)}'"
    if not target:
        _refuse(link, f"The patch creates the symlink '{printable(link)}' with an empty target.")
    if _has_invisible(target) or "\\" in target:
        _refuse(link, f"The patch creates the symlink {shown} with an unusual target.")
    if target.startswith("/") or _DRIVE.match(target):
        _refuse(link, f"The patch creates the symlink {shown}, which points outside the folder.")
    depth = link.count("/")  # directories between the folder and the link
    if all(component in ("", ".", "..") for component in target.split("/")):
        # A link to its own folder or an ancestor makes every path through
        # it an alias ("S/S/x" is "x"): on a case-insensitive disk, one the
        # checks below would not see.
        _refuse(link, f"The patch creates the symlink {shown}, which points at a folder that contains it.")
    climbing = True
    for component in target.split("/"):
        if component == "..":
            if not climbing:
                _refuse(link, f"The patch creates the symlink {shown}, whose '..' follows a name.")
            depth -= 1
            if depth < 0:
                _refuse(
                    link, f"The patch creates the symlink {shown}, which points outside the folder."
                )
        elif component not in ("", "."):
            climbing = False
            if is_git_dir_name(component):
                _refuse(link, f"The patch creates the symlink {shown} into a .git directory.")


def check_files(files: Iterable[PatchFile]) -> None:
    """All path and symlink rules for a parsed patch."""
    items = list(files)
    created_links: dict[str, str] = {}  # as the disk compares names -> as the patch has it
    for item in items:
        for path in item.read_paths:
            check_path(path)
        if item.new_mode == SYMLINK_MODE:
            if item.binary:
                _refuse(
                    item.path, f"The patch creates '{printable(item.path)}' as a binary symlink."
                )
            if item.old_mode not in (None, SYMLINK_MODE) and item.kind is not ChangeKind.ADDED:
                _refuse(
                    item.path,
                    f"The patch turns the file '{printable(item.path)}' into a symlink.",
                )
            if item.symlink_target is not None:
                check_symlink_target(item.path, item.symlink_target)
        if item.kind is not ChangeKind.DELETED and item.new_mode in (SYMLINK_MODE, None):
            created_links[same_name(item.path)] = item.path
    _refuse_writes_below(items, created_links)


def _refuse_writes_below(items: list[PatchFile], links: dict[str, str]) -> None:
    # A file written below a symlink the same patch creates would land
    # wherever that link points. (Modes None: a moved file that may be a link.)
    for item in items:
        for path in item.read_paths:
            parts = same_name(path).split("/")
            for depth in range(1, len(parts)):
                parent = "/".join(parts[:depth])
                if parent in links:
                    _refuse(
                        path,
                        f"The patch writes '{printable(path)}' through the symlink "
                        f"'{printable(links[parent])}' it creates.",
                    )


def same_name(path: str) -> str:
    """``path`` as a case-insensitive, normalising file system (APFS, NTFS,
    exFAT, ext4 casefold) compares it: two paths alike here are one file there."""
    return unicodedata.normalize("NFC", path).casefold()


def _refuse(path: str, message: str) -> NoReturn:
    raise UnsafePatchError(message + " Nothing was changed.", path)
