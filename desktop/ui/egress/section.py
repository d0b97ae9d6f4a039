"""A workspace's Egress section: its mode (with what it means), its allowlist,
and the requests its agent was refused, each with an Allow.

It shows what it is given and says what the person asked for; the egress
controller makes the calls. A change the services refuse comes back as a
sentence under the part that asked.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QVBoxLayout, QWidget

from desktop.domain import EgressMode, Workspace
from desktop.ui.bridge.egress_payloads import (
    EgressChangeRefused,
    EgressLoaded,
    EgressModeChosen,
    HostAllowed,
    HostRemoved,
)
from desktop.ui.egress import words
from desktop.ui.egress.allowlist import AllowList
from desktop.ui.egress.blocked_log import BlockedLog
from desktop.ui.look.widgets import Chip, label, plain_label, section_title


class EgressSection(QWidget):
    """Signals:
        mode_chosen(EgressModeChosen): the person picked another mode.
        host_allowed(HostAllowed): a host to put on the list (typed, or a refused request's Allow).
        host_removed(HostRemoved): a host's Remove.
    """

    mode_chosen = Signal(object)
    host_allowed = Signal(object)
    host_removed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._workspace_id: str | None = None
        self.badge = Chip("", "warning")
        self.badge.setToolTip("Requests of the agent refused during this workspace's latest task")
        self.badge.hide()
        self.mode = QComboBox()
        for mode, text in words.CHOICES:
            self.mode.addItem(text, mode.value)
        self.mode.setAccessibleName("Egress mode")
        self.mode.setToolTip("What the agent may reach from its container")
        self.hint = label("", "Hint", wrap=True)
        self.mode_error = plain_label("", "ErrorText")
        self.mode_error.hide()
        self.mode.activated.connect(self._mode_picked)
        self.allowlist = AllowList()
        self.allowlist.host_added.connect(lambda host: self._ask(self.host_allowed, HostAllowed, host, "add"))
        self.allowlist.host_removed.connect(lambda host: self._ask(self.host_removed, HostRemoved, host))
        self.log = BlockedLog()
        self.log.allow_requested.connect(lambda host: self._ask(self.host_allowed, HostAllowed, host, "log"))

        head = QHBoxLayout()
        head.addWidget(section_title("Egress"))
        head.addStretch(1)
        head.addWidget(self.badge)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(8)
        layout.addLayout(head)
        layout.addWidget(self.mode)
        layout.addWidget(self.hint)
        layout.addWidget(self.mode_error)
        layout.addSpacing(4)
        layout.addWidget(section_title("Allowed hosts"))
        layout.addWidget(self.allowlist, 3)
        layout.addSpacing(4)
        layout.addWidget(section_title("Refused requests"))
        layout.addWidget(self.log, 2)
        self._show_mode(EgressMode.ALLOWLIST)

    @property
    def workspace_id(self) -> str | None:
        return self._workspace_id

    def show_workspace(self, ws: Workspace | None) -> None:
        """The selected workspace (its mode at once, its list and log when loaded); ``None``: empty."""
        if ws is None or ws.id != self._workspace_id:
            self.allowlist.set_hosts((), ws is None or ws.egress_allow is None)
            self.log.set_refusals((), ())
            self._show_blocked(0)
            for part in (self.allowlist, self.log):
                part.clear_error()
            self.mode_error.hide()
        self._workspace_id = ws.id if ws is not None else None
        self.setEnabled(ws is not None)
        if ws is not None:
            self._show_mode(words.mode_of(ws.egress))

    def show_egress(self, loaded: EgressLoaded) -> None:
        if loaded.workspace_id != self._workspace_id:
            return
        self._show_mode(loaded.mode)
        self.allowlist.set_hosts(loaded.hosts, loaded.follows_default, loaded.mode is EgressMode.ALLOWLIST)
        self.log.set_refusals(loaded.refusals, loaded.hosts)
        self._show_blocked(loaded.latest_blocked)

    def change_refused(self, refused: EgressChangeRefused) -> None:
        if refused.workspace_id != self._workspace_id:
            return
        if refused.origin == "mode":
            self.mode_error.setText(refused.message)
            self.mode_error.show()
        elif refused.origin == "log":
            self.log.refused(refused.message)
        else:
            self.allowlist.refused(refused.message)

    def host_saved(self, saved: HostAllowed) -> None:
        if saved.workspace_id == self._workspace_id:
            self.allowlist.saved(saved.host)
            self.log.clear_error()

    @property
    def blocked(self) -> int:
        return int(self.badge.property("count") or 0)

    def _show_blocked(self, count: int) -> None:
        self.badge.setProperty("count", count)
        self.badge.setText(words.blocked_text(count))
        self.badge.setVisible(count > 0)

    def _show_mode(self, mode: EgressMode) -> None:
        self.mode.setCurrentIndex(max(0, self.mode.findData(mode.value)))
        self.hint.setText(words.HINTS[mode])

    def _mode_picked(self, _index: int) -> None:
        mode = words.mode_of(self.mode.currentData())
        self.hint.setText(words.HINTS[mode])
        self.mode_error.hide()
        if self._workspace_id is not None:
            self.mode_chosen.emit(EgressModeChosen(self._workspace_id, mode))

    def _ask(self, signal: Signal, payload: type, host: str, *origin: str) -> None:
        if self._workspace_id is not None:
            signal.emit(payload(self._workspace_id, host, *origin))
