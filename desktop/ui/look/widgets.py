"""Small building blocks: chips, empty states, banners, section titles."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.look import icons


def repolish(widget: QWidget) -> None:
    """Re-apply the style sheet after a dynamic property (tone) changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


class Chip(QLabel):
    """A small rounded label; ``tone`` is success, danger, warning, info or neutral."""

    def __init__(self, text: str = "", tone: str = "neutral", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setObjectName("Chip")
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.set_tone(tone)

    def set_tone(self, tone: str) -> None:
        if self.property("tone") != tone:
            self.setProperty("tone", tone)
            repolish(self)

    def show_state(self, text: str, tone: str) -> None:
        self.setText(text)
        self.set_tone(tone)


def label(text: str, name: str = "", wrap: bool = False, parent: QWidget | None = None) -> QLabel:
    widget = QLabel(text, parent)
    if name:
        widget.setObjectName(name)
    widget.setWordWrap(wrap)
    return widget


def plain_label(text: str = "", name: str = "", wrap: bool = True, selectable: bool = False) -> QLabel:
    """A label that never reads its text as rich text: for anything that came
    from the agent or the person's folder (a file name could hold ``<b>``)."""
    widget = QLabel(text)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    widget.setWordWrap(wrap)
    if selectable:
        widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        widget.setObjectName(name)
    return widget


def button(text: str, role: str = "", icon_name: str = "", icon_role: str = "text") -> QPushButton:
    """A push button; ``role`` is Primary, Secondary or Danger (a style-sheet look)."""
    widget = QPushButton(text)
    if role:
        widget.setObjectName(role)
    if icon_name:
        widget.setIcon(icons.icon(icon_name, {"Primary": "on_accent", "Danger": "danger"}.get(role, icon_role)))
    return widget


class EmptyState(QWidget):
    """What a list shows when it has nothing: an icon, a title, what to do next."""

    def __init__(self, icon_name: str, title: str, hint: str, parent: QWidget | None = None,
                 stacked_buttons: bool = False) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 24, 24, 24)
        outer.addStretch(1)
        self._icon = QLabel()
        self._icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._icon_name = icon_name
        self._title = label(title, "EmptyTitle", wrap=True)
        self._title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._hint = label(hint, "EmptyHint", wrap=True)
        self._hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._hint.setMaximumWidth(420)
        # Centred by stretches beside it, not by an alignment flag: an aligned wrapped
        # label gets the height its text needs at the layout's whole width, but only
        # its own narrower width, so its last lines were cut.
        hint_row = QHBoxLayout()
        hint_row.addStretch(1)
        hint_row.addWidget(self._hint, 100)
        hint_row.addStretch(1)
        self._buttons = QVBoxLayout() if stacked_buttons else QHBoxLayout()
        self._buttons.addStretch(1)
        self._buttons.addStretch(1)
        outer.addWidget(self._icon)
        outer.addSpacing(6)
        outer.addWidget(self._title)
        outer.addLayout(hint_row)
        outer.addSpacing(10)
        outer.addLayout(self._buttons)
        outer.addStretch(2)
        self._paint_icon()

    def _paint_icon(self) -> None:
        self._icon.setPixmap(icons.icon(self._icon_name, "faint").pixmap(40, 40))

    @property
    def title(self) -> str:
        return self._title.text()

    def set_text(self, title: str, hint: str) -> None:
        self._title.setText(title)
        self._hint.setText(hint)

    def add_button(self, widget: QPushButton) -> QPushButton:
        self._buttons.insertWidget(self._buttons.count() - 1, widget)  # between the stretches
        return widget

    def changeEvent(self, event) -> None:  # noqa: ANN001
        if event.type() == event.Type.PaletteChange:
            self._paint_icon()
        super().changeEvent(event)


class Banner(QFrame):
    """A dismissable line of news above the content (and the tray's stand-in).

    Signals:
        action_triggered(): the banner's button was clicked.
    """

    action_triggered = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Banner")
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 8, 8, 8)
        row.setSpacing(10)
        self._icon = QLabel()
        self._text = QLabel()
        self._text.setWordWrap(True)
        self._text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._action = QPushButton()
        self._action.setObjectName("Secondary")
        self._action.clicked.connect(self.action_triggered)
        close = QToolButton(objectName="Flat")
        close.setIcon(icons.icon("close", "muted"))
        close.setToolTip("Dismiss")
        close.setAccessibleName("Dismiss")
        close.clicked.connect(self.hide)
        row.addWidget(self._icon)
        row.addWidget(self._text, 1)
        row.addWidget(self._action)
        row.addWidget(close)
        self.hide()

    def show_message(self, text: str, tone: str = "info", action: str = "") -> None:
        name = {"success": "check-circle", "danger": "x-circle", "warning": "alert"}.get(tone, "info")
        self._icon.setPixmap(icons.icon(name, tone if tone != "neutral" else "muted").pixmap(18, 18))
        self._text.setText(text)
        self._action.setText(action)
        self._action.setVisible(bool(action))
        self.setProperty("tone", tone)
        repolish(self)
        self.show()

    @property
    def text(self) -> str:
        return self._text.text()


class ElidedLabel(QLabel):
    """One line that ends in "…" when there is no room, instead of clipping."""

    def __init__(self, text: str = "", name: str = "", parent: QWidget | None = None, all_or_nothing: bool = False) -> None:
        super().__init__(parent)
        if name:
            self.setObjectName(name)
        self._all_or_nothing = all_or_nothing  # a hint: shown whole or not at all
        self._full = text
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(0)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        self._full = text
        self.setToolTip(text)
        self._elide()

    def full_text(self) -> str:
        return self._full

    def _elide(self) -> None:
        text = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, max(0, self.width()))
        super().setText("" if self._all_or_nothing and text != self._full else text)

    def sizeHint(self) -> QSize:
        return QSize(self.fontMetrics().horizontalAdvance(self._full) + 2, super().sizeHint().height())

    def resizeEvent(self, event) -> None:  # noqa: ANN001
        super().resizeEvent(event)
        self._elide()


def fit_height(widget: QWidget) -> None:
    """Grow a window to the height its wrapped labels need at its width.

    ``adjustSize`` sizes a dialog from size hints taken before the labels know
    their final width, so a wrapped line can end up cut off at the bottom.
    """
    layout = widget.layout()
    if layout is not None and layout.hasHeightForWidth():
        needed = layout.totalHeightForWidth(widget.width())
        if needed > widget.height():
            widget.resize(widget.width(), needed)


def section_title(text: str) -> QLabel:
    widget = label(text.upper(), "SectionTitle")
    font = widget.font()
    font.setPointSizeF(font.pointSizeF() * 0.85)
    font.setLetterSpacing(font.SpacingType.PercentageSpacing, 106)
    widget.setFont(font)
    return widget


def hline() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Plain)
    line.setStyleSheet("color: palette(mid);")
    return line


def icon_label(icon: QIcon, size: int = 16) -> QLabel:
    widget = QLabel()
    widget.setPixmap(icon.pixmap(size, size))
    return widget
