"""A tool's input as a permission card shows it: monospace, wrapped, read-only,
removed lines red with "−", added lines green with "+", our notes faint.

The lines arrive bounded and made visible (``preview``); the box is at most
``MAX_VISIBLE_LINES`` tall and scrolls beyond. Colours follow the theme: a
theme change writes the lines again.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QColor, QFontMetrics, QTextBlockFormat, QTextCharFormat, QTextCursor, QTextOption
from PySide6.QtWidgets import QFrame, QPlainTextEdit, QWidget

from desktop.ui.approvals.preview import LineKind, PreviewLine
from desktop.ui.look import theme

MAX_VISIBLE_LINES = 10
MARKS = {LineKind.ADDED: "+ ", LineKind.REMOVED: "− ", LineKind.PLAIN: "", LineKind.NOTE: ""}


class PreviewBox(QPlainTextEdit):
    def __init__(self, lines: tuple[PreviewLine, ...], accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PreviewBox")
        self.setReadOnly(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(accessible_name)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setFont(theme.mono_font(-0.5))
        self.lines = lines
        self._write()

    def _write(self) -> None:
        c = theme.current()
        tones = {
            LineKind.ADDED: (c.success, c.success_bg), LineKind.REMOVED: (c.danger, c.danger_bg),
            LineKind.NOTE: (c.faint, ""), LineKind.PLAIN: (c.text, ""),
        }
        self.clear()
        cursor = QTextCursor(self.document())
        for index, line in enumerate(self.lines):
            fg, bg = tones[line.kind]
            block = QTextBlockFormat()
            if bg:
                block.setBackground(QColor(bg))
            char = QTextCharFormat()
            char.setForeground(QColor(fg))
            char.setFontItalic(line.kind is LineKind.NOTE)
            if index:
                cursor.insertBlock(block, char)
            else:
                cursor.setBlockFormat(block)
                cursor.setCharFormat(char)
            cursor.insertText(MARKS[line.kind] + line.text, char)
        self.moveCursor(QTextCursor.MoveOperation.Start)
        self._fit()

    def _fit(self) -> None:
        """As tall as its wrapped lines, up to MAX_VISIBLE_LINES (the rest scrolls)."""
        fm = QFontMetrics(self.font())
        margin = int(self.document().documentMargin())
        per_line = max(20, (self.viewport().width() - 2 * margin) // max(1, fm.horizontalAdvance("M")))
        wrapped = 0
        for line in self.lines:
            wrapped += max(1, -(-(len(MARKS[line.kind]) + len(line.text)) // per_line))
            if wrapped >= MAX_VISIBLE_LINES:
                break
        shown = min(MAX_VISIBLE_LINES, max(1, wrapped))
        self.setFixedHeight(shown * fm.lineSpacing() + 2 * margin + 2 * self.frameWidth() + 2)

    def resizeEvent(self, event) -> None:  # noqa: ANN001
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._write()  # the line colours are the theme's
