"""Light and dark themes: one palette of named colours, a Qt palette and a style sheet.

Widgets that paint themselves (the transcript, list delegates, icons) read
colours from ``current()`` at paint time, so switching themes is a repaint,
not a rebuild.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from desktop.paths import resources_dir
from desktop.ui.bridge.viewdata import ThemeMode

__all__ = ["Colors", "ThemeMode", "apply", "current", "resolve"]


@dataclass(frozen=True)
class Colors:
    dark: bool
    window: str
    sidebar: str
    base: str
    alt_base: str
    card: str
    card_hover: str
    code: str
    text: str
    muted: str
    faint: str
    border: str
    accent: str
    accent_hover: str
    on_accent: str
    selection: str
    success: str
    danger: str
    warning: str
    info: str
    success_bg: str
    danger_bg: str
    warning_bg: str
    info_bg: str

    def q(self, name: str) -> QColor:
        return QColor(getattr(self, name))


LIGHT = Colors(
    dark=False,
    window="#f5f6f8", sidebar="#eceef2", base="#ffffff", alt_base="#f7f8fa",
    card="#f6f7f9", card_hover="#eef0f4", code="#f0f2f5",
    text="#1d2127", muted="#5f6773", faint="#8c939e", border="#d9dde3",
    accent="#4f46e5", accent_hover="#4338ca", on_accent="#ffffff", selection="#e0e0fb",
    success="#1a7f37", danger="#cf222e", warning="#9a6700", info="#0969da",
    success_bg="#e6f4ea", danger_bg="#fdecee", warning_bg="#fff5d6", info_bg="#e7f0fd",
)

DARK = Colors(
    dark=True,
    window="#1d1f23", sidebar="#17191c", base="#141518", alt_base="#1a1c20",
    card="#23262b", card_hover="#2a2d33", code="#191b1f",
    text="#e4e6ea", muted="#9ca3ae", faint="#6f7782", border="#33373e",
    accent="#818cf8", accent_hover="#a5b4fc", on_accent="#14142b", selection="#34365c",
    success="#3fb950", danger="#f85149", warning="#d29922", info="#58a6ff",
    success_bg="#17301f", danger_bg="#3a1d1f", warning_bg="#332a12", info_bg="#15273d",
)

_current: Colors = LIGHT


def current() -> Colors:
    return _current


def resolve(mode: ThemeMode) -> Colors:
    if mode is ThemeMode.DARK:
        return DARK
    if mode is ThemeMode.LIGHT:
        return LIGHT
    scheme = QGuiApplication.styleHints().colorScheme()
    return DARK if scheme == Qt.ColorScheme.Dark else LIGHT


def apply(app: QApplication, mode: ThemeMode = ThemeMode.SYSTEM) -> Colors:
    """Switch the whole application to ``mode``; returns the colours in use."""
    global _current
    _current = resolve(mode)
    # Fusion draws the same on every platform and honours the palette fully,
    # which a native style (macOS, Windows 11) does not.
    app.setStyle("Fusion")
    app.setPalette(_palette(_current))
    app.setStyleSheet(style_sheet(_current))
    return _current


def style_sheet(colors: Colors) -> str:
    text = (resources_dir() / "themes" / "base.qss").read_text(encoding="utf-8")
    values = {name: getattr(colors, name) for name in colors.__dataclass_fields__ if name != "dark"}
    # Longest names first, so "@card_hover" is not read as "@card" + "_hover".
    pattern = re.compile("@(" + "|".join(sorted(values, key=len, reverse=True)) + r")\b")
    return pattern.sub(lambda m: values[m.group(1)], text)


def _palette(c: Colors) -> QPalette:
    p = QPalette()
    roles = {
        QPalette.ColorRole.Window: c.window,
        QPalette.ColorRole.WindowText: c.text,
        QPalette.ColorRole.Base: c.base,
        QPalette.ColorRole.AlternateBase: c.alt_base,
        QPalette.ColorRole.Text: c.text,
        QPalette.ColorRole.Button: c.card,
        QPalette.ColorRole.ButtonText: c.text,
        QPalette.ColorRole.BrightText: c.on_accent,
        QPalette.ColorRole.ToolTipBase: c.card,
        QPalette.ColorRole.ToolTipText: c.text,
        QPalette.ColorRole.Highlight: c.accent,
        QPalette.ColorRole.HighlightedText: c.on_accent,
        QPalette.ColorRole.Link: c.accent,
        QPalette.ColorRole.LinkVisited: c.accent,
        QPalette.ColorRole.PlaceholderText: c.faint,
        QPalette.ColorRole.Accent: c.accent,
        QPalette.ColorRole.Light: c.card_hover,
        QPalette.ColorRole.Midlight: c.border,
        QPalette.ColorRole.Mid: c.border,
        QPalette.ColorRole.Dark: c.faint,
        QPalette.ColorRole.Shadow: "#000000",
    }
    for role, value in roles.items():
        p.setColor(role, QColor(value))
    disabled = QPalette.ColorGroup.Disabled
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        p.setColor(disabled, role, QColor(c.faint))
    p.setColor(disabled, QPalette.ColorRole.Highlight, QColor(c.border))
    return p


def mono_font(point_delta: float = 0.0) -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    base = QApplication.font().pointSizeF()
    font.setPointSizeF(max(6.0, base + point_delta))
    return font


def scaled_font(factor: float = 1.0, weight: QFont.Weight | None = None) -> QFont:
    font = QFont(QApplication.font())
    font.setPointSizeF(font.pointSizeF() * factor)
    if weight is not None:
        font.setWeight(weight)
    return font
