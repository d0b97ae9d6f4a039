"""Paints the rows around the code: file headers, hunk headers, gaps, notes, and the
cursor; and says where their clickable parts are (the same geometry for both)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QFontMetrics, QPainter

from desktop.domain.review import FileDiff, LineKind, visible
from desktop.ui.review import labels
from desktop.ui.review.choices import Choice
from desktop.ui.review.code_painter import paint_code
from desktop.ui.review.marks import draw_badge, draw_checkbox, draw_focus_ring, draw_unfold
from desktop.ui.review.metrics import BAR, CHECK, MARKER
from desktop.ui.review.rows import Row, RowKind
from desktop.ui.review.scene import Scene

PAD = 14  # a file header's inner margin


@dataclass(frozen=True)
class HeaderParts:
    check: QRect | None
    badge: QRect
    path: QRect
    flags: QRect | None
    right: QRect


def header_parts(row: Row, rect: QRect, s: Scene) -> HeaderParts:
    file = s.change.files[row.file]
    m = s.metrics
    cy = rect.center().y()
    x = rect.x() + PAD
    check = None
    if s.choices.selectable(row.file):
        check = QRect(x, cy - CHECK // 2, CHECK, CHECK)
        x += CHECK + 12
    badge = QRect(x, cy - 9, 18, 18)
    x = badge.right() + 10
    right_text = "already applied" if file.applied else labels.counts(file)
    right_w = QFontMetrics(m.small if file.applied else m.mono).horizontalAdvance(right_text) + (16 if file.applied else 0)
    right = QRect(rect.right() - PAD - right_w, rect.y(), right_w, rect.height())
    marker = labels.flag_marker(file.flags)
    flags_w = QFontMetrics(m.bold).horizontalAdvance(marker) + 12 if marker else 0
    path_w = min(QFontMetrics(m.bold).horizontalAdvance(labels.shown_path(file)) + 4,
                 max(40, right.x() - 16 - flags_w - x))
    path = QRect(x, rect.y(), path_w, rect.height())
    flags = QRect(path.right() + 12, cy - 10, flags_w, 20) if marker else None
    return HeaderParts(check, badge, path, flags, right)


def hunk_check(rect: QRect) -> QRect:
    return QRect(BAR + 10, rect.center().y() - CHECK // 2, CHECK, CHECK)


def paint_row(p: QPainter, index: int, row: Row, rect: QRect, s: Scene) -> None:
    kind = row.kind
    applied = s.change.files[row.file].applied
    if applied and kind is not RowKind.FILE:
        p.setOpacity(0.55)  # shown for reference, greyed: it is already in the folder
    if kind in (RowKind.LINE, RowKind.PAIR):
        paint_code(p, row, rect, s)
    elif kind is RowKind.FILE:
        paint_file_header(p, index, row, rect, s)
    elif kind is RowKind.HUNK:
        _hunk(p, index, row, rect, s)
    elif kind is RowKind.GAP:
        _gap(p, index, row, rect, s)
    elif kind is RowKind.NOTE:
        _note(p, row, rect, s)
    else:
        _spacer(p, rect, s)
    p.setOpacity(1.0)
    if s.current_hunk == (row.file, row.hunk) and kind in (RowKind.HUNK, RowKind.LINE, RowKind.PAIR):
        p.fillRect(QRect(0, rect.y(), BAR, rect.height()), s.colors.current)
    if index == s.cursor and s.focused:
        draw_focus_ring(p, rect, s.colors)


def paint_file_header(p: QPainter, index: int, row: Row, rect: QRect, s: Scene) -> None:
    c, m = s.colors, s.metrics
    file = s.change.files[row.file]
    parts = header_parts(row, rect, s)
    p.fillRect(rect, c.header)
    p.fillRect(QRect(rect.x(), rect.y(), rect.width(), 1), c.border)
    p.fillRect(QRect(rect.x(), rect.bottom(), rect.width(), 1), c.border)
    if parts.check is not None:
        hovered = s.hover == (index, "file-check")
        draw_checkbox(p, parts.check, s.choices.state(row.file), s.colors, hovered)
    draw_badge(p, parts.badge, labels.letter(file), c, m, muted=file.applied)
    _path(p, labels.shown_path(file), parts.path, s, muted=file.applied)
    if parts.flags is not None:
        p.setFont(m.bold)
        p.setPen(c.warning)
        p.drawText(parts.flags, Qt.AlignmentFlag.AlignVCenter, labels.flag_marker(file.flags))
    if file.applied:
        chip = parts.right.adjusted(0, (parts.right.height() - 20) // 2, 0, -(parts.right.height() - 20) // 2)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(c.border)
        p.drawRoundedRect(QRectF(chip), 10, 10)
        p.setFont(m.small)
        p.setPen(c.muted)
        p.drawText(chip, Qt.AlignmentFlag.AlignCenter, "already applied")
    else:
        _counts(p, file, parts.right, s)


def _path(p: QPainter, path: str, rect: QRect, s: Scene, muted: bool) -> None:
    c, m = s.colors, s.metrics
    fm = QFontMetrics(m.bold)
    folder, name = labels.split_path(path)
    if fm.horizontalAdvance(path) > rect.width() or " → " in path:
        p.setFont(m.bold)
        p.setPen(c.muted if muted else c.text)
        p.drawText(rect, Qt.AlignmentFlag.AlignVCenter, fm.elidedText(path, Qt.TextElideMode.ElideMiddle, rect.width()))
        return
    p.setFont(m.bold)
    p.setPen(c.muted)
    p.drawText(rect, Qt.AlignmentFlag.AlignVCenter, folder)
    p.setPen(c.muted if muted else c.text)
    p.drawText(rect.adjusted(fm.horizontalAdvance(folder), 0, 0, 0), Qt.AlignmentFlag.AlignVCenter, name)


def _counts(p: QPainter, file: FileDiff, rect: QRect, s: Scene) -> None:
    c = s.colors
    p.setFont(s.metrics.mono)
    if file.binary:
        p.setPen(c.muted)
        p.drawText(rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, "binary")
        return
    added, removed = labels.line_counts(file)
    minus = f"−{removed}"
    fm = QFontMetrics(s.metrics.mono)
    p.setPen(c.marker[LineKind.REMOVED])
    p.drawText(rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, minus)
    p.setPen(c.marker[LineKind.ADDED])
    p.drawText(rect.adjusted(0, 0, -fm.horizontalAdvance(minus + " "), 0),
               Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, f"+{added}")


def _hunk(p: QPainter, index: int, row: Row, rect: QRect, s: Scene) -> None:
    c, m = s.colors, s.metrics
    hunk = s.change.files[row.file].hunks[row.hunk]
    p.fillRect(rect, c.hunk)
    if s.choices.by_hunk(row.file):
        hovered = s.hover == (index, "hunk-check")
        chosen = s.choices.hunk_chosen(row.file, hunk.number)
        draw_checkbox(p, hunk_check(rect), Choice.ALL if chosen else Choice.NONE, s.colors, hovered)
    left = s.columns.sides()[0][0] - MARKER
    p.setFont(m.mono)
    p.setPen(c.hunk_text)
    text = f"{hunk.header} {visible(hunk.section)}".rstrip()
    room = rect.width() - left - 12
    p.drawText(QRect(left, rect.y(), room, rect.height()), Qt.AlignmentFlag.AlignVCenter,
               QFontMetrics(m.mono).elidedText(text, Qt.TextElideMode.ElideRight, room))


def _gap(p: QPainter, index: int, row: Row, rect: QRect, s: Scene) -> None:
    c, m = s.colors, s.metrics
    assert row.gap is not None
    hovered = s.hover is not None and s.hover[0] == index
    p.fillRect(rect, c.gap_hover if hovered else c.gap)
    state = s.state_of(row.gap)
    gutter = QRect(BAR, rect.y(), s.columns.sides()[0][0] - MARKER - BAR, rect.height())
    tone = c.accent if hovered else c.muted
    draw_unfold(p, QRectF(gutter).center(), tone, up=row.gap.count is not None, down=row.gap.first_old > 1)
    p.setPen(tone)
    p.setFont(m.ui)
    p.drawText(QRect(gutter.right() + 1, rect.y(), rect.width() - gutter.right() - 12, rect.height()),
               Qt.AlignmentFlag.AlignVCenter, labels.gap_text(row.gap, state))


def _note(p: QPainter, row: Row, rect: QRect, s: Scene) -> None:
    c, m = s.colors, s.metrics
    p.fillRect(rect, c.base)
    p.setFont(m.ui)
    p.setPen(c.muted)
    left = s.columns.sides()[0][0] - MARKER
    p.drawText(QRect(left, rect.y(), rect.width() - left - 12, rect.height()), Qt.AlignmentFlag.AlignVCenter, row.text)


def _spacer(p: QPainter, rect: QRect, s: Scene) -> None:
    p.fillRect(rect, s.colors.window)
