"""What a patch changes, file by file: the types shared by the patch modules."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from desktop.domain.changes import ChangedFile
from desktop.hostgit.patch.quote import printable

SYMLINK_MODE = "120000"
GITLINK_MODE = "160000"
FILE_MODES = frozenset({"100644", "100755", SYMLINK_MODE})

# A patch as received from the container: bytes as ``git diff --binary``
# wrote them, or the same decoded as UTF-8 (with surrogateescape).
PatchText = bytes | str


class ChangeKind(enum.StrEnum):
    ADDED = "added"
    DELETED = "deleted"
    MODIFIED = "modified"  # content and/or mode
    RENAMED = "renamed"
    COPIED = "copied"


@dataclass(frozen=True)
class RawHunk:
    """One hunk as the patch has it: its numbers, and its exact text."""

    old_start: int
    old_count: int
    new_start: int
    new_count: int
    section: bytes  # after the second "@@", without the leading space
    lines: tuple[bytes, ...]  # each with its marker (" ", "+", "-", "\\"), without "\n"
    header_line: bytes  # the "@@ ... @@" line as it was

    @property
    def text(self) -> bytes:
        return b"".join(line + b"\n" for line in (self.header_line, *self.lines))


@dataclass(frozen=True)
class PatchFile:
    """One file of a patch.

    ``path`` is the path after the change (for a deletion, the deleted path);
    ``old_path`` is set for renames and copies. Paths are relative, with "/"
    separators, decoded as UTF-8 with surrogateescape (``os.fsencode`` gives
    the exact bytes back). Modes are git's octal strings ("100644"), None on
    the side where the file does not exist. ``insertions``/``deletions`` are
    None for binary files. ``symlink_target`` is the link's new target when
    the file is a symlink after the change.
    """

    path: str
    kind: ChangeKind
    old_path: str | None = None
    old_mode: str | None = None
    new_mode: str | None = None
    binary: bool = False
    insertions: int | None = 0
    deletions: int | None = 0
    symlink_target: str | None = None
    # The exact text of this file's part of the patch, for partial patches:
    # not compared, so tests can state a file by its meaning.
    header: bytes = field(default=b"", compare=False, repr=False)  # "diff --git" up to the first hunk
    body: bytes = field(default=b"", compare=False, repr=False)  # the whole part, header included
    hunks: tuple[RawHunk, ...] = field(default=(), compare=False, repr=False)
    old_size: int | None = field(default=None, compare=False)  # binary: sizes the patch states
    new_size: int | None = field(default=None, compare=False)
    old_blob: str | None = field(default=None, compare=False)  # the "index" line's id of the old content

    @property
    def mode_changed(self) -> bool:
        return (
            self.kind is not ChangeKind.ADDED
            and self.kind is not ChangeKind.DELETED
            and self.old_mode != self.new_mode
        )

    @property
    def display_path(self) -> str:
        """``path`` safe to print: control characters escaped, since the
        names come from the agent and may hold terminal escape sequences."""
        return printable(self.path)

    def changed_file(self) -> ChangedFile:
        """The file as a review lists it."""
        return ChangedFile(self.display_path, str(self.kind), self.insertions, self.deletions, self.binary)

    @property
    def is_symlink(self) -> bool:
        return self.new_mode == SYMLINK_MODE

    @property
    def touched_paths(self) -> tuple[str, ...]:
        """Every path ``git apply`` may write or remove for this file."""
        if self.old_path is not None and self.kind is ChangeKind.RENAMED:
            return (self.old_path, self.path)
        return (self.path,)

    @property
    def read_paths(self) -> tuple[str, ...]:
        """Every path the change reads or writes (copies read their source)."""
        if self.old_path is not None:
            return (self.old_path, self.path)
        return (self.path,)
