"""What painting a row needs besides the row: a snapshot taken once per paint event."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from desktop.domain.review import ChangeSet
from desktop.ui.review.choices import Choices
from desktop.ui.review.context import Fetch, Gap
from desktop.ui.review.line_layouts import LineLayouts
from desktop.ui.review.metrics import Columns, Metrics
from desktop.ui.review.palette import DiffColors
from desktop.ui.review.rows import Cell
from desktop.ui.review.syntax import Span


@dataclass
class Scene:
    change: ChangeSet
    choices: Choices
    metrics: Metrics
    colors: DiffColors
    columns: Columns
    hscroll: int
    syntax: Callable[[Cell], list[Span] | None]  # None: not lexed yet (paint plain)
    cursor: int  # the cursor's row, or -1
    current_hunk: tuple[int, int] | None  # (file, hunk) the cursor is in
    focused: bool
    hover: tuple[int, str] | None  # (row, area) under the pointer
    state_of: Callable[[Gap], Fetch | tuple[str, ...] | None]  # what was fetched for a gap
    layouts: LineLayouts
