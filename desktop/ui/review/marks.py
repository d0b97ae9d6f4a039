"""Small marks drawn in the diff and the file list: checkboxes and status badges."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen

from desktop.ui.review.choices import Choice
from desktop.ui.review.metrics import Metrics
from desktop.ui.review.palette import DiffColors


def draw_checkbox(p: QPainter, rect: QRect, state: Choice, c: DiffColors, hovered: bool) -> None:
    """A rounded checkbox: filled with the accent and ticked (ALL) or dashed (SOME)."""
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    box = QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5)
    if state is Choice.NONE:
        p.setPen(QPen(c.accent if hovered else c.faint, 1.3))
        p.setBrush(c.base)
        p.drawRoundedRect(box, 3.5, 3.5)
        p.restore()
        return
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(c.accent.lighter(115) if hovered else c.accent)
    p.drawRoundedRect(box, 3.5, 3.5)
    p.setPen(QPen(c.on_accent, 1.8, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
    p.setBrush(Qt.BrushStyle.NoBrush)
    x, y, w = box.x(), box.y(), box.width()
    if state is Choice.SOME:
        p.drawLine(QPointF(x + w * 0.28, y + w * 0.5), QPointF(x + w * 0.72, y + w * 0.5))
    else:
        tick = QPainterPath(QPointF(x + w * 0.25, y + w * 0.52))
        tick.lineTo(QPointF(x + w * 0.43, y + w * 0.70))
        tick.lineTo(QPointF(x + w * 0.76, y + w * 0.32))
        p.drawPath(tick)
    p.restore()


def draw_badge(p: QPainter, rect: QRect, letter: str, c: DiffColors, m: Metrics, muted: bool = False) -> None:
    """The status letter (A, M, D, R, C) in a tinted rounded square of its colour."""
    tone = QColor(c.faint if muted else c.status.get(letter, c.muted))
    fill = QColor(tone)
    fill.setAlpha(36)
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QPen(tone, 1))
    p.setBrush(fill)
    p.drawRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4)
    font = m.bold
    if rect.height() < 18:
        font = QFont(m.bold)
        font.setPointSizeF(m.bold.pointSizeF() * 0.85)
    p.setFont(font)
    p.setPen(tone)
    p.drawText(rect, Qt.AlignmentFlag.AlignCenter, letter)
    p.restore()


def draw_focus_ring(p: QPainter, rect: QRect, c: DiffColors) -> None:
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QPen(c.accent, 2))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawRoundedRect(QRectF(rect).adjusted(1.5, 1.5, -1.5, -1.5), 4, 4)
    p.restore()


def draw_unfold(p: QPainter, center: QPointF, colour: QColor, up: bool, down: bool) -> None:
    """Chevrons pointing where collapsed lines would open: up, down or both."""
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QPen(colour, 1.5, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
    p.setBrush(Qt.BrushStyle.NoBrush)
    x, y, w, h = center.x(), center.y(), 4.0, 2.5
    gap = 2.5 if up and down else 0.0
    if up:
        p.drawPolyline([QPointF(x - w, y - gap + h / 2), QPointF(x, y - gap - h / 2), QPointF(x + w, y - gap + h / 2)])
    if down:
        p.drawPolyline([QPointF(x - w, y + gap - h / 2), QPointF(x, y + gap + h / 2), QPointF(x + w, y + gap - h / 2)])
    p.restore()
