"""Fonts and spacing of the transcript, and the arithmetic of monospace wrapping.

Monospace blocks (commands, tool output, logs) wrap at a fixed number of
characters per line, so their height is arithmetic, not a text layout: a card
with 300 lines of output costs a multiplication to measure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtGui import QFont, QFontMetrics, QFontMetricsF

from desktop.ui.look import theme

MARGIN_X = 20  # left and right of every row
GAP = 8  # between rows
NEST_INDENT = 22  # a subagent's rows, under its Task call
CARD_PAD_X = 12
CARD_PAD_Y = 8
ICON = 16
# An expanded card shows at most this many wrapped lines per block; "Copy" has the rest.
MAX_BLOCK_LINES = 400
MAX_DETAIL_LINES = 80


@dataclass
class Metrics:
    base: QFont
    bold: QFont
    small: QFont
    small_bold: QFont
    mono: QFont
    line: int  # base line height
    small_line: int
    mono_line: int
    mono_char: float

    @classmethod
    def from_font(cls, font: QFont) -> Metrics:
        bold = QFont(font)
        bold.setWeight(QFont.Weight.DemiBold)
        small = QFont(font)
        small.setPointSizeF(font.pointSizeF() * 0.9)
        small_bold = QFont(small)
        small_bold.setWeight(QFont.Weight.DemiBold)
        mono = theme.mono_font()
        mono.setPointSizeF(font.pointSizeF() * 0.92)
        mono_f = QFontMetricsF(mono)
        return cls(
            base=font, bold=bold, small=small, small_bold=small_bold, mono=mono,
            line=QFontMetrics(font).height(), small_line=QFontMetrics(small).height(),
            mono_line=math.ceil(mono_f.lineSpacing()), mono_char=mono_f.horizontalAdvance("M"),
        )

    def chars_per_line(self, width: float) -> int:
        return max(8, int(width // self.mono_char))


def wrapped_count(lines: list[str], per_line: int) -> int:
    """How many screen lines ``lines`` take when cut every ``per_line`` characters."""
    return sum(max(1, -(-len(line) // per_line)) for line in lines)


def wrap(lines: list[str], per_line: int, limit: int) -> tuple[list[str], int]:
    """The first ``limit`` screen lines, and how many more there would be."""
    out: list[str] = []
    total = 0
    for line in lines:
        pieces = [line[i:i + per_line] for i in range(0, len(line), per_line)] or [""]
        total += len(pieces)
        room = limit - len(out)
        if room > 0:
            out.extend(pieces[:room])
    return out, max(0, total - len(out))


def split_lines(text: str) -> list[str]:
    return text.expandtabs(4).split("\n") if text else []
