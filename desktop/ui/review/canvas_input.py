"""How a person works the diff: pointer, keyboard and tooltips.

A mixin of ``DiffCanvas`` (whose rows and geometry it reads), kept apart so
the canvas's own file is about laying out and painting.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, QRect, Qt
from PySide6.QtGui import QContextMenuEvent, QGuiApplication, QKeyEvent, QKeySequence, QMouseEvent
from PySide6.QtWidgets import QMenu, QToolTip

from desktop.domain.review import visible
from desktop.ui.review import labels
from desktop.ui.review.keys import Nav, nav_for
from desktop.ui.review.painter import header_parts, hunk_check
from desktop.ui.review.payloads import FileReached
from desktop.ui.review.rows import RowKind

if TYPE_CHECKING:
    from desktop.ui.review.canvas import DiffCanvas

    _Base = DiffCanvas
else:
    _Base = object

_TARGETS = {
    Nav.NEXT_HUNK: (RowKind.HUNK,), Nav.PREV_HUNK: (RowKind.HUNK,),
    Nav.NEXT_FILE: (RowKind.FILE,), Nav.PREV_FILE: (RowKind.FILE,),
    Nav.NEXT_STOP: (RowKind.FILE, RowKind.HUNK, RowKind.GAP), Nav.PREV_STOP: (RowKind.FILE, RowKind.HUNK, RowKind.GAP),
}
_FORWARD = {Nav.NEXT_HUNK, Nav.NEXT_FILE, Nav.NEXT_STOP}


class CanvasInput(_Base):
    # -- what the keys do ---------------------------------------------------

    def navigate(self, nav: Nav) -> bool:
        """Move the cursor; False when there is nowhere to go."""
        kinds = _TARGETS[nav]
        start = self._cursor if self._cursor_shown() else self._reading_row() - (nav in _FORWARD)
        if nav in _FORWARD:
            found = next((i for i in range(start + 1, len(self.rows)) if self.rows[i].kind in kinds), -1)
        else:
            found = next((i for i in range(min(start, len(self.rows)) - 1, -1, -1) if self.rows[i].kind in kinds), -1)
        if found < 0:
            return False
        self.set_cursor(found, to_top=nav not in (Nav.NEXT_STOP, Nav.PREV_STOP))
        return True

    def set_cursor(self, index: int, to_top: bool = False) -> None:
        """Put the cursor on a row; scroll it into view (to the top, under the
        pinned header, when jumping to a hunk or file)."""
        if not 0 <= index < len(self.rows):
            return
        self._cursor = index
        rect = self.row_rect(index)
        header = 0 if self.rows[index].kind is RowKind.FILE else self._metrics.file_h
        bar = self.verticalScrollBar()
        tops = self._heights.tops
        if to_top or rect.top() < header:
            bar.setValue(tops[index] - header)
        elif rect.bottom() > self.viewport().height():
            bar.setValue(tops[index] + rect.height() - self.viewport().height())
        self.setAccessibleDescription(self.row_text(index))
        file = self.rows[index].file
        if file != self._top_file:
            self._top_file = file
            self.file_reached.emit(FileReached(file))
        self.viewport().update()

    def activate(self, index: int) -> None:
        """What Space does on a row: choose its file or hunk (or not); a gap expands."""
        row = self.rows[index]
        if row.kind is RowKind.FILE:
            self.toggle_file(row.file)
        elif row.kind is RowKind.HUNK:
            self.toggle_hunk(row.file, row.hunk)
        elif row.kind is RowKind.GAP:
            self.expand(index)

    def _cursor_shown(self) -> bool:
        if not 0 <= self._cursor < len(self.rows):
            return False
        rect = self.row_rect(self._cursor)
        return rect.bottom() >= 0 and rect.top() <= self.viewport().height()

    def _reading_row(self) -> int:
        """The first row under the pinned header: where "next" starts from when
        the cursor is off screen."""
        return max(0, self.row_at(self._metrics.file_h))

    # -- keyboard -----------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        nav = nav_for(event)
        if nav is not None:
            self.navigate(nav)
        elif key == Qt.Key.Key_Space and self._cursor_valid():
            self.activate(self._cursor)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._cursor_valid():
            if self.rows[self._cursor].kind is RowKind.GAP:
                self.expand(self._cursor)
        elif event.matches(QKeySequence.StandardKey.Copy) and self._cursor_valid():
            self.copy_row(self._cursor)
        elif key == Qt.Key.Key_Home and self.rows:
            self.set_cursor(0, to_top=True)
        elif key == Qt.Key.Key_End and self.rows:
            self.verticalScrollBar().setValue(self.verticalScrollBar().maximum())
        else:
            super().keyPressEvent(event)

    def copy_row(self, index: int, line: bool = False) -> None:
        """Put a row's text on the clipboard: its hunk (or only its line), or its file's path."""
        row = self.rows[index]
        file = self._change.files[row.file]
        cell = row.right or row.cell  # side by side: the line after the change
        if line and cell is not None:
            text = cell.text
        elif row.hunk >= 0:
            text = labels.hunk_text(file, file.hunks[row.hunk].number)
        else:
            text = visible(file.path)
        QGuiApplication.clipboard().setText(text)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        index, _part = self.hit(self.viewport().mapFrom(self, event.pos()))
        if index < 0:
            return
        row = self.rows[index]
        menu = QMenu(self)
        if row.cell is not None or row.right is not None:
            menu.addAction("Copy line", lambda: self.copy_row(index, line=True))
        if row.hunk >= 0:
            menu.addAction("Copy hunk", lambda: self.copy_row(index))
        menu.addAction("Copy path", lambda: QGuiApplication.clipboard().setText(visible(self._change.files[row.file].path)))
        menu.exec(event.globalPos())

    def _cursor_valid(self) -> bool:
        return 0 <= self._cursor < len(self.rows)

    def focusInEvent(self, event) -> None:  # noqa: ANN001 - QFocusEvent
        # Keyboard users need somewhere to start: the first thing on screen.
        if self._cursor < 0 and self.rows:
            self._cursor = next((i for i in range(max(0, self.row_at(0)), len(self.rows)) if self.rows[i].is_stop), 0)
            self.setAccessibleDescription(self.row_text(self._cursor))
        self.viewport().update()
        super().focusInEvent(event)

    def focusOutEvent(self, event) -> None:  # noqa: ANN001 - QFocusEvent
        self.viewport().update()
        super().focusOutEvent(event)

    # -- pointer ------------------------------------------------------------

    def hit(self, pos: QPoint) -> tuple[int, str]:
        """(row, part) under ``pos``: part is file-check, flags, file, hunk-check,
        hunk, gap or line; (-1, "") over nothing."""
        sticky = self.sticky_header()
        if sticky is not None and sticky[1].contains(pos):
            index, rect = sticky
        else:
            index = self.row_at(pos.y())
            if index < 0:
                return -1, ""
            rect = self.row_rect(index)
        row = self.rows[index]
        if row.kind is RowKind.FILE:
            parts = header_parts(row, rect, self._scene())
            if parts.check is not None and parts.check.adjusted(-6, -6, 6, 6).contains(pos):
                return index, "file-check"
            return index, "flags" if parts.flags is not None and parts.flags.contains(pos) else "file"
        if row.kind is RowKind.HUNK:
            check = hunk_check(rect).adjusted(-6, -6, 6, 6)
            return index, "hunk-check" if check.contains(pos) and self._choices.by_hunk(row.file) else "hunk"
        if row.kind is RowKind.GAP:
            return index, "gap"
        return index, "line"

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        index, part = self.hit(event.position().toPoint())
        hover = (index, part) if part in ("file-check", "hunk-check", "gap") else None
        if hover != self._hover:
            self._hover = hover
            self.viewport().update()
        self.viewport().setCursor(Qt.CursorShape.PointingHandCursor if hover else Qt.CursorShape.ArrowCursor)

    def leaveEvent(self, event: QEvent) -> None:
        if self._hover is not None:
            self._hover = None
            self.viewport().update()
        super().leaveEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        index, part = self.hit(event.position().toPoint())
        if index < 0:
            return
        if part == "line":  # a line puts the cursor on its hunk
            index = next((i for i in range(index, -1, -1) if self.rows[i].is_stop), index)
        self._cursor = index
        self.setAccessibleDescription(self.row_text(index))
        if part in ("file-check", "hunk-check", "gap"):
            self.activate(index)
        self.viewport().update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        event.accept()  # presses act on press

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            text = self._tooltip(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), labels.plain_tooltip(text), self, QRect())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def _tooltip(self, pos: QPoint) -> str:
        index, part = self.hit(pos)
        if index < 0:
            return ""
        row = self.rows[index]
        file = self._change.files[row.file]
        if part == "flags":
            return labels.flag_reasons(file.flags)
        if part == "file":
            return labels.file_tooltip(file)
        if part == "file-check":
            return "Choose the whole file, or none of it (Space)"
        if part == "hunk-check":
            return "Apply this hunk, or leave it out (Space)"
        if part == "gap":
            return "Show these unchanged lines (Enter)"
        return ""
