"""A workspace's details, in two tabs: its container (state, image and limits,
live usage, Start/Stop/Recreate, a terminal in it) and its egress (``desktop.ui.egress``)."""

from __future__ import annotations

from collections import deque

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QIcon, QShowEvent
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QTabWidget, QToolButton, QVBoxLayout, QWidget

from desktop.domain import EgressMode, Workspace
from desktop.ui.bridge.payloads import WorkspaceRef
from desktop.ui.bridge.viewdata import ContainerInfo, ContainerState
from desktop.ui.egress import words
from desktop.ui.egress.section import EgressSection
from desktop.ui.look import icons
from desktop.ui.look.modes import WORKSPACE_CHOICES
from desktop.ui.look.widgets import Chip, button, label, section_title
from desktop.ui.terminal.requests import TerminalRequested
from desktop.ui.window.workspace_header import CONTAINER_TONES

SAMPLES = 120
EGRESS = "Egress"


def _corner_button(text: str, icon_name: str) -> QToolButton:
    widget = QToolButton(text=text, icon=icons.icon(icon_name, "text"), autoRaise=True)
    widget.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    return widget


class WorkspacePanel(QWidget):
    """Signals:
        start_requested(WorkspaceRef), stop_requested(WorkspaceRef),
        recreate_requested(WorkspaceRef): the container buttons.
        terminal_requested(TerminalRequested): Terminal or Claude here.
    The Egress tab's signals are its section's (``egress``).
    """

    start_requested = Signal(object)
    stop_requested = Signal(object)
    recreate_requested = Signal(object)
    terminal_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._workspace: Workspace | None = None
        self._samples: deque[tuple[float, int, int]] = deque(maxlen=SAMPLES)
        self._charts = None  # ResourceCharts, built on first show
        self.state = Chip("unknown")
        self.detail = label("", "Muted", wrap=True)
        self.image = QLabel()
        self.cli = QLabel()
        self.limits = QLabel()
        self.egress_mode = QLabel()
        self.permissions = QLabel()
        for value in (self.image, self.cli, self.limits, self.egress_mode, self.permissions):
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.start_button = button("Start", "Secondary", "power")
        self.stop_button = button("Stop", "Secondary", "stop")
        self.recreate_button = button("Recreate", "Secondary", "refresh")
        self.recreate_button.setToolTip("Remove the container and make a new one from the image "
                                        "(after changing limits or rebuilding the image)")
        self.start_button.clicked.connect(lambda: self._emit(self.start_requested))
        self.stop_button.clicked.connect(lambda: self._emit(self.stop_requested))
        self.recreate_button.clicked.connect(lambda: self._emit(self.recreate_requested))
        self.terminal_button = _corner_button("Terminal", "terminal")
        self.terminal_button.setToolTip("A shell in the workspace's container, in the agent's working copy")
        self.claude_button = _corner_button("Claude here", "sparkle")
        self.claude_button.setToolTip("The interactive claude in the workspace's container, to work with it by hand")
        self.terminal_button.clicked.connect(lambda: self._terminal(claude=False))
        self.claude_button.clicked.connect(lambda: self._terminal(claude=True))

        head = QHBoxLayout()
        head.addWidget(section_title("Container"))
        head.addStretch(1)
        head.addWidget(self.state)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setHorizontalSpacing(12)
        form.addRow(label("Image", "Muted"), self.image)
        form.addRow(label("Claude Code", "Muted"), self.cli)
        form.addRow(label("Limits", "Muted"), self.limits)
        form.addRow(label("Egress", "Muted"), self.egress_mode)
        form.addRow(label("Permissions", "Muted"), self.permissions)
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.stop_button)
        buttons.addWidget(self.recreate_button)
        buttons.addStretch(1)
        container = QWidget()
        self._layout = QVBoxLayout(container)
        self._layout.setContentsMargins(14, 6, 14, 6)  # under the tab bar, which has room of its own
        self._layout.setSpacing(10)
        self._layout.addLayout(head)
        self._layout.addWidget(self.detail)
        self._layout.addLayout(form)
        self._layout.addLayout(buttons)
        self._layout.addSpacing(6)
        self._layout.addWidget(section_title("Live usage"))
        self.no_stats = label("Usage appears here while the container runs.", "Muted", wrap=True)
        self._layout.addWidget(self.no_stats)
        self._layout.addStretch(1)
        self.egress = EgressSection()
        self.tabs = QTabWidget(objectName="PanelTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(container, "Container")
        self.tabs.addTab(self.egress, EGRESS)
        # Beside the tabs, where they cost no height in a small window.
        corner = QWidget()
        corner_row = QHBoxLayout(corner)
        corner_row.setContentsMargins(0, 0, 6, 0)
        corner_row.setSpacing(2)
        corner_row.addWidget(self.terminal_button)
        corner_row.addWidget(self.claude_button)
        self.tabs.setCornerWidget(corner, Qt.Corner.TopRightCorner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.tabs)
        self.show_container(ContainerInfo("", ContainerState.UNKNOWN))

    def show_workspace(self, ws: Workspace | None) -> None:
        """The selected workspace; ``None`` when there is none (it was removed):
        then the panel is empty and its buttons are off."""
        if ws is None or self._workspace is None or ws.id != self._workspace.id:
            self._samples.clear()
            if self._charts is not None:
                self._charts.show_samples([], ws.cpus if ws else 1.0)
            self._workspace = None  # until its container is known, nothing to start or stop
            self.show_container(ContainerInfo("", ContainerState.UNKNOWN))
        self._workspace = ws
        self.setEnabled(ws is not None)
        self.egress.show_workspace(ws)
        if ws is None:
            self.show_blocked(0)
            for value in (self.image, self.cli, self.limits, self.egress_mode, self.permissions):
                value.setText("–")
            return
        self.image.setText(ws.image)
        self.limits.setText(f"{ws.cpus:g} CPUs · {ws.memory} memory")
        mode = words.mode_of(ws.egress)
        way_out = f"{words.SHORT[mode]} ({ws.network.value})" if mode is EgressMode.OPEN else words.SHORT[mode]
        self.egress_mode.setText(way_out)
        self.egress_mode.setToolTip(words.HINTS[mode])
        self.permissions.setText(dict(WORKSPACE_CHOICES).get(ws.permission_mode, ws.permission_mode.value))

    def show_blocked(self, count: int) -> None:
        """The Egress tab's title counts the refusals of the workspace's latest task."""
        index = self.tabs.indexOf(self.egress)
        self.tabs.setTabText(index, f"{EGRESS} · {words.blocked_text(count)}" if count else EGRESS)
        self.tabs.setTabIcon(index, icons.icon("shield", "warning") if count else QIcon())
        self.tabs.setTabToolTip(index, "Requests of the agent were refused during this workspace's latest task"
                                if count else "What the agent may reach, and what it was refused")

    def show_egress_tab(self) -> None:
        self.tabs.setCurrentWidget(self.egress)

    def show_container(self, info: ContainerInfo) -> None:
        if info.workspace_id and (self._workspace is None or info.workspace_id != self._workspace.id):
            return  # another workspace's, or one removed since
        self.state.show_state(info.state.value, CONTAINER_TONES[info.state])
        self.detail.setText(info.detail)
        self.detail.setVisible(bool(info.detail))
        if info.image:
            self.image.setText(info.image)
        self.cli.setText(info.cli_version or "–")
        running = info.state is ContainerState.RUNNING
        self.start_button.setEnabled(info.state in (ContainerState.STOPPED, ContainerState.NOT_CREATED))
        self.stop_button.setEnabled(running)
        self.recreate_button.setEnabled(info.state is not ContainerState.UNKNOWN)

    def add_sample(self, cpu_percent: float, mem_bytes: int, mem_limit: int) -> None:
        """One reading of the container's usage; drawn if the panel is shown."""
        self._samples.append((cpu_percent, mem_bytes, mem_limit))
        if self._charts is not None and self.isVisible():
            self._charts.show_samples(self._samples, self._workspace.cpus if self._workspace else 1.0)

    @property
    def charts_loaded(self) -> bool:
        return self._charts is not None

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._charts is None:
            from desktop.ui.window.resource_chart import ResourceCharts  # lazy: QtCharts is big

            self._charts = ResourceCharts(self)
            self.no_stats.hide()
            self._layout.insertWidget(self._layout.count() - 1, self._charts, 1)
        self._charts.show_samples(self._samples, self._workspace.cpus if self._workspace else 1.0)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange and self._charts is not None:
            self._charts.apply_theme()
        super().changeEvent(event)

    def _emit(self, signal: Signal) -> None:
        if self._workspace is not None:
            signal.emit(WorkspaceRef(self._workspace.id))

    def _terminal(self, claude: bool) -> None:
        if self._workspace is not None:
            self.terminal_requested.emit(TerminalRequested(self._workspace.id, self._workspace.name, claude))
