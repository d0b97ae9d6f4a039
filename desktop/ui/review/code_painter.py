"""Paints lines of code: gutter, numbers, marker, syntax colours and changed words.

A line's text is one cached QTextLayout (``line_layouts``): its syntax
colours are format ranges, its changed words boxes drawn under it.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QPainter

from desktop.domain.review import LineKind
from desktop.ui.review.metrics import BAR, MARKER, NUMBER_PAD
from desktop.ui.review.rows import Cell, Row, RowKind
from desktop.ui.review.scene import Scene
from desktop.ui.review.words import Span as WordSpan
from desktop.ui.review.words import changed_words

MARKERS = {LineKind.ADDED: "+", LineKind.REMOVED: "−", LineKind.CONTEXT: ""}


def word_spans(cell: Cell) -> tuple[WordSpan, ...]:
    if cell.partner is None or cell.kind is LineKind.CONTEXT:
        return ()
    if cell.kind is LineKind.REMOVED:
        return changed_words(cell.text, cell.partner)[0]
    return changed_words(cell.partner, cell.text)[1]


def paint_code(p: QPainter, row: Row, rect: QRect, s: Scene) -> None:
    if row.kind is RowKind.LINE:
        assert row.cell is not None
        _unified(p, row.cell, rect, s)
    else:
        _split(p, row, rect, s)


def _unified(p: QPainter, cell: Cell, rect: QRect, s: Scene) -> None:
    c, nw = s.colors, s.columns.number_w
    p.fillRect(rect, c.line[cell.kind])
    p.fillRect(QRect(BAR, rect.y(), 2 * nw, rect.height()), c.gutter[cell.kind])
    _number(p, cell.old, QRect(BAR, rect.y(), nw, rect.height()), cell.kind, s)
    _number(p, cell.new, QRect(BAR + nw, rect.y(), nw, rect.height()), cell.kind, s)
    _marker(p, cell.kind, QRect(BAR + 2 * nw, rect.y(), MARKER, rect.height()), s)
    left, right = s.columns.sides()[0]
    _text(p, cell, left, right, rect, s)


def _split(p: QPainter, row: Row, rect: QRect, s: Scene) -> None:
    c, nw, half = s.colors, s.columns.number_w, s.columns.half
    panes = s.columns.sides()
    # The strip left of the first side takes its colour, as a unified row's does.
    p.fillRect(QRect(0, rect.y(), BAR, rect.height()), c.line[row.cell.kind] if row.cell else c.empty_side)
    for side, cell in enumerate((row.cell, row.right)):
        x0 = BAR + side * half
        area = QRect(x0, rect.y(), (half if side == 0 else rect.width() - x0), rect.height())
        if cell is None:
            p.fillRect(area, c.empty_side)
            continue
        kind = cell.kind
        p.fillRect(area, c.line[kind])
        p.fillRect(QRect(x0, rect.y(), nw, rect.height()), c.gutter[kind])
        _number(p, cell.old if side == 0 else cell.new, QRect(x0, rect.y(), nw, rect.height()), kind, s)
        _marker(p, kind, QRect(x0 + nw, rect.y(), MARKER, rect.height()), s)
        _text(p, cell, *panes[side], rect, s)
    p.fillRect(QRect(BAR + half, rect.y(), 1, rect.height()), c.border)


def _number(p: QPainter, number: int | None, rect: QRect, kind: LineKind, s: Scene) -> None:
    if number is None:
        return
    text, width = s.layouts.static(str(number), s.metrics.mono)
    p.setPen(s.colors.faint if kind is LineKind.CONTEXT else s.colors.muted)
    p.drawStaticText(QPointF(rect.right() + 1 - NUMBER_PAD - width, _top(rect, s)), text)


def _marker(p: QPainter, kind: LineKind, rect: QRect, s: Scene) -> None:
    if kind is LineKind.CONTEXT:
        return
    text, width = s.layouts.static(MARKERS[kind], s.metrics.mono)
    p.setPen(s.colors.marker[kind])
    p.drawStaticText(QPointF(rect.x() + (rect.width() - width) / 2, _top(rect, s)), text)


def _top(rect: QRect, s: Scene) -> float:
    """Where a line of code's text starts, to sit in the middle of its row."""
    return rect.y() + (rect.height() - s.metrics.mono_h) / 2


def _text(p: QPainter, cell: Cell, left: int, right: int, rect: QRect, s: Scene) -> None:
    spans = s.syntax(cell)
    words = word_spans(cell)
    top, h = rect.y(), rect.height()
    x = float(left - s.hscroll)
    p.save()
    p.setClipRect(QRect(left, top, max(0, right - left), h), Qt.ClipOperation.IntersectClip)
    word_bg = s.colors.word[cell.kind]
    p.setPen(s.colors.text)
    if spans is None:  # not lexed yet: plain, for now
        fm = QFontMetricsF(s.metrics.mono)
        for start, end in words:
            x0 = fm.horizontalAdvance(cell.text[:start])
            p.fillRect(QRectF(x + x0, top + 1, fm.horizontalAdvance(cell.text[start:end]), h - 2), word_bg)
        p.setFont(s.metrics.mono)
        p.drawText(QPointF(x, _top(rect, s) + fm.ascent()), cell.text)
        end_x = x + fm.horizontalAdvance(cell.text) if cell.cut or cell.no_newline else x
    else:
        laid = s.layouts.get(cell, spans, words, s.colors, s.metrics.mono)
        for wx, ww in laid.words:
            p.fillRect(QRectF(x + wx, top + 1, ww, h - 2), word_bg)
        laid.layout.draw(p, QPointF(x, top + (h - laid.height) / 2))
        end_x = x + laid.width
    if cell.cut or cell.no_newline:
        _trailer(p, cell, end_x, rect, s)
    p.restore()


def _trailer(p: QPainter, cell: Cell, x: float, rect: QRect, s: Scene) -> None:
    """After a line's end: how much of a long line was cut, a missing final newline."""
    notes = []
    if cell.cut:
        notes.append(f"… {cell.cut:,} more characters")
    if cell.no_newline:
        notes.append("⊘ no newline at end of file")
    if not notes:
        return
    p.setFont(s.metrics.small)
    p.setPen(s.colors.faint)
    text = "   ".join(notes)
    p.drawText(QRectF(x + 12, rect.y(), QFontMetricsF(s.metrics.small).horizontalAdvance(text) + 4, rect.height()),
               Qt.AlignmentFlag.AlignVCenter, text)
