"""How a person works the transcript: pointer, keyboard, context menu, tooltips.

A mixin of ``TranscriptView`` (which it reads the rows and geometry of);
kept apart so the view's own file is about folding events and scrolling.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QMouseEvent
from PySide6.QtWidgets import QMenu, QToolTip

from desktop.ui.look import icons
from desktop.ui.look.formatting import plain_tip  # noqa: F401 - the transcript's tooltips use it
from desktop.ui.transcript import links
from desktop.ui.transcript.rows import DetailsRow, RequestRow, ToolRow

if TYPE_CHECKING:
    from desktop.ui.transcript.view import TranscriptView

    _Base = TranscriptView
else:
    _Base = object


class TranscriptInput(_Base):
    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        index = self.row_at(pos.y())
        hover = index if index >= 0 and self._in_toggle(index, pos) else -1
        if hover != self._hover:
            for i in (self._hover, hover):
                if 0 <= i < len(self._rows.heights):
                    self.viewport().update(self.row_rect(i))
            self._hover = hover
        link = index >= 0 and bool(self._painter.anchor_at(self.rows[index], self.row_rect(index), event.position()))
        self.viewport().setCursor(Qt.CursorShape.PointingHandCursor if hover >= 0 or link else Qt.CursorShape.ArrowCursor)

    def leaveEvent(self, event: QEvent) -> None:
        if self._hover >= 0 and self._hover < len(self._rows.heights):
            self.viewport().update(self.row_rect(self._hover))
        self._hover = -1
        super().leaveEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        index = self.row_at(pos.y())
        if index >= 0 and event.button() == Qt.MouseButton.LeftButton:
            self._set_current(index)
            if self._in_toggle(index, pos):
                self.toggle(index)
                return
            link = self._painter.anchor_at(self.rows[index], self.row_rect(index), event.position())
            if link:
                links.open_link(self, link)  # a web address only, after showing it
                return
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        event.accept()  # presses act on press; the release has nothing left to do

    def _in_toggle(self, index: int, pos: QPoint) -> bool:
        area = self._painter.toggle_area(self.rows[index], self.row_rect(index))
        return area is not None and area.contains(pos)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            pos = event.pos()
            index = self.row_at(pos.y())
            row = self.rows[index] if index >= 0 else None
            if isinstance(row, ToolRow) and self._in_toggle(index, pos) and row.summary:
                tip = f"{row.name}: {row.summary}\nClick to {'collapse' if row.expanded else 'expand'}"
                QToolTip.showText(event.globalPos(), plain_tip(tip), self)
            elif isinstance(row, DetailsRow) and self._in_toggle(index, pos):
                tip = f"{row.title}\nClick to {'hide' if row.expanded else 'show'} them"
                QToolTip.showText(event.globalPos(), plain_tip(tip), self)
            elif isinstance(row, RequestRow):  # its one line may be cut short
                QToolTip.showText(event.globalPos(), plain_tip(row.plain_text()), self)
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def contextMenuEvent(self, event) -> None:  # noqa: ANN001 - QContextMenuEvent
        index = self.row_at(self.viewport().mapFrom(self, event.pos()).y())
        menu = QMenu(self)
        copy_row = menu.addAction(icons.icon("copy"), "Copy")
        copy_row.setEnabled(index >= 0)
        copy_row.triggered.connect(lambda: self.copy_text(index))
        menu.addAction("Copy whole transcript", self.copy_text)
        menu.addSeparator()
        menu.addAction("Expand all tool calls", lambda: self.set_all_expanded(True))
        menu.addAction("Collapse all tool calls", lambda: self.set_all_expanded(False))
        menu.exec(event.globalPos())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        bar = self.verticalScrollBar()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self._rows.heights:
            step = 1 if key == Qt.Key.Key_Down else -1
            self._set_current(max(0, min(len(self._rows.heights) - 1, self._current + step)), ensure_visible=True)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and 0 <= self._current < len(self._rows.heights):
            self.toggle(self._current)
        elif key == Qt.Key.Key_Home:
            bar.setValue(0)
        elif key == Qt.Key.Key_End:
            self.scroll_to_end()
        elif event.matches(QKeySequence.StandardKey.Copy) and 0 <= self._current < len(self._rows.heights):
            self.copy_text(self._current)
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event) -> None:  # noqa: ANN001
        # The current-row ring is for keyboard users; a click shows none.
        keyboard = event.reason() in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason, Qt.FocusReason.ShortcutFocusReason)
        if keyboard and self._current < 0 and self._rows.heights:
            self._current = max(0, self.row_at(0))
        self.viewport().update()
        super().focusInEvent(event)

    def focusOutEvent(self, event) -> None:  # noqa: ANN001
        self.viewport().update()
        super().focusOutEvent(event)

    def _set_current(self, index: int, ensure_visible: bool = False) -> None:
        self._current = index
        if ensure_visible:
            rect = self.row_rect(index)
            bar = self.verticalScrollBar()
            if rect.top() < 0:
                bar.setValue(self._rows.tops[index])
            elif rect.bottom() > self.viewport().height():
                bar.setValue(self._rows.tops[index] + self._rows.heights[index] - self.viewport().height())
        self.viewport().update()

