"""Unchanged lines around hunks: where the gaps are, and what was fetched for them; no Qt.

The patch tells how many lines lie between two hunks (from their numbers) but
not how long the file is, so the gap after the last hunk is open-ended and is
filled a chunk at a time.
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from desktop.domain.review import DiffLine, FileDiff, Hunk, LineKind

TAIL_LINES = 20  # lines fetched at a time after the last hunk


class Fetch(enum.Enum):
    LOADING = "loading"  # asked for, no answer yet
    UNAVAILABLE = "unavailable"  # the owner could not read them


@dataclass(frozen=True)
class Gap:
    """Unchanged lines ``first_old``.. (``count`` of them; None: to the end of the file)."""

    file: int
    first_old: int
    first_new: int
    count: int | None

    @property
    def request_count(self) -> int:
        return TAIL_LINES if self.count is None else self.count


def _first(start: int, count: int) -> int:
    # "@@ -5,0 ..." inserts after line 5: the hunk's first line on that side is 6.
    return start if count else start + 1


def gaps_before(index: int, file: FileDiff) -> list[tuple[int, Gap]]:
    """The gaps of file ``index``: (position, gap), the gap shown before hunk
    ``position`` (``len(hunks)``: after the last)."""
    if file.binary or not file.hunks or file.status in ("added", "deleted"):
        return []
    found: list[tuple[int, Gap]] = []
    old_next = new_next = 1
    for position, hunk in enumerate(file.hunks):
        old_first, new_first = _first(hunk.old_start, hunk.old_count), _first(hunk.new_start, hunk.new_count)
        if old_first > old_next:
            found.append((position, Gap(index, old_next, new_first - (old_first - old_next), old_first - old_next)))
        old_next, new_next = old_first + hunk.old_count, new_first + hunk.new_count
    if not _reaches_end(file.hunks):
        found.append((len(file.hunks), Gap(index, old_next, new_next, None)))
    return found


def _reaches_end(hunks: tuple[Hunk, ...]) -> bool:
    """Whether the last hunk reaches the old file's end: its last old line has
    no newline, or it has fewer lines of context after its changes than the
    patch gives elsewhere (git stops the context at the end of the file)."""
    last = hunks[-1]
    if any(line.no_newline and line.kind is not LineKind.ADDED for line in last.lines):
        return True
    return _context_run(reversed(last.lines)) < _context_size(hunks)


def _context_size(hunks: tuple[Hunk, ...]) -> int:
    """How many lines of context the patch was made with (git's -U), from the
    runs that nothing cut short: before a hunk not at the file's start, after
    a hunk not the last."""
    seen = [_context_run(h.lines) for h in hunks if _first(h.old_start, h.old_count) > 1]
    seen += [_context_run(reversed(h.lines)) for h in hunks[:-1]]
    return max(seen, default=3)


def _context_run(lines: Iterable[DiffLine]) -> int:
    return sum(1 for _ in itertools.takewhile(lambda line: line.kind is LineKind.CONTEXT, lines))


class ContextLines:
    """What was asked for and answered, by (file index, first old line)."""

    def __init__(self) -> None:
        self._state: dict[tuple[int, int], Fetch | tuple[str, ...]] = {}

    def state(self, gap: Gap) -> Fetch | tuple[str, ...] | None:
        return self._state.get((gap.file, gap.first_old))

    def asked(self, gap: Gap) -> None:
        self._state[(gap.file, gap.first_old)] = Fetch.LOADING

    def answered(self, file: int, first_old: int, lines: list[str] | None) -> bool:
        """Store an answer; False when nothing was asked for there (a stale answer)."""
        if self._state.get((file, first_old)) is not Fetch.LOADING:
            return False
        self._state[(file, first_old)] = Fetch.UNAVAILABLE if lines is None else tuple(lines)
        return True

    def clear(self) -> None:
        self._state.clear()
