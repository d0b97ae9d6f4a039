"""The requests a workspace's agent was refused, newest first: when, which
host and port, why, and an Allow button that puts that host:port on the list.

Hosts and reasons came from the agent's side: plain text, control and bidi
characters made visible, cut to a bound (the tooltip has the stored whole).
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.bridge.egress_payloads import Refusal
from desktop.ui.egress import words
from desktop.ui.look import formatting
from desktop.ui.look.widgets import ElidedLabel, button, plain_label

ROWS = 100  # shown at most; the services keep more


def moment(at: datetime, now: datetime | None = None) -> str:
    """A refusal's time: the clock time today, with the day before that."""
    now = now or formatting.clock()
    return at.strftime("%H:%M:%S") if at.date() == now.date() else at.strftime("%b %d, %H:%M")


def covered(refusal: Refusal, allowed: tuple[str, ...]) -> bool:
    """Whether an entry of the list names this refusal's host and port as it is
    (``host:port``, or ``host`` for 443 and 80); a wildcard's match is the services' to say."""
    address = refusal.address.lower()
    host = address.rsplit(":", 1)[0]
    return address in allowed or (refusal.port in (443, 80) and host in allowed)


class BlockedLog(QWidget):
    """Signals:
        allow_requested(str): a refused request's Allow: this ``host:port`` goes on the list.
    """

    allow_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget(objectName="BlockedLog")
        self.list.setAccessibleName("Refused requests")
        self.list.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.list.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its Allow buttons take the focus
        self.empty = plain_label("No request of the agent was refused.", "Hint")
        self.error = plain_label("", "ErrorText")
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.empty)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.error)
        self.now: datetime | None = None  # fixed "now" for screenshots and tests
        self._shown: tuple[tuple[Refusal, ...], tuple[str, ...]] | None = None
        self.set_refusals((), ())

    def set_refusals(self, refusals: tuple[Refusal, ...], allowed: tuple[str, ...]) -> None:
        """The refused requests (newest first) and the hosts allowed now (their Allow is done)."""
        refusals = refusals[:ROWS]
        if self._shown == (refusals, allowed):
            return
        self._shown = (refusals, allowed)
        scroll = self.list.verticalScrollBar().value()
        self.list.clear()
        for refusal in refusals:
            self._add_row(refusal, covered(refusal, allowed))
        self.list.setVisible(bool(refusals))
        self.empty.setVisible(not refusals)
        self.list.verticalScrollBar().setValue(scroll)

    def allow_button(self, row: int) -> QPushButton | None:
        widget = self.list.itemWidget(self.list.item(row))
        return widget.findChild(QPushButton) if widget is not None else None

    def row_texts(self, row: int) -> list[str]:
        """What a row shows, top line first (for tests and screen readers)."""
        widget = self.list.itemWidget(self.list.item(row))
        return [w.full_text() for w in widget.findChildren(ElidedLabel)] if widget is not None else []

    def refused(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def clear_error(self) -> None:
        self.error.hide()

    def _add_row(self, refusal: Refusal, allowed: bool) -> None:
        row = QWidget()
        host = _line(words.address(refusal), words.bounded(refusal.address, 300))
        detail = _line(f"{moment(refusal.at, self.now)} · {words.reason(refusal)}", name="Muted")
        text = QVBoxLayout()
        text.setSpacing(0)
        text.addWidget(host)
        text.addWidget(detail)
        line = QHBoxLayout(row)
        line.setContentsMargins(6, 3, 4, 3)
        line.setSpacing(6)
        line.addLayout(text, 1)
        if refusal.reachable:
            allow = button("Allowed" if allowed else "Allow", "Secondary")
            allow.setEnabled(not allowed)
            allow.setToolTip(formatting.plain_tip(f"Put {words.address(refusal)} on this workspace's allowlist"))
            allow.setAccessibleName(f"Allow {words.address(refusal)}")
            allow.clicked.connect(lambda _c=False, a=refusal.address: self.allow_requested.emit(a))
            line.addWidget(allow, 0, Qt.AlignmentFlag.AlignVCenter)
        item = QListWidgetItem()
        item.setSizeHint(QSize(0, row.sizeHint().height()))
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        self.list.addItem(item)
        self.list.setItemWidget(item, row)


def _line(text: str, tip: str = "", name: str = "") -> ElidedLabel:
    """One line of a row, cut with "…" where the dock is narrow; never read as markup."""
    line = ElidedLabel("", name)
    line.setTextFormat(Qt.TextFormat.PlainText)
    line.setText(text)
    line.setToolTip(formatting.plain_tip(tip or text))
    return line
