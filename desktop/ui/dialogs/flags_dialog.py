"""Before a flagged change is applied: each flagged file with its reasons,
and "Apply anyway" or "Cancel" (the default: nothing is written).

A CI workflow, a symlink, an executable, an agent's instructions file...
are where an agent's change can do harm beyond the code it was asked to
write. Every name and reason came from the agent's container, so each is
shown through ``visible`` and as plain text.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.review import FileDiff, visible
from desktop.ui.bridge.payloads import ApplyRequested
from desktop.ui.look import icons, theme
from desktop.ui.look.widgets import fit_height, icon_label, plain_label

MAX_LIST_HEIGHT = 320



def _file_card(item: FileDiff) -> QFrame:
    card = QFrame(objectName="CheckRow")
    path = plain_label(visible(item.path), "Title")
    path.setFont(theme.mono_font())
    path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    text = QVBoxLayout()
    text.setSpacing(2)
    text.addWidget(path)
    for flag in item.flags:
        text.addWidget(plain_label(f"• {visible(flag.reason)}", "Muted"))
    row = QHBoxLayout(card)
    row.setContentsMargins(10, 8, 10, 8)
    row.setSpacing(10)
    row.addWidget(icon_label(icons.icon("file", "muted"), 16), 0, Qt.AlignmentFlag.AlignTop)
    row.addLayout(text, 1)
    return card


class FlagsDialog(QDialog):
    """Signals:
        apply_confirmed(ApplyRequested): "Apply anyway" was clicked.
        apply_cancelled(ApplyRequested): closed without applying.
    """

    apply_confirmed = Signal(object)
    apply_cancelled = Signal(object)

    def __init__(self, request: ApplyRequested, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.request = request
        self.setWindowTitle("Apply flagged files?")
        self.setMinimumWidth(520)
        n = len(request.flagged)
        heading = plain_label(f"{n} of the files you are applying deserve{'s' if n == 1 else ''} a second look",
                         "EmptyTitle")
        heading.setFont(theme.scaled_font(1.1, QFont.Weight.DemiBold))
        title = QHBoxLayout()
        title.setSpacing(10)
        title.addWidget(icon_label(icons.icon("alert", "warning"), 22), 0, Qt.AlignmentFlag.AlignVCenter)
        title.addWidget(heading, 1)
        hint = plain_label("These can act beyond the code itself: run on your CI, run as programs, point outside "
                      "the project or instruct the next agent. Check them in the diff before applying.", "Muted")

        files = QWidget()
        listing = QVBoxLayout(files)
        listing.setContentsMargins(0, 0, 0, 0)
        listing.setSpacing(6)
        for item in request.flagged:
            listing.addWidget(_file_card(item))
        scroll = QScrollArea()
        scroll.setWidget(files)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFixedHeight(min(MAX_LIST_HEIGHT, files.sizeHint().height()))

        buttons = QDialogButtonBox()
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setIcon(QIcon())  # the style's stock icon clashes with the theme
        self.cancel_button.setObjectName("Secondary")
        # Danger, not Primary: the safe choice is the one that looks like the default.
        self.apply_button = buttons.addButton("Apply anyway", QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setObjectName("Danger")
        self.apply_button.setIcon(icons.icon("apply", "danger"))
        self.cancel_button.setDefault(True)  # Enter does not apply by accident
        self.cancel_button.setFocus()
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 14)
        layout.setSpacing(10)
        layout.addLayout(title)
        layout.addWidget(hint)
        layout.addWidget(scroll)
        layout.addSpacing(4)
        layout.addWidget(buttons)
        self.finished.connect(self._finished)

    def _finished(self, result: int) -> None:
        if result == QDialog.DialogCode.Accepted:
            self.apply_confirmed.emit(self.request)
        else:
            self.apply_cancelled.emit(self.request)

    def showEvent(self, event) -> None:  # noqa: ANN001
        super().showEvent(event)
        self.adjustSize()  # as tall as its list, no taller
        fit_height(self)
        self.cancel_button.setFocus()

    @property
    def listed(self) -> list[str]:
        """The file names and reasons as shown (for tests and screen readers)."""
        return [label.text() for label in self.findChildren(QLabel) if label.text()]
