"""The viewer's colours, derived from the theme at paint time (a theme switch is a repaint).

Line backgrounds come from the theme's success/danger backgrounds; the
gutter and the changed words take a stronger mix of the same hue, as in
GitHub's diffs. Syntax colours follow GitHub's light and dark code themes,
which stay readable on those green and red backgrounds.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from PySide6.QtGui import QColor

from desktop.domain.review import LineKind
from desktop.ui.look import theme

SYNTAX_LIGHT = {
    "keyword": "#cf222e", "string": "#0a3069", "comment": "#6e7781", "number": "#0550ae",
    "constant": "#0550ae", "builtin": "#0550ae", "type": "#953800", "function": "#8250df",
    "tag": "#116329", "attribute": "#0550ae", "variable": "#953800",
    "deleted": "#82071e", "inserted": "#116329",
}
SYNTAX_DARK = {
    "keyword": "#ff7b72", "string": "#a5d6ff", "comment": "#8b949e", "number": "#79c0ff",
    "constant": "#79c0ff", "builtin": "#79c0ff", "type": "#ffa657", "function": "#d2a8ff",
    "tag": "#7ee787", "attribute": "#79c0ff", "variable": "#ffa657",
    "deleted": "#ffa198", "inserted": "#7ee787",
}


def mix(a: str, b: str, amount: float) -> QColor:
    """``a`` moved ``amount`` (0..1) of the way towards ``b``."""
    ca, cb = QColor(a), QColor(b)
    return QColor(
        round(ca.red() + (cb.red() - ca.red()) * amount),
        round(ca.green() + (cb.green() - ca.green()) * amount),
        round(ca.blue() + (cb.blue() - ca.blue()) * amount),
    )


@dataclass(frozen=True)
class DiffColors:
    base: QColor
    window: QColor  # between files
    text: QColor
    muted: QColor
    faint: QColor
    border: QColor
    accent: QColor
    selection: QColor  # the current file in the list
    hover: QColor
    on_accent: QColor
    header: QColor  # a file's header
    hunk: QColor  # a hunk's header row
    hunk_text: QColor
    gap: QColor
    gap_hover: QColor
    empty_side: QColor  # side by side: no line on this side
    line: dict[LineKind, QColor]
    gutter: dict[LineKind, QColor]
    word: dict[LineKind, QColor]
    marker: dict[LineKind, QColor]
    syntax: dict[str, QColor]
    status: dict[str, QColor]
    warning: QColor
    current: QColor  # the current hunk's bar
    shadow: QColor  # under the pinned file header


@lru_cache(maxsize=4)
def _colors(c: theme.Colors) -> DiffColors:
    strength = 0.16 if c.dark else 0.12
    word = 0.45 if c.dark else 0.28
    return DiffColors(
        base=QColor(c.base), window=QColor(c.window), text=QColor(c.text), muted=QColor(c.muted), faint=QColor(c.faint),
        border=QColor(c.border), accent=QColor(c.accent), selection=QColor(c.selection), hover=QColor(c.card_hover),
        on_accent=QColor(c.on_accent),
        header=QColor(c.alt_base if not c.dark else c.card),
        hunk=mix(c.base, c.info, 0.14 if c.dark else 0.08), hunk_text=mix(c.muted, c.info, 0.35),
        gap=QColor(c.code), gap_hover=mix(c.code, c.info, 0.14),
        empty_side=mix(c.base, c.faint, 0.10 if c.dark else 0.07),
        line={LineKind.ADDED: QColor(c.success_bg), LineKind.REMOVED: QColor(c.danger_bg),
              LineKind.CONTEXT: QColor(c.base)},
        gutter={LineKind.ADDED: mix(c.success_bg, c.success, strength),
                LineKind.REMOVED: mix(c.danger_bg, c.danger, strength), LineKind.CONTEXT: QColor(c.base)},
        word={LineKind.ADDED: mix(c.success_bg, c.success, word), LineKind.REMOVED: mix(c.danger_bg, c.danger, word),
              LineKind.CONTEXT: QColor(c.base)},
        marker={LineKind.ADDED: QColor(c.success), LineKind.REMOVED: QColor(c.danger), LineKind.CONTEXT: QColor(c.faint)},
        syntax={name: QColor(value) for name, value in (SYNTAX_DARK if c.dark else SYNTAX_LIGHT).items()},
        status={"A": QColor(c.success), "D": QColor(c.danger), "M": QColor(c.warning), "R": QColor(c.info),
                "C": QColor(c.info)},
        warning=QColor(c.warning), current=QColor(c.accent),
        shadow=QColor(0, 0, 0, 60 if c.dark else 18),
    )


def current() -> DiffColors:
    return _colors(theme.current())
