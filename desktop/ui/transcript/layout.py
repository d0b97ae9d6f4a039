"""Row heights and their running sum; no Qt.

``tops[i]`` is where row ``i`` starts and ``tops[-1]`` the content height, so
finding the row at a scroll position is a bisection and an append touches only
the new rows.
"""

from __future__ import annotations

import bisect
import itertools


class RowLayout:
    def __init__(self) -> None:
        self.heights: list[int] = []
        self.tops: list[int] = [0]

    def __len__(self) -> int:
        return len(self.heights)

    @property
    def total(self) -> int:
        return self.tops[-1]

    def clear(self) -> None:
        self.heights, self.tops = [], [0]

    def append(self, heights: list[int]) -> None:
        self.heights.extend(heights)
        # accumulate() yields its initial value first: that top is already there.
        self.tops.extend(itertools.islice(itertools.accumulate(heights, initial=self.tops[-1]), 1, None))

    def reset(self, heights: list[int]) -> None:
        self.heights = list(heights)
        self.tops = list(itertools.accumulate(self.heights, initial=0))

    def update(self, changes: dict[int, int], above: int) -> int:
        """Set new heights; returns how much the rows before ``above`` grew in total."""
        if not changes:
            return 0
        shift = 0
        for i, h in changes.items():
            if i < above:
                shift += h - self.heights[i]
            self.heights[i] = h
        start = min(changes)
        tail = itertools.accumulate(self.heights[start:], initial=self.tops[start])
        self.tops[start + 1 :] = itertools.islice(tail, 1, None)
        return shift

    def row_at(self, pos: int) -> int:
        """The row covering content position ``pos``, or -1."""
        i = bisect.bisect_right(self.tops, pos) - 1
        return i if 0 <= i < len(self.heights) else -1
