"""A task's change as a person reviews it: files, hunks, lines, and flags.

Everything here came out of the agent's container: names, line texts and
section headings may hold terminal escape codes, bidi overrides or other
invisible characters. They are kept as they are (so what is applied is what
is shown) and every front end shows them through ``visible``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from desktop.domain.changes import ChangedFile


class LineKind(enum.StrEnum):
    CONTEXT = "context"
    ADDED = "added"
    REMOVED = "removed"


@dataclass(frozen=True)
class DiffLine:
    kind: LineKind
    text: str  # without its marker and newline; may hold control characters
    old_number: int | None  # None on the side the line does not exist
    new_number: int | None
    no_newline: bool = False  # the file ends here without a newline


@dataclass(frozen=True)
class Hunk:
    number: int  # 1-based within its file, as ``aicode task diff --hunks`` shows it
    old_start: int
    old_count: int
    new_start: int
    new_count: int
    section: str  # git's heading after the second "@@" (a function name); untrusted
    lines: tuple[DiffLine, ...]

    @property
    def header(self) -> str:
        return f"@@ -{self.old_start},{self.old_count} +{self.new_start},{self.new_count} @@"

    @property
    def added(self) -> int:
        return sum(1 for line in self.lines if line.kind is LineKind.ADDED)

    @property
    def removed(self) -> int:
        return sum(1 for line in self.lines if line.kind is LineKind.REMOVED)


class FlagKind(enum.StrEnum):
    SYMLINK = "symlink"
    EXECUTABLE = "executable"
    CI = "ci"
    GIT_CONFIG = "git-config"
    AGENT_CONFIG = "agent-config"
    EDITOR_CONFIG = "editor-config"
    LOCK_FILE = "lock-file"
    LARGE = "large"
    BINARY = "binary"
    HIDDEN_TEXT = "hidden-text"
    EMBEDDED_REPOSITORY = "embedded-repository"
    WHITESPACE_ONLY = "whitespace-only"


@dataclass(frozen=True)
class Flag:
    """Why a change deserves a second look before it is applied."""

    kind: FlagKind
    reason: str  # for people: "creates a symlink to ../shared"


@dataclass(frozen=True)
class FileDiff:
    """One file of a task's change. ``path`` and ``old_path`` are as the patch
    names them (exact, possibly with control characters): show them through
    ``visible``; select with them as they are."""

    path: str
    status: str  # added, deleted, modified, renamed, copied
    old_path: str | None = None
    old_mode: str | None = None  # git's octal modes; None where the file does not exist
    new_mode: str | None = None
    binary: bool = False
    old_size: int | None = None  # binary files: sizes in bytes, where the patch tells
    new_size: int | None = None
    symlink_target: str | None = None
    hunks: tuple[Hunk, ...] = ()
    flags: tuple[Flag, ...] = ()
    applied: bool = False  # already in the folder (a follow-up's parent was applied)

    @property
    def insertions(self) -> int | None:
        return None if self.binary else sum(h.added for h in self.hunks)

    @property
    def deletions(self) -> int | None:
        return None if self.binary else sum(h.removed for h in self.hunks)

    @property
    def mode_changed(self) -> bool:
        return self.old_mode is not None and self.new_mode is not None and self.old_mode != self.new_mode

    def changed_file(self) -> ChangedFile:
        return ChangedFile(visible(self.path), self.status, self.insertions, self.deletions, self.binary)


@dataclass(frozen=True)
class Selection:
    """Part of a change: whole files, and single hunks of other files (by
    path and hunk number). Empty means nothing; ``None`` where a Selection is
    optional means everything."""

    files: frozenset[str] = frozenset()
    hunks: frozenset[tuple[str, int]] = frozenset()

    @property
    def empty(self) -> bool:
        return not self.files and not self.hunks

    def covers(self, path: str) -> bool:
        return path in self.files or any(p == path for p, _ in self.hunks)


# C0 controls and DEL by their ASCII names, in angle brackets (ESC is
# ⟨ESC⟩): the Unicode control pictures (␛) are missing from common fonts
# (DejaVu), which would draw every one as the same empty box.
_C0 = ("NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI "
       "DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC FS GS RS US").split()
_NAMES = {code: f"⟨{name}⟩" for code, name in enumerate(_C0) if code != 0x09} | {0x7F: "⟨DEL⟩"}
# Characters that reorder or hide text (Trojan Source) and C1 controls: shown by code point.
_CODES = {
    **{code: f"⟨U+{code:04X}⟩" for code in range(0x80, 0xA0)},
    **{code: f"⟨U+{code:04X}⟩" for code in (0x061C, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2028, 0x2029,
                                            0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2060, 0x2066, 0x2067,
                                            0x2068, 0x2069, 0xFEFF)},
}
# Bytes that were not UTF-8 (decoded with surrogateescape) as their value.
_UNDECODED = {code: f"⟨x{code - 0xDC00:02X}⟩" for code in range(0xDC80, 0xDD00)}
_VISIBLE = str.maketrans({**_NAMES, **_CODES, **_UNDECODED})


def visible(text: str) -> str:
    """``text`` with every control and invisible character shown by name
    (``⟨ESC⟩``, ``⟨U+202E⟩``), so nothing the agent wrote can move a cursor,
    hide a line or reorder one."""
    return text.translate(_VISIBLE)


def visible_lines(text: str) -> str:
    """``visible`` line by line: the line breaks stay line breaks."""
    return "\n".join(visible(line) for line in text.split("\n"))


def has_invisible(text: str) -> bool:
    return visible(text) != text


@dataclass(frozen=True)
class ChangeSet:
    """What Apply would write for a task (or wrote, once applied).

    ``step``: a follow-up whose parent's change is already in the folder
    applies only its own step; the files only its parents changed are then
    listed too, with ``applied`` set.
    """

    task_id: str
    files: tuple[FileDiff, ...]
    step: bool = False
    digest: str = ""  # of the patch shown: Apply given it refuses any other

    @property
    def pending_files(self) -> tuple[FileDiff, ...]:
        return tuple(f for f in self.files if not f.applied)


@dataclass(frozen=True)
class MergePreview:
    """A file whose change no longer applies, merged three ways for the person
    to inspect: ``text`` holds git's conflict markers where both sides
    changed the same lines (``conflicts`` of them). ``problem`` says why no
    merge could be made (the task deletes a file you edited, a binary file)."""

    path: str
    text: str = ""
    conflicts: int = 0
    problem: str = ""
