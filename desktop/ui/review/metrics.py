"""Fonts and sizes of the diff: every row kind has a fixed height, so laying
out 5,000 lines is a sum, not a text layout."""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtGui import QFont, QFontMetrics, QFontMetricsF

from desktop.ui.look import theme
from desktop.ui.review.rows import RowKind

BAR = 4  # the current hunk's bar, left of the gutter
NUMBER_PAD = 10  # either side of a line number
MARKER = 18  # the "+" / "−" column
TEXT_PAD = 4  # between the marker and the text
RIGHT_PAD = 24  # after the longest line, when scrolled to the far right
CHECK = 14  # a checkbox's side


@dataclass
class Metrics:
    ui: QFont
    bold: QFont
    small: QFont
    mono: QFont
    char: float  # a monospace character's advance
    mono_h: float  # a monospace line's height
    line_h: int  # a line of code
    file_h: int
    hunk_h: int
    gap_h: int
    note_h: int
    spacer_h: int

    @classmethod
    def from_font(cls, font: QFont) -> Metrics:
        font = QFont(font)  # a copy: an item view's option owns the one it lends
        bold = QFont(font)
        bold.setWeight(QFont.Weight.DemiBold)
        small = QFont(font)
        small.setPointSizeF(font.pointSizeF() * 0.88)
        mono = theme.mono_font()
        mono.setPointSizeF(font.pointSizeF() * 0.95)
        mono_f = QFontMetricsF(mono)
        line_h = math.ceil(mono_f.lineSpacing()) + 5
        ui_line = QFontMetrics(font).height()
        return cls(
            ui=font, bold=bold, small=small, mono=mono, char=mono_f.horizontalAdvance("0"), mono_h=mono_f.height(),
            line_h=line_h, file_h=ui_line + 22, hunk_h=line_h + 8, gap_h=line_h + 8, note_h=line_h + 14,
            spacer_h=16,
        )

    def heights(self) -> dict[RowKind, int]:
        return {
            RowKind.FILE: self.file_h, RowKind.NOTE: self.note_h, RowKind.HUNK: self.hunk_h,
            RowKind.LINE: self.line_h, RowKind.PAIR: self.line_h, RowKind.GAP: self.gap_h,
            RowKind.SPACER: self.spacer_h,
        }

    def number_width(self, widest_number: int) -> int:
        return math.ceil(max(3, len(str(widest_number))) * self.char) + 2 * NUMBER_PAD

    def text_width(self, chars: int) -> int:
        """How wide ``chars`` characters of code are, with room after them."""
        return math.ceil(chars * self.char) + RIGHT_PAD


@dataclass(frozen=True)
class Columns:
    """Where a code row's parts start, for one viewport width and mode.

    Unified: bar | old number | new number | marker | text.
    Side by side, each half: number | marker | text (the bar left of the first).
    """

    number_w: int
    split: bool
    width: int

    @property
    def half(self) -> int:
        return (self.width - BAR) // 2

    def sides(self) -> list[tuple[int, int]]:
        """(left, right) of each text pane: one, or two side by side."""
        if not self.split:
            start = BAR + 2 * self.number_w + MARKER + TEXT_PAD
            return [(start, self.width)]
        first = BAR + self.number_w + MARKER + TEXT_PAD
        second = BAR + self.half + self.number_w + MARKER + TEXT_PAD
        return [(first, BAR + self.half), (second, self.width)]

    @property
    def text_room(self) -> int:
        """The narrowest text pane: how much of a line shows without scrolling."""
        return min(right - left for left, right in self.sides())
