"""Measures and paints notice rows (a background command started or ended) and
details rows (events the transcript does not know, collapsed until asked).

Functions of the ``RowPainter``'s metrics and monospace block, kept apart so
the painter's own file stays about the rows of a turn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics, QPainter

from desktop.ui.look import icons, theme
from desktop.ui.transcript.metrics import GAP, MAX_BLOCK_LINES, Metrics, split_lines, wrapped_count
from desktop.ui.transcript.rows import DetailsRow, NoticeRow

if TYPE_CHECKING:
    from desktop.ui.transcript.painter import RowPainter

ICON = 14


def notice_height(m: Metrics) -> int:
    return max(m.small_line, ICON) + 4 + GAP


def paint_notice(p: QPainter, row: NoticeRow, body: QRect, m: Metrics, c: theme.Colors) -> None:
    line = QRect(body.x(), body.y(), body.width(), max(m.small_line, ICON) + 4)
    icons.icon("terminal", row.tone).paint(p, QRect(line.x(), line.center().y() - ICON // 2, ICON, ICON))
    p.setFont(m.small)
    p.setPen(c.q("text" if row.tone == "muted" else row.tone))
    room = line.width() - ICON - 8
    text = QFontMetrics(m.small).elidedText(row.text, Qt.TextElideMode.ElideRight, room)
    p.drawText(line.adjusted(ICON + 8, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)


def header_height(m: Metrics) -> int:
    return max(m.small_line, ICON) + 6


def details_height(row: DetailsRow, m: Metrics, inner: int) -> int:
    h = header_height(m)
    if row.expanded:
        count = wrapped_count(split_lines(row.detail), m.chars_per_line(inner - 18))
        h += (min(count, MAX_BLOCK_LINES) + (1 if count > MAX_BLOCK_LINES else 0)) * m.mono_line + 8
    return h + GAP


def paint_details(painter: RowPainter, p: QPainter, row: DetailsRow, body: QRect, c: theme.Colors,
                  hovered: bool) -> None:
    m = painter.m
    head = QRect(body.x(), body.y(), body.width(), header_height(m))
    if hovered:
        p.fillRect(head, c.q("card_hover"))
    chevron = icons.icon("chevron-down" if row.expanded else "chevron-right", "muted")
    chevron.paint(p, QRect(head.x(), head.center().y() - ICON // 2, ICON, ICON))
    p.setFont(m.small)
    p.setPen(c.q("faint"))
    text = QFontMetrics(m.small).elidedText(row.title, Qt.TextElideMode.ElideRight, head.width() - ICON - 8)
    p.drawText(head.adjusted(ICON + 6, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
    if not row.expanded:
        return
    x = body.x() + 18
    top = head.bottom() + 4
    p.fillRect(QRect(body.x() + 6, top, 2, body.bottom() - top), c.q("border"))
    width = body.width() - 18
    painter.mono_block(p, row.detail, x, top, width, m.chars_per_line(width), MAX_BLOCK_LINES, c.q("muted"))


def toggle_area(row: DetailsRow, body: QRect, m: Metrics) -> QRect:
    return QRect(body.x(), body.y(), body.width(), header_height(m))
