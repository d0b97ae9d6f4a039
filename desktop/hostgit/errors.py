"""Errors of the host-side git layer; every message is meant for people.

Each message says what failed and what the user can do about it, so callers
(GUI dialogs, ``aicode`` CLI) can show ``str(error)`` as is.
"""

from __future__ import annotations


class RepoError(Exception):
    """Base class: ``str(error)`` is a complete, human-readable message."""


class UnsafeUrlError(RepoError):
    """A repository address was refused before git ever saw it."""


class CloneError(RepoError):
    """``git clone`` failed; nothing was left behind at the destination."""


class CloneCancelled(CloneError):
    """The clone was cancelled by the caller; nothing was left behind."""


class CloneTimeout(CloneError):
    """The clone took longer than allowed and was stopped."""


class PatchError(RepoError):
    """Base class for problems with a task's patch."""


class PatchFormatError(PatchError):
    """The patch text is not a well-formed ``git diff --binary`` output."""


class UnsafePatchError(PatchError):
    """The patch would write somewhere it must not; ``path`` names the culprit."""

    def __init__(self, message: str, path: str) -> None:
        super().__init__(message)
        self.path = path


class PatchConflictError(PatchError):
    """The patch does not apply to the folder as it is now; nothing was changed.

    ``paths`` lists the files that do not apply (may be empty when git gave no
    file name); ``detail`` holds git's own explanation, made printable.
    """

    def __init__(self, message: str, paths: tuple[str, ...], detail: str) -> None:
        super().__init__(message)
        self.paths = paths
        self.detail = detail


class PatchApplyError(PatchError):
    """Writing the files failed after the check passed (disk full, permissions).

    The folder was restored to its state before the attempt; ``restore_failures``
    lists any file that could not be put back.
    """

    def __init__(self, message: str, restore_failures: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.restore_failures = restore_failures
