"""A merged file to read: monospace, read-only, git's conflict markers marked.

The text came from the agent and from the person's folder, so it is set as
plain text through ``visible_lines`` (no control character moves a line or
hides one). Where both sides changed the same lines, the marker lines get a
warning band, your folder's side one tint and the task's side another; the
colours are the theme's, read again when it changes.
"""

from __future__ import annotations

import enum

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFont, QTextCursor, QTextFormat
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

from desktop.domain.review import visible_lines
from desktop.ui.look import theme

OURS, SPLIT, THEIRS = "<<<<<<<", "=======", ">>>>>>>"


class Part(enum.Enum):
    PLAIN = "plain"
    MARKER = "marker"
    OURS = "ours"  # your folder's side of a conflict
    THEIRS = "theirs"  # the task's side


def parts(lines: list[str]) -> list[Part]:
    """What each line of a merged file is: plain text, a marker, or one side of a conflict."""
    found, inside = [], Part.PLAIN
    for line in lines:
        if line.startswith(OURS + " ") or line == OURS:
            found.append(Part.MARKER)
            inside = Part.OURS
        elif line == SPLIT and inside is Part.OURS:
            found.append(Part.MARKER)
            inside = Part.THEIRS
        elif (line.startswith(THEIRS + " ") or line == THEIRS) and inside is Part.THEIRS:
            found.append(Part.MARKER)
            inside = Part.PLAIN
        else:
            found.append(inside)
    return found


class MergeText(QPlainTextEdit):
    """Shows one merged file; ``conflict_lines`` are the (0-based) marker lines."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("MergeText")
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setAccessibleName("The merged file")
        self.setFont(theme.mono_font())
        self.document().setDocumentMargin(8)
        self._parts: list[Part] = []

    def show_text(self, text: str) -> None:
        """``text`` as it is (untrusted), shown through ``visible_lines``."""
        shown = visible_lines(text)
        self.setPlainText(shown)
        self._parts = parts(shown.split("\n"))
        self._mark()
        first = next((i for i, part in enumerate(self._parts) if part is Part.MARKER), 0)
        self.setTextCursor(QTextCursor(self.document().findBlockByNumber(first)))
        self.centerCursor()

    @property
    def conflict_lines(self) -> list[int]:
        return [i for i, part in enumerate(self._parts) if part is Part.MARKER]

    def _mark(self) -> None:
        c = theme.current()
        looks = {Part.MARKER: (c.q("warning_bg"), c.q("warning"), True),
                 Part.OURS: (c.q("info_bg"), None, False),  # as the legend's chips
                 Part.THEIRS: (c.q("success_bg"), None, False)}
        selections = []
        block = self.document().firstBlock()
        for part in self._parts:
            look = looks.get(part)
            if look is not None:
                band = QTextEdit.ExtraSelection()
                band.format.setBackground(look[0])
                band.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
                if look[1] is not None:
                    band.format.setForeground(look[1])
                if look[2]:
                    band.format.setFontWeight(QFont.Weight.DemiBold)
                band.cursor = QTextCursor(block)
                band.cursor.clearSelection()
                selections.append(band)
            block = block.next()
        self.setExtraSelections(selections)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self.setFont(theme.mono_font())
            self._mark()

