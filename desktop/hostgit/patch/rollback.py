"""Put a folder's files back as they were if ``git apply`` fails half-way.

``git apply`` checks the whole patch before it writes anything, so a
conflict changes nothing. A write can still fail after that (disk full, a
file locked on Windows); then the folder would be half-patched. We keep a
copy of every path the patch touches, in memory, and restore it on failure.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from desktop.hostgit.patch.quote import printable


@dataclass(frozen=True)
class _Saved:
    path: str
    kind: str  # "missing", "file", "link" or "other" (a directory: git will not touch it)
    data: bytes = b""
    mode: int = 0o644
    link_target: str = ""
    # Ancestors that did not exist: git may create them, restore removes them.
    missing_dirs: tuple[str, ...] = ()


@dataclass
class Snapshot:
    root: Path
    saved: list[_Saved] = field(default_factory=list)

    @classmethod
    def take(cls, root: Path, paths: list[str]) -> Snapshot:
        snapshot = cls(root)
        for path in dict.fromkeys(paths):  # unique, in order
            snapshot.saved.append(_save(root, path))
        return snapshot

    def restore(self) -> tuple[str, ...]:
        """Restore every saved path; returns those that could not be restored."""
        failures: list[str] = []
        # Clear what git wrote, then the directories it made (deepest
        # first), then put the old files back: this order also undoes a
        # file that git replaced by a directory, or the reverse.
        for saved in self.saved:
            _attempt(failures, saved.path, _remove_file, self.root / saved.path)
        dirs = {d for s in self.saved for d in s.missing_dirs}
        # A directory where a file (or nothing) was is new; one that was
        # there before ("other") stays.
        dirs |= {s.path for s in self.saved if s.kind != "other"}
        for directory in sorted(dirs, key=lambda d: d.count("/"), reverse=True):
            _remove_empty_dir(self.root / directory)
        for saved in self.saved:
            if saved.kind in ("file", "link"):
                _attempt(failures, saved.path, _put_back, self.root, saved)
        return tuple(dict.fromkeys(failures))


def _save(root: Path, path: str) -> _Saved:
    full = root / path
    try:
        info = os.lstat(full)
    except (FileNotFoundError, NotADirectoryError):
        return _Saved(path, "missing", missing_dirs=_missing_ancestors(root, path))
    if stat.S_ISLNK(info.st_mode):
        return _Saved(path, "link", link_target=os.readlink(full))
    if stat.S_ISREG(info.st_mode):
        fd = os.open(full, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as handle:
            return _Saved(path, "file", data=handle.read(), mode=stat.S_IMODE(info.st_mode))
    return _Saved(path, "other")


def _missing_ancestors(root: Path, path: str) -> tuple[str, ...]:
    parts = path.split("/")[:-1]
    missing: list[str] = []
    for depth in range(1, len(parts) + 1):
        ancestor = "/".join(parts[:depth])
        if missing or not os.path.lexists(root / ancestor):
            missing.append(ancestor)
    return tuple(missing)


def _remove_file(full: Path) -> None:
    try:
        if not stat.S_ISDIR(os.lstat(full).st_mode):
            os.unlink(full)
    except (FileNotFoundError, NotADirectoryError):
        pass


def _remove_empty_dir(full: Path) -> None:
    try:
        if stat.S_ISDIR(os.lstat(full).st_mode):
            os.rmdir(full)
    except OSError:
        pass  # not empty: it held files before, or holds the user's files


def _put_back(root: Path, saved: _Saved) -> None:
    full = root / saved.path
    full.parent.mkdir(parents=True, exist_ok=True)
    if saved.kind == "link":
        os.symlink(saved.link_target, full)
        return
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(full, flags | getattr(os, "O_BINARY", 0), saved.mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(saved.data)
    os.chmod(full, saved.mode)


def _attempt(failures: list[str], path: str, action: Callable[..., None], *args: object) -> None:
    # Restoring goes on past a failure: every other file still matters.
    try:
        action(*args)
    except OSError:
        failures.append(printable(path))
