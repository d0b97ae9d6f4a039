"""The terminal's font and colours, from the app's theme (light or dark)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from desktop.ui.look import theme

# The 16 ANSI colours, chosen to read on each theme's background.
_ANSI_LIGHT = ("#24292f", "#cf222e", "#116329", "#7d4e00", "#0550ae", "#8250df", "#1b7c83", "#6e7781",
               "#57606a", "#a40e26", "#1a7f37", "#9a6700", "#0969da", "#a475f9", "#3192aa", "#8c959f")
_ANSI_DARK = ("#484f58", "#ff7b72", "#3fb950", "#d29922", "#58a6ff", "#bc8cff", "#39c5cf", "#b1bac4",
              "#6e7681", "#ffa198", "#56d364", "#e3b341", "#79c0ff", "#d2a8ff", "#56d4dd", "#f0f6fc")
_NAMES = ("black", "red", "green", "yellow", "blue", "magenta", "cyan", "white")


@dataclass(frozen=True)
class TerminalStyle:
    fontFamily: str  # noqa: N815 - xterm.js's option names
    fontSize: int  # noqa: N815
    theme: dict[str, str]

    def json(self) -> str:
        return json.dumps(asdict(self))


def current_style(family: str = "", size: float = 0.0) -> TerminalStyle:
    """The style for the app's current theme; ``family``/``size`` from Settings when set."""
    colors = theme.current()
    mono = theme.mono_font()
    family = family or mono.family()
    points = size or mono.pointSizeF()
    ansi = _ANSI_DARK if colors.dark else _ANSI_LIGHT
    palette = {name: ansi[i] for i, name in enumerate(_NAMES)}
    palette.update({f"bright{name.capitalize()}": ansi[i + 8] for i, name in enumerate(_NAMES)})
    palette.update({
        "background": colors.base, "foreground": colors.text, "cursor": colors.accent,
        "cursorAccent": colors.base, "selectionBackground": colors.selection,
    })
    families = ", ".join(json.dumps(f) for f in (family, "DejaVu Sans Mono", "Menlo", "Consolas")) + ", monospace"
    return TerminalStyle(families, max(8, round(points * 4 / 3)), palette)
