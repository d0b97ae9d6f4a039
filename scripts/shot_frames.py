"""Frames for screenshots: a dialog over the dimmed window, a window with
the title bar a window manager would draw (Xvfb has none)."""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QWidget

SIZE = (1280, 800)


def over(window: QWidget, dialog: QWidget, app: QApplication) -> QPixmap:
    """The dialog centred on the dimmed window, as a person sees it."""
    background = window.grab()
    shot = QPixmap(background.size())
    shot.setDevicePixelRatio(background.devicePixelRatio())
    p = QPainter(shot)
    p.drawPixmap(0, 0, background)
    p.fillRect(QRect(QPoint(0, 0), window.size()), QColor(0, 0, 0, 90))
    fg = dialog.grab()
    body = fg.deviceIndependentSize().toSize()
    bar = 30
    size = body.grownBy(QMargins(0, bar, 0, 0))
    x = (window.width() - size.width()) // 2
    y = max(12, (window.height() - size.height()) // 2)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    for i in range(10, 0, -1):  # a soft shadow
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(0, 0, 0, 5))
        p.drawRoundedRect(QRect(x - i, y - i + 6, size.width() + 2 * i, size.height() + 2 * i), 10 + i, 10 + i)
    title_bar(p, QRect(x, y, size.width(), bar), dialog.windowTitle(), app)
    p.drawPixmap(x, y + bar, fg)
    p.setPen(QColor(0, 0, 0, 60))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawRect(QRect(x, y, size.width() - 1, size.height() - 1))
    p.end()
    return shot


def title_bar(p: QPainter, rect: QRect, title: str, app: QApplication) -> None:
    """The title bar a window manager would draw (Xvfb has none)."""
    from desktop.ui.look import icons, theme

    c = theme.current()
    p.fillRect(rect, c.q("sidebar"))
    p.setPen(c.q("text"))
    font = QFont(app.font())
    font.setWeight(QFont.Weight.DemiBold)
    p.setFont(font)
    p.drawText(rect, Qt.AlignmentFlag.AlignCenter, title)
    icons.icon("close", "muted").paint(p, QRect(rect.right() - 25, rect.y() + 7, 16, 16))
    p.fillRect(QRect(rect.x(), rect.bottom(), rect.width(), 1), c.q("border"))


def framed(window: QWidget, app: QApplication, bar: int = 30) -> QPixmap:
    """A top-level window of its own (sized 1280x770), with a title bar: 1280x800."""
    body = window.grab()
    shot = QPixmap(QSize(*SIZE) * body.devicePixelRatio())
    shot.setDevicePixelRatio(body.devicePixelRatio())
    p = QPainter(shot)
    title_bar(p, QRect(0, 0, SIZE[0], bar), window.windowTitle(), app)
    p.drawPixmap(0, bar, body)
    p.end()
    return shot
