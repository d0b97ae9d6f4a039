"""One engine on the Engines page: its name and state, where it is, what its
latest test found (its load and agent image, or why it did not answer and
what to do), how many workspaces live there, and its Test and Remove."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from desktop.ui.bridge.engine_payloads import EngineHealth, EngineItem
from desktop.ui.engines import words
from desktop.ui.look import icons
from desktop.ui.look.formatting import plain_tip
from desktop.ui.look.widgets import Chip, ElidedLabel, button, icon_label, plain_label, repolish


class EngineCard(QFrame):
    """Signals:
        test_requested(): Test was clicked.
        remove_requested(): Remove was clicked (the page asks first).
    """

    test_requested = Signal()
    remove_requested = Signal()

    def __init__(self, item: EngineItem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        self.item = item
        self.health: EngineHealth | None = None
        self.checking = False
        self.name = ElidedLabel(item.name, "Title")  # up to 40 characters: in a narrow page it gives way first
        self.name.setTextFormat(Qt.TextFormat.PlainText)
        self.name.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.name.setMinimumWidth(min(48, self.name.sizeHint().width()))
        self.chip = Chip()
        self.test_button = button("Test", "Secondary", "refresh")
        self.test_button.setToolTip(f"Connect to {item.name} again and look at its load and agent image")
        self.test_button.setAccessibleName(f"Test {item.name}")
        self.test_button.clicked.connect(self.test_requested)
        self.remove_button = button("Remove", "Secondary", "trash")
        self.remove_button.setToolTip(f"Forget {item.name} (the engine itself is not touched)")
        self.remove_button.setAccessibleName(f"Remove {item.name}")
        self.remove_button.clicked.connect(self.remove_requested)
        self.remove_button.setVisible(not item.local)  # this machine's engine stays
        self.where = ElidedLabel("", "Muted")  # a long URL ends in "…" (its tooltip has it whole)
        self.where.setTextFormat(Qt.TextFormat.PlainText)  # the URL is as typed
        self.detail = _text()  # the machine and its load, or why it did not answer
        self.technical = ElidedLabel("", "Hint")  # the failure's own words, on one line (whole in the tooltip)
        self.technical.setTextFormat(Qt.TextFormat.PlainText)
        small = self.technical.font()
        small.setPointSizeF(small.pointSizeF() * 0.9)  # below the sentence it explains
        self.technical.setFont(small)
        self.technical.hide()
        self.fix = _text("Hint")
        self.image = _text()
        self.error = _text("ErrorText")  # a removal refused
        for part in (self.detail, self.fix, self.image, self.error):
            part.hide()

        head = QHBoxLayout()
        head.setSpacing(8)
        head.addWidget(icon_label(icons.icon("engine", "muted"), 18))
        head.addWidget(self.name)
        head.addWidget(self.chip)
        head.addStretch(1)
        head.addWidget(self.test_button)
        head.addWidget(self.remove_button)
        text = QVBoxLayout()
        text.setContentsMargins(26, 0, 0, 0)
        text.setSpacing(2)
        for part in (self.where, self.detail, self.fix, self.technical, self.image, self.error):
            text.addWidget(part)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 12)
        layout.setSpacing(4)
        layout.addLayout(head)
        layout.addLayout(text)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.show_item(item)

    def show_item(self, item: EngineItem) -> None:
        """The engine as listed (its workspace count may have moved on)."""
        self.item = item
        self._show()

    def show_checking(self) -> None:
        self.checking = True
        self.error.hide()
        self._show()

    def show_health(self, health: EngineHealth) -> None:
        self.checking = False
        self.health = health
        self._show()

    def show_refused(self, message: str) -> None:
        self.error.setText(words.bounded(message, words.REASON_CHARS))
        self.error.show()

    def _show(self) -> None:
        item, health = self.item, self.health
        self.chip.show_state(*words.state(health, self.checking))
        self.test_button.setEnabled(not self.checking)
        where = " · ".join((words.where(item), words.tls(item), words.workspaces(item.workspaces)))
        self.where.setText(where)
        self.where.setToolTip(plain_tip(where))
        # While a test runs the previous one's facts stay, under the chip that says so.
        technical = ""
        if health is None:
            _put(self.detail, "Connecting…" if self.checking else "", "Muted")
            _put(self.fix, "")
            _put(self.image, "")
        elif health.ok:
            _put(self.detail, f"{words.machine(health)}\n{words.load(health)}", "")
            text, tone = words.image(health)
            _put(self.image, text, TONE_TEXT.get(tone, "Muted"))
            _put(self.fix, "")
        else:
            _put(self.detail, words.reason(health), "")
            _put(self.fix, words.fix(health), "Hint")
            _put(self.image, "")
            technical = words.technical(health)
        self.technical.setText(technical)
        self.technical.setToolTip(plain_tip(technical) if technical else "")
        self.technical.setVisible(bool(technical))
        self.detail.setToolTip(plain_tip(health.message) if health is not None and not health.ok else "")
        self.setAccessibleDescription(f"{item.name}: {self.chip.text()}. {self.detail.text()}")


# A line's look for the tone of what it says.
TONE_TEXT = {"success": "SuccessText", "warning": "Hint", "danger": "ErrorText"}


def _put(line: QLabel, text: str, look: str | None = None) -> None:
    """Show ``text`` on ``line`` (hidden when empty), in the style sheet's ``look``."""
    line.setText(text)
    line.setVisible(bool(text))
    if look is not None and line.objectName() != look:
        line.setObjectName(look)
        repolish(line)


def _text(look: str = "") -> QLabel:
    return plain_label("", look, selectable=True)
