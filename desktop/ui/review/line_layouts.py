"""Laid-out lines of code, kept between paints.

Scrolling repaints mostly the same lines; a line's QTextLayout (its syntax
colours as format ranges, and where its changed words are) is made once and
drawn in one call after that. Kept by cell, with the colours and font it was
made for, so a theme switch makes a fresh one. Lines still being lexed are
painted plain, without a layout (it would be thrown away a moment later).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetricsF, QStaticText, QTextCharFormat, QTextLayout, QTextOption

from desktop.ui.review.palette import DiffColors
from desktop.ui.review.rows import Cell
from desktop.ui.review.syntax import Span
from desktop.ui.review.words import Span as WordSpan

KEEP = 4000  # lines: a few screens of both sides, in any mode
NO_WRAP = 1_000_000.0


@dataclass
class LaidOut:
    cell: Cell
    colors: DiffColors
    font: QFont
    layout: QTextLayout
    words: list[tuple[float, float]]  # x and width of each changed word
    width: float
    ascent: float
    height: float


class LineLayouts:
    def __init__(self) -> None:
        self._kept: OrderedDict[int, LaidOut] = OrderedDict()
        self._formats: dict[tuple[int, str], QTextCharFormat] = {}
        self._static: dict[str, tuple[QStaticText, float]] = {}

    def clear(self) -> None:
        self._kept.clear()
        self._formats.clear()
        self._static.clear()

    def static(self, text: str, font: QFont) -> tuple[QStaticText, float]:
        """A short text drawn often (line numbers, markers), laid out once; and its width."""
        kept = self._static.get(text)
        if kept is None:
            item = QStaticText(text)
            item.setTextFormat(Qt.TextFormat.PlainText)
            item.prepare(font=font)
            kept = self._static[text] = (item, QFontMetricsF(font).horizontalAdvance(text))
            if len(self._static) > KEEP:
                self._static.clear()
        return kept

    def get(self, cell: Cell, spans: list[Span], words: tuple[WordSpan, ...], colors: DiffColors,
            font: QFont) -> LaidOut:
        """The layout of ``cell`` with its syntax colours (lexed: painted plain
        until then, without a layout of its own)."""
        kept = self._kept.get(id(cell))
        if kept is not None and kept.cell is cell and kept.colors is colors and kept.font == font:
            self._kept.move_to_end(id(cell))
            return kept
        laid = self._lay_out(cell, spans, words, colors, font)
        self._kept[id(cell)] = laid
        if len(self._kept) > KEEP:
            self._kept.popitem(last=False)
        return laid

    def _lay_out(self, cell: Cell, spans: list[Span], words: tuple[WordSpan, ...], colors: DiffColors,
                 font: QFont) -> LaidOut:
        layout = QTextLayout(cell.text, font)
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.NoWrap)
        option.setTextDirection(Qt.LayoutDirection.LeftToRight)
        layout.setTextOption(option)
        ranges = []
        for start, end, name in spans:
            colour = colors.syntax.get(name)
            if colour is None:
                continue
            item = QTextLayout.FormatRange()
            item.start, item.length, item.format = start, end - start, self._format(colors, name)
            ranges.append(item)
        layout.setFormats(ranges)
        layout.beginLayout()
        line = layout.createLine()
        line.setLineWidth(NO_WRAP)
        layout.endLayout()
        boxes = []
        for start, end in words:
            x0, x1 = _x(line.cursorToX(start)), _x(line.cursorToX(end))
            boxes.append((x0, x1 - x0))
        return LaidOut(cell, colors, QFont(font), layout, boxes, line.naturalTextWidth(),
                       line.ascent(), line.height())

    def _format(self, colors: DiffColors, name: str) -> QTextCharFormat:
        key = (id(colors), name)
        if key not in self._formats:
            fmt = QTextCharFormat()
            fmt.setForeground(colors.syntax[name])
            self._formats[key] = fmt
        return self._formats[key]


def _x(value: object) -> float:
    # PySide returns (x, position) from cursorToX; older bindings the x alone.
    return float(value[0] if isinstance(value, tuple) else value)  # type: ignore[arg-type]
