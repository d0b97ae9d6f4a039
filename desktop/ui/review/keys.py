"""The viewer's keys, in one place: the diff and the file list both move by them.

    n, Alt+Down / p, Alt+Up     next / previous hunk
    ], Ctrl+Down / [, Ctrl+Up   next / previous file
    Down, j / Up, k             next / previous file, hunk or collapsed lines
    Space                       choose the hunk or file at the cursor, or not
    Enter                       show the collapsed unchanged lines at the cursor
"""

from __future__ import annotations

import enum

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent


class Nav(enum.Enum):
    NEXT_HUNK = "next hunk"
    PREV_HUNK = "previous hunk"
    NEXT_FILE = "next file"
    PREV_FILE = "previous file"
    NEXT_STOP = "next"
    PREV_STOP = "previous"


_PLAIN = {
    Qt.Key.Key_N: Nav.NEXT_HUNK, Qt.Key.Key_P: Nav.PREV_HUNK,
    Qt.Key.Key_BracketRight: Nav.NEXT_FILE, Qt.Key.Key_BracketLeft: Nav.PREV_FILE,
    Qt.Key.Key_J: Nav.NEXT_STOP, Qt.Key.Key_K: Nav.PREV_STOP,
}
_ARROWS = {
    Qt.KeyboardModifier.AltModifier: (Nav.NEXT_HUNK, Nav.PREV_HUNK),
    Qt.KeyboardModifier.ControlModifier: (Nav.NEXT_FILE, Nav.PREV_FILE),
}


def nav_for(event: QKeyEvent, arrows: bool = True) -> Nav | None:
    """The move ``event`` asks for; plain Up/Down only when ``arrows`` (the
    file list keeps its own)."""
    key = event.key()
    mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
        down = key == Qt.Key.Key_Down
        for modifier, (forward, back) in _ARROWS.items():
            if mods == modifier:
                return forward if down else back
        if mods == Qt.KeyboardModifier.NoModifier and arrows:
            return Nav.NEXT_STOP if down else Nav.PREV_STOP
        return None
    if mods in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier) and key in _PLAIN:
        return _PLAIN[key]
    return None
