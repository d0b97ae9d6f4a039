"""The rows of a diff as the viewer lays them out; no Qt.

One flat list for the whole change, so painting and scrolling only look up
rows by index. A row refers to its file and hunk by index and carries the
text it shows, already made visible (``visible``) and with tabs expanded.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from desktop.domain.review import LineKind, visible
from desktop.ui.review.context import Gap

TAB = 4
MAX_CHARS = 2000  # a longer line is cut here and says how much is left out

# Where a line's syntax colours come from: a hunk's old or new side, or a
# block of unchanged lines fetched for a gap.
BlockKey = tuple[object, ...]


class RowKind(enum.IntEnum):
    FILE = 0  # the file's header: checkbox, status, path, counts, flags
    NOTE = 1  # what a file without lines changed: binary sizes, symlink, mode
    HUNK = 2  # "@@ -a,b +c,d @@ section" with the hunk's checkbox
    LINE = 3  # unified: one line
    PAIR = 4  # side by side: a line before and/or a line after
    GAP = 5  # "⋯ N unchanged lines", expands on request
    SPACER = 6  # room between two files


@dataclass(slots=True)
class Cell:
    """One line of code as shown."""

    kind: LineKind
    old: int | None
    new: int | None
    text: str
    cut: int  # characters of a very long line left out
    block: BlockKey
    line: int  # index in its block
    partner: str | None = None  # the line it replaces or is replaced by: for word highlights
    no_newline: bool = False


@dataclass(slots=True)
class Row:
    kind: RowKind
    file: int
    hunk: int = -1  # index into the file's hunks; -1 outside any hunk
    cell: Cell | None = None  # LINE; PAIR: the left side (before)
    right: Cell | None = None  # PAIR: the right side (after)
    gap: Gap | None = None
    text: str = ""  # NOTE

    @property
    def is_stop(self) -> bool:
        """Rows the keyboard cursor moves between."""
        return self.kind in (RowKind.FILE, RowKind.HUNK, RowKind.GAP)

    def key(self) -> tuple[object, ...]:
        """What the row stands for, the same in both modes and after expanding context."""
        if self.kind is RowKind.GAP and self.gap is not None:
            return ("gap", self.file, self.gap.first_old)
        if self.kind in (RowKind.LINE, RowKind.PAIR):
            cell = self.cell or self.right
            assert cell is not None
            return ("line", self.file, self.hunk, cell.block, cell.line)
        return (self.kind.name, self.file, self.hunk, self.text)


@dataclass
class Layout:
    """A change laid out as rows, for one mode."""

    rows: list[Row] = field(default_factory=list)
    blocks: dict[BlockKey, list[str]] = field(default_factory=dict)  # display texts by block
    file_rows: list[int] = field(default_factory=list)  # the header row of each file
    widest: int = 0  # the longest display text, in characters
    widest_number: int = 1  # the largest line number, for the gutter


def display(text: str) -> tuple[str, int]:
    """A line's text as shown: invisible characters made visible, tabs
    expanded, cut at MAX_CHARS; and how many characters were cut."""
    if text.isascii() and text.isprintable():  # the common case, checked in C: nothing to change
        shown = text
    else:
        shown = visible(text)
        if "\t" in shown:
            shown = shown.expandtabs(TAB)
    if len(shown) <= MAX_CHARS:
        return shown, 0
    return shown[:MAX_CHARS], len(shown) - MAX_CHARS
