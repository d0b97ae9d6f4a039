"""Icons from resources/icons: SVG, drawn in the theme's colours at any scale.

The action icons use ``currentColor``; a small icon engine fills it in at paint
time, so one file serves light, dark, disabled and selected states and stays
sharp at every device pixel ratio.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QByteArray, QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QIconEngine, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from desktop.domain import Task, TaskState
from desktop.paths import resources_dir
from desktop.ui.look import theme

# Which theme colour a state is drawn in, and with which icon.
STATE_ICONS: dict[TaskState, tuple[str, str]] = {
    TaskState.QUEUED: ("clock", "muted"),
    TaskState.RUNNING: ("running", "info"),
    TaskState.SUCCEEDED: ("check-circle", "success"),
    TaskState.FAILED: ("x-circle", "danger"),
    TaskState.CANCELLED: ("ban", "muted"),
}
NEEDS_INPUT_ICON = ("needs-input", "warning")  # a running task waiting on its user


@lru_cache(maxsize=None)
def _svg_text(name: str) -> str:
    return (resources_dir() / "icons" / f"{name}.svg").read_text(encoding="utf-8")


@lru_cache(maxsize=512)
def _renderer(name: str, color: str) -> QSvgRenderer:
    # Parsing is the expensive part of drawing an SVG: once per (icon, colour).
    svg = _svg_text(name).replace("currentColor", color)
    return QSvgRenderer(QByteArray(svg.encode("utf-8")))


class _TintedSvgEngine(QIconEngine):
    """Renders an SVG with ``currentColor`` set from the theme when painted."""

    def __init__(self, name: str, role: str) -> None:
        super().__init__()
        self._name = name
        self._role = role

    def _color(self, mode: QIcon.Mode) -> QColor:
        colors = theme.current()
        if mode == QIcon.Mode.Disabled:
            return colors.q("faint")
        if mode == QIcon.Mode.Selected and self._role == "text":
            return colors.q("on_accent")
        return colors.q(self._role) if hasattr(colors, self._role) else QColor(self._role)

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        side = min(rect.width(), rect.height())
        target = QRectF(rect.x() + (rect.width() - side) / 2, rect.y() + (rect.height() - side) / 2, side, side)
        _renderer(self._name, self._color(mode).name()).render(painter, target)

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float) -> QPixmap:
        # Rendered at device pixels, so a 2x screen gets a 2x drawing, not a blurred 1x.
        image = QImage(size * scale, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.paint(painter, QRect(QPoint(0, 0), size * scale), mode, state)
        painter.end()
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(scale)
        return pixmap

    def clone(self) -> QIconEngine:
        return _TintedSvgEngine(self._name, self._role)

    def key(self) -> str:
        return "aicode-tinted-svg"


def icon(name: str, role: str = "text") -> QIcon:
    """The icon ``name`` drawn in the theme colour ``role`` (or a literal colour)."""
    return QIcon(_TintedSvgEngine(name, role))


def state_icon(state: TaskState) -> QIcon:
    name, role = STATE_ICONS[state]
    return icon(name, role)


def task_icon(task: Task) -> QIcon:
    """A task's state as its rows show it: a task that waits on its user has an icon of its own."""
    if task.needs_input:
        return icon(*NEEDS_INPUT_ICON)
    return state_icon(task.state)


def app_icon() -> QIcon:
    # Full colour: the SVG engine scales the file itself.
    return QIcon(str(resources_dir() / "icons" / "app.svg"))


BADGE_RUNNING = "#e5484d"
BADGE_NEEDS_YOU = "#f5a524"  # amber: a task waits on its user


def tray_icon(badge: int = 0, needs_you: int = 0) -> QIcon:
    """The tray icon; with ``badge`` > 0, a count of running tasks in the corner. With
    ``needs_you`` > 0 the corner counts the tasks waiting on their user instead, in amber."""
    base = QIcon(str(resources_dir() / "icons" / "tray.svg"))
    if needs_you > 0:
        badge, fill, ink = needs_you, BADGE_NEEDS_YOU, "#1d2127"
    else:
        fill, ink = BADGE_RUNNING, "#ffffff"
    if badge <= 0:
        return base
    result = QIcon()
    for side in (16, 22, 24, 32, 48, 64):
        pixmap = base.pixmap(side, side)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        radius = side * 0.26
        center = QRectF(side - 2 * radius, side - 2 * radius, 2 * radius, 2 * radius)
        painter.setBrush(QColor(fill))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(center)
        font = painter.font()
        font.setPixelSize(max(6, int(radius * 1.3)))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor(ink))
        painter.drawText(center, Qt.AlignmentFlag.AlignCenter, "9+" if badge > 9 else str(badge))
        painter.end()
        result.addPixmap(pixmap)
    return result
