"""Keyboard focus made visible: the ring the list delegates draw around the current row.

The lists turn off the style's dotted focus rectangle (``outline: none`` in the
style sheet), which is faint in the dark theme; a 2px accent ring replaces it.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

from desktop.ui.look import theme

RING = 2  # px


def has_focus(option: QStyleOptionViewItem) -> bool:
    return bool(option.state & QStyle.StateFlag.State_HasFocus)


def paint_ring(p: QPainter, option: QStyleOptionViewItem, rect: QRect, radius: float = 7) -> None:
    """A 2px accent outline inside ``rect`` when its row has the keyboard focus."""
    if not has_focus(option):
        return
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QPen(theme.current().q("accent"), RING))
    p.setBrush(Qt.BrushStyle.NoBrush)
    half = RING / 2
    p.drawRoundedRect(QRectF(rect).adjusted(half, half, -half, -half), radius, radius)
    p.restore()
