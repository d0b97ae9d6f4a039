"""The Engines page: a card for each Docker engine, Add Engine… and Test All.

It shows what it is given and says what the person asked for; the engines
controller makes the calls (``bridge.engines_binding`` wires the two).
Remove asks first; what the services refuse is said on the engine's card.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.bridge.engine_payloads import (
    EngineAddRefused,
    EngineHealth,
    EngineItem,
    EngineRef,
    EngineRemoveRefused,
    EnginesListed,
)
from desktop.ui.engines.add_dialog import AddEngineDialog
from desktop.ui.engines.card import EngineCard
from desktop.ui.look.widgets import button, label

INTRO = ("The Docker engines your workspaces can run on: this machine's own, and others reached over ssh://, "
         "tcp:// with TLS client certificates, or a unix:// socket.")
MIN_SIZE = (560, 360)  # a card's buttons and two lines of facts, in a window of 800x500
START_SIZE = (760, 540)  # three engines without scrolling; no bigger than the window it opens over


class EnginesDialog(QDialog):
    """Signals:
        test_requested(EngineRef): test this engine's connection (again).
        add_requested(EngineAddRequested): the add form's Add; answer with ``engine_added`` or ``add_refused``.
        remove_requested(EngineRef): remove this engine; the person said yes.
    """

    test_requested = Signal(object)
    add_requested = Signal(object)
    remove_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Engines")
        self.setMinimumSize(*MIN_SIZE)
        self.resize(*_start_size(parent))
        self.cards: dict[str, EngineCard] = {}
        self.add_dialog: AddEngineDialog | None = None
        self.remove_box: QMessageBox | None = None
        self._column = QVBoxLayout()
        self._column.setContentsMargins(0, 0, 4, 0)
        self._column.setSpacing(8)
        self._column.addStretch(1)
        holder = QWidget()
        holder.setLayout(self._column)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # the cards wrap instead
        self.scroll.setWidget(holder)
        self.add_button = button("Add Engine…", "Primary", "plus")
        self.add_button.setToolTip("Add an engine by its URL: ssh://, tcp:// with TLS, or unix://")
        self.add_button.clicked.connect(self.open_add)
        self.test_all = button("Test All", "Secondary", "refresh")
        self.test_all.setToolTip("Connect to every engine again")
        self.test_all.clicked.connect(self._test_all)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        for b in close.buttons():  # the style's stock icons clash with the theme
            b.setIcon(QIcon())
            b.setObjectName("Secondary")
        bottom = QHBoxLayout()
        bottom.setSpacing(8)
        bottom.addWidget(self.add_button)
        bottom.addWidget(self.test_all)
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(10)
        layout.addWidget(label(INTRO, "Hint", wrap=True))
        layout.addWidget(self.scroll, 1)
        layout.addLayout(bottom)

    # -- news -----------------------------------------------------------------

    def show_engines(self, listed: EnginesListed) -> list[str]:
        """The engines as listed; returns the names new to the page (to be tested)."""
        names = [item.name for item in listed.engines]
        for gone in [n for n in self.cards if n not in names]:
            card = self.cards.pop(gone)
            card.hide()
            card.deleteLater()
        new = []
        for index, item in enumerate(listed.engines):
            card = self.cards.get(item.name)
            if card is None:
                card = self.cards[item.name] = self._card(item)
                new.append(item.name)
            else:
                card.show_item(item)
            if self._column.indexOf(card) != index:  # the services' order: local first, then by name
                self._column.insertWidget(index, card)
        return new

    def engine_checking(self, ref: EngineRef) -> None:
        if (card := self.cards.get(ref.name)) is not None:
            card.show_checking()

    def engine_checked(self, health: EngineHealth) -> None:
        if (card := self.cards.get(health.name)) is not None:
            card.show_health(health)

    def engine_added(self, _item: EngineItem) -> None:
        if self.add_dialog is not None:
            self.add_dialog.added()

    def add_refused(self, refused: EngineAddRefused) -> None:
        if self.add_dialog is not None:
            self.add_dialog.refused(refused)

    def remove_refused(self, refused: EngineRemoveRefused) -> None:
        if (card := self.cards.get(refused.name)) is not None:
            card.show_refused(refused.message)
            self.scroll.ensureWidgetVisible(card)

    # -- the person's requests -----------------------------------------------

    def open_add(self) -> None:
        if self.add_dialog is not None:
            self.add_dialog.raise_()
            return
        dialog = self.add_dialog = AddEngineDialog(self)
        dialog.add_requested.connect(self.add_requested)
        dialog.finished.connect(lambda _r: setattr(self, "add_dialog", None))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def ask_remove(self, name: str) -> None:
        """Ask before an engine is forgotten; Enter on the question keeps it."""
        if self.remove_box is not None:
            self.remove_box.reject()
        box, confirm = _remove_box(self, name)
        self.remove_box = box

        def answered() -> None:
            if box.clickedButton() is confirm:
                self.remove_requested.emit(EngineRef(name))
            if self.remove_box is box:
                self.remove_box = None

        box.finished.connect(answered)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _test_all(self) -> None:
        for name in self.cards:
            self.test_requested.emit(EngineRef(name))

    def _card(self, item: EngineItem) -> EngineCard:
        card = EngineCard(item)
        card.test_requested.connect(lambda n=item.name: self.test_requested.emit(EngineRef(n)))
        card.remove_requested.connect(lambda n=item.name: self.ask_remove(n))
        return card


def _start_size(parent: QWidget | None) -> tuple[int, int]:
    """START_SIZE, but no bigger than the window the page opens over (nor under MIN_SIZE)."""
    if parent is None:
        return START_SIZE
    room = parent.window().size()
    return (max(MIN_SIZE[0], min(START_SIZE[0], room.width())),
            max(MIN_SIZE[1], min(START_SIZE[1], room.height())))


def _remove_box(parent: QWidget, name: str) -> tuple[QMessageBox, QAbstractButton]:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Remove engine")
    box.setTextFormat(Qt.TextFormat.PlainText)  # the name is the person's
    box.setText(f"Remove the engine “{name}”?")
    box.setInformativeText("AICode Manager forgets how to reach it. The engine itself, its containers and its "
                           "images are not touched, and you can add it again later.")
    confirm = box.addButton("Remove", QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton("Keep it", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    return box, confirm
