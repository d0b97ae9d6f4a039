"""A checkbox drawn like the diff's own (tick, dash for "some", empty), with its label."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QCheckBox, QWidget

from desktop.ui.review import palette
from desktop.ui.review.choices import Choice
from desktop.ui.review.marks import draw_checkbox, draw_focus_ring
from desktop.ui.review.metrics import CHECK

_GAP = 8


class ChoiceBox(QCheckBox):
    """A tri-state QCheckBox (keyboard, accessibility) whose state only its
    owner sets: a click asks (``clicked``), the owner decides what follows."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setTristate(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def nextCheckState(self) -> None:  # noqa: N802 - Qt's name
        pass  # the owner sets the state in answer to ``clicked``

    def sizeHint(self) -> QSize:
        fm = QFontMetrics(self.font())
        return QSize(CHECK + _GAP + fm.horizontalAdvance(self.text()) + 8, max(CHECK, fm.height()) + 6)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def hitButton(self, pos: QPoint) -> bool:  # noqa: N802 - Qt's name
        return self.rect().contains(pos)

    def paintEvent(self, event: QPaintEvent) -> None:
        c = palette.current()
        p = QPainter(self)
        state = {Qt.CheckState.Checked: Choice.ALL, Qt.CheckState.PartiallyChecked: Choice.SOME}.get(
            self.checkState(), Choice.NONE)
        box = QRect(2, (self.height() - CHECK) // 2, CHECK, CHECK)
        if self.isEnabled():
            draw_checkbox(p, box, state, c, self.underMouse())
        p.setPen(c.text if self.isEnabled() else c.faint)
        p.setFont(self.font())
        p.drawText(QRect(box.right() + _GAP, 0, self.width() - box.right() - _GAP, self.height()),
                   Qt.AlignmentFlag.AlignVCenter, self.text())
        if self.hasFocus():
            draw_focus_ring(p, self.rect(), c)
